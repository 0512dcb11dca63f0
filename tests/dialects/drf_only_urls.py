"""The URL conf without the dialects' plain views: every dialect request goes to DRF."""

from django.urls import include, path

from dialects.instatus.urls import router as instatus_router
from dialects.instatus.urls import v1_router
from dialects.signal.urls import router as signal_router
from oncall import urls

urlpatterns = [
    path("api/v1/", include(signal_router.urls)),
    path("", include(instatus_router.urls)),
    path("v1/", include(v1_router.urls)),
    *urls.urlpatterns,
]
handler404 = urls.handler404
