"""Signal's routes, under `/api/v1/`: with or without the trailing slash, `current` answered by
a plain view ahead of DRF; any other path under `on_call_schedules` answers Signal's 404."""

from django.urls import re_path

from apikit.routers import OptionalSlashRouter
from dialects.signal.views import PLAIN_READS, SIGNAL_ERRORS, SignalScheduleViewSet
from dialects.views import not_found_view
from schedules.api.on_call_reads import plain_read_urls

PREFIX = "on_call_schedules"

router = OptionalSlashRouter()
router.register(PREFIX, SignalScheduleViewSet, basename="signal-schedule")

urlpatterns = [
    *plain_read_urls(router.urls, PLAIN_READS),
    *router.urls,
    re_path(rf"^{PREFIX}(/.*)?$", not_found_view(SIGNAL_ERRORS)),
]
