"""The folder tree is the architecture: no import cycles, lower layers never import upper ones,
heavy libraries stay out of ``import multisum`` and ``multisum --help``, and the ranker registry
refuses a taken name and loads plug-ins."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import multisum
from multisum.errors import RankerError
from multisum.rankers import registry

PACKAGE = Path(multisum.__file__).resolve().parent
BASE = {"multisum.model", "multisum.options", "multisum.errors", "multisum.text", "multisum.nlp"}
SUBPACKAGES = ("pipeline", "rankers", "checks", "render", "digests", "evaluation")
UPPER = {"cli", "verify", *SUBPACKAGES}
#: What each layer must never import (``multisum.X`` for each X).
FORBIDDEN = {
    "rankers": {"pipeline", "checks", "render", "digests", "evaluation", "cli"},
    "checks": {"pipeline", "render", "digests", "evaluation", "cli"},
    "pipeline": {"render", "digests", "evaluation", "cli"},
    "render": {"pipeline", "digests", "evaluation", "cli"},
}
HEAVY = {"numpy", "scipy", "spacy", "sumy", "jinja2"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(node: ast.AST, module: str, is_package: bool) -> set[str]:
    """Every multisum module that ``node`` imports, at module level or inside functions,
    leaving out ``if TYPE_CHECKING:`` blocks (they never run)."""
    found: set[str] = set()
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                found |= _imports(other, module, is_package)
            continue
        if isinstance(child, ast.Import):
            found |= {alias.name for alias in child.names if alias.name.split(".")[0] == "multisum"}
        elif isinstance(child, ast.ImportFrom):
            if child.level:  # a relative import: resolve it against this module's package
                package = module.split(".")
                if not is_package:
                    package.pop()
                package = package[: len(package) - (child.level - 1)]
                base = ".".join([*package, *([child.module] if child.module else [])])
            else:
                base = child.module or ""
            if base.split(".")[0] != "multisum":
                continue
            for alias in child.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in MODULES else base)
        found |= _imports(child, module, is_package)
    return found


def import_graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found = _imports(tree, name, path.name == "__init__.py")
        graph[name] = {target for target in found if target != name and target in MODULES}
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one module (or a self-loop)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def _cycle_path(graph: dict[str, set[str]], component: list[str]) -> str:
    """One concrete loop inside a strongly connected component, for the failure message."""
    members = set(component)
    start = component[0]
    path, seen = [start], {start}
    while True:
        target = min(t for t in graph[path[-1]] if t in members)
        if target in seen:
            loop = [*path[path.index(target) :], target]
            return " -> ".join(loop)
        path.append(target)
        seen.add(target)


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    cycles = find_cycles(graph)
    assert cycles == [["a", "b", "c"]]
    assert _cycle_path(graph, cycles[0]) == "a -> b -> c -> a"


def test_the_import_graph_sees_function_level_imports_and_skips_type_checking():
    graph = import_graph()
    # the CLI imports the pipeline only inside its commands
    assert "multisum.pipeline" in graph["multisum.cli"]
    # ``multisum/__init__`` imports everything under TYPE_CHECKING and nothing at run time
    assert graph["multisum"] == set()
    # ``from multisum.rankers import graph`` names a module, not an attribute of the package
    assert "multisum.rankers.graph" in graph["multisum.rankers"]


def test_there_are_no_import_cycles():
    graph = import_graph()
    cycles = find_cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(_cycle_path(graph, c) for c in cycles)


def test_at_least_four_subpackages():
    found = [name for name in SUBPACKAGES if (PACKAGE / name / "__init__.py").is_file()]
    assert len(found) >= 4, found


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_base_modules_import_no_subpackage_or_upper_module():
    graph = import_graph()
    assert set(graph) >= BASE
    violations = sorted(
        f"{module} imports {target}"
        for module in BASE
        for target in graph[module]
        if _layer(target) in UPPER
    )
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_lower_layers_never_import_upper_ones(layer):
    graph = import_graph()
    violations = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if _layer(module) == layer
        for target in targets
        if _layer(target) in FORBIDDEN[layer]
    )
    assert not violations, "\n".join(violations)


def test_help_imports_no_heavy_library():
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "multisum", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "Usage: multisum" in done.stdout or "Usage:" in done.stdout
    imported = [
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    ]
    assert any(name.startswith("multisum") for name in imported)  # the parse saw our modules
    heavy = sorted({name for name in imported if name.split(".")[0] in HEAVY})
    assert heavy == []


def test_import_multisum_loads_no_heavy_library():
    code = (
        "import multisum; import sys; print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'numpy','scipy','spacy','sumy','jinja2'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


def _score_nothing(story, candidates):
    return [0.0] * len(candidates)


def _score_nothing_either(story, candidates):
    return [1.0] * len(candidates)


def test_a_taken_ranker_name_is_refused(monkeypatch):
    monkeypatch.setattr(registry, "_RANKERS", dict(registry._RANKERS))
    registry.ranker("test-once", "first")(_score_nothing)
    with pytest.raises(RankerError, match="test-once"):
        registry.ranker("test-once", "second")(_score_nothing_either)
    assert registry._RANKERS["test-once"].rank is _score_nothing
    # the same function again (a module imported twice) is not a conflict
    registry.ranker("test-once", "first")(_score_nothing)
    # a built-in name is taken too
    with pytest.raises(RankerError, match="multisum"):
        registry.ranker("multisum", "impostor")(_score_nothing_either)


def test_the_built_in_name_is_still_ours_after_the_test():
    assert registry.get_ranker("multisum").rank.__module__ == "multisum.rankers.multidocument"
    assert "test-once" not in registry._RANKERS


class _FakeEntryPoint:
    name = "fake-plugin"
    group = registry.ENTRY_POINT_GROUP

    def __init__(self) -> None:
        self.loaded = 0

    def load(self) -> None:
        self.loaded += 1
        registry.ranker("plugged-in", "a ranker from another package")(_score_nothing)


def test_a_plugin_from_the_entry_point_group_is_loaded(monkeypatch):
    import importlib.metadata

    entry = _FakeEntryPoint()
    groups: list[str] = []

    def entry_points(*, group: str):
        groups.append(group)
        return [entry] if group == registry.ENTRY_POINT_GROUP else []

    monkeypatch.setattr(registry, "_RANKERS", dict(registry._RANKERS))
    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    registry._load_plugins.cache_clear()
    try:
        found = registry.get_ranker("plugged-in")
        assert found.rank is _score_nothing
        assert found.description == "a ranker from another package"
        assert "plugged-in" in [r.name for r in registry.available_rankers()]
        assert groups == [registry.ENTRY_POINT_GROUP]
        assert entry.loaded == 1  # loaded once, however often the registry is read
    finally:
        registry._load_plugins.cache_clear()
