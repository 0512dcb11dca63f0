"""Routes: `/api/v1/…` (every route with or without the trailing slash), the Signal and Instatus
schedule APIs (`/api/v1/on_call_schedules`, `/on-call-schedules`), the OpenAPI schema and its
docs page, admin, health, and the pages."""

from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apikit.routers import OptionalSlashRouter
from oncall.errors import server_error
from oncall.views import health, not_found
from oncall_events.api.views import ScheduleWebhookViewSet, SlackConnectionView
from schedules.api.on_call_reads import plain_read_urls
from schedules.api.shift_views import OnCallShiftViewSet
from schedules.api.swap_views import ShiftSwapViewSet
from schedules.api.views import ScheduleViewSet, UserExportViewSet
from users.api.views import ApiTokenViewSet, TeamViewSet, UserViewSet

router = OptionalSlashRouter()
router.register("schedules", ScheduleViewSet, basename="schedule")
router.register("on_call_shifts", OnCallShiftViewSet, basename="on_call_shift")
router.register("shift_swaps", ShiftSwapViewSet, basename="shift_swap")
router.register("users", UserViewSet, basename="user")
router.register("users", UserExportViewSet, basename="user-export")
router.register("teams", TeamViewSet, basename="team")
router.register("tokens", ApiTokenViewSet, basename="token")
router.register("schedule_webhooks", ScheduleWebhookViewSet, basename="schedule-webhook")
# API routes of one object per organization, outside the router.
SINGLE_OBJECT_ROUTES = {"slack_connection": SlackConnectionView}

urlpatterns = [
    # The plain views of the hottest reads go ahead of the DRF routes they stand in front of.
    path("api/v1/", include([*plain_read_urls(router.urls), *router.urls])),
    path("api/v1/", include("dialects.signal.urls")),
    path("", include("dialects.instatus.urls")),
    *(
        re_path(rf"^api/v1/{prefix}/?$", view.as_view(), name=prefix.replace("_", "-"))
        for prefix, view in SINGLE_OBJECT_ROUTES.items()
    ),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    # The pages people look at (docs/pages.md): sign-in, schedules, timelines, my shifts.
    path("", include("pages.urls")),
]

handler404 = not_found
handler500 = server_error
