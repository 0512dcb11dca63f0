"""Production settings come from the environment: safe defaults, `check --deploy` clean."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The variables the Docker image sets or a deployment must give (see README, Deployment).
DOCKER_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "oncall.example.com",
    "BASE_URL": "https://oncall.example.com",
    "DATABASE_URL": "sqlite:///:memory:",
}
TEST_ONLY = ("DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT", "API_THROTTLE_RATE", "DATABASE_URL")


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in TEST_ONLY}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_is_clean_with_the_docker_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **DOCKER_ENV)
    assert (result.returncode, result.stderr) == (0, "")
    assert "System check identified no issues" in result.stdout


def test_secret_key_is_required_unless_debug():
    env = {key: value for key, value in DOCKER_ENV.items() if key != "SECRET_KEY"}
    result = manage("check", **env)
    assert result.returncode == 1
    assert "SECRET_KEY is required unless DEBUG is on" in result.stderr
    assert manage("check", DEBUG="1", **env).returncode == 0


def test_debug_is_off_unless_asked():
    code = "from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS)"
    result = manage("shell", "-c", code, **DOCKER_ENV)
    assert (
        result.stdout.strip().splitlines()[-1]
        == "False ['oncall.example.com', 'localhost', '127.0.0.1', '[::1]']"
    )


def database_options(**env: str) -> str:
    code = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS'))"
    return manage("shell", "-c", code, **{**DOCKER_ENV, **env}).stdout.strip().splitlines()[-1]


def test_postgresql_statements_are_prepared_unless_turned_off():
    postgres = {"DATABASE_URL": "postgres://app@db.example.com:5432/oncall"}

    assert database_options(**postgres) == "{'server_side_binding': True, 'prepare_threshold': 5}"
    assert database_options(**postgres, DATABASE_PREPARED_STATEMENTS="0") == "{}"


def test_sqlite_transactions_take_the_write_lock_and_wait_for_it():
    sqlite = (
        "{'transaction_mode': 'IMMEDIATE', 'timeout': %s, "
        "'init_command': 'PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL'}"
    )
    assert database_options() == sqlite % "10.0"
    assert database_options(SQLITE_BUSY_TIMEOUT="2.5") == sqlite % "2.5"
