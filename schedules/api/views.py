"""`/api/v1/schedules/`."""

import django_filters
from django.utils import timezone

from oncall.api.filters import TeamIdFilter
from oncall.api.viewsets import OrganizationViewSet
from schedules import selectors, services
from schedules.api.serializers import (
    INPUT_BY_TYPE,
    ScheduleSerializer,
    input_serializer_for_create,
)
from schedules.models import Schedule


class ScheduleFilter(django_filters.FilterSet):
    name = django_filters.CharFilter()
    team_id = TeamIdFilter()

    class Meta:
        model = Schedule
        fields = ["name"]


class ScheduleViewSet(OrganizationViewSet):
    serializer_class = ScheduleSerializer
    filterset_class = ScheduleFilter

    def get_queryset(self):
        return selectors.schedule_list(organization=self.organization)

    def get_input_serializer_class(self, instance):
        if instance is None:
            return input_serializer_for_create(self.request.data)
        return INPUT_BY_TYPE[instance.type]

    def get_serializer(self, *args, **kwargs):
        instances = args[0] if args else []
        if not isinstance(instances, list):
            instances = [instances]
        kwargs.setdefault("context", self.get_serializer_context())
        kwargs["context"]["on_call_now"] = selectors.on_call_now_by_schedule(
            instances, timezone.now()
        )
        return super().get_serializer(*args, **kwargs)

    def create_object(self, data: dict) -> Schedule:
        return services.schedule_create(
            organization=self.organization, schedule_type=self.request.data["type"], **data
        )

    def update_object(self, instance: Schedule, data: dict) -> Schedule:
        return services.schedule_update(schedule=instance, **data)

    def delete_object(self, instance: Schedule) -> None:
        services.schedule_delete(schedule=instance)
