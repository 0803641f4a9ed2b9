"""The import graph reads one way: resources at the bottom, `definitions` at the top, no circles."""

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("nba_assets", "resources")
# The package's entry point: the command line builds the code location it runs.
ENTRY_POINTS = {"nba_assets.cli"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))}


def imported(name: str) -> set[str]:
    """Our modules that `name` imports anywhere in its text (in functions too), by their full names."""
    tree = ast.parse(MODULES[name].read_text())
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], *([base] if base else [])])
            # `from package import module` depends on the module; `from module import name`, on the module
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        found |= {target for target in targets if target in MODULES}
    found.discard(name)
    return found


GRAPH = {name: imported(name) for name in MODULES}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_imports(name):
    assert importlib.import_module(name).__name__ == name


def test_only_the_entry_point_imports_the_definitions():
    importers = sorted(name for name, targets in GRAPH.items() if "nba_assets.definitions" in targets)
    assert set(importers) <= ENTRY_POINTS, f"{importers} import nba_assets.definitions: take the repository from the context instead"
    assert ENTRY_POINTS <= set(importers)  # the rule is about something real


def test_resources_never_import_the_package_above_them():
    upward = sorted(f"{name} -> {target}" for name, targets in GRAPH.items() if name.startswith("resources") for target in targets if target.startswith("nba_assets"))
    assert not upward, upward


def test_the_import_graph_has_no_circle():
    """Depth-first search over every import between our modules (a package's `__init__` counts as a module)."""
    state: dict[str, str] = {}
    circles = []

    def visit(name: str, path: list[str]) -> None:
        state[name] = "open"
        for target in sorted(GRAPH[name]):
            if state.get(target) == "open":
                circles.append(" -> ".join([*path[path.index(target):], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[name] = "done"

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])
    assert not circles, "\n".join(circles)
