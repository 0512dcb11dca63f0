"""Keyboard use of the pages in Chromium: Tab reaches the skip link first, then every control and
every block of the timeline, each drawn with a visible focus ring; a focused block shows who,
from and to."""

import json

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.conftest import wait_for
from tests.browser.test_pages_in_chromium import world  # noqa: F401 (a fixture)
from users.models import Role

FOCUS_STYLE = """const el = document.activeElement;
const style = getComputedStyle(el);
return {
  tag: el.tagName.toLowerCase(),
  classes: el.className,
  outline: style.outlineStyle,
  width: parseFloat(style.outlineWidth),
  after: getComputedStyle(el, "::after").content,
  tip: el.dataset ? el.dataset.tip || "" : "",
};"""


def test_tab_reaches_everything_with_a_visible_focus(world, sign_in_browser, live_server):  # noqa: F811
    demo, people, _ = world
    browser = sign_in_browser(people[Role.EDITOR])
    schedule = demo.schedules["follow_the_sun"]
    browser.get(f"{live_server.url}/schedules/{schedule.public_id}/?span=day")
    wait_for(browser, ".timeline")
    blocks = len(browser.find_elements(By.CSS_SELECTOR, ".block"))

    focused = []
    for _ in range(blocks + 40):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        focused.append(browser.execute_script(FOCUS_STYLE))

    assert "skip" in focused[0]["classes"]
    assert {item["tag"] for item in focused} >= {"a", "button", "select", "input", "span"}
    assert len([item for item in focused if "block" in item["classes"]]) == blocks
    on_the_page = [item for item in focused if item["tag"] != "body"]
    assert [item for item in on_the_page if item["outline"] == "none" or item["width"] < 2] == []
    tips = [item for item in focused if "block" in item["classes"]]
    assert all(item["after"] == json.dumps(item["tip"]) for item in tips)
