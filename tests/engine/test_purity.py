"""`shifts/engine` stays pure: allowed imports only, and no reading of the clock."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

# Read from disk, not imported: a module that breaks the rules may not even import.
ENGINE = Path(__file__).resolve().parents[2] / "shifts" / "engine"
ALLOWED_PACKAGES = {"dateutil", "icalendar", "recurring_ical_events"}
CLOCK_READERS = {
    "datetime.datetime.now",
    "datetime.datetime.utcnow",
    "datetime.datetime.today",
    "datetime.date.today",
    "time.time",
    "time.time_ns",
}


def imported_modules(tree: ast.Module) -> list[str]:
    """Absolute names of every module imported (relative imports stay in the package)."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def is_allowed(module: str) -> bool:
    top = module.partition(".")[0]
    return (
        top in sys.stdlib_module_names
        or top in ALLOWED_PACKAGES
        or module == "shifts.engine"
        or module.startswith("shifts.engine.")
    )


def bound_names(tree: ast.Module) -> dict[str, str]:
    """Local name -> imported dotted name (`from time import time as t` gives t: time.time)."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.partition(".")[0]
                names[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def dotted(node: ast.expr, names: dict[str, str]) -> str | None:
    if isinstance(node, ast.Name):
        return names.get(node.id, node.id)
    if isinstance(node, ast.Attribute):
        base = dotted(node.value, names)
        return None if base is None else f"{base}.{node.attr}"
    return None


def clock_reads(tree: ast.Module) -> list[str]:
    names = bound_names(tree)
    called = (dotted(node.func, names) for node in ast.walk(tree) if isinstance(node, ast.Call))
    return [name for name in called if name in CLOCK_READERS]


def violations(source: str) -> list[str]:
    tree = ast.parse(source)
    forbidden = [f"import {m}" for m in imported_modules(tree) if not is_allowed(m)]
    return forbidden + [f"call {name}" for name in clock_reads(tree)]


MODULES = sorted(ENGINE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(ENGINE)) for p in MODULES])
def test_engine_module_is_pure(path: Path) -> None:
    assert violations(path.read_text()) == []


def test_the_engine_has_modules_to_check() -> None:
    assert {"resolve.py", "ical.py", "timeline.py"} <= {path.name for path in MODULES}


CHECKER_CASES = {
    "django": ("from django.db import models", ["import django.db"]),
    "requests": ("import requests", ["import requests"]),
    "own-package-outside-engine": ("from shifts.models import X", ["import shifts.models"]),
    "stdlib-and-allowed": (
        "import re\nfrom dateutil import rrule\nimport icalendar\nfrom shifts.engine import x",
        [],
    ),
    "datetime-now": (
        "from datetime import datetime\ndatetime.now()",
        ["call datetime.datetime.now"],
    ),
    "module-utcnow": (
        "import datetime\ndatetime.datetime.utcnow()",
        ["call datetime.datetime.utcnow"],
    ),
    "date-today": ("from datetime import date\ndate.today()", ["call datetime.date.today"]),
    "time-time": ("import time\ntime.time()", ["call time.time"]),
    "aliased-time": ("from time import time as clock\nclock()", ["call time.time"]),
    "aware-constructor-is-fine": ("from datetime import datetime\ndatetime(2025, 1, 1)", []),
}


@pytest.mark.parametrize(("source", "expected"), CHECKER_CASES.values(), ids=CHECKER_CASES.keys())
def test_checker_finds_violations(source: str, expected: list[str]) -> None:
    assert violations(source) == expected
