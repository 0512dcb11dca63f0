"""`/on-call-schedules` (and `/v1/on-call-schedules`): Instatus's on-call schedules API
(docs/dialects.md#instatus)."""

from typing import Any

import orjson
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

import timeline
from dialects.authentication import BearerTokenAuthentication, DialectScheduleAuthentication
from dialects.errors import ErrorShape
from dialects.instatus.schema import INSTATUS_VIEWS
from dialects.instatus.serializers import (
    InstatusScheduleInput,
    checked,
    members_body,
    schedule_body,
)
from dialects.views import DialectViewSet
from schedules import rotation_services, selectors
from schedules.api.on_call_reads import PlainRead, no_query
from schedules.models import Dialect, Schedule

INSTATUS_ERRORS = ErrorShape(
    missing_token_code="unauthorized", invalid_token_code="unauthorized", details=False
)


def render_members(schedule: Schedule, members: timeline.OnCallMembers) -> bytes:
    turns = selectors.rotation_members(schedule=schedule)
    return orjson.dumps(members_body(schedule, turns, members))


def members_response(schedule: Schedule) -> HttpResponse:
    body = timeline.members_body(schedule, timezone.now(), render_members)
    return HttpResponse(body, content_type="application/json")


@extend_schema_view(**INSTATUS_VIEWS)
class InstatusScheduleViewSet(DialectViewSet):
    dialect = Dialect.INSTATUS
    error_shape = INSTATUS_ERRORS
    authentication_classes = [BearerTokenAuthentication]

    def list(self, request):
        return Response([schedule_body(schedule) for schedule in self.get_queryset()])

    def retrieve(self, request, pk=None):
        return Response(schedule_body(self.get_object()))

    def create(self, request):
        body = self.validated_body()

        def create() -> Schedule:
            data = checked(body, self.organization)
            return rotation_services.rotation_schedule_create(
                organization=self.organization, data=data
            )

        created = self.committed(self.write(create))
        return Response(schedule_body(created), status=status.HTTP_201_CREATED)

    def update(self, request, pk=None):
        found = self.schedule_row()
        body = self.validated_body()

        def update() -> Schedule:
            schedule = self.read_locked(found)
            data = checked(body, self.organization, schedule)
            rotation_services.rotation_schedule_update(schedule=schedule, data=data)
            return schedule

        return Response(schedule_body(self.committed(self.write(update))))

    def destroy(self, request, pk=None):
        found = self.schedule_row()
        self.write(
            lambda: rotation_services.rotation_schedule_delete(schedule=self.read_locked(found))
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["get"])
    def members(self, request, pk=None):
        return members_response(self.schedule_row())

    def validated_body(self) -> dict[str, Any]:
        serializer = InstatusScheduleInput(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class InstatusV1ScheduleViewSet(InstatusScheduleViewSet):
    """The same routes under `/v1/`; the schema documents them once, without the prefix."""

    schema = None


def plain_reads(route_name: str) -> tuple[PlainRead, ...]:
    """`/members` is the hottest read: its plain requests are answered ahead of DRF
    (`schedules.api.on_call_reads`), the token and the schedule read in one query."""
    return (
        PlainRead(
            route_name,
            no_query,
            lambda request, schedule, _: members_response(schedule),
            lambda pk: DialectScheduleAuthentication(pk, Dialect.INSTATUS, None),
        ),
    )
