"""Packages form a strict order of layers, and no module imports from a layer above its own
(docs/architecture.md#layers). Like the engine-purity test, this reads the sources with `ast`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Lowest first. A module belongs to the longest prefix that names it; it may import from its own
# layer and the layers before it. Within the API layer, an API package may use the ones before it.
LAYERS = (
    "common",
    "integrations",
    "apikit",
    "users",
    "shifts",
    "schedules",
    "timeline",
    "oncall_events",
    "reports",
    "users.api",
    "shifts.api",
    "oncall_events.api",
    "schedules.api",
    "dialects",
    "dialects.signal",
    "dialects.instatus",
    "pages",
    "oncall",
)
# Outside the product: they may import anything.
OUTSIDE = {"tests", "bench"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def product_modules() -> dict[str, Path]:
    """Every module of the product's packages (migrations aside: Django writes them)."""
    found = {}
    for package in ROOT.iterdir():
        if (package / "__init__.py").is_file() and package.name not in OUTSIDE:
            for path in package.rglob("*.py"):
                if "migrations" not in path.relative_to(ROOT).parts:
                    found[module_name(path)] = path
    return found


MODULES = product_modules()


def layer_of(module: str) -> int | None:
    """The rank of the layer `module` belongs to; None for a module outside the product."""
    best = None
    for rank, prefix in enumerate(LAYERS):
        names_it = module == prefix or module.startswith(f"{prefix}.")
        if names_it and (best is None or len(prefix) > len(LAYERS[best])):
            best = rank
    return best


def imported(tree: ast.Module, modules: set[str]) -> list[str]:
    """The modules an `ast` tree imports, at any depth; `from a import b` names `a.b` when that
    is a module of the product."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                names.append(submodule if submodule in modules else node.module)
    return names


def upward_imports(module: str, source: str, modules: set[str]) -> list[str]:
    own = layer_of(module)
    assert own is not None, f"{module} belongs to no layer: add its package to LAYERS"
    return [
        name
        for name in imported(ast.parse(source), modules)
        if (rank := layer_of(name)) is not None and rank > own
    ]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_from_a_layer_above_its_own(module: str) -> None:
    assert upward_imports(module, MODULES[module].read_text(), set(MODULES)) == []


def test_every_layer_has_modules() -> None:
    assert {layer_of(module) for module in MODULES} == set(range(len(LAYERS)))


CHECKER_CASES = {
    "a lower app imports a higher one": (
        "users.services",
        "from schedules.versions import bump_schedules",
        ["schedules.versions"],
    ),
    "the kit imports an app": ("apikit.fields", "from users.models import Team", ["users.models"]),
    "an app imports its api": (
        "shifts.models",
        "from shifts.api import fields",
        ["shifts.api.fields"],
    ),
    "an import inside a function": (
        "common.rows",
        "def f():\n    import schedules.versions",
        ["schedules.versions"],
    ),
    "an earlier api package": ("schedules.api.views", "from users.api.views import X", []),
    "a later api package": (
        "users.api.views",
        "from schedules.api import views",
        ["schedules.api.views"],
    ),
    "downward, sideways and third-party": (
        "schedules.services",
        "from users.models import User\nfrom schedules import versions\nimport django",
        [],
    ),
}


@pytest.mark.parametrize(
    ("module", "source", "expected"), CHECKER_CASES.values(), ids=CHECKER_CASES.keys()
)
def test_checker_finds_upward_imports(module: str, source: str, expected: list[str]) -> None:
    known = {"schedules.versions", "shifts.api.fields", "schedules.api.views"}
    assert upward_imports(module, source, known | set(MODULES)) == expected
