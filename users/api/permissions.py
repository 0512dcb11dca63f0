"""Role permissions: viewers read, editors write schedules and shifts, admins manage people;
a user's own settings (their export token) are theirs and admins' to change."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from users.models import Role


class RolePermission(BasePermission):
    """Views set `write_role` (default editor); reading needs at least viewer.

    Checked before any object lookup, so a missing permission on an unknown id is 403, not 404.
    """

    read_role = Role.VIEWER
    default_write_role = Role.EDITOR

    def has_permission(self, request, view) -> bool:
        user = request.user
        if user is None:
            return False
        if request.method in SAFE_METHODS:
            needed = getattr(view, "read_role", self.read_role)
        else:
            needed = getattr(view, "write_role", self.default_write_role)
        # Lower codes are stronger roles (admin 0 … none 3).
        return user.role <= needed


class OwnerOrAdminPermission(BasePermission):
    """Writes to a user's own settings: by that user or by an admin (upstream's rule for
    personal export tokens, docs/exports.md#export-tokens). Reads follow the role."""

    def has_permission(self, request, view) -> bool:
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return request.user.role == Role.ADMIN or obj.pk == request.user.pk
