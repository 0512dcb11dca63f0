"""The URL conf without the plain views of the hottest reads: every request goes to DRF."""

from django.urls import include, path

from oncall import urls

urlpatterns = [path("api/v1/", include(urls.router.urls)), *urls.urlpatterns[1:]]
handler404 = urls.handler404
