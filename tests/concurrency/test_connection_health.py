"""A kept PostgreSQL connection is checked before a request reuses it, without a round trip
while it is healthy, and closed (to be opened again) once the server has closed it."""

import select
from unittest import mock

import psycopg
import pytest
from django.db import connection

from common.postgresql.base import DatabaseWrapper

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL connections (set DATABASE_URL)"
    ),
]


def checked() -> None:
    """What Django does before a request reuses the connection."""
    connection.health_check_done = False
    connection.close_if_health_check_failed()


def test_a_healthy_connection_is_checked_without_a_query():
    connection.ensure_connection()
    with mock.patch.object(DatabaseWrapper, "is_usable", autospec=True) as queried:
        checked()

    assert queried.call_count == 0
    assert connection.connection is not None
    assert connection.health_check_done


def test_a_connection_the_server_closed_is_closed_then_opened_again():
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    # The backend ends asynchronously: wait for its goodbye to reach the socket.
    arrived = select.poll()
    arrived.register(connection.connection.fileno(), select.POLLIN)
    assert arrived.poll(30_000)

    checked()

    assert connection.connection is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
