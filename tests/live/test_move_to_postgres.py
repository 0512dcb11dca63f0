"""An installation outgrows one machine: the README's move from SQLite to PostgreSQL (dump,
migrate, load), run as written on a populated database, changes no answer of the API.

The test fills an SQLite database through the API (two organizations; users of every role,
teams, API and export tokens, shifts of every type, schedules of every type, one reading a
calendar feed), records every answer a client can get, moves the data with the commands of the
README's Deployment section, serves the PostgreSQL copy and records again with the same tokens.
"""

import re
import shlex
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from bench.scenarios import Api, wall
from bench.server import ROOT, Server
from tests.live.conftest import ON_POSTGRES

pytestmark = pytest.mark.skipif(
    not ON_POSTGRES, reason="a move to PostgreSQL: runs with the suite on PostgreSQL"
)

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
FEED_PATH = "/team.ics"


def move_commands() -> list[list[str]]:
    """The `manage.py` commands of the README's move, without their DATABASE_URL."""
    readme = (ROOT / "README.md").read_text()
    block = next(
        block for block in re.findall(r"```sh\n(.*?)```", readme, re.S) if "dumpdata" in block
    )
    commands = []
    for line in block.replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        if "manage.py" in words:
            commands.append(words[words.index("manage.py") + 1 :])
    return commands


def run_move(source: Server, target: Server, dump: Path) -> list[str]:
    """Each command runs against the database its README line names; returns their names."""
    ran = []
    for command in move_commands():
        arguments = [str(dump) if word == dump.name else word for word in command]
        server = source if command[0] == "dumpdata" else target
        server.manage(*arguments)
        ran.append(command[0])
    return ran


def feed(start: datetime, username: str) -> str:
    events = "".join(
        "BEGIN:VEVENT\r\n"
        f"UID:feed-{day}\r\n"
        f"DTSTART:{start + day * DAY:%Y%m%dT%H%M%SZ}\r\n"
        f"DTEND:{start + day * DAY + 6 * HOUR:%Y%m%dT%H%M%SZ}\r\n"
        f"SUMMARY:{username}\r\n"
        "END:VEVENT\r\n"
        for day in range(-3, 10)
    )
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{events}END:VCALENDAR\r\n"


def populate(admin: Api, other: Api, feed_url: str, hour: datetime) -> dict:
    """Everything the API can hold; returns the tokens and export URLs to read it back with.

    Every hand-over falls two hours from the hour of `hour` (the test's now), so that nothing
    changes hands while the test runs."""
    sre = admin.post("teams/", {"name": "SRE"})["id"]
    admin.post("teams/", {"name": "DBA", "email": "dba@example.com"})
    alice = admin.post(
        "users/",
        {
            "username": "alice",
            "email": "alice@example.com",
            "role": "editor",
            "timezone": "Europe/Berlin",
            "phone_number": "+4915112345678",
            "teams": [sre],
            "slack": {"user_id": "UALICE", "team_id": "TACME"},
        },
    )["id"]
    bob = admin.post(
        "users/",
        {
            "username": "bob",
            "email": "bob@example.com",
            "phone_number": "+15550100",
            "hide_phone_number": True,
        },
    )["id"]
    vic = admin.post("users/", {"username": "vic", "email": "vic@example.com", "role": "viewer"})[
        "id"
    ]
    gone = admin.post("users/", {"username": "gone", "email": "gone@example.com"})["id"]
    handover = hour + 2 * HOUR
    rotation = admin.post(
        "on_call_shifts/",
        {
            "name": "weekly",
            "type": "rolling_users",
            "time_zone": "Europe/Berlin",
            "start": wall(handover - 14 * DAY),
            "rotation_start": wall(handover - 14 * DAY),
            "duration": int((7 * DAY).total_seconds()),
            "frequency": "weekly",
            "interval": 1,
            "week_start": "MO",
            "rolling_users": [[alice], [bob]],
            "start_rotation_from_user_index": 0,
            "team_id": sre,
        },
    )["id"]
    daily = admin.post(
        "on_call_shifts/",
        {
            "name": "days",
            "type": "recurrent_event",
            "level": 1,
            "start": wall(handover - 10 * DAY),
            "duration": int((20 * HOUR).total_seconds()),
            "frequency": "daily",
            "by_day": ["MO", "TU", "WE", "TH", "FR"],
            "users": [alice],
        },
    )["id"]
    override = admin.post(
        "on_call_shifts/",
        {
            "name": "cover",
            "type": "override",
            "start": wall(handover + 2 * HOUR),
            "duration": 7200,
            "users": [bob],
        },
    )["id"]
    single = admin.post(
        "on_call_shifts/",
        {
            "name": "once",
            "type": "single_event",
            "start": wall(handover + DAY),
            "duration": 3600,
            "users": [alice, gone],
        },
    )["id"]
    calendar = admin.post(
        "schedules/",
        {
            "name": "Primary",
            "type": "calendar",
            "time_zone": "Europe/Berlin",
            "team_id": sre,
            "enable_web_overrides": True,
            "shifts": [rotation, daily, override],
            "slack": {"channel_id": "C123", "user_group_id": "S456"},
        },
    )["id"]
    admin.post("schedules/", {"name": "Web", "type": "web", "time_zone": "UTC", "shifts": [single]})
    admin.post("schedules/", {"name": "Feed", "type": "ical", "ical_url_primary": feed_url})
    response = admin.session.delete(admin.url(f"users/{gone}/"), timeout=60)
    assert response.status_code == 204, response.text
    tokens = {
        "admin": admin.token,
        "alice": admin.post("tokens/", {"name": "alice's", "user_id": alice})["token"],
        "bob": admin.post("tokens/", {"name": "bob's", "user_id": bob})["token"],
        "vic": admin.post("tokens/", {"name": "vic's", "user_id": vic})["token"],
        "other": other.token,
    }
    revoked = admin.post("tokens/", {"name": "revoked", "user_id": bob})
    admin.session.delete(admin.url(f"tokens/{revoked['id']}/"), timeout=60)
    tokens["revoked"] = revoked["token"]
    exports = [
        admin.session.post(admin.url(f"schedules/{calendar}/export_token/"), timeout=60).json()[
            "export_url"
        ],
        admin.session.post(admin.url(f"users/{alice}/export_token/"), timeout=60).json()[
            "export_url"
        ],
    ]
    other.post("schedules/", {"name": "Globex", "type": "calendar", "time_zone": "UTC"})
    return {"tokens": tokens, "exports": exports}


def every_answer(base_url: str, reading: dict, hour: datetime) -> dict:
    """(status, body) of every GET each token can make, and of the exports."""
    answers = {}
    window = {
        "start_date": f"{hour - 14 * DAY:%Y-%m-%d}",
        "end_date": f"{hour + 14 * DAY:%Y-%m-%d}",
    }

    def get(token: str | None, path: str, params: dict | None = None):
        response = requests.get(
            f"{base_url}/api/v1/{path}",
            params=params,
            headers={"Authorization": token or ""},
            timeout=60,
        )
        body = response.json() if "json" in response.headers["Content-Type"] else response.text
        answers[(token, path, str(params))] = (response.status_code, body)
        return body

    for token in reading["tokens"].values():
        get(token, "users/current/")
        for resource in ("users", "teams", "on_call_shifts", "schedules", "tokens"):
            listed = get(token, f"{resource}/", {"perpage": 100})
            for item in listed.get("results", []) if isinstance(listed, dict) else []:
                get(token, f"{resource}/{item['id']}/")
                if resource == "schedules":
                    schedule = f"schedules/{item['id']}"
                    get(token, f"{schedule}/final_shifts/", window)
                    for action in (
                        "current_oncall",
                        "previous_oncall",
                        "next_oncall",
                        "export_token",
                    ):
                        get(token, f"{schedule}/{action}/")
                if resource == "users":
                    get(token, f"users/{item['id']}/export_token/")
    for url in reading["exports"]:
        text = requests.get(url, timeout=60).text
        # When the calendar was written: the lines that tell the two answers apart.
        answers[url] = re.sub(r"(DTSTAMP|LAST-MODIFIED):\S+", r"\1", text)
    return answers


def on_call_now(answers: dict) -> set[str]:
    """Who the current_oncall answers name (the data must have someone on call)."""
    return {
        user["username"]
        for key, answer in answers.items()
        if isinstance(key, tuple) and key[1].endswith("/current_oncall/") and answer[0] == 200
        for user in answer[1]["users"]
    }


def test_a_move_to_postgresql_changes_no_answer(tmp_path, private_postgres, httpserver):
    sqlite_url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    postgres_url = private_postgres.url("moved")
    with private_postgres.connect() as connection:
        connection.execute("CREATE DATABASE moved")
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    httpserver.expect_request(FEED_PATH).respond_with_data(
        feed(hour + 2 * HOUR, "alice"), content_type="text/calendar"
    )
    env = {"ICAL_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    before = Server(sqlite_url, env=env)
    after = Server(postgres_url, env=env)
    before.migrate()
    before.start(log=tmp_path / "sqlite.log")
    try:
        # Both servers must answer with the same absolute links.
        after.base_url = after.env["BASE_URL"] = before.base_url
        after.port = before.port
        admin = Api(before.base_url, before.bootstrap("acme"))
        other = Api(before.base_url, before.bootstrap("globex"))
        reading = populate(admin, other, httpserver.url_for(FEED_PATH), hour)
        on_sqlite = every_answer(before.base_url, reading, hour)
    finally:
        before.stop()

    assert run_move(before, after, tmp_path / "oncall.xml") == ["dumpdata", "migrate", "loaddata"]

    after.start(log=tmp_path / "postgres.log")
    try:
        on_postgres = every_answer(after.base_url, reading, hour)
        created = Api(after.base_url, reading["tokens"]["admin"]).post("teams/", {"name": "new"})
    finally:
        after.stop()

    assert len(on_sqlite) > 100
    assert on_call_now(on_sqlite) in ({"alice"}, {"bob"})
    assert on_postgres == on_sqlite
    assert created["name"] == "new"
