"""The pages in a real browser: Debian's Chromium, headless, driven by Selenium through
Debian's chromedriver against a live server (no browser is downloaded at test time; CI installs
the two packages when they are missing). Without them the tests are skipped, saying why.

`browser` is one Chromium per test module, with a fresh profile and a download directory of
its own (`browser.download_dir`), for tests that download files (the hours report's CSV)."""

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import WebDriverWait

from tests.pages.conftest import PASSWORD
from users.models import User

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)
# How long a page may take to appear on a loaded machine (a wait, not a timed assertion).
PAGE_WAIT_SECONDS = 60


def chromium(zone: str, download_dir: Path, profile: Path) -> WebDriver:
    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.binary_location = CHROMIUM or ""
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(download_dir), "download.prompt_for_download": False},
    )
    # Chromium takes its time zone from TZ: the page's default zone is the browser's.
    service = Service(CHROMEDRIVER or "", env={"TZ": zone, "PATH": "/usr/bin:/bin"})
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(PAGE_WAIT_SECONDS)
    return driver


@pytest.fixture(scope="module")
def browser_zone() -> str:
    """The time zone Chromium runs in; a module may override it."""
    return "America/New_York"


@pytest.fixture(scope="module")
def browser(browser_zone) -> Iterator[WebDriver]:
    if not CHROMIUM or not CHROMEDRIVER:
        pytest.skip(
            "Chromium or chromedriver is not installed (apt-get install chromium chromium-driver)"
        )
    with tempfile.TemporaryDirectory() as home:
        download_dir = Path(home, "downloads")
        download_dir.mkdir()
        driver = chromium(browser_zone, download_dir, Path(home, "profile"))
        driver.download_dir = download_dir
        try:
            yield driver
        finally:
            driver.quit()


def wait_for(browser: WebDriver, css: str):
    return WebDriverWait(browser, PAGE_WAIT_SECONDS).until(
        lambda driver: driver.find_element(By.CSS_SELECTOR, css)
    )


def follow(browser: WebDriver, element) -> None:
    """Click a link or submit button and wait until the browser has left the page it was on:
    an element found right after the click may still belong to the old page."""
    page = browser.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(browser, PAGE_WAIT_SECONDS).until(staleness_of(page))


@pytest.fixture
def sign_in_browser(browser, live_server) -> Callable[[User], WebDriver]:
    """Sign `user` in through the form (after signing out whoever was in)."""

    def sign_in(user: User, password: str = PASSWORD) -> WebDriver:
        browser.delete_all_cookies()
        browser.get(f"{live_server.url}/")
        wait_for(browser, "#id_username").send_keys(user.username)
        browser.find_element(By.ID, "id_password").send_keys(password)
        follow(browser, browser.find_element(By.CSS_SELECTOR, "form.sign-in button[type=submit]"))
        wait_for(browser, "h1")
        return browser

    return sign_in
