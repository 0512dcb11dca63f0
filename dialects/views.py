"""What the dialects' views share: the token's organization, the dialect's error answers, JSON
bodies only, ids made of anything but `/`, writes that take their turn, and the answer to a path
under the dialect's prefix that names no route."""

from collections.abc import Callable
from typing import TypeVar

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from rest_framework import viewsets

from apikit.parsers import BoundedJSONParser
from common.transactions import write_in_transaction
from dialects.errors import ErrorShape
from schedules import selectors
from schedules.models import Dialect, Schedule
from users.models import Organization
from users.services import organization_lock

T = TypeVar("T")


class DialectViewSet(viewsets.GenericViewSet):
    dialect: Dialect
    error_shape: ErrorShape
    parser_classes = [BoundedJSONParser]
    pagination_class = None
    filter_backends: list = []
    lookup_value_regex = "[^/]+"
    # For the schema generator only (it has no organization); get_queryset() scopes.
    queryset = Schedule.objects.none()

    def get_exception_handler(self):
        return self.error_shape.handler()

    @property
    def organization(self) -> Organization:
        return self.request.user.organization

    def get_queryset(self):
        return selectors.rotation_schedule_list(
            organization=self.organization, dialect=self.dialect
        )

    def public_id(self, path_id: str) -> str:
        """The schedule id a path names."""
        return path_id

    def get_object(self) -> Schedule:
        return get_object_or_404(self.get_queryset(), public_id=self.public_id(self.kwargs["pk"]))

    def schedule_row(self) -> Schedule:
        """The path's schedule without its layers: enough for the answers the read model keeps."""
        rows = selectors.schedule_rows(organization=self.organization, dialect=self.dialect)
        return get_object_or_404(rows, public_id=self.public_id(self.kwargs["pk"]))

    def committed(self, schedule: Schedule) -> Schedule:
        """`schedule` as its write committed it, with its layers: read after the transaction,
        outside the organization's lock (docs/concurrency.md#answers-after-the-commit); a
        delete that committed in between makes it a 404."""
        return get_object_or_404(self.get_queryset(), pk=schedule.pk)

    def read_locked(self, found: Schedule) -> Schedule:
        """The schedule a write found before its transaction (`schedule_row()`: an unknown id is
        a 404 whatever the body), with its layers, read again in the transaction and locked, as
        every API write reads its object (`common/row_locks.py`)."""
        return get_object_or_404(self.get_queryset().select_for_update(of=("self",)), pk=found.pk)

    def write(self, operation: Callable[[], T]) -> T:
        """`operation` in one transaction, after the organization's write lock, as every write
        of the API does (`users.api.viewsets.OrganizationViewSet.write`)."""

        def locked() -> T:
            organization_lock(organization=self.organization)
            return operation()

        return write_in_transaction(locked)


def not_found_view(shape: ErrorShape) -> Callable[..., JsonResponse]:
    @csrf_exempt
    def view(request: HttpRequest, *args, **kwargs) -> JsonResponse:
        return shape.not_found()

    return view
