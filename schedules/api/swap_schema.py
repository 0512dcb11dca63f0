"""OpenAPI of `/api/v1/shift_swaps/`. Documentation only: nothing here validates or renders."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import serializers

from apikit.schema import FIELD_ERRORS, ID_PARAMETER, error_responses, paginated
from schedules.models import SwapStatus

SWAP_TIME = "`YYYY-MM-DDTHH:MM:SS.ffffffZ`"


class SwapEventUser(serializers.Serializer):
    display_name = serializers.CharField()
    email = serializers.CharField()
    pk = serializers.CharField()
    avatar_full = serializers.CharField()


class SwapRequestMark(serializers.Serializer):
    pk = serializers.CharField()
    user = SwapEventUser(required=False, help_text="The user stood in for (taken swaps).")


class SwapEventUserWithSwap(SwapEventUser):
    swap_request = SwapRequestMark(required=False, help_text="Set on the user the swap concerns.")


class SwapEventShift(serializers.Serializer):
    pk = serializers.CharField(allow_null=True)


class SwapEvent(serializers.Serializer):
    all_day = serializers.BooleanField()
    start = serializers.CharField(help_text="`YYYY-MM-DDTHH:MM:SS[.mmm]Z`")
    end = serializers.CharField(help_text="`YYYY-MM-DDTHH:MM:SS[.mmm]Z`")
    users = SwapEventUserWithSwap(many=True)
    missing_users = serializers.ListField(child=serializers.CharField())
    priority_level = serializers.IntegerField()
    source = serializers.CharField(allow_null=True)
    calendar_type = serializers.IntegerField(allow_null=True)
    is_empty = serializers.BooleanField()
    is_gap = serializers.BooleanField()
    is_override = serializers.BooleanField()
    shift = SwapEventShift()


class ShiftSwap(serializers.Serializer):
    id = serializers.CharField()
    created_at = serializers.CharField(help_text=SWAP_TIME)
    updated_at = serializers.CharField(help_text=SWAP_TIME)
    status = serializers.ChoiceField(choices=SwapStatus.choices)
    schedule = serializers.CharField()
    swap_start = serializers.CharField(help_text=SWAP_TIME)
    swap_end = serializers.CharField(help_text=SWAP_TIME)
    description = serializers.CharField(allow_null=True)
    beneficiary = serializers.CharField()
    benefactor = serializers.CharField(allow_null=True)


class ShiftSwapDetail(ShiftSwap):
    shifts = SwapEvent(many=True)


class ExpandedShiftSwap(ShiftSwap):
    beneficiary = SwapEventUser()
    benefactor = SwapEventUser(allow_null=True)


class ExpandedShiftSwapDetail(ExpandedShiftSwap):
    shifts = SwapEvent(many=True)


def swap_body(plain, expanded, name: str, **kwargs) -> PolymorphicProxySerializer:
    """The plain body, or the one with users expanded (`expand_users=true`)."""
    return PolymorphicProxySerializer(
        component_name=name,
        serializers=[plain, expanded],
        resource_type_field_name=None,
        **kwargs,
    )


SWAP = swap_body(ShiftSwapDetail, ExpandedShiftSwapDetail, "ShiftSwapAnswer")


class ShiftSwapWrite(serializers.Serializer):
    schedule = serializers.CharField(help_text="Schedule id.")
    swap_start = serializers.DateTimeField(help_text="With its zone; in the future.")
    swap_end = serializers.DateTimeField(help_text="With its zone; at most 365 days after.")
    description = serializers.CharField(allow_null=True, required=False, max_length=3000)


class ShiftSwapCreate(ShiftSwapWrite):
    beneficiary = serializers.CharField(help_text="Id of the user asking for cover.")


class ShiftSwapTake(serializers.Serializer):
    benefactor = serializers.CharField(help_text="Id of the user taking the swap.")


EXPAND_USERS = OpenApiParameter(
    "expand_users", OpenApiTypes.STR, description="`true`: users as objects rather than ids."
)
LIST_PARAMETERS = [
    OpenApiParameter(
        "starting_after",
        OpenApiTypes.DATETIME,
        description="Swaps starting at or after this instant (with its zone); default now.",
    ),
    OpenApiParameter("schedule_id", OpenApiTypes.STR),
    OpenApiParameter("beneficiary", OpenApiTypes.STR, description="User id."),
    OpenApiParameter("benefactor", OpenApiTypes.STR, description="User id."),
    OpenApiParameter(
        "open_only", OpenApiTypes.STR, description="`true`: untaken swaps not started yet."
    ),
    EXPAND_USERS,
]
LIST_ERRORS = {
    **error_responses(),
    400: OpenApiResponse(
        {"oneOf": [{"type": "array", "items": {"type": "string"}}, FIELD_ERRORS]},
        description="A bad `starting_after` answers a bare list of messages, as upstream.",
    ),
}
WITH_ID = [ID_PARAMETER, EXPAND_USERS]

SHIFT_SWAP_VIEWS = {
    "list": extend_schema(
        parameters=LIST_PARAMETERS,
        responses={
            200: paginated(
                swap_body(ShiftSwap, ExpandedShiftSwap, "ShiftSwapListItem", many=True),
                "PaginatedShiftSwapList",
            ),
            **LIST_ERRORS,
        },
    ),
    "create": extend_schema(
        parameters=[EXPAND_USERS],
        request=ShiftSwapCreate,
        responses={201: SWAP, **error_responses(not_found=False)},
    ),
    "retrieve": extend_schema(
        parameters=WITH_ID, responses={200: SWAP, **error_responses(body=False)}
    ),
    "update": extend_schema(
        parameters=WITH_ID, request=ShiftSwapWrite, responses={200: SWAP, **error_responses()}
    ),
    "partial_update": extend_schema(
        parameters=WITH_ID,
        request=ShiftSwapWrite(partial=True),
        responses={200: SWAP, **error_responses()},
    ),
    "destroy": extend_schema(parameters=[ID_PARAMETER], responses={204: None, **error_responses()}),
    "take": extend_schema(
        parameters=[ID_PARAMETER],
        request=ShiftSwapTake,
        responses={200: ShiftSwapDetail, **error_responses()},
    ),
}
