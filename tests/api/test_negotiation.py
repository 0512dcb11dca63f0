"""Content negotiation skips parsing an `Accept` that accepts anything, and answers every other
`Accept` as DRF's own negotiation does."""

import pytest
from django.http import Http404
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from apikit.negotiation import ContentNegotiation

RENDERER_SETS = {
    "json": [JSONRenderer()],
    "json, browsable": [JSONRenderer(), BrowsableAPIRenderer()],
    "browsable, json": [BrowsableAPIRenderer(), JSONRenderer()],
}


def choice(negotiation, accept: str | None, query: str, renderers):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().get(f"/api/v1/users/{query}", **headers))
    try:
        renderer, media_type = negotiation.select_renderer(request, renderers)
    except NotAcceptable:
        return "406"
    except Http404:
        return "404"
    return type(renderer).__name__, media_type


@pytest.mark.parametrize("renderers", RENDERER_SETS.values(), ids=RENDERER_SETS.keys())
@pytest.mark.parametrize(
    "accept",
    [
        None,
        "*/*",
        " */* ",
        "*/*;q=0.5",
        "application/json",
        "text/html",
        "application/*",
        "image/png",
        "text/html, */*",
    ],
)
@pytest.mark.parametrize("query", ["", "?format=json", "?format=api"])
def test_the_choice_is_drfs(renderers, accept, query):
    assert choice(ContentNegotiation(), accept, query, renderers) == choice(
        DefaultContentNegotiation(), accept, query, renderers
    )


@pytest.mark.django_db
@pytest.mark.parametrize("accept", [{}, {"HTTP_ACCEPT": "*/*"}])
def test_an_api_answer_to_any_accept_is_json(api_client, accept):
    response = api_client.get("/api/v1/users/current/", **accept)

    assert (response.status_code, response["Content-Type"]) == (200, "application/json")


@pytest.mark.django_db
def test_an_accept_the_api_cannot_meet_is_refused(api_client):
    response = api_client.get("/api/v1/users/current/", HTTP_ACCEPT="image/png")

    assert response.status_code == 406
