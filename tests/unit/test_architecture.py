"""The layer rule of docs/architecture.md, read from the source: which package may import which, no import
cycles between modules, each constant of the RDF↔graph contract defined once (in ``graph/contract.py``), and no
module re-exporting a name it only imported (importers import from the module that defines the name).

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
CONTRACT = ("OWNERSHIP_LABEL", "KIND", "IDENTIFIER", "fold", "rel_type", "Mapping", "DatatypeSpec", "default_mapping")


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


def _top_level_names(path: Path) -> tuple[set[str], set[str]]:
    """(names a module defines, names it imports) at module level, ``if``/``try`` blocks included."""
    defined: set[str] = set()
    imported: set[str] = set()
    body = ast.parse(path.read_text(encoding="utf-8")).body
    nodes = [n for top in body for n in ([top] if not isinstance(top, ast.If | ast.Try) else ast.walk(top))]
    for node in nodes:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            defined.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            imported.update((a.asname or a.name).split(".")[0] for a in node.names)
    return defined, imported


#: a package's ``__init__`` may gather its modules' names (api/models/ mirrors api/routes/); a module may not
FACADES = {name for name, path in MODULES.items() if path.name == "__init__.py"}
TEST_FILES = sorted((ROOT / "tests").rglob("*.py")) + sorted((ROOT / "bench").rglob("*.py"))


def test_no_module_re_exports_a_name() -> None:
    """``from loaders.pipeline import LoadResult`` worked while pipeline.py re-exported it (``__all__``); now every
    importer — product code, tests, benchmarks — imports a name from the module that defines it, and no module
    lists or aliases an imported name as its own."""
    names = {module: _top_level_names(path) for module, path in MODULES.items()}
    wrong: list[str] = []
    for path in [*MODULES.values(), *TEST_FILES]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in names):
                continue
            if node.module in FACADES:
                continue
            defined = names[node.module][0]
            wrong += [f"{path.relative_to(ROOT)}:{node.lineno}: {alias.name} from {node.module}, which only imports it"
                      for alias in node.names
                      if alias.name not in defined and f"{node.module}.{alias.name}" not in MODULES]
    for module, path in MODULES.items():
        if module in FACADES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        listed = [elt.value for node in tree.body if isinstance(node, ast.Assign)
                  and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
                  for elt in getattr(node.value, "elts", []) if isinstance(elt, ast.Constant)]
        wrong += [f"{module}: __all__ lists {name}, which it imports" for name in listed
                  if name in names[module][1] and name not in names[module][0]]
        wrong += [f"{module}:{node.lineno}: {node.targets[0].id} = {node.value.value.id}.{node.value.attr} (an alias)"
                  for node in tree.body if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                  and isinstance(node.value, ast.Attribute) and isinstance(node.value.value, ast.Name)
                  and node.value.value.id in names[module][1] and node.targets[0].id == node.value.attr]
    assert not wrong, "re-exports (import each name from the module that defines it):\n" + "\n".join(wrong)
