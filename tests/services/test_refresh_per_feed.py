"""A refresh downloads each feed under its own deadline, side by side: feeds that never answer
delay no other feed beyond their own deadline."""

from contextlib import ExitStack

import pytest
from django.core.management import call_command
from werkzeug import Response

from schedules import services
from schedules.models import CachedCalendar
from tests.integrations.dripping import dripping_server
from tests.integrations.stalling import STALLING_HOST, stalling_resolver
from tests.services.test_ical_refresh import calendar_naming

pytestmark = pytest.mark.django_db


def test_two_silent_feeds_do_not_hold_back_a_good_one(organization, httpserver, settings):
    settings.HTTP_TIMEOUT = 2.0
    with ExitStack() as stack:
        silent = [stack.enter_context(dripping_server("silence")) for _ in range(2)]
        # Whether a silent feed's download had already ended when the good feed was requested.
        seen = []

        def good(request):
            seen.append([server.client_left.is_set() for server in silent])
            return Response(calendar_naming("alice"), content_type="text/calendar")

        httpserver.expect_request("/good.ics").respond_with_handler(good)
        # The good feed is the last one in the order of the refresh.
        for name, url in [("a", silent[0].url), ("b", silent[1].url), ("c", "/good.ics")]:
            services.schedule_create(
                organization=organization,
                schedule_type="ical",
                name=name,
                ical_url_primary=url if url.startswith("http") else httpserver.url_for(url),
            )
        call_command("refresh_ical", "--force", stdout=None)
        assert all(server.client_left.wait(5) for server in silent)
    assert seen == [[False, False]]
    copies = {
        copy.schedule.name: copy for copy in CachedCalendar.objects.select_related("schedule")
    }
    assert copies["c"].text == calendar_naming("alice")
    assert copies["c"].last_error is None
    assert [copies[name].last_error for name in "ab"] == ["Ical download failed"] * 2


def test_a_feed_whose_host_never_resolves_does_not_hold_back_a_good_one(
    organization, httpserver, settings, monkeypatch
):
    settings.HTTP_TIMEOUT = 1.0
    httpserver.expect_request("/good.ics").respond_with_data(
        calendar_naming("alice"), content_type="text/calendar"
    )
    for name, url in [
        ("a", f"http://{STALLING_HOST}/a.ics"),
        ("b", httpserver.url_for("/good.ics")),
    ]:
        services.schedule_create(
            organization=organization, schedule_type="ical", name=name, ical_url_primary=url
        )
    with stalling_resolver(monkeypatch) as resolver:
        call_command("refresh_ical", "--force", stdout=None)
        assert resolver.stalled == 1
    copies = {
        copy.schedule.name: copy for copy in CachedCalendar.objects.select_related("schedule")
    }
    assert (copies["b"].text, copies["b"].last_error) == (calendar_naming("alice"), None)
    assert copies["a"].last_error == "Ical download failed"
