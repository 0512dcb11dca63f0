"""A schedule's page: its timeline matches `final_shifts`, rows per layer, overrides, swaps and
gaps, times and DST days in the viewer's zone, moving through periods, adding overrides."""

import re
from datetime import UTC, datetime

import pytest
from freezegun import freeze_time

from schedules import services as schedule_services
from schedules import swap_services
from schedules.models import ScheduleType
from tests.api.helpers import API
from tests.pages.helpers import api_rows, final_rows, timeline_blocks
from users.models import Role

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 18, 12, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant of March 2026, UTC."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def page_url(schedule, **query) -> str:
    params = "&".join(f"{key}={value}" for key, value in query.items())
    return f"/schedules/{schedule.public_id}/?{params}"


def api_final_shifts(api_client, schedule, start: datetime, end: datetime) -> dict:
    query = f"start_date={start:%Y-%m-%dT%H:%M}&end_date={end:%Y-%m-%dT%H:%M}"
    response = api_client.get(f"{API}/schedules/{schedule.public_id}/final_shifts?{query}")
    assert response.status_code == 200, response.json()
    return response.json()


def override_body(demo, **fields) -> dict:
    """The override form: mia on 20 March 2026, 10:00 to 18:00 UTC, unless `fields` say else."""
    return {
        "user": demo.people["mia"].public_id,
        "start": "2026-03-20T10:00",
        "end": "2026-03-20T18:00",
        "tz": "UTC",
        **fields,
    }


@pytest.fixture
def editor(demo, person, signed_in):
    return signed_in(person("eddie", Role.EDITOR))


@freeze_time(NOW)
@pytest.mark.parametrize("key", ["follow_the_sun", "primary", "secondary"])
@pytest.mark.parametrize(
    ("span", "start", "zone", "window"),
    [
        ("week", "2026-03-25", "UTC", ("2026-03-23T00:00", "2026-03-30T00:00")),
        ("day", "2026-03-29", "Europe/London", ("2026-03-29T00:00", "2026-03-29T23:00")),
        ("2weeks", "2026-03-18", "America/New_York", ("2026-03-16T04:00", "2026-03-30T04:00")),
        ("month", "2026-03-02", "Australia/Sydney", ("2026-02-28T13:00", "2026-03-31T13:00")),
    ],
)
def test_the_final_row_is_final_shifts(demo, editor, api_client, key, span, start, zone, window):
    schedule = demo.schedules[key]
    first, end = (datetime.fromisoformat(bound).replace(tzinfo=UTC) for bound in window)

    html = editor.get(page_url(schedule, span=span, start=start, tz=zone)).content.decode()

    assert f'data-window-start="{first.isoformat()}"' in html
    assert f'data-window-end="{end.isoformat()}"' in html
    expected = api_rows(api_final_shifts(api_client, schedule, first, end))
    assert expected
    assert final_rows(timeline_blocks(html)) == expected


@freeze_time(NOW)
def test_rows_per_layer_then_overrides_swaps_and_final_with_the_gap(demo, editor):
    html = editor.get(
        page_url(demo.schedules["follow_the_sun"], span="week", start="2026-03-23", tz="UTC")
    ).content.decode()
    blocks = timeline_blocks(html)

    assert re.findall(r'data-row="(\w+)"', html) == ["layer", "overrides", "swaps", "final"]
    assert len([block for block in blocks if block.row == "layer"]) == 21 - 1
    assert [(b.text, b.start, b.end) for b in blocks if b.row == "overrides"] == [
        ("oliver", datetime(2026, 3, 24, 8, tzinfo=UTC), datetime(2026, 3, 24, 16, tzinfo=UTC))
    ]
    gaps = [block for block in blocks if "gap" in block.classes]
    assert [(b.row, b.text, b.start, b.end, b.tip) for b in gaps] == [
        (
            "final",
            "Gap",
            datetime(2026, 3, 25, 8, tzinfo=UTC),
            datetime(2026, 3, 25, 16, tzinfo=UTC),
            "Nobody on call (gap): Wed 25 Mar 2026 08:00 to Wed 25 Mar 2026 16:00",
        )
    ]
    assert "APAC (mia), EMEA (alice) until next Tuesday" in html


@freeze_time(NOW)
def test_blocks_say_who_from_and_to_in_the_viewers_zone(demo, editor):
    html = editor.get(
        page_url(demo.schedules["primary"], span="week", start="2026-03-18", tz="Asia/Kolkata")
    ).content.decode()

    tips = [block.tip for block in timeline_blocks(html, "final")]

    assert tips == [
        "sofia: Mon 9 Mar 2026 14:30 to Mon 16 Mar 2026 14:30",
        "noah: Mon 16 Mar 2026 14:30 to Mon 23 Mar 2026 14:30",
    ]
    assert 'tabindex="0"' in html


@freeze_time(NOW)
def test_dst_days_are_drawn_at_their_length(demo, editor):
    """London's 29 March 2026 has 23 hours: the week is 167 hours long, its last day narrower,
    and in the day view 03:00 comes two hours after midnight."""
    schedule = demo.schedules["primary"]
    week = editor.get(page_url(schedule, span="week", start="2026-03-23", tz="Europe/London"))
    day = editor.get(page_url(schedule, span="day", start="2026-03-29", tz="Europe/London"))

    week_ticks = re.findall(r'class="tick major" style="left:([\d.]+)%', week.content.decode())
    day_ticks = re.findall(r'class="tick" style="left:([\d.]+)%">(\d\d:00)', day.content.decode())

    assert [float(left) for left in week_ticks] == [
        round(hours / 167 * 100, 4) for hours in range(0, 168, 24)
    ]
    assert [(float(left), label) for left, label in day_ticks] == [
        (round((hour - 1) / 23 * 100, 4), f"{hour:02d}:00") for hour in range(3, 24, 3)
    ]


@freeze_time(NOW)
def test_swaps_have_their_row(demo, editor):
    swap = swap_services.shift_swap_create(
        schedule=demo.schedules["primary"],
        beneficiary=demo.people["noah"],
        swap_start=datetime(2026, 3, 19, 9, tzinfo=UTC),
        swap_end=datetime(2026, 3, 20, 9, tzinfo=UTC),
        now=NOW,
    )
    swap_services.shift_swap_take(swap=swap, benefactor=demo.people["sofia"], now=NOW)

    html = editor.get(
        page_url(demo.schedules["primary"], span="week", start="2026-03-18", tz="UTC")
    ).content.decode()

    assert [(b.text, b.start, b.end) for b in timeline_blocks(html, "swaps")] == [
        (
            "sofia for noah",
            datetime(2026, 3, 19, 9, tzinfo=UTC),
            datetime(2026, 3, 20, 9, tzinfo=UTC),
        )
    ]
    assert ("sofia", at(19, 9)) in [(b.text, b.start) for b in timeline_blocks(html, "final")]


@freeze_time(NOW)
@pytest.mark.parametrize(
    ("span", "start", "previous", "following"),
    [
        ("day", "2026-03-18", "2026-03-17", "2026-03-19"),
        ("week", "2026-03-18", "2026-03-09", "2026-03-23"),
        ("2weeks", "2026-03-22", "2026-03-02", "2026-03-30"),
        ("month", "2026-03-31", "2026-02-01", "2026-04-01"),
        ("month", "2026-12-05", "2026-11-01", "2027-01-01"),
        ("bogus", "not-a-date", "2026-03-09", "2026-03-23"),
    ],
)
def test_moving_back_and_forward(demo, editor, span, start, previous, following):
    html = editor.get(page_url(demo.schedules["primary"], span=span, start=start)).content.decode()

    assert re.search(rf'start={previous}&amp;tz=UTC" rel="prev"', html)
    assert re.search(rf'start={following}&amp;tz=UTC" rel="next"', html)


@freeze_time(NOW)
def test_an_editor_adds_an_override_through_the_api_services(demo, editor, api_client):
    schedule = demo.schedules["primary"]
    response = editor.post(
        f"/schedules/{schedule.public_id}/overrides/?span=week",
        override_body(demo, end="2026-03-20T18:30", tz="Europe/Berlin"),
    )

    assert response.status_code == 302
    assert response["Location"] == page_url(
        schedule, span="week", start="2026-03-20", tz="Europe/Berlin"
    )
    window = (datetime(2026, 3, 20, tzinfo=UTC), datetime(2026, 3, 21, tzinfo=UTC))
    assert (
        "mia",
        datetime(2026, 3, 20, 9, tzinfo=UTC),
        datetime(2026, 3, 20, 17, 30, tzinfo=UTC),
    ) in (api_rows(api_final_shifts(api_client, schedule, *window)))
    shift = api_client.get(f"{API}/on_call_shifts/?schedule_id={schedule.public_id}").json()
    overrides = [s for s in shift["results"] if s["type"] == "override"]
    assert [(s["start"], s["duration"], s["users"]) for s in overrides][-1] == (
        "2026-03-20T09:00:00",
        30600,
        [demo.people["mia"].public_id],
    )


@freeze_time(NOW)
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"end": "2026-03-20T09:00"}, "The override must end after it starts."),
        ({"end": "2040-03-20T09:00"}, "An override lasts at most 3660 days."),
        ({"start": "yesterday"}, "Enter a valid date/time."),
        ({"tz": "Mars/Olympus"}, "Unknown time zone."),
        ({"user": "UAAAAAAAAAAAA"}, "Select a valid choice."),
    ],
)
def test_a_wrong_override_is_refused_and_nothing_is_written(
    demo, editor, api_client, fields, message
):
    schedule = demo.schedules["primary"]
    before = api_client.get(f"{API}/on_call_shifts/").json()["count"]
    response = editor.post(
        f"/schedules/{schedule.public_id}/overrides/", override_body(demo, **fields)
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert api_client.get(f"{API}/on_call_shifts/").json()["count"] == before


@freeze_time(NOW)
def test_a_viewer_cannot_add_an_override(demo, person, signed_in, api_client):
    viewer = signed_in(person("vera", Role.VIEWER))
    schedule = demo.schedules["primary"]
    before = api_client.get(f"{API}/on_call_shifts/").json()["count"]

    page = viewer.get(page_url(schedule)).content.decode()
    response = viewer.post(f"/schedules/{schedule.public_id}/overrides/", override_body(demo))

    assert "Add override</button>" not in page
    assert "an editor or an admin can add overrides" in page
    assert response.status_code == 403
    assert api_client.get(f"{API}/on_call_shifts/").json()["count"] == before


@freeze_time(NOW)
def test_schedules_that_take_no_overrides_from_the_page(demo, editor, organization):
    plain = schedule_services.schedule_create(
        organization=organization, schedule_type=ScheduleType.CALENDAR, name="No overrides"
    )

    page = editor.get(page_url(plain)).content.decode()
    response = editor.post(f"/schedules/{plain.public_id}/overrides/", {})

    assert "This schedule takes no overrides from this page" in page
    assert response.status_code == 403


@freeze_time(NOW)
def test_another_organizations_schedule_is_not_found(demo, person, signed_in, other_organization):
    outsider = signed_in(person("otto", Role.ADMIN, org=other_organization))

    assert outsider.get(page_url(demo.schedules["primary"])).status_code == 404
    assert (
        outsider.post(f"/schedules/{demo.schedules['primary'].public_id}/overrides/").status_code
        == 404
    )


@freeze_time(NOW)
def test_the_zone_defaults_to_the_browsers_then_the_users(demo, person, signed_in):
    client = signed_in(person("tina", Role.EDITOR, timezone="Asia/Tokyo"))
    url = page_url(demo.schedules["primary"])

    guessed = client.get(url).content.decode()
    client.cookies["tz"] = "America/Chicago"
    from_browser = client.get(url).content.decode()
    client.cookies["tz"] = "Not/AZone"
    bad_cookie = client.get(url).content.decode()

    assert 'data-zone="Asia/Tokyo"' in guessed
    assert '<html lang="en" data-zone="guessed">' in guessed
    assert 'data-zone="America/Chicago"' in from_browser
    assert '<html lang="en">' in from_browser
    assert 'data-zone="Asia/Tokyo"' in bad_cookie
