"""A router whose routes match with and without the trailing slash, never redirecting."""

from rest_framework.routers import DefaultRouter


class OptionalSlashRouter(DefaultRouter):
    include_root_view = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.trailing_slash = "/?"
