"""`values_list` querysets over a list of ids, compiled to SQL once per number of ids.

Building and compiling a queryset costs more than running it on the timelines' hot path: the
query of a schedule's shifts (twenty fields through a join) took about 1 ms to build and compile
and a fraction of that to run, on every first read after a write. `CompiledValues` builds the
queryset once per number of ids, keeps its SQL and the ORM's converters of its columns, and then
runs the SQL with the ids alone, converting the values as the ORM does.

`rows_of_each` runs several of them in one round trip to PostgreSQL (psycopg's pipeline mode):
the first read after a write reads a schedule's shifts and its swaps, and waiting for the
server twice cost more than either query's own work.
"""

import threading
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from psycopg import capabilities

from common.rows import converted_values

# Queries over more ids than this are built each time (a few compiled forms per query is all the
# hot reads need: one schedule, a page of them).
MOST_IDS_KEPT = 64


@dataclass(frozen=True, slots=True)
class Compiled:
    """The SQL of a query, with `%s` for each id, and (position, converters, column) for the
    columns whose values the ORM converts."""

    sql: str
    converters: tuple[tuple[int, tuple[Callable, ...], Any], ...]

    def converted(self, rows: list[tuple[Any, ...]], connection: Any) -> list[tuple[Any, ...]]:
        """`rows` as read, with the values the ORM converts converted."""
        if not self.converters:
            return rows
        return [tuple(converted_values(row, self.converters, connection)) for row in rows]


class CompiledValues:
    """The rows of `query(ids)`, a `values_list` queryset whose only parameters are `ids`, in
    their order (checked when it is compiled)."""

    def __init__(self, query: Callable[[list[int]], QuerySet]) -> None:
        self.query = query
        self.compiled: dict[tuple[str, int], Compiled] = {}
        self.lock = threading.Lock()

    def rows(self, ids: Sequence[int]) -> list[tuple[Any, ...]]:
        if not ids:
            return []
        connection = connections[DEFAULT_DB_ALIAS]
        compiled = self.compiled_for(connection.vendor, len(ids))
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, list(ids))
            return compiled.converted(cursor.fetchall(), connection)

    def compiled_for(self, vendor: str, count: int) -> Compiled:
        found = self.compiled.get((vendor, count))
        if found is None:
            found = self.compile(count)
            if count <= MOST_IDS_KEPT:
                with self.lock:
                    self.compiled[vendor, count] = found
        return found

    def compile(self, count: int) -> Compiled:
        # Ids no row has, so that a parameter that is not one of them shows.
        placeholders = list(range(-1, -count - 1, -1))
        compiler = self.query(placeholders).query.get_compiler(DEFAULT_DB_ALIAS)
        sql, params = compiler.as_sql()
        if list(params) != placeholders:
            raise ValueError(f"a compiled query takes its ids as its only parameters: {params}")
        fields = [selected[0] for selected in compiler.select[: compiler.col_count]]
        return Compiled(
            sql=sql,
            converters=tuple(
                (position, tuple(functions), column)
                for position, (functions, column) in compiler.get_converters(fields).items()
            ),
        )


def rows_of_each(queries: Sequence[tuple[CompiledValues, Sequence[int]]]) -> list[list[tuple]]:
    """`query.rows(ids)` for each (query, ids), in order: sent together and read in one round
    trip on PostgreSQL, one after the other on other databases."""
    connection = connections[DEFAULT_DB_ALIAS]
    to_run = [(query, ids) for query, ids in queries if ids]
    # Pipeline mode needs libpq 14 or later (psycopg's binary package brings its own).
    if connection.vendor != "postgresql" or len(to_run) < 2 or not capabilities.has_pipeline():
        return [query.rows(ids) for query, ids in queries]
    connection.ensure_connection()
    compiled = [query.compiled_for(connection.vendor, len(ids)) for query, ids in to_run]
    with ExitStack() as cursors_open:
        cursors = [cursors_open.enter_context(connection.cursor()) for _ in to_run]
        # Leaving the pipeline sends the queries' sync and reads every answer.
        with connection.connection.pipeline():
            for cursor, form, (_, ids) in zip(cursors, compiled, to_run, strict=True):
                cursor.execute(form.sql, list(ids))
        read = iter(
            [
                form.converted(cursor.fetchall(), connection)
                for cursor, form in zip(cursors, compiled, strict=True)
            ]
        )
    return [next(read) if ids else [] for _, ids in queries]
