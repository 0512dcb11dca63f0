"""`/api/v1/on_call_shifts/`: served here because `schedules` owns shift writes (each bumps the
versions of the schedules using the shift); the bodies are `shifts.api`'s."""

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema_view

from apikit.filters import TeamIdFilter
from schedules import shift_services
from shifts import selectors
from shifts.api.schema import SHIFT_VIEWS
from shifts.api.serializers import OnCallShiftInputSerializer, OnCallShiftSerializer
from shifts.models import OnCallShift
from users.api.viewsets import OrganizationViewSet


class OnCallShiftFilter(django_filters.FilterSet):
    name = django_filters.CharFilter()
    team_id = TeamIdFilter()
    schedule_id = django_filters.CharFilter(method="filter_schedule")

    class Meta:
        model = OnCallShift
        fields = ["name"]

    def filter_schedule(self, queryset, name, value):
        return queryset.filter(selectors.shifts_of_schedule_filter(value)).distinct()


@extend_schema_view(**SHIFT_VIEWS)
class OnCallShiftViewSet(OrganizationViewSet):
    # For the schema generator only (it has no organization); get_queryset() scopes.
    queryset = OnCallShift.objects.none()
    serializer_class = OnCallShiftSerializer
    input_serializer_class = OnCallShiftInputSerializer
    filterset_class = OnCallShiftFilter

    def get_queryset(self):
        return selectors.on_call_shift_list(organization=self.organization)

    def create_object(self, data: dict) -> OnCallShift:
        return shift_services.on_call_shift_create(organization=self.organization, **data)

    def update_object(self, instance: OnCallShift, data: dict) -> OnCallShift:
        return shift_services.on_call_shift_update(shift=instance, **data)

    def delete_object(self, instance: OnCallShift) -> None:
        shift_services.on_call_shift_delete(shift=instance, now=timezone.now())
