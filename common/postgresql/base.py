"""Django's PostgreSQL backend, whose check of a kept connection costs no round trip.

Django checks a kept connection before a request reuses it (CONN_HEALTH_CHECKS) by running
`SELECT 1`: one round trip to the server per request, which under load took as long as the
request's own token lookup. An idle connection has nothing to read, and when the server closes
it (a restart, a terminated backend) its last message and the end of the stream arrive on the
socket. So a socket with nothing to read is healthy, and only one with something to read gets
Django's check, which a closed connection fails.
"""

import select

import psycopg
from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
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
