"""The layer rule of docs/architecture.md, read from the source: which package may import which, no import
cycles between modules, and each constant of the RDF↔graph contract defined once (in ``graph/contract.py``).

Imports are read with ``ast`` from every module of the product packages — at module level, inside functions
and under ``TYPE_CHECKING`` alike: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: package → the packages it may import (besides itself); docs/architecture.md states the same table
ALLOWED: dict[str, set[str]] = {
    "ontology": set(),
    "graph": {"ontology"},
    "loaders": {"ontology", "graph"},
    "queries": {"ontology", "graph"},
    # loaders.inputs: the RDF views read data/ the loader's way; loaders.release: GET /releases reads the published
    # releases (data/releases/) through their one reader
    "api": {"ontology", "graph", "queries", "loaders.inputs", "loaders.release"},
    "rdkg": {"ontology", "graph", "loaders", "queries", "api"},
}


def _modules() -> Iterator[tuple[str, Path]]:
    for package in ALLOWED:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def _imports(path: Path) -> set[str]:
    """The project modules (or names in them) ``path`` imports, anywhere in the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in ALLOWED}


MODULES = dict(_modules())


def _allowed(importer: str, target: str) -> bool:
    package = importer.split(".")[0]
    if target.split(".")[0] == package:
        return True
    return any(target == rule or target.startswith(rule + ".") for rule in ALLOWED[package])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_module_imports_only_the_layers_beneath_it(module: str) -> None:
    wrong = sorted(t for t in _imports(MODULES[module]) if not _allowed(module, t))
    package = module.split(".")[0]
    assert not wrong, f"{module} ({package}) may import only {sorted(ALLOWED[package])}, but imports {wrong}"


def _module_of(name: str) -> str | None:
    """The project module an imported name lives in (``graph.errors.RdkgError`` → ``graph.errors``)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def test_no_import_cycles_between_modules() -> None:
    graph = {m: {t for name in _imports(p) if (t := _module_of(name)) and t != m and not m.startswith(t + ".")
                 and not t.startswith(m + ".")} for m, p in MODULES.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the stack, 2 done

    def visit(module: str, stack: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target):], target])
            elif target not in state:
                visit(target, [*stack, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles: " + "; ".join(" → ".join(cycle) for cycle in cycles)


#: the contract's names: each must be assigned (or defined) in graph/contract.py and nowhere else
CONTRACT = ("OWNERSHIP_LABEL", "IDENTIFIER", "fold", "rel_type", "Mapping", "DatatypeSpec", "default_mapping")


@pytest.mark.parametrize("name", CONTRACT)
def test_each_contract_constant_is_defined_once(name: str) -> None:
    pattern = re.compile(rf"^(?:{name}\s*[:=]|def {name}\(|class {name}\b)", re.MULTILINE)
    where = sorted(m for m, p in MODULES.items() if pattern.search(p.read_text(encoding="utf-8")))
    assert where == ["graph.contract"], f"{name} is defined in {where}; it belongs in graph/contract.py only"


def test_the_ownership_label_is_not_spelled_out_elsewhere() -> None:
    quoted = re.compile(r"""["']Rdkg["']""")
    where = sorted(m for m, p in MODULES.items() if m != "graph.contract" and quoted.search(p.read_text("utf-8")))
    assert not where, f"the ownership label written as a string literal in {where}: use graph.contract.OWNERSHIP_LABEL"


def test_test_modules_have_unique_names_across_tiers() -> None:
    # tests/ has no __init__.py files: pytest imports each test module by its basename, so two files of one name in
    # different tiers (tests/unit/graph/test_x.py, tests/browser/graph/test_x.py) stop the whole session at
    # collection — and `pytest tests/unit` alone would never notice
    names: dict[str, list[str]] = {}
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        names.setdefault(path.name, []).append(str(path.relative_to(ROOT)))
    assert {name: paths for name, paths in names.items() if len(paths) > 1} == {}
