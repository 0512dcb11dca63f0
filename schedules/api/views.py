"""`/api/v1/schedules/`, and the iCal export routes of users (`/api/v1/users/{id}/…`)."""

import django_filters
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

import timeline
from apikit.filters import TeamIdFilter
from oncall_events.api.serializers import OnCallPeriodSerializer
from oncall_events.selectors import oncall_log_entries, periods_of
from reports.hours import hours_report
from schedules import selectors, services
from schedules.api.authentication import TokenAndScheduleAuthentication
from schedules.api.export_routes import (
    ScheduleExportAuthentication,
    UserExportAuthentication,
    calendar_route,
    export_route,
    export_token_route,
)
from schedules.api.hours import (
    HoursCsvRenderer,
    HoursQuery,
    SchedulesHoursQuery,
    csv_file_name,
    hours_body,
)
from schedules.api.on_call_reads import (
    current_oncall_response,
    final_shifts_response,
    final_shifts_window,
)
from schedules.api.oncall_serializers import (
    FinalShiftsQuery,
    OnCallDaysQuery,
    on_call_answer_body,
)
from schedules.api.schema import SCHEDULE_VIEWS, USER_EXPORT_VIEWS
from schedules.api.serializers import (
    INPUT_BY_TYPE,
    ScheduleSerializer,
    feed_urls_written,
    input_serializer_for_create,
)
from schedules.feeds import feeds_by_url
from schedules.models import Schedule
from users.api.permissions import OwnerOrAdminPermission, RolePermission
from users.api.views import UserLookupMixin
from users.api.viewsets import OrganizationViewSet
from users.models import Role

HOURS_RENDERERS = [JSONRenderer, HoursCsvRenderer]


class ScheduleFilter(django_filters.FilterSet):
    name = django_filters.CharFilter()
    team_id = TeamIdFilter()

    class Meta:
        model = Schedule
        fields = ["name"]


@extend_schema_view(**SCHEDULE_VIEWS)
class ScheduleViewSet(OrganizationViewSet):
    # For the schema generator only (it has no organization); get_queryset() scopes.
    queryset = Schedule.objects.none()
    serializer_class = ScheduleSerializer
    filterset_class = ScheduleFilter

    # Actions that answer from final events need no shift ids for a representation.
    ON_CALL_ACTIONS = frozenset(
        {"final_shifts", "current_oncall", "previous_oncall", "next_oncall", "hours"}
    )

    def get_queryset(self):
        if self.action == "export_token":
            # Schedules of rotation layers are exported too (docs/dialects.md#interop).
            return selectors.schedules_of(organization=self.organization)
        return selectors.schedule_list(organization=self.organization)

    def get_authenticators(self):
        # Called before `self.action` is set; the route's actions tell an on-call route.
        actions = set(self.action_map.values())
        public_id = self.kwargs.get(self.lookup_url_kwarg)
        if not actions or not actions <= self.ON_CALL_ACTIONS or public_id is None:
            return super().get_authenticators()
        self.on_call_authentication = TokenAndScheduleAuthentication(public_id)
        return [self.on_call_authentication]

    def get_object(self, queryset=None):
        if self.action not in self.ON_CALL_ACTIONS:
            return super().get_object(queryset)
        schedule = self.on_call_authentication.schedule
        if schedule is None:
            raise Http404
        self.check_object_permissions(self.request, schedule)
        return schedule

    def get_serializer_context(self):
        # The feeds `before_write` downloaded, by URL, for validation and the write.
        context = super().get_serializer_context()
        context["feed_downloads"] = self.__dict__.setdefault("feed_downloads", {})
        return context

    def before_write(self, instance) -> None:
        """Download the feeds this write sets, before its transaction and the organization's
        lock (docs/concurrency.md#nothing-remote-inside-a-transaction)."""
        self.feed_downloads = feeds_by_url(feed_urls_written(self.request.data, instance))

    def get_input_serializer_class(self, instance):
        if instance is None:
            return input_serializer_for_create(self.request.data)
        return INPUT_BY_TYPE[instance.type]

    def get_serializer(self, *args, **kwargs):
        instances = args[0] if args else []
        if not isinstance(instances, list):
            instances = [instances]
        kwargs.setdefault("context", self.get_serializer_context())
        kwargs["context"]["on_call_now"] = timeline.on_call_now(instances, timezone.now())
        return super().get_serializer(*args, **kwargs)

    def create_object(self, data: dict) -> Schedule:
        return services.schedule_create(
            organization=self.organization,
            schedule_type=self.request.data["type"],
            feeds=self.feed_downloads,
            **data,
        )

    def update_object(self, instance: Schedule, data: dict) -> Schedule:
        return services.schedule_update(schedule=instance, feeds=self.feed_downloads, **data)

    def delete_object(self, instance: Schedule) -> None:
        services.schedule_delete(schedule=instance)

    def query(self, serializer_class) -> dict:
        context = {"organization": self.organization}
        serializer = serializer_class(data=self.request.query_params, context=context)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @action(detail=True, methods=["get"])
    def final_shifts(self, request, pk=None):
        schedule = self.get_object()
        window = final_shifts_window(self.query(FinalShiftsQuery))
        return final_shifts_response(request, schedule, window)

    @action(detail=True, methods=["get"])
    def current_oncall(self, request, pk=None):
        return current_oncall_response(self.get_object(), timezone.now())

    def on_call_within_days(self, select):
        schedule = self.get_object()
        days = self.query(OnCallDaysQuery)["days"]
        return Response(on_call_answer_body(schedule, select(schedule, timezone.now(), days)))

    @action(detail=True, methods=["get"])
    def previous_oncall(self, request, pk=None):
        return self.on_call_within_days(timeline.previous_oncall)

    @action(detail=True, methods=["get"])
    def next_oncall(self, request, pk=None):
        return self.on_call_within_days(timeline.next_oncall)

    @action(detail=True, methods=["get"])
    def oncall_log(self, request, pk=None):
        """Who was actually on call, as recorded when it happened (docs/oncall-events.md)."""
        schedule = self.get_object()
        window = final_shifts_window(self.query(FinalShiftsQuery))
        entries = oncall_log_entries(schedule, window.start, window.end)
        page = self.paginate_queryset(entries)
        periods = periods_of(schedule, page)
        return self.get_paginated_response(OnCallPeriodSerializer(periods, many=True).data)

    @action(detail=True, methods=["get"], renderer_classes=HOURS_RENDERERS)
    def hours(self, request, pk=None, format=None):
        """Hours on call per user, JSON or CSV (docs/hours.md)."""
        schedule = self.get_object()
        return self.hours_response([schedule], self.query(HoursQuery), schedule.public_id)

    @action(
        detail=False,
        methods=["get"],
        url_path="hours",
        url_name="hours-of-schedules",
        renderer_classes=HOURS_RENDERERS,
    )
    def hours_of_schedules(self, request, format=None):
        """The hours report over several schedules (`schedule_ids`)."""
        query = self.query(SchedulesHoursQuery)
        return self.hours_response(query["schedule_ids"], query, "schedules")

    def hours_response(self, schedules: list[Schedule], query: dict, subject: str) -> Response:
        report = hours_report(schedules, query["window"], query["time_zone"], timezone.now())
        response = Response(hours_body(report))
        if self.request.accepted_renderer.format == HoursCsvRenderer.format:
            name = csv_file_name(subject, query)
            response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @action(detail=True, methods=["get", "post", "delete"])
    def export_token(self, request, pk=None):
        return export_token_route(request, schedule=self.get_object())

    @action(detail=True, methods=["get"], **export_route(ScheduleExportAuthentication))
    def export(self, request, pk=None):
        return calendar_route(request)


@extend_schema_view(**USER_EXPORT_VIEWS)
class UserExportViewSet(UserLookupMixin, viewsets.GenericViewSet):
    """A user's iCal export across the organization's schedules, and its export token."""

    # Anyone who reads manages their own export token; admins manage everyone's.
    write_role = Role.VIEWER

    @action(
        detail=True,
        methods=["get", "post", "delete"],
        permission_classes=[RolePermission, OwnerOrAdminPermission],
    )
    def export_token(self, request, pk=None):
        user = self.get_object()
        # `current` names the caller without the object check of a lookup by id.
        self.check_object_permissions(request, user)
        return export_token_route(request, user=user)

    @action(detail=True, methods=["get"], **export_route(UserExportAuthentication))
    def schedule_export(self, request, pk=None):
        return calendar_route(request)
