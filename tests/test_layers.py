"""The packages import downward only: cli → app → ui → evals → assistant → vectorstore → ingest → core.

Every import counts, including those inside functions: a lazy upward import is still a cycle waiting to happen.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT

LAYERS = ["core", "ingest", "vectorstore", "assistant", "evals", "ui", "app", "cli", "benchmarks"]
RANK = {name: rank for rank, name in enumerate(LAYERS)}


def _modules() -> dict[str, Path]:
    found = {}
    for layer in LAYERS:
        package = PROJECT_ROOT / layer
        files = sorted(package.rglob("*.py")) if package.is_dir() else [PROJECT_ROOT / f"{layer}.py"]
        for path in files:
            parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def imports_of(path: Path) -> set[str]:
    """The project modules `path` imports (an import of a package counts as its `__init__`)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name in MODULES}


def _layer(module: str) -> str:
    return module.split(".")[0]


def test_every_layer_exists():
    assert {_layer(module) for module in MODULES} == set(LAYERS)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_imports_only_its_own_layer_or_lower(module):
    upward = [name for name in imports_of(MODULES[module]) if RANK[_layer(name)] > RANK[_layer(module)]]
    assert not upward, f"{module} imports from a higher layer: {upward}"


def test_no_module_import_cycle():
    graph = {module: imports_of(path) - {module} for module, path in MODULES.items()}
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        pytest.fail(f"import cycle: {' → '.join(error.args[1])}")


def test_the_check_sees_a_lazy_upward_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def later():\n    from evals.runner import run_eval\n", encoding="utf-8")
    assert imports_of(sample) == {"evals.runner"}
