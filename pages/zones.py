"""The time zone a page shows times in (docs/pages.md#time-zones): the one the viewer picks
(`?tz=`), else the browser's (the `tz` cookie `zone.js` sets), else the user's own zone, else
UTC."""

from dataclasses import dataclass
from functools import cache
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.http import HttpRequest

from users.models import User

ZONE_COOKIE = "tz"
MAX_ZONE_NAME = 100


@dataclass(frozen=True, slots=True)
class ViewerZone:
    name: str
    zone: ZoneInfo
    # True when neither the viewer nor the browser chose it: zone.js may then draw the page again.
    guessed: bool


def valid_zone(name: str | None) -> ZoneInfo | None:
    if not name or len(name) > MAX_ZONE_NAME or name not in zone_names():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@cache
def zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def viewer_zone(request: HttpRequest, user: User) -> ViewerZone:
    for name, guessed in (
        (request.GET.get("tz"), False),
        # zone.js writes the name URL-encoded ("America%2FNew_York").
        (unquote(request.COOKIES.get(ZONE_COOKIE, "")), False),
        (user.timezone, True),
    ):
        zone = valid_zone(name)
        if zone is not None and name is not None:
            return ViewerZone(name, zone, guessed)
    return ViewerZone("UTC", ZoneInfo("UTC"), True)


def sorted_zone_names() -> list[str]:
    return sorted(zone_names())
