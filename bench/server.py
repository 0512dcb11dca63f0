"""The service under test: a fresh database, migrations, a token, and gunicorn with the Docker
image's settings (`Server`) or the development server as `./scripts/demo` runs it (`DevServer`).

Used by the benchmarks (`run.py`, `load.py`) and by the tests that talk to a live server
(`tests/integrations/test_live_server_caches.py`, `tests/live/`).
"""

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))


def docker_setting(name: str) -> int:
    """A number the Dockerfile sets in its ENV (GUNICORN_WORKERS, GUNICORN_THREADS)."""
    found = re.search(rf"\b{name}=(\d+)", (ROOT / "Dockerfile").read_text())
    if found is None:
        raise RuntimeError(f"the Dockerfile sets no {name}")
    return int(found.group(1))


DOCKER_WORKERS = docker_setting("GUNICORN_WORKERS")
DOCKER_THREADS = docker_setting("GUNICORN_THREADS")
# Seconds a server may take to answer /health/ after a start. Generous: on a busy machine the
# development server's start (migrations, the demo organization, the server) took over a minute.
HEALTHY_WITHIN = 300


def sqlite_path(url: str) -> Path | None:
    """The file of a `sqlite:///…` URL; None for any other database."""
    parts = urlsplit(url)
    return Path(parts.path) if parts.scheme == "sqlite" else None


def same_server_url(url: str, name: str) -> str:
    """The URL of database `name` on the PostgreSQL server of `url`."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def split_database_url(url: str) -> tuple[str, str]:
    """(URL of the `postgres` maintenance database, name of the bench database)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in {"postgres", "postgresql"} or not name:
        raise SystemExit(f"--database-url must be postgres://…/NAME, got {url!r}")
    return same_server_url(url, "postgres"), name


def drop_database(url: str) -> None:
    path = sqlite_path(url)
    if path is not None:
        path.unlink(missing_ok=True)
        return
    admin_url, name = split_database_url(url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        # FORCE: a worker killed mid-request may leave a session behind.
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def create_database(url: str) -> None:
    """An empty database at `url` (SQLite makes its file on the first connection)."""
    drop_database(url)
    if sqlite_path(url) is not None:
        return
    admin_url, name = split_database_url(url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on 127.0.0.1 against `database_url`, with `env` added to its environment (e.g.
    REDIS_URL); `stop()` is safe to call twice."""

    def __init__(
        self,
        database_url: str,
        workers: int = DOCKER_WORKERS,
        env: dict[str, str] | None = None,
        threads: int = DOCKER_THREADS,
    ) -> None:
        self.database_url = database_url
        self.workers = workers
        self.threads = threads
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "SECRET_KEY": "bench-secret-key-not-for-production",
            "DATABASE_URL": database_url,
            "API_THROTTLE_RATE": "1000000/minute",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "BASE_URL": self.base_url,
            "DEBUG": "0",
            # Plain HTTP on loopback: no redirect to HTTPS.
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "WARNING",
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None
        self.log: Path | None = None

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr}")
        return done.stdout

    def migrate(self) -> None:
        self.manage("migrate", "--noinput", "--verbosity", "0")

    def bootstrap(self, org: str) -> str:
        """A new organization with an admin user; returns its API token."""
        out = self.manage("bootstrap", "--org", org, "--username", "admin", "--email", "a@x.test")
        return out.strip().splitlines()[-1]

    def command(self) -> list[str]:
        return [
            GUNICORN,
            "oncall.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            # Threads keep connections alive; the same settings as the Docker image.
            "--worker-class",
            "gthread",
            "--threads",
            str(self.threads),
            "--backlog",
            "512",
            # The access log as the Docker image writes it, export tokens redacted.
            "--access-logfile",
            "-",
            "--logger-class",
            "oncall.access_log.RedactingLogger",
        ]

    def start(self, log: Path | None = None) -> None:
        """Serve, and wait until /health/ answers; `log` receives the server's output."""
        self.log = log
        output = subprocess.DEVNULL if log is None else log.open("ab")
        self.process = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            env=self.env,
            stdout=output,
            stderr=subprocess.STDOUT,
            # Own session: Ctrl-C reaches only us, and we stop the server and its children.
            start_new_session=True,
        )
        if not isinstance(output, int):
            output.close()
        self.wait_until_healthy()

    def wait_until_healthy(self, seconds: float = HEALTHY_WITHIN) -> None:
        """Until /health/ answers 200 (after a start, or after workers were killed)."""
        deadline = time.monotonic() + seconds
        process = self.process
        assert process is not None, "started"
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{self.command()[0]} exited with {process.returncode}")
            try:
                if requests.get(f"{self.base_url}/health/", timeout=5).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.command()[0]} did not answer /health/ within {seconds:.0f} s")

    def pids(self) -> list[int]:
        """The server's own process (gunicorn's arbiter), once started."""
        return [] if self.process is None else [self.process.pid]

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        """SIGTERM to the server's process group (gunicorn and its workers, or the development
        server), SIGKILL if it has not stopped within 15 s."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)


class DevServer(Server):
    """The development server as `./scripts/demo` runs it (DEBUG on, the demo organization
    made), on a free port and on `database_url`, without its reloader: a file of the
    environment changing (another checkout installing itself into a shared venv) would restart
    it in the middle of a test."""

    def __init__(self, database_url: str, env: dict[str, str] | None = None) -> None:
        # The project's environment: the script must not install one of its own.
        venv = {"VENV": str(Path(PYTHON).parent.parent), "DEBUG": "1", "NORELOAD": "1"}
        super().__init__(database_url, env={**venv, **(env or {})})
        self.env["PORT"] = str(self.port)

    def command(self) -> list[str]:
        return [str(ROOT / "scripts" / "demo")]


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM (peak resident set size) of a process, in MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None
