"""The pages in Chromium: sign in, open a schedule, the timeline's names and times are
`final_shifts`', a week on, an editor adds an override and sees it, a viewer cannot; the
browser's zone is the default; nothing is loaded from outside the service."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from pages.demo import demo_fill
from tests.browser.conftest import follow, wait_for
from tests.pages.conftest import PASSWORD
from tests.pages.helpers import api_rows
from users import services
from users.models import Role

API = "/api/v1"
NEW_YORK = ZoneInfo("America/New_York")
WEEK = timedelta(days=7)


@pytest.fixture
def world(organization):
    demo = demo_fill(organization=organization, today=timezone.now().date())
    people = {
        role: services.user_create(
            organization=organization,
            username=name,
            email=f"{name}@example.com",
            role=role,
            password=PASSWORD,
        )
        for name, role in (("eddie", Role.EDITOR), ("vera", Role.VIEWER), ("ada", Role.ADMIN))
    }
    _, token = services.api_token_create(user=people[Role.ADMIN], name="browser test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=token)
    return demo, people, client


def final_shifts(client, schedule, start: datetime, end: datetime) -> list[tuple]:
    query = f"start_date={start:%Y-%m-%dT%H:%M}&end_date={end:%Y-%m-%dT%H:%M}"
    return api_rows(client.get(f"{API}/schedules/{schedule.public_id}/final_shifts?{query}").json())


def shown_final_rows(browser) -> list[tuple]:
    """The final row's blocks as the browser has them: one row per user, as final_shifts."""
    rows = []
    for block in browser.find_elements(By.CSS_SELECTOR, "[data-row=final] .block.shift"):
        start = datetime.fromisoformat(block.get_attribute("data-start"))
        end = datetime.fromisoformat(block.get_attribute("data-end"))
        rows += [(user, start, end) for user in block.get_attribute("data-users").split(",")]
    return sorted(rows, key=lambda row: (row[1], row[0]))


def shown_window(browser) -> tuple[datetime, datetime]:
    timeline = wait_for(browser, ".timeline")
    return (
        datetime.fromisoformat(timeline.get_attribute("data-window-start")),
        datetime.fromisoformat(timeline.get_attribute("data-window-end")),
    )


def local(instant: datetime, zone) -> str:
    moment = instant.astimezone(zone)
    return f"{moment:%a} {moment.day} {moment:%b %Y %H:%M}"


def test_sign_in_open_a_schedule_and_read_final_shifts_on_the_timeline(
    world, sign_in_browser, live_server
):
    demo, people, client = world
    browser = sign_in_browser(people[Role.EDITOR])
    schedule = demo.schedules["follow_the_sun"]

    follow(browser, browser.find_element(By.LINK_TEXT, schedule.name))
    wait_for(browser, ".timeline")
    # The browser runs in New York: the page shows times there unless told otherwise.
    assert wait_for(browser, ".timeline").get_attribute("data-zone") == "America/New_York"
    start, end = shown_window(browser)
    expected = final_shifts(client, schedule, start, end)
    assert expected
    assert shown_final_rows(browser) == expected
    inside = [
        block
        for block in browser.find_elements(By.CSS_SELECTOR, "[data-row=final] .block.shift")
        if block.get_attribute("data-start") != start.isoformat()
        and block.get_attribute("data-end") != end.isoformat()
    ]
    for block in inside:
        block_start = datetime.fromisoformat(block.get_attribute("data-start"))
        block_end = datetime.fromisoformat(block.get_attribute("data-end"))
        assert block.get_attribute("title") == (
            f"{block.text}: {local(block_start, NEW_YORK)} to {local(block_end, NEW_YORK)}"
        )
    assert inside

    follow(browser, browser.find_element(By.CSS_SELECTOR, "a[rel=next]"))
    next_start, next_end = shown_window(browser)
    assert next_start.astimezone(NEW_YORK).date() - start.astimezone(NEW_YORK).date() == WEEK
    assert shown_final_rows(browser) == final_shifts(client, schedule, next_start, next_end)


def set_value(browser, element_id: str, value: str) -> None:
    """Type into a date-time field whatever the browser's locale shows it as."""
    field = browser.find_element(By.ID, element_id)
    browser.execute_script("arguments[0].value = arguments[1]", field, value)


def test_an_editor_adds_an_override_and_sees_it(world, sign_in_browser, live_server):
    demo, people, client = world
    browser = sign_in_browser(people[Role.EDITOR])
    schedule = demo.schedules["follow_the_sun"]
    friday = timezone.now().astimezone(NEW_YORK).date() + timedelta(days=7)
    friday += timedelta(days=(4 - friday.weekday()) % 7)
    browser.get(f"{live_server.url}/schedules/{schedule.public_id}/")

    Select(wait_for(browser, "#id_user")).select_by_visible_text("sofia")
    set_value(browser, "id_start", f"{friday:%Y-%m-%d}T10:00")
    set_value(browser, "id_end", f"{friday:%Y-%m-%d}T14:30")
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.override button[type=submit]"))

    start, end = shown_window(browser)
    begins = datetime.combine(friday, datetime.min.time().replace(hour=10), NEW_YORK)
    ends = begins + timedelta(hours=4, minutes=30)
    assert start <= begins < end
    overrides = browser.find_elements(By.CSS_SELECTOR, "[data-row=overrides] .block")
    assert ("sofia", begins, ends) in [
        (
            block.get_attribute("data-users"),
            datetime.fromisoformat(block.get_attribute("data-start")),
            datetime.fromisoformat(block.get_attribute("data-end")),
        )
        for block in overrides
    ]
    assert ("sofia", begins, ends) in shown_final_rows(browser)
    assert shown_final_rows(browser) == final_shifts(client, schedule, start, end)


def test_a_viewer_cannot_add_an_override(world, sign_in_browser, live_server):
    demo, people, client = world
    browser = sign_in_browser(people[Role.VIEWER])
    schedule = demo.schedules["follow_the_sun"]

    browser.get(f"{live_server.url}/schedules/{schedule.public_id}/")

    assert wait_for(browser, ".timeline")
    assert browser.find_elements(By.CSS_SELECTOR, "form.override") == []
    assert "an editor or an admin can add overrides" in browser.page_source
    # A hand-made form posting anyway is refused.
    browser.execute_script(
        """const form = document.createElement("form");
        form.method = "post";
        form.action = arguments[0];
        const csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
        form.appendChild(csrf.cloneNode());
        document.body.appendChild(form);
        form.submit();""",
        f"/schedules/{schedule.public_id}/overrides/",
    )
    assert "Your role does not allow adding overrides" in wait_for(browser, "[role=alert]").text
    body = client.get(f"{API}/on_call_shifts/?schedule_id={schedule.public_id}").json()
    assert [shift["type"] for shift in body["results"]].count("override") == 1


def test_the_api_docs_load_from_the_service_alone(browser, live_server):
    browser.get(f"{live_server.url}/api/docs/")

    title = wait_for(browser, ".swagger-ui .info .title")
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(entry => entry.name)"
    )

    assert "oncall-schedules" in title.text
    assert resources
    assert [url for url in resources if not url.startswith(live_server.url)] == []
