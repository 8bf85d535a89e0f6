"""SHACL validation: ``validate`` merges the data (parsed by :mod:`loaders.inputs`) with ``ontology/rdkg.ttl`` and
``ontology/categories.ttl`` into one graph, runs the model checks (:mod:`loaders.modelchecks`) and a SHACL engine
with the shapes of ``ontology/shapes.ttl``, and reports (:mod:`loaders.report`); a load refuses data with
violations (:class:`ValidationFailed`).

Engines (``validate(..., engine=...)``, ``rdkg validate --engine``, env ``RDKG_SHACL_ENGINE``):

- ``turbo`` (default): pyshacl-turbo, a Rust SHACL engine with pySHACL's API; ``validate()`` takes ~7x less CPU
  than with pyshacl at 10^5 triples (docs/benchmarks.md, "Validation engine (pyshacl-turbo vs pyshacl)").
- ``pyshacl``: the reference engine. ``tests/unit/loaders/test_validation_engines.py`` runs both on every fixture and on
  ``data/`` and requires identical reports, so an upgrade of either that diverges fails the tests.

Inference is off (``inference="none"``), deliberately: sh:class and sh:targetClass already follow rdfs:subClassOf
in the merged graph, and RDFS inference would make things *pass* that should fail (a node used with ``rdkg:from``
would be inferred to be a Transfer from the property's domain instead of being reported), while costing time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Literal as TypingLiteral

from rdflib import Graph
from rdflib.term import Node
from rich.markup import escape

from graph.errors import RdkgError
from loaders.inputs import load_files, model_and_origins, shapes_graph
from loaders.modelchecks import model_violations
from loaders.report import SH, ValidationReport, Violation, compact, relative, render_path, sort_key

if TYPE_CHECKING:
    from graph.settings import Settings

Engine = TypingLiteral["turbo", "pyshacl"]
ENGINES: tuple[Engine, ...] = ("turbo", "pyshacl")
DEFAULT_ENGINE: Engine = "turbo"
#: the reference engine: pyshacl, the engine the shapes were written and tested against first
REFERENCE_ENGINE: Engine = "pyshacl"
ENGINE_ENV = "RDKG_SHACL_ENGINE"


class ValidationFailed(RdkgError):
    """SHACL found violations; ``report`` holds them. Nothing was written."""

    status_code = 422
    code = "validation_failed"

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(f"{len(report.errors)} SHACL violation(s)")
        self.report = report

    def cli_lines(self) -> list[str]:
        lines = [f"[red]SHACL validation failed[/red]: {len(self.report.errors)} violation(s)"]
        for v in self.report.errors:
            value = f" (value {v.value})" if v.value else ""
            lines.append(escape(f"  {v.file or '?'}: {v.focus} {v.path or ''}: {v.message}{value}"))
        return lines



def default_engine(settings: Settings | None = None) -> Engine:
    """The engine the settings name (``RDKG_SHACL_ENGINE``), else ``turbo``; an unknown name is a ValueError."""
    from graph.settings import Settings  # here: pydantic-settings is not needed to validate with an explicit engine

    return check_engine((settings or Settings()).shacl_engine.strip() or DEFAULT_ENGINE)


def check_engine(name: str) -> Engine:
    for engine in ENGINES:
        if name.lower() == engine:
            return engine
    raise ValueError(f"unknown SHACL engine {name!r} (expected one of: {', '.join(ENGINES)})")


def validate(
    paths: Sequence[Path], sparql_model_checks: bool = False, engine: str | None = None,
    ontology_dir: Path | None = None,
) -> ValidationReport:
    """Validate the Turtle files (or directories) against ontology + shapes. Raises DataFileError on bad input.

    The model checks (unknown classes/properties, untyped or blank nodes, domains) run natively by default;
    ``sparql_model_checks=True`` runs the deactivated SPARQL shapes of shapes.ttl instead (slow; for tests).
    ``engine``: ``"turbo"`` (pyshacl-turbo) or ``"pyshacl"`` (the reference); default :func:`default_engine`.
    ``ontology_dir``: validate against another ontology and shapes (a published release's own), not ``ontology/``.
    """
    chosen = check_engine(engine) if engine is not None else default_engine()
    # for turbo, rdflib's SimpleMemory store: no named-graph bookkeeping, ~1.5x faster to fill and to read than the
    # default Memory store, which pyshacl needs (it wraps the graph in a Dataset). Same triples either way.
    graph = Graph(store="SimpleMemory" if chosen == "turbo" else "default")
    graph.addN((s, p, o, graph) for s, p, o in model_and_origins(ontology_dir)[0])
    model_size = len(graph)
    origins = dict(model_and_origins(ontology_dir)[1])
    loaded = load_files(paths, into=graph)
    origins.update(loaded.origins)
    shapes = shapes_graph(ontology_dir)
    found = [] if sparql_model_checks else list(model_violations(graph, origins))
    if sparql_model_checks:
        shapes = _activated(shapes)
    conforms, results = run_engine(chosen, graph, shapes, sparql_model_checks)
    violations = sorted(set(_violations(results, origins)) | set(found), key=sort_key)
    return ValidationReport(
        conforms=bool(conforms) and not any(v.severity == "Violation" for v in found),
        violations=violations,
        files=loaded.files,
        data_triples=len(graph) - model_size,
        total_triples=len(graph),
        counts_by_message=Counter(v.message for v in violations),
        graph=graph,
    )


def run_engine(engine: Engine, graph: Graph, shapes: Graph, advanced: bool = False) -> tuple[bool, Graph]:
    """SHACL-validate ``graph`` (not modified: no inference, no rules) → (conforms, results graph)."""
    if engine == "pyshacl":
        from pyshacl import validate as pyshacl_validate

        conforms, results, _ = pyshacl_validate(
            graph,
            shacl_graph=shapes,
            inference="none",
            advanced=advanced,  # SPARQL targets; off otherwise (pyshacl is slower in advanced mode)
            inplace=True,  # no copy of the data graph
            allow_warnings=True,
        )
        return bool(conforms), results
    from pyshacl_turbo import validate as turbo_validate

    conforms, results, _ = turbo_validate(
        graph,
        shacl_graph=shapes,
        inference="none",
        # always: shapes.ttl declares (deactivated) SPARQL-target shapes, which pyshacl-turbo refuses to compile
        # without advanced=True; turbo is not slower in advanced mode
        advanced=True,
        # False on purpose: pyshacl-turbo reads the rdflib graph without copying it either way, but inplace=True
        # makes it diff the graph before/after to write back additions (~2.5 s at 10^5 triples, for none)
        inplace=False,
        allow_warnings=True,
    )
    return bool(conforms), results


def _activated(shapes: Graph) -> Graph:
    copy = Graph()
    for triple in shapes:
        if triple[1] != SH.deactivated:
            copy.add(triple)
    return copy



def _violations(results: Graph, origins: dict[Node, Path]) -> Iterable[Violation]:
    # only top-level results: nested ones (sh:detail of an sh:node failure) repeat the same problem
    for result in results.objects(None, SH.result):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        severity = results.value(result, SH.resultSeverity)
        message = results.value(result, SH.resultMessage)
        origin = origins.get(focus) if focus is not None else None
        yield Violation(
            focus=compact(focus),
            path=render_path(results, path) if path is not None else None,
            message=str(message) if message is not None else "constraint violated",
            severity=compact(severity).removeprefix("<http://www.w3.org/ns/shacl#").rstrip(">"),
            value=compact(value) if value is not None else None,
            file=relative(origin) if origin else None,
        )

