"""A router whose routes match with and without the trailing slash, never redirecting.

No format-suffix routes (`…/current_oncall.json`): upstream has none, and answers them 404.
"""

from rest_framework.routers import SimpleRouter


class OptionalSlashRouter(SimpleRouter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.trailing_slash = "/?"
