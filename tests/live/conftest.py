"""Fixtures of the live-server tests: databases of the suite's engine (an SQLite file, or a
database on a private PostgreSQL cluster), private PostgreSQL and Redis servers, and servers
that are stopped even when a test fails."""

import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from psycopg import sql

from bench.server import DevServer, Server
from tests.live.services import PrivatePostgres, PrivateRedis, postgres_bin

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
ENGINE = "postgresql" if ON_POSTGRES else "sqlite"
TEMPLATE = "migrated"


@contextmanager
def running(service):
    """`service` started, and stopped afterwards whatever happens."""
    try:
        service.start()
        yield service
    finally:
        service.stop()


@pytest.fixture(scope="session")
def private_postgres() -> Iterator[PrivatePostgres]:
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
    with running(PrivatePostgres(bin_dir)) as cluster:
        yield cluster


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("no redis-server on this machine")
    with running(PrivateRedis(binary)) as server:
        yield server


class Databases:
    """Migrated databases on one engine, each a copy of one migrated template (migrating takes
    seconds, copying a fraction of that)."""

    def __init__(self, directory: Path, cluster: PrivatePostgres | None) -> None:
        self.directory = directory
        self.cluster = cluster
        self.template: str | None = None

    def url(self, name: str) -> str:
        if self.cluster is None:
            return f"sqlite:///{self.directory / f'{name}.sqlite3'}"
        return self.cluster.url(name)

    def new(self, name: str) -> str:
        if self.template is None:
            self.template = self.url(TEMPLATE)
            if self.cluster is not None:
                self.create(TEMPLATE, sql.SQL(""))
            Server(self.template).migrate()
        if self.cluster is None:
            self.copy_sqlite(name)
        else:
            self.create(name, sql.SQL("TEMPLATE {}").format(sql.Identifier(TEMPLATE)))
        return self.url(name)

    def copy_sqlite(self, name: str) -> None:
        """Through SQLite's backup, which reads the template's write-ahead log too."""
        for leftover in self.directory.glob(f"{name}.sqlite3*"):
            leftover.unlink()
        with (
            closing(sqlite3.connect(self.directory / f"{TEMPLATE}.sqlite3")) as template,
            closing(sqlite3.connect(self.directory / f"{name}.sqlite3")) as copy,
        ):
            template.backup(copy)

    def create(self, name: str, template: sql.Composable) -> None:
        with self.cluster.connect() as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            connection.execute(
                sql.SQL("CREATE DATABASE {} {}").format(sql.Identifier(name), template)
            )


@pytest.fixture(scope="session")
def databases(tmp_path_factory, request) -> Databases:
    """Databases of the suite's engine: SQLite files, or databases on the private cluster."""
    cluster = request.getfixturevalue("private_postgres") if ON_POSTGRES else None
    return Databases(tmp_path_factory.mktemp("live-databases"), cluster)


@pytest.fixture(scope="module")
def serve(tmp_path_factory) -> Iterator[Callable[..., Server]]:
    """`serve(database_url, dev=False, **env)`: a started server (gunicorn as in the Docker
    image, or the development server as `./scripts/demo` runs it), stopped after the module's
    tests. Its output goes to a file, whose tail pytest shows when the teardown fails."""
    tmp_path = tmp_path_factory.mktemp("servers")
    servers: list[Server] = []

    def start(database_url: str, dev: bool = False, **env: str) -> Server:
        server = DevServer(database_url, env) if dev else Server(database_url, env=env)
        servers.append(server)
        server.start(log=tmp_path / f"server-{len(servers)}.log")
        return server

    try:
        yield start
    finally:
        for server in servers:
            server.stop()
            print(f"--- {server.log} (end) ---\n{server.log.read_text()[-4000:]}")
