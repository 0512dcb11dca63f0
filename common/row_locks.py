"""Reading again, locked, the row a write found before its transaction."""

from django.shortcuts import get_object_or_404


def read_locked(queryset, found):
    """`found` (an object of `queryset` that the request read before its write's transaction,
    with its 404 and permission checks) read again inside the transaction, its row locked until
    the end: validation and the write see the latest committed state, and two writes of one
    object run one after the other. A row deleted meanwhile is a 404. (SQLite has no row locks;
    its write transactions hold the whole database's write lock.)"""
    return get_object_or_404(queryset.select_for_update(of=("self",)), pk=found.pk)
