"""Django's PostgreSQL backend, whose check of a kept connection costs no round trip, and which
reads timestamps with psycopg's own loader.

Django checks a kept connection before a request reuses it (CONN_HEALTH_CHECKS) by running
`SELECT 1`: one round trip to the server per request, which under load took as long as the
request's own token lookup. An idle connection has nothing to read, and when the server closes
it (a restart, a terminated backend) its last message and the end of the stream arrive on the
socket. So a socket with nothing to read is healthy, and only one with something to read gets
Django's check, which a closed connection fails.

Django reads every `timestamptz` with a loader of its own, written in Python over psycopg's
Python one (a regular expression per value), so that its datetimes carry the connection's time
zone. With time zone support on and no `TIME_ZONE` for the database, that zone is UTC, which
Django also sets as the session's, and psycopg's own loader (in C when psycopg's C extension is
installed, as in our dependencies) gives the very same datetimes: UTC, with `datetime.UTC`.
Reading a schedule's shifts after a write took a third of the time with it.
"""

import datetime
import select
from typing import cast

import psycopg
from django.db.backends.postgresql import base
from psycopg.abc import AdaptContext, Buffer
from psycopg.adapt import Loader
from psycopg.pq import Format

TIMESTAMPTZ = psycopg.adapters.types["timestamptz"].oid
# psycopg's loader of timestamps as text: its C one when its C extension is installed.
PsycopgTimestamptzLoader = cast(type[Loader], psycopg.adapters.get_loader(TIMESTAMPTZ, Format.TEXT))


class UtcTimestamptzLoader(Loader):
    """psycopg's loader, for a session in UTC, with the `timezone` Django checks each cursor's
    loader for (psycopg's C classes take no subclass and no attribute)."""

    timezone = datetime.UTC

    def __init__(self, oid: int, context: AdaptContext | None = None) -> None:
        super().__init__(oid, context)
        self.psycopg_load = PsycopgTimestamptzLoader(oid, context).load

    def load(self, data: Buffer) -> datetime.datetime:
        return self.psycopg_load(data)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        if self.timezone is datetime.UTC and "context" in params:
            params["context"].register_loader(TIMESTAMPTZ, UtcTimestamptzLoader)
        return params

    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not received_something(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()


def received_something(connection: psycopg.Connection) -> bool:
    """Whether the server sent anything, or closed, since the connection's last answer."""
    try:
        poller = select.poll()
        poller.register(connection.fileno(), select.POLLIN)
    except (OSError, psycopg.Error):
        return True
    return bool(poller.poll(0))
