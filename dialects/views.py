"""What the dialects' views share: the token's organization, the dialect's error answers, JSON
bodies only, ids made of anything but `/`, writes that take their turn, and the answer to a path
under the dialect's prefix that names no route."""

from collections.abc import Callable
from typing import TypeVar

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import viewsets
from rest_framework.parsers import JSONParser

from common.transactions import write_in_transaction
from dialects.errors import ErrorShape
from users.models import Organization
from users.services import organization_lock

T = TypeVar("T")


class DialectViewSet(viewsets.GenericViewSet):
    error_shape: ErrorShape
    parser_classes = [JSONParser]
    pagination_class = None
    filter_backends: list = []
    lookup_value_regex = "[^/]+"

    def get_exception_handler(self):
        return self.error_shape.handler()

    @property
    def organization(self) -> Organization:
        return self.request.user.organization

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
