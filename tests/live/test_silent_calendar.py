"""A calendar server that accepts the connection and never answers: saving a schedule that reads
it ends within the HTTP timeout, and meanwhile every other request, reads and writes of the same
organization and of another, is answered (no write lock is held while the download waits)."""

import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.scenarios import Api

HTTP_TIMEOUT = 6


class SilentServer:
    """Accepts connections on 127.0.0.1 and never reads or writes on them."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/calendar.ics"
        self.accepted: list[socket.socket] = []
        self.connected = threading.Event()
        self.thread = threading.Thread(target=self.accept, daemon=True)

    def accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.accepted.append(connection)
            self.connected.set()

    def __enter__(self) -> "SilentServer":
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.listener.close()
        for connection in self.accepted:
            connection.close()


@pytest.fixture(scope="module")
def apis(databases, serve) -> tuple[Api, Api]:
    server = serve(
        databases.new("silent_calendar"),
        HTTP_TIMEOUT=str(HTTP_TIMEOUT),
        # The calendar server is on loopback, which the SSRF guard refuses otherwise.
        ICAL_ALLOWED_HOSTS="127.0.0.1",
    )
    return (
        Api(server.base_url, server.bootstrap("silent")),
        Api(server.base_url, server.bootstrap("bystander")),
    )


def meanwhile(api: Api, other: Api, name: str) -> list[int]:
    """Writes and reads of both organizations."""
    shift = {"type": "single_event", "start": "2030-01-01T00:00:00", "duration": 3600}
    return [
        api.session.post(api.url("teams/"), json={"name": f"{name} team"}, timeout=60),
        other.session.post(other.url("teams/"), json={"name": f"{name} team"}, timeout=60),
        api.session.post(api.url("on_call_shifts/"), json={"name": name, **shift}, timeout=60),
        other.session.post(other.url("on_call_shifts/"), json={"name": name, **shift}, timeout=60),
        api.session.get(api.url("schedules/"), timeout=60),
        other.session.get(other.url("teams/"), timeout=60),
    ]


@pytest.mark.parametrize(
    ("schedule_type", "url_field", "saved"),
    [("ical", "ical_url_primary", 400)],
)
def test_a_save_waits_at_most_the_http_timeout_and_blocks_nobody(
    apis, schedule_type, url_field, saved
):
    api, other = apis
    with SilentServer() as calendar, ThreadPoolExecutor(1) as pool:
        body = {"name": schedule_type, "type": schedule_type, "time_zone": "UTC"}
        save = pool.submit(
            api.session.post,
            api.url("schedules/"),
            json={**body, url_field: calendar.url},
            timeout=10 * HTTP_TIMEOUT,
        )
        assert calendar.connected.wait(timeout=60)

        answers = meanwhile(api, other, schedule_type)
        still_waiting = not save.done()
        response = save.result()

    assert [answer.status_code for answer in answers] == [201, 201, 201, 201, 200, 200]
    assert still_waiting
    assert response.status_code == saved, response.text
