"""Instatus's routes, at `/on-call-schedules` and `/v1/on-call-schedules`: with or without the
trailing slash, `/members` answered by a plain view ahead of DRF; any other path under them
answers Instatus's 404."""

from django.urls import include, path, re_path

from apikit.routers import OptionalSlashRouter
from dialects.instatus.views import (
    INSTATUS_ERRORS,
    InstatusScheduleViewSet,
    InstatusV1ScheduleViewSet,
    plain_reads,
)
from dialects.views import not_found_view
from schedules.api.on_call_reads import plain_read_urls

PREFIX = "on-call-schedules"
NOT_FOUND = re_path(rf"^{PREFIX}(/.*)?$", not_found_view(INSTATUS_ERRORS))

router = OptionalSlashRouter()
router.register(PREFIX, InstatusScheduleViewSet, basename="instatus-schedule")
v1_router = OptionalSlashRouter()
v1_router.register(PREFIX, InstatusV1ScheduleViewSet, basename="instatus-v1-schedule")

urlpatterns = [
    path(
        "",
        include(
            [
                *plain_read_urls(router.urls, plain_reads("instatus-schedule-members")),
                *router.urls,
                NOT_FOUND,
            ]
        ),
    ),
    path(
        "v1/",
        include(
            [
                *plain_read_urls(v1_router.urls, plain_reads("instatus-v1-schedule-members")),
                *v1_router.urls,
                NOT_FOUND,
            ]
        ),
    ),
]
