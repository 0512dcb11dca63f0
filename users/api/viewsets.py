"""Base view classes: everything is scoped to the token's organization, writes go to services."""

from django.shortcuts import get_object_or_404
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from common.row_locks import read_locked
from common.transactions import write_in_transaction
from users.services import organization_lock


class OrganizationScopedMixin:
    """Looks objects up by public id inside the caller's organization (foreign ids → 404)."""

    lookup_field: str = "public_id"
    lookup_url_kwarg: str | None = "pk"

    @property
    def organization(self):
        return self.request.user.organization

    def get_object(self, queryset=None):
        """The object the URL names (in `queryset`, by default the view's). Query parameters
        filter lists only: a detail route ignores them, as upstream's does (and skips building
        the filter set on every request)."""
        instance = get_object_or_404(
            self.get_queryset() if queryset is None else queryset,
            **{self.lookup_field: self.kwargs[self.lookup_url_kwarg]},
        )
        self.check_object_permissions(self.request, instance)
        return instance

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["organization"] = self.organization
        return context


class OrganizationViewSet(OrganizationScopedMixin, viewsets.ModelViewSet):
    """Validates with `input_serializer_class`, writes through the service hooks, answers with
    `serializer_class`. PUT has partial semantics, as upstream's PUT does (unless
    `partial_put` is off).

    Each write is one transaction; updates and deletes hold the row lock from the read to the
    end, so two partial PUTs of one object both survive and a deleted object is never written
    back. The answer is read after the commit, outside the organization's lock
    (docs/concurrency.md#answers-after-the-commit)."""

    input_serializer_class: type[serializers.BaseSerializer] | None = None
    partial_put = True

    def get_input_serializer_class(self, instance):
        return self.input_serializer_class

    def validated_input(self, instance=None, *, partial: bool = False) -> dict:
        serializer = self.get_input_serializer_class(instance)(
            instance,
            data=self.request.data,
            partial=partial,
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def write_queryset(self):
        """The view's queryset without its prefetches: what a representation lists (a shift's
        users, a schedule's shift ids) is read after the commit; an update or a delete that
        found and locked its row with them spent a query on each, two of them inside the
        organization's lock."""
        return self.get_queryset().prefetch_related(None)

    def read_locked(self, found):
        """`found` (from `get_object()`, before the transaction) read again and locked."""
        return read_locked(self.write_queryset(), found)

    def write(self, operation):
        """`operation` in one transaction, after the organization's write lock: an API write
        touches rows of several tables (a schedule, the shifts it takes from another schedule,
        the version counters of both) in an order no single row-lock order could serve, so
        writers of one organization take turns. No deadlock, no lost update; reads never wait."""

        def locked():
            organization_lock(organization=self.organization)
            return operation()

        return write_in_transaction(locked)

    def before_write(self, instance) -> None:
        """Work that must not run under the organization's write lock (e.g. downloads)."""

    def create(self, request, *args, **kwargs):
        self.before_write(None)
        created = self.write(lambda: self.create_object(self.validated_input()))
        return Response(self.representation(created), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.get("partial", False) or self.partial_put
        found = self.get_object(self.write_queryset())
        self.before_write(found)

        def update_locked():
            instance = self.read_locked(found)
            return self.update_object(instance, self.validated_input(instance, partial=partial))

        return Response(self.representation(self.write(update_locked)))

    def destroy(self, request, *args, **kwargs):
        found = self.get_object(self.write_queryset())
        self.write(lambda: self.delete_object(self.read_locked(found)))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def representation(self, instance) -> dict:
        """`instance` as committed, read again through the view's queryset so that relations
        show what was just written. Called after the write's transaction: a delete that
        committed in between makes it a 404, as a GET would answer."""
        return self.get_serializer(get_object_or_404(self.get_queryset(), pk=instance.pk)).data

    def create_object(self, data: dict):
        raise NotImplementedError

    def update_object(self, instance, data: dict):
        raise NotImplementedError

    def delete_object(self, instance) -> None:
        raise NotImplementedError
