"""A calendar server that accepts the connection and never answers: saving a schedule that reads
it ends within the HTTP timeout, and meanwhile every other request, reads and writes of the same
organization and of another, is answered (no write lock is held while the download waits).

The two are shown on two servers: one whose HTTP timeout ends the save, and one whose timeout
is longer than any request of the test may take, so that the save is still waiting while the
other requests are answered however slow the machine; the calendar server then hangs up."""

import socket
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from bench.scenarios import Api

HTTP_TIMEOUT = 6
PATIENT_HTTP_TIMEOUT = 600


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

    def hang_up(self) -> None:
        self.listener.close()
        for connection in self.accepted:
            connection.close()

    def __exit__(self, *exc_info) -> None:
        self.hang_up()


@pytest.fixture(scope="module")
def served(databases, serve) -> Callable[[int], tuple[Api, Api]]:
    """`served(http_timeout)`: (an organization's API, another organization's API) on a server
    whose downloads give up after `http_timeout` seconds."""

    def apis(http_timeout: int) -> tuple[Api, Api]:
        server = serve(
            databases.new(f"silent_calendar_{http_timeout}"),
            HTTP_TIMEOUT=str(http_timeout),
            # The calendar server is on loopback, which the SSRF guard refuses otherwise.
            ICAL_ALLOWED_HOSTS="127.0.0.1",
        )
        return (
            Api(server.base_url, server.bootstrap("silent")),
            Api(server.base_url, server.bootstrap("bystander")),
        )

    return apis


def saving(pool: ThreadPoolExecutor, api: Api, calendar: SilentServer, timeout: float) -> Future:
    """An `ical` schedule reading `calendar`, being saved (once the calendar server has been
    reached)."""
    body = {"name": "ical", "type": "ical", "ical_url_primary": calendar.url}
    save = pool.submit(api.session.post, api.url("schedules/"), json=body, timeout=timeout)
    assert calendar.connected.wait(timeout=60)
    return save


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


def test_a_save_ends_within_the_http_timeout(served):
    api, _ = served(HTTP_TIMEOUT)
    with SilentServer() as calendar, ThreadPoolExecutor(1) as pool:
        # The bound is the server's: the client would wait ten times longer.
        response = saving(pool, api, calendar, timeout=10 * HTTP_TIMEOUT).result()

    assert response.status_code == 400, response.text
    assert response.json() == {"ical_url_primary": ["Ical download failed"]}


def test_a_waiting_save_blocks_nobody(served):
    api, other = served(PATIENT_HTTP_TIMEOUT)
    with SilentServer() as calendar, ThreadPoolExecutor(1) as pool:
        save = saving(pool, api, calendar, timeout=2 * PATIENT_HTTP_TIMEOUT)

        answers = meanwhile(api, other, "bystander")
        still_waiting = not save.done()
        calendar.hang_up()
        response = save.result()

    assert [answer.status_code for answer in answers] == [201, 201, 201, 201, 200, 200]
    assert still_waiting
    assert response.status_code == 400, response.text
    assert "ical" not in [schedule["name"] for schedule in api.get("schedules/").json()["results"]]
