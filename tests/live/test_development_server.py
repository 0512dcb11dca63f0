"""The development server (`./scripts/demo`) on PostgreSQL keeps no database connection beyond
the request that needed it: it serves each client connection on a thread of its own, and 30
clients keeping their connections open (Terraform's -parallelism=30) must not hold 30 database
connections."""

import asyncio
import time

import pytest

from bench.scenarios import Api
from bench.wire import Client
from tests.live.conftest import ON_POSTGRES

pytestmark = pytest.mark.skipif(
    not ON_POSTGRES, reason="PostgreSQL connections: runs with the suite on PostgreSQL"
)

CLIENTS = 30
# A database connection closes after its answer was sent, and the server's process ends a little
# later: the count may take a moment to fall. Generous, as the machine is shared; connections
# kept for the clients' open connections would never go.
PATIENCE = 60.0


def connections_left(count_connections) -> int:
    """The database's connections, once none is left or after PATIENCE seconds."""
    deadline = time.monotonic() + PATIENCE
    while (held := count_connections()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return held


async def requests_then_idle(server, token: str, count_connections) -> tuple[list[int], int]:
    """Each client sends a few requests and keeps its connection open; the database's
    connections are counted while they are all open and idle."""
    clients = [Client(server.base_url, token) for _ in range(CLIENTS)]

    async def ask(number: int, client: Client) -> list[int]:
        answers = [
            await client.request("GET", "/api/v1/schedules/"),
            await client.request("POST", "/api/v1/teams/", {"name": f"team {number}"}),
            await client.request("GET", "/api/v1/users/current/"),
        ]
        return [answer.status for answer in answers]

    try:
        statuses = await asyncio.gather(*(ask(n, client) for n, client in enumerate(clients)))
        return [status for each in statuses for status in each], connections_left(count_connections)
    finally:
        for client in clients:
            client.close()


def test_idle_client_connections_hold_no_database_connection(private_postgres, databases, serve):
    name = "dev_connections"
    server = serve(databases.new(name), dev=True)
    api = Api(server.base_url, server.bootstrap("parallel"))

    def count_connections() -> int:
        with private_postgres.connect() as connection:
            return connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name]
            ).fetchone()[0]

    statuses, held = asyncio.run(requests_then_idle(server, api.token, count_connections))

    assert sorted(set(statuses)) == [200, 201]
    assert held == 0
