"""Private PostgreSQL and Redis servers for the tests that stop, restart or load them: the
machine's own servers serve everybody's tests and are never touched.

Each binds a free port on 127.0.0.1 and lives in a temporary directory that `stop()` removes.
PostgreSQL refuses to run as root: as root (CI), its commands run as the `postgres` user.
"""

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import redis

from bench.server import free_port

POSTGRES_BIN_DIRS = sorted(
    Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name)
)


def postgres_bin() -> Path | None:
    """The newest PostgreSQL server's binaries, or None when none is installed."""
    for directory in reversed(POSTGRES_BIN_DIRS):
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


class PrivatePostgres:
    """A PostgreSQL cluster of our own: `initdb`, then `pg_ctl` start/restart/stop."""

    def __init__(self, bin_dir: Path, max_connections: int = 200) -> None:
        self.bin_dir = bin_dir
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        self.directory = Path(tempfile.mkdtemp(prefix="oncall-test-pg-"))
        self.data = self.directory / "data"
        self.log = self.directory / "server.log"
        self.max_connections = max_connections
        if self.as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(self.directory, user.pw_uid, user.pw_gid)

    def run(self, tool: str, *args: str) -> None:
        command = [str(self.bin_dir / tool), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
        if done.returncode:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{tool} {args[0]} failed:\n{done.stderr}\n{log[-2000:]}")

    def start(self) -> None:
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")
        self.run(
            "pg_ctl",
            "start",
            "-w",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            # Durability is not what these tests are about: no fsync, so that they run fast.
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} "
            f"-c max_connections={self.max_connections} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off",
        )

    def restart(self) -> None:
        """Stop (terminating every session) and start again with the same options (the log
        file must be named again: the server would otherwise keep our output pipe open)."""
        self.run("pg_ctl", "restart", "-w", "-m", "fast", "-D", str(self.data), "-l", str(self.log))

    def stop(self) -> None:
        if self.data.exists():
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self.run("pg_ctl", "stop", "-w", "-m", "immediate", "-D", str(self.data))
        shutil.rmtree(self.directory, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(self.url(database), autocommit=True)


class PrivateRedis:
    """`redis-server` on a free port, keeping nothing on disk; it can be stopped and started
    again on the same port."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(redis.ConnectionError):
                if client.ping():
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not answer within 30 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
        self.process = None

    def keys_matching(self, pattern: str) -> list[bytes]:
        return redis.Redis.from_url(self.url, socket_connect_timeout=1).keys(pattern)
