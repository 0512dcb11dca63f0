"""Content negotiation: DRF's, without parsing an `Accept` that accepts anything."""

from rest_framework.negotiation import DefaultContentNegotiation

ANYTHING = "*/*"


class ContentNegotiation(DefaultContentNegotiation):
    """Most clients send no `Accept` or `*/*`: DRF then picks the first renderer with its own
    media type, after parsing the header into media types on every request (a twentieth of the
    work of the hottest request, "who is on call"). Here that choice is made at once; every other
    `Accept` and a `?format=` go through DRF's negotiation."""

    def select_renderer(self, request, renderers, format_suffix=None):
        accepts_anything = request.META.get("HTTP_ACCEPT", ANYTHING).strip() == ANYTHING
        format_asked = format_suffix or self.settings.URL_FORMAT_OVERRIDE in request.query_params
        if accepts_anything and not format_asked:
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)
