"""Transactions that retry when they lose a race against a concurrent one."""

from django.db import DatabaseError, IntegrityError, transaction

# PostgreSQL's "deadlock detected" and "could not serialize access": the transaction was
# rolled back whole and may simply run again.
RETRYABLE_SQLSTATES = {"40P01", "40001"}
ATTEMPTS = 3


def lost_a_race(exc: DatabaseError) -> bool:
    return isinstance(exc, IntegrityError) or (
        getattr(exc.__cause__, "sqlstate", None) in RETRYABLE_SQLSTATES
    )


def write_in_transaction(operation):
    """Run `operation` in one transaction. If it lost a race against a concurrent request
    (a unique name taken or a referenced row deleted: IntegrityError, on PostgreSQL often only
    at COMMIT; or a deadlock between row locks), run it again from the start: validation then
    sees the winner's rows and answers the usual 400 field error, or the write goes through."""
    for _ in range(ATTEMPTS - 1):
        try:
            with transaction.atomic():
                return operation()
        except DatabaseError as exc:
            if not lost_a_race(exc):
                raise
    with transaction.atomic():
        return operation()
