"""`/api/v1/shift_swaps/`: upstream's shift swap requests (docs/api.md#shift-swaps)."""

from contextlib import contextmanager

from django.db.models import Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from apikit.exceptions import BadRequest
from apikit.fields import ZonedDateTimeField
from schedules import selectors, swap_services
from schedules.api.swap_schema import SHIFT_SWAP_VIEWS
from schedules.api.swap_serializers import (
    IN_THE_PAST,
    ExpandedShiftSwapDetailSerializer,
    ExpandedShiftSwapSerializer,
    ShiftSwapDetailSerializer,
    ShiftSwapInput,
    ShiftSwapSerializer,
)
from schedules.models import ShiftSwap
from schedules.versions import MAX_OPEN_SWAPS, TooManyOpenSwaps
from users.api.viewsets import OrganizationViewSet
from users.models import User

TAKEN_BY_BENEFICIARY = "A shift swap request cannot be created and taken by the same user"
NOT_OPEN = "The shift swap request is not in a state which allows it to be taken"
STARTED_NOT_DELETED = "A shift swap request that has started cannot be deleted"
TOO_MANY_OPEN = f"A schedule can wait on at most {MAX_OPEN_SWAPS} open shift swap requests"
# List filters on user and schedule ids, by query parameter.
ID_FILTERS = {
    "schedule_id": "schedule__public_id",
    "beneficiary": "beneficiary__public_id",
    "benefactor": "benefactor__public_id",
}


@extend_schema_view(**SHIFT_SWAP_VIEWS)
class ShiftSwapViewSet(OrganizationViewSet):
    """Shift swap requests of the organization's schedules. A swap stays readable until it ends,
    though upstream hides it once it has started (docs/differences.md#started-swaps)."""

    # For the schema generator only (it has no organization); get_queryset() scopes.
    queryset = ShiftSwap.objects.none()
    serializer_class = ShiftSwapDetailSerializer
    input_serializer_class = ShiftSwapInput
    # Upstream's PUT replaces: the times and the schedule are required.
    partial_put = False
    # The list filters are upstream's own (a bad `starting_after` answers a bare list).
    filter_backends: list = []

    def initial(self, request, *args, **kwargs):
        # One "now" per request: statuses, rules and `shifts` agree with each other.
        self.now = timezone.now()
        super().initial(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[ShiftSwap]:
        swaps = selectors.shift_swap_list(organization=self.organization)
        if self.action == "list":
            return swaps
        # A swap stays readable until it ends (upstream: until it starts).
        return swaps.filter(Q(swap_start__gte=self.now) | Q(swap_end__gt=self.now))

    def filter_queryset(self, queryset: QuerySet[ShiftSwap]) -> QuerySet[ShiftSwap]:  # type: ignore[override]
        if self.action != "list":
            return queryset
        query = self.request.query_params
        starting_after = query.get("starting_after")
        since = (
            ZonedDateTimeField().to_internal_value(starting_after) if starting_after else self.now
        )
        queryset = queryset.filter(swap_start__gte=since)
        for parameter, field in ID_FILTERS.items():
            if value := query.get(parameter):
                queryset = queryset.filter(**{field: value})
        if query.get("open_only") == "true":
            queryset = queryset.filter(benefactor__isnull=True, swap_start__gt=self.now)
        return queryset

    def get_serializer_class(self):
        expanded = self.request.query_params.get("expand_users") == "true"
        if self.action == "list":
            return ExpandedShiftSwapSerializer if expanded else ShiftSwapSerializer
        return ExpandedShiftSwapDetailSerializer if expanded else ShiftSwapDetailSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": self.now}

    def user_named_in_body(self, field: str) -> User:
        """The active user of the organization whose id the body's `field` gives."""
        user_id = self.request.data.get(field)
        if not user_id:
            raise BadRequest(f"{field} user ID is required")
        user = (
            User.objects.filter(organization=self.organization, is_active=True, public_id=user_id)
            .select_related("organization")
            .first()
            if isinstance(user_id, str)
            else None
        )
        if user is None:
            raise BadRequest(f"Invalid {field} user ID")
        return user

    def create_object(self, data: dict) -> ShiftSwap:
        beneficiary = self.user_named_in_body("beneficiary")
        with open_swaps_bounded():
            return swap_services.shift_swap_create(beneficiary=beneficiary, now=self.now, **data)

    def update_object(self, instance: ShiftSwap, data: dict) -> ShiftSwap:
        try:
            with open_swaps_bounded():
                return swap_services.shift_swap_update(swap=instance, now=self.now, **data)
        except swap_services.SwapStarted:
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: [IN_THE_PAST]}
            ) from None

    def delete_object(self, instance: ShiftSwap) -> None:
        try:
            swap_services.shift_swap_delete(swap=instance, now=self.now)
        except swap_services.SwapStarted:
            raise BadRequest(STARTED_NOT_DELETED) from None

    @action(detail=True, methods=["post"])
    def take(self, request, pk=None):
        found = self.get_object()

        def take_and_answer() -> dict:
            swap = self.read_locked(found)
            benefactor = self.user_named_in_body("benefactor")
            try:
                swap_services.shift_swap_take(swap=swap, benefactor=benefactor, now=self.now)
            except swap_services.SwapTakenByBeneficiary:
                raise BadRequest(TAKEN_BY_BENEFICIARY) from None
            except swap_services.SwapNotOpen:
                raise BadRequest(NOT_OPEN) from None
            # Upstream answers a take with the swap's plain body, whatever `expand_users` says.
            return ShiftSwapDetailSerializer(
                self.get_queryset().get(pk=swap.pk), context=self.get_serializer_context()
            ).data

        return Response(self.write(take_and_answer))


@contextmanager
def open_swaps_bounded():
    """Answers a write that would leave a schedule too many open swaps with a 400."""
    try:
        yield
    except TooManyOpenSwaps:
        raise BadRequest(TOO_MANY_OPEN) from None
