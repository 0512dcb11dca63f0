"""The one function through which the service talks HTTP to the outside world."""

from dataclasses import dataclass

import requests
from django.conf import settings

USER_AGENT = "oncall-schedules"


class HttpFetchError(Exception):
    """The resource could not be downloaded (network error, timeout, non-2xx answer)."""


@dataclass(frozen=True, slots=True)
class HttpResponse:
    url: str
    status: int
    text: str


def http_get(url: str) -> HttpResponse:
    try:
        response = requests.get(
            url,
            timeout=settings.ICAL_FETCH_TIMEOUT,
            headers={"User-Agent": USER_AGENT},
        )
        response.raise_for_status()
    except requests.RequestException as exc:
        raise HttpFetchError(str(exc)) from exc
    return HttpResponse(url=response.url, status=response.status_code, text=response.text)
