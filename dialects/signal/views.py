"""`/api/v1/on_call_schedules`: Brainz Lab Signal's on-call schedules API
(docs/dialects.md#signal)."""

from typing import Any

import orjson
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

import timeline
from dialects.authentication import ApiKeyAuthentication, DialectScheduleAuthentication
from dialects.errors import ErrorShape
from dialects.signal.schema import SIGNAL_VIEWS
from dialects.signal.serializers import (
    SignalSchedule,
    SignalScheduleInput,
    checked,
    current_shift,
    detail,
    public_id_of,
    summary,
    unwrapped,
)
from dialects.views import DialectViewSet
from schedules import rotation_services
from schedules.api.on_call_reads import PlainRead, no_query
from schedules.models import Dialect, Schedule


def render_current(schedule: Schedule, stretch: timeline.Stretch) -> bytes:
    return orjson.dumps(current_shift(stretch))


def current_response(schedule: Schedule) -> HttpResponse:
    body = timeline.stretch_body(schedule, timezone.now(), render_current)
    return HttpResponse(body, content_type="application/json")


SIGNAL_ERRORS = ErrorShape(
    missing_token_code="missing_api_key", invalid_token_code="invalid_api_key", details=True
)
ENABLED_VALUES = {"true": True, "false": False}


@extend_schema_view(**SIGNAL_VIEWS)
class SignalScheduleViewSet(DialectViewSet):
    dialect = Dialect.SIGNAL
    error_shape = SIGNAL_ERRORS
    authentication_classes = [ApiKeyAuthentication]

    def public_id(self, path_id: str) -> str:
        return public_id_of(path_id)

    def list(self, request):
        schedules = list(self.get_queryset())
        enabled = request.query_params.get("enabled")
        if enabled is not None:
            if enabled.lower() not in ENABLED_VALUES:
                raise serializers.ValidationError({"enabled": ["Must be true or false."]})
            schedules = [s for s in schedules if s.enabled == ENABLED_VALUES[enabled.lower()]]
        on_call = timeline.on_call_users_now(schedules, timezone.now())
        data = [summary(s, next(iter(on_call.get(s.pk, [])), None)) for s in schedules]
        return Response({"data": data})

    def retrieve(self, request, pk=None):
        return Response({"data": self.representation(self.get_object())})

    def create(self, request):
        body = self.validated_body(partial=False)

        def create() -> Schedule:
            data = checked(SignalSchedule.created(body), body, self.organization)
            return rotation_services.rotation_schedule_create(
                organization=self.organization, data=data
            )

        created = self.committed(self.write(create))
        return Response({"data": self.representation(created)}, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        found = self.schedule_row()
        body = self.validated_body(partial=True)

        def update() -> Schedule:
            schedule = self.read_locked(found)
            data = checked(SignalSchedule.stored(schedule).merged(body), body, self.organization)
            rotation_services.rotation_schedule_update(schedule=schedule, data=data)
            return schedule

        return Response({"data": self.representation(self.committed(self.write(update)))})

    def update(self, request, pk=None):
        """PUT changes what it is given, as PATCH does."""
        return self.partial_update(request, pk)

    def destroy(self, request, pk=None):
        found = self.schedule_row()
        self.write(
            lambda: rotation_services.rotation_schedule_delete(schedule=self.read_locked(found))
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["get"])
    def current(self, request, pk=None):
        return current_response(self.schedule_row())

    def validated_body(self, *, partial: bool) -> dict[str, Any]:
        serializer = SignalScheduleInput(data=unwrapped(self.request.data), partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def representation(self, schedule: Schedule) -> dict[str, Any]:
        return detail(schedule, timeline.on_call_stretch(schedule, timezone.now()))


# `current` is the hottest read: its plain requests are answered ahead of DRF
# (`schedules.api.on_call_reads`), the token and the schedule read in one query.
PLAIN_READS = (
    PlainRead(
        "signal-schedule-current",
        no_query,
        lambda request, schedule, _: current_response(schedule),
        lambda pk: DialectScheduleAuthentication(
            public_id_of(pk), Dialect.SIGNAL, ApiKeyAuthentication.key_header
        ),
    ),
)
