"""Basic accessibility of the pages: every control has a label, and every text colour in the
stylesheet reaches 4.5:1 against its background (WCAG AA). Keyboard focus is checked in the
browser (`tests/browser/`)."""

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from freezegun import freeze_time

from users.models import Role

pytestmark = pytest.mark.django_db

CSS = Path(__file__).resolve().parents[2] / "pages" / "static" / "pages" / "pages.css"
PAGE_BACKGROUND = "#ffffff"
HEX = re.compile(r"#[0-9a-fA-F]{6}\b")


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_pairs(css: str) -> list[tuple[str, str, str]]:
    """(selector, text colour, background) for each rule that sets `color`, against every colour
    its background names (a striped one has two), or the page's when it names none."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    pairs = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        declarations = {
            name.strip(): value.strip()
            for name, value in (part.split(":", 1) for part in body.split(";") if ":" in part)
        }
        if "color" not in declarations:
            continue
        backgrounds = [
            colour
            for name, value in declarations.items()
            if name.startswith("background")
            for colour in HEX.findall(value)
        ]
        for background in backgrounds or [PAGE_BACKGROUND]:
            pairs.append((selector.strip(), declarations["color"], background))
    return pairs


def test_the_checker():
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert text_pairs(
        ".a { color: #111111; background-image: linear(#222222 0, #333333 1px) }"
    ) == [
        (".a", "#111111", "#222222"),
        (".a", "#111111", "#333333"),
    ]


def test_text_colours_reach_4_5_to_1():
    pairs = text_pairs(CSS.read_text())

    assert len(pairs) >= 30
    assert all(HEX.fullmatch(colour) for _, colour, _ in pairs)
    weak = [
        (selector, colour, background, round(contrast(colour, background), 2))
        for selector, colour, background in pairs
        if contrast(colour, background) < 4.5
    ]
    assert weak == []


class Controls(HTMLParser):
    """The form controls a person fills in, and the ids that labels name."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict] = []
        self.labelled: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "label" and attributes.get("for"):
            self.labelled.add(attributes["for"])
        hidden = attributes.get("type") in {"hidden", "submit"}
        if tag in {"input", "select", "textarea"} and not hidden:
            self.controls.append(attributes)


def unlabelled(html: str) -> list[dict]:
    parser = Controls()
    parser.feed(html)
    assert parser.controls
    return [
        control
        for control in parser.controls
        if control.get("id") not in parser.labelled and not control.get("aria-label")
    ]


@freeze_time(datetime(2026, 3, 18, 12, tzinfo=UTC))
def test_every_control_has_a_label(demo, person, signed_in, client):
    sign_in_page = client.get("/sign-in/").content.decode()
    editor = signed_in(person("eddie", Role.EDITOR))
    schedule = demo.schedules["primary"].public_id
    pages = [
        sign_in_page,
        editor.get("/schedules/").content.decode(),
        editor.get(f"/schedules/{schedule}/").content.decode(),
        editor.post("/my-shifts/").content.decode(),
    ]

    assert [unlabelled(page) for page in pages] == [[], [], [], []]
