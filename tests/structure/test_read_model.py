"""The read model (`timeline/`) is the only importer of the engine's routines and of every cache
(docs/architecture.md#the-read-model): elsewhere the engine gives only its value types."""

from __future__ import annotations

import ast
import importlib
import inspect

import pytest

from tests.structure.test_layers import MODULES

ENGINE = "shifts.engine"
READ_MODEL = "timeline"
CACHES = {"django.core.cache", "common.process_cache"}


def inside(module: str, package: str) -> bool:
    return module == package or module.startswith(f"{package}.")


def engine_names_used(tree: ast.Module) -> list[tuple[str, str]]:
    """(engine module, name) for each name taken from the engine: `from shifts.engine… import
    name`, and `engine.name` after `from shifts import engine`."""
    used, aliases = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and inside(node.module, ENGINE):
            used += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module == "shifts":
            aliases |= {
                alias.asname or alias.name for alias in node.names if alias.name == "engine"
            }
    for node in ast.walk(tree):
        named = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
        if named and node.value.id in aliases:
            used.append((ENGINE, node.attr))
    return used


def routines_used(source: str) -> list[str]:
    """The engine functions a module uses (its value types and errors are fine)."""
    return [
        f"{module}.{name}"
        for module, name in engine_names_used(ast.parse(source))
        if inspect.isfunction(getattr(importlib.import_module(module), name, None))
    ]


def caches_imported(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name in CACHES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
            found += sorted(names & CACHES)
    return found


OUTSIDE_THE_READ_MODEL = sorted(
    module for module in MODULES if not inside(module, READ_MODEL) and not inside(module, ENGINE)
)


# Checking a feed before it is stored answers nothing about who is on call: the writers' feed
# step reads a calendar as the engine will, to refuse it (docs/architecture.md#the-read-model).
FEED_CHECK = {"schedules.feeds": ["shifts.engine.ical.readable_calendar"]}


@pytest.mark.parametrize("module", OUTSIDE_THE_READ_MODEL)
def test_only_the_read_model_calls_the_engine(module: str) -> None:
    assert routines_used(MODULES[module].read_text()) == FEED_CHECK.get(module, [])


@pytest.mark.parametrize(
    "module", [module for module in OUTSIDE_THE_READ_MODEL if module not in CACHES]
)
def test_only_the_read_model_imports_a_cache(module: str) -> None:
    assert caches_imported(MODULES[module].read_text()) == []


def test_the_read_model_is_where_they_are_used() -> None:
    sources = [path.read_text() for name, path in MODULES.items() if inside(name, READ_MODEL)]
    assert any(routines_used(source) for source in sources)
    assert {cache for source in sources for cache in caches_imported(source)} == CACHES


CHECKER_CASES = {
    "a routine through the package": (
        "from shifts import engine\nengine.resolve_block(events, block)",
        ["shifts.engine.resolve_block"],
        [],
    ),
    "a routine from a module": (
        "from shifts.engine.resolve import resolve\n",
        ["shifts.engine.resolve.resolve"],
        [],
    ),
    "value types": ("from shifts import engine\nengine.Window(a, b)\nengine.FinalEvent", [], []),
    "Django's cache": ("from django.core.cache import cache", [], ["django.core.cache"]),
    "the per-process cache": (
        "from common.process_cache import ProcessLru",
        [],
        ["common.process_cache"],
    ),
}


@pytest.mark.parametrize(
    ("source", "routines", "caches"), CHECKER_CASES.values(), ids=CHECKER_CASES.keys()
)
def test_checker(source: str, routines: list[str], caches: list[str]) -> None:
    assert (routines_used(source), caches_imported(source)) == (routines, caches)
