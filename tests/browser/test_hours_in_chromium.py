"""The hours page in Chromium: the report opens on this month in the browser's zone, its table
is the API's report, and the CSV it downloads is the API's CSV, byte for byte."""

from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from pages.demo import demo_fill
from tests.browser.conftest import PAGE_WAIT_SECONDS, wait_for
from tests.pages.conftest import PASSWORD
from users import services
from users.models import Role


@pytest.fixture
def world(organization):
    demo_fill(organization=organization, today=timezone.now().date())
    vera = services.user_create(
        organization=organization,
        username="vera",
        email="vera@example.com",
        role=Role.VIEWER,
        password=PASSWORD,
    )
    _, token = services.api_token_create(user=vera, name="browser test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=token)
    return vera, client


def downloaded(browser) -> Path:
    """The one finished download of the browser, once Chromium has written it."""

    def finished(driver) -> Path | bool:
        # Chromium writes a download to a hidden temporary file first, then to `.crdownload`.
        files = [
            path
            for path in driver.download_dir.iterdir()
            if not path.name.startswith(".") and not path.name.endswith(".crdownload")
        ]
        return files[0] if files else False

    return WebDriverWait(browser, PAGE_WAIT_SECONDS, poll_frequency=0.2).until(finished)


def test_the_report_and_its_csv_are_the_apis(world, sign_in_browser, live_server):
    vera, api = world
    browser = sign_in_browser(vera)
    browser.get(f"{live_server.url}/hours/")
    # The browser's zone is the default once zone.js has told the service (it draws once more).
    WebDriverWait(browser, PAGE_WAIT_SECONDS).until(
        lambda driver: (
            Select(driver.find_element(By.ID, "id_time_zone")).first_selected_option.text
            == "America/New_York"
        )
    )
    form = {
        "start_date": wait_for(browser, "#id_start_date").get_attribute("value"),
        "end_date": browser.find_element(By.ID, "id_end_date").get_attribute("value"),
        "time_zone": "America/New_York",
    }
    chosen = [
        box.get_attribute("value")
        for box in browser.find_elements(By.CSS_SELECTOR, "input[name=schedule_ids]:checked")
    ]
    this_month = timezone.now().astimezone(ZoneInfo("America/New_York")).date().replace(day=1)
    assert form["start_date"] == this_month.isoformat()
    query = urlencode({**form, "schedule_ids": ",".join(chosen)})
    report = api.get(f"/api/v1/schedules/hours?{query}").json()

    shown = [
        [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "th, td")]
        for row in browser.find_elements(By.CSS_SELECTOR, "table.hours tbody tr")
    ]
    assert len(chosen) == len(report["schedules"]) >= 3
    assert shown == [
        [
            user["username"],
            user["email"],
            *(f"{user['hours'][kind]:.2f}" for kind in ("total", "weekday", "weekend", "night")),
        ]
        for user in report["users"]
    ]

    browser.find_element(By.LINK_TEXT, "Download CSV").click()
    csv_file = downloaded(browser)

    api_csv = api.get(f"/api/v1/schedules/hours?{query}", HTTP_ACCEPT="text/csv")
    assert csv_file.name == api_csv["Content-Disposition"].split('filename="')[1].rstrip('"')
    assert csv_file.read_bytes() == api_csv.content
