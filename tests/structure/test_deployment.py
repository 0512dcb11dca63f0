"""The deployment files hold together (no Docker engine runs here, so this is what can be
checked): the image copies every package of the product, and docker-compose.yml runs web,
worker, beat, PostgreSQL and Redis with health checks, its Celery commands naming what exists."""

import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.structure.test_layers import MODULES, ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_the_image_copies_every_package():
    packages = {module.split(".")[0] for module in MODULES}
    copied = set(re.findall(r"^COPY (\w+) ", (ROOT / "Dockerfile").read_text(), re.MULTILINE))
    assert packages <= copied


def test_compose_runs_each_part_with_a_health_check():
    assert set(SERVICES) == {"web", "worker", "beat", "db", "redis"}
    assert all(service.get("healthcheck", {}).get("test") for service in SERVICES.values())
    for name in ("web", "worker", "beat"):
        assert SERVICES[name]["image"] == "oncall-schedules"
        assert SERVICES[name]["environment"]["CELERY_BROKER_URL"] == "redis://redis:6379/0"


def test_compose_celery_commands_are_celery_commands():
    celery = str(Path(sys.executable).with_name("celery"))
    for name in ("worker", "beat"):
        command = SERVICES[name]["command"]
        assert command[:3] == ["celery", "-A", "oncall"]
        done = subprocess.run(
            [celery, *command[1:], "--help"],
            cwd=ROOT,
            env={"SECRET_KEY": "x", "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        options = {word for word in command if word.startswith("--")}
        assert {option for option in options if option not in done.stdout} == set()
