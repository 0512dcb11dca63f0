"""Transactions that retry when they lose a race against a concurrent one, and that take their
turn for SQLite's single write lock."""

import threading
from contextlib import contextmanager

from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction

# Errors after which the transaction was rolled back whole and may simply run again.
# PostgreSQL: "deadlock detected" and "could not serialize access".
RETRYABLE_SQLSTATES = {"40P01", "40001"}
# SQLite: "database is locked" (SQLITE_BUSY, whatever its extended code) and "database table is
# locked" (SQLITE_LOCKED). A transaction begins by taking the write lock (see the settings), so
# this comes at BEGIN, after waiting SQLITE_BUSY_TIMEOUT for it, before anything was written.
RETRYABLE_SQLITE_CODES = {5, 6}
ATTEMPTS = 3


def lost_a_race(exc: DatabaseError) -> bool:
    cause = exc.__cause__
    return (
        isinstance(exc, IntegrityError)
        or getattr(cause, "sqlstate", None) in RETRYABLE_SQLSTATES
        or (getattr(cause, "sqlite_errorcode", -1) & 0xFF) in RETRYABLE_SQLITE_CODES
    )


# SQLite lets one transaction write at a time, and the others poll for its lock until the busy
# timeout: with many writers, a poller can keep losing until it fails. A thread of this process
# waits here for its turn instead, and polls SQLite only against other processes' writers.
# PostgreSQL queues for its row locks itself.
sqlite_writer = threading.Lock()


@contextmanager
def writer_turn():
    if connection.vendor != "sqlite":
        yield
        return
    # As long as all attempts at SQLite's lock may take.
    wait = connection.settings_dict["OPTIONS"].get("timeout", 5) * ATTEMPTS
    if not sqlite_writer.acquire(timeout=wait):
        raise OperationalError("database is locked: no turn to write")
    try:
        yield
    finally:
        sqlite_writer.release()


def write_in_transaction(operation):
    """Run `operation` in one transaction. If it lost a race against a concurrent request
    (a unique name taken or a referenced row deleted: IntegrityError, on PostgreSQL often only
    at COMMIT; a deadlock between row locks; SQLite's write lock still taken after the busy
    timeout), run it again from the start: validation then sees the winner's rows and answers
    the usual 400 field error, or the write goes through. A write that still cannot run raises
    the database's OperationalError, which the API answers with a 503."""
    with writer_turn():
        for _ in range(ATTEMPTS - 1):
            try:
                with transaction.atomic():
                    return operation()
            except DatabaseError as exc:
                if not lost_a_race(exc):
                    raise
        with transaction.atomic():
            return operation()


class CallInsideTransaction(RuntimeError):
    """An outbound call (a download, a webhook delivery, a Slack call) was about to start while
    a transaction, and perhaps the organization's write lock, was held: a slow server would
    hold every other writer back (docs/concurrency.md#nothing-remote-inside-a-transaction)."""


def in_transaction() -> bool:
    """Whether this thread's connection is inside a transaction the code opened; the wrapping
    transaction of a test case (which the test suite opens around each test) does not count."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def refuse_inside_transaction(what: str) -> None:
    if in_transaction():
        raise CallInsideTransaction(f"{what} inside a database transaction")
