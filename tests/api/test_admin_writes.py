"""Writes through the Django admin are seen by the very next cached read, as API writes are:
the admin bumps the versions that cached answers are keyed by."""

from html.parser import HTMLParser

import pytest

from shifts.models import OnCallShift
from users.models import User

pytestmark = pytest.mark.django_db

WINDOW = "start_date=2026-03-24&end_date=2026-03-25"


class ChangeForm(HTMLParser):
    """The values an admin change form would submit as rendered: inputs, selected options and
    text areas."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        name = named.get("name")
        if tag == "input" and name and named.get("type") not in ("submit", "button"):
            checkbox = named.get("type") == "checkbox"
            if not checkbox or "checked" in named:
                # A browser sends "on" for a ticked box without a value.
                default = "on" if checkbox else ""
                self.data.setdefault(name, []).append(named.get("value") or default)
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in named:
            self.data.setdefault(self.select, []).append(named.get("value") or "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = [""]

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.data[self.textarea][0] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def submit_change(admin_client, obj, **changes: list[str]) -> None:
    url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
    form = ChangeForm()
    form.feed(admin_client.get(url).content.decode())
    form.data.pop("csrfmiddlewaretoken", None)
    response = admin_client.post(url, {**form.data, **changes, "_save": "Save"})
    assert response.status_code == 302, response.content.decode()[:2000]


def delete_selected(admin_client, obj) -> None:
    url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/"
    body = {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    assert admin_client.post(url, body).status_code == 302


def final_rows(api_client, schedule: dict) -> list[tuple[str, str]]:
    response = api_client.get(f"/api/v1/schedules/{schedule['id']}/final_shifts?{WINDOW}")
    assert response.status_code == 200
    return [(row["user_username"], row["shift_start"]) for row in response.json()["results"]]


ALICE_AND_BOB = [
    ("bob", "2026-03-24T00:00:00Z"),
    ("alice", "2026-03-24T09:00:00Z"),
    ("bob", "2026-03-24T17:00:00Z"),
]


def test_a_shift_edited_in_the_admin_is_seen_by_the_next_read(
    admin_client, api_client, schedule, alice, bob
):
    assert final_rows(api_client, schedule) == ALICE_AND_BOB
    alices_shift = OnCallShift.objects.get(users=alice)
    submit_change(admin_client, alices_shift, users=[str(bob.pk)])
    assert final_rows(api_client, schedule) == [
        ("bob", "2026-03-24T00:00:00Z"),
        ("bob", "2026-03-24T09:00:00Z"),
        ("bob", "2026-03-24T17:00:00Z"),
    ]


def test_a_shift_deleted_in_the_admin_is_gone_from_the_next_read(
    admin_client, api_client, schedule, bob
):
    assert final_rows(api_client, schedule) == ALICE_AND_BOB
    delete_selected(admin_client, OnCallShift.objects.get(users=bob))
    assert final_rows(api_client, schedule) == [("alice", "2026-03-24T09:00:00Z")]


def test_a_user_renamed_in_the_admin_is_seen_by_the_next_read(
    admin_client, api_client, schedule, alice
):
    assert final_rows(api_client, schedule) == ALICE_AND_BOB
    submit_change(admin_client, User.objects.get(pk=alice.pk), username=["alicia"])
    assert final_rows(api_client, schedule) == [
        ("bob", "2026-03-24T00:00:00Z"),
        ("alicia", "2026-03-24T09:00:00Z"),
        ("bob", "2026-03-24T17:00:00Z"),
    ]
