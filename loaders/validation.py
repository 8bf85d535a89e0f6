"""Parse curated Turtle and validate it against the ontology's SHACL shapes.

``load_graph`` parses data files (a syntax error becomes a ``DataFileError`` naming ``file:line``); ``validate``
merges the data with ``ontology/rdkg.ttl`` and ``ontology/categories.ttl`` into one graph and runs a SHACL engine
with the shapes of ``ontology/shapes.ttl``.

Data files are parsed with pyoxigraph's Rust Turtle parser (terms converted to rdflib's, each distinct term once);
rdflib's own Turtle parser is ~10x slower and is kept only as a fallback and for the ontology files (parsed once).

Engines (``validate(..., engine=...)``, ``rdkg validate --engine``, env ``RDKG_SHACL_ENGINE``):

- ``turbo`` (default): pyshacl-turbo, a Rust SHACL engine with pySHACL's API; ``validate()`` takes ~7x less CPU
  than with pyshacl at 10^5 triples (docs/benchmarks.md, "Validation engine (pyshacl-turbo vs pyshacl)").
- ``pyshacl``: the reference engine. ``tests/unit/test_validation_engines.py`` runs both on every fixture and on
  ``data/`` and requires identical reports, so an upgrade of either that diverges fails the tests.

Inference is off (``inference="none"``), deliberately: sh:class and sh:targetClass already follow rdfs:subClassOf
in the merged graph, and RDFS inference would make things *pass* that should fail (a node used with ``rdkg:from``
would be inferred to be a Transfer from the property's domain instead of being reported), while costing time.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal as TypingLiteral

from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from ontology import ID, ONTOLOGY_FILES, RDKG, RDKGSH, SHAPES_TTL, rdkg_classes, rdkg_properties

try:
    import pyoxigraph as ox
except ImportError:  # pragma: no cover - a declared dependency; rdflib's parser is the fallback
    ox = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

Engine = TypingLiteral["turbo", "pyshacl"]
ENGINES: tuple[Engine, ...] = ("turbo", "pyshacl")
DEFAULT_ENGINE: Engine = "turbo"
#: the reference engine: pyshacl, the engine the shapes were written and tested against first
REFERENCE_ENGINE: Engine = "pyshacl"
ENGINE_ENV = "RDKG_SHACL_ENGINE"

SH = Namespace("http://www.w3.org/ns/shacl#")
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
SKOS_CLASSES = {URIRef(SKOS_NS + "Concept"), URIRef(SKOS_NS + "ConceptScheme")}
PREFIXES = {
    str(ID): "id:",
    str(RDKG): "rdkg:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
}


class DataFileError(Exception):
    """A data file that cannot be read or parsed; ``line`` is 1-based, or None when unknown."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path = path
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Violation:
    """One SHACL result, ready to print: compact names, and the data file that defines the focus node."""

    focus: str
    path: str | None
    message: str
    severity: str
    value: str | None = None
    file: str | None = None


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation]
    files: list[Path]
    data_triples: int
    total_triples: int
    counts_by_message: Counter[str] = field(default_factory=Counter)
    #: the validated graph: data + ontology/rdkg.ttl + ontology/categories.ttl (reuse it instead of re-parsing)
    graph: Graph | None = field(default=None, repr=False)

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "Violation"]


@dataclass
class LoadedData:
    graph: Graph
    files: list[Path]
    #: node -> the file that defines it (types it), else the first file that mentions it
    origins: dict[Node, Path]


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; directories become their ``*.ttl`` files, sorted. Missing paths raise DataFileError."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.ttl")))
        elif path.is_file():
            files.append(path)
        else:
            raise DataFileError(path, None, "no such file or directory")
    return files


def parse_file(path: Path, into: Graph | None = None) -> Graph:
    """Parse one Turtle file into ``into`` (or a new graph); syntax errors become DataFileError(path, line)."""
    graph = into if into is not None else Graph()
    try:
        graph.parse(path, format="turtle")
    except BadSyntax as e:
        raise DataFileError(path, e.lines + 1, f"Turtle syntax error: {e._why}") from e
    except (OSError, UnicodeDecodeError) as e:
        raise DataFileError(path, None, f"cannot read file: {e}") from e
    except Exception as e:  # rdflib raises assorted types for malformed input (bad IRIs, prefixes …)
        raise DataFileError(path, None, f"cannot parse Turtle: {e}") from e
    return graph


def load_files(paths: Sequence[Path], into: Graph | None = None) -> LoadedData:
    """Parse every data file (directories expanded) into one graph, remembering which file defines each node."""
    files = expand_paths(paths)
    graph = into if into is not None else Graph()
    origins: dict[Node, Path] = {}
    converter = _Converter() if ox is not None else None
    for path in files:
        triples = converter.parse(path) if converter is not None else list(parse_file(path))
        for s, p, _ in triples:
            if p == RDF.type:
                origins[s] = path
        for s, _, o in triples:
            origins.setdefault(s, path)
            if not isinstance(o, Literal):
                origins.setdefault(o, path)
        graph.addN((s, p, o, graph) for s, p, o in triples)
    return LoadedData(graph, files, origins)


Triple = tuple[Node, Node, Node]
_XSD_STRING = str(XSD.string)


def oxigraph_quads(path: Path) -> Iterator[ox.Quad]:
    """One Turtle file parsed lazily by pyoxigraph, as the rdflib parser would read it (relative IRIs against the
    file, blank nodes local to the file); any failure becomes :class:`DataFileError` with file (and line)."""
    try:
        yield from ox.parse(path=str(path), format=ox.RdfFormat.TURTLE,
                            base_iri=Path(os.path.abspath(path)).as_uri(), rename_blank_nodes=True)
    except SyntaxError as e:
        raise DataFileError(path, e.lineno, f"Turtle syntax error: {e.msg}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise DataFileError(path, None, f"cannot read file: {e}") from e
    except ValueError as e:
        raise DataFileError(path, None, f"cannot parse Turtle: {e}") from e


class _Converter:
    """Turtle → rdflib triples with pyoxigraph's parser; each distinct IRI and literal is converted once.

    Like rdflib's parser: relative IRIs resolve against the file's URI, and blank node labels are local to a file
    (renamed to fresh ids). Unlike it, language tags come out lower-cased (``"x"@EN`` → ``"x"@en``) and
    ``"x"^^xsd:string`` becomes the plain literal ``"x"`` (the same RDF term).
    """

    def __init__(self) -> None:
        self.iris: dict[str, URIRef] = {}
        self.literals: dict[tuple[str, str | None, str], Literal] = {}

    def parse(self, path: Path) -> list[Triple]:
        return [(self.term(q.subject), self.iri(q.predicate.value), self.term(q.object)) for q in oxigraph_quads(path)]

    def iri(self, value: str) -> URIRef:
        found = self.iris.get(value)
        if found is None:
            found = self.iris[value] = URIRef(value)
        return found

    def term(self, term: object) -> Node:
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        if isinstance(term, ox.Literal):
            key = (term.value, term.language, term.datatype.value)
            found = self.literals.get(key)
            if found is None:
                if term.language:
                    found = Literal(term.value, lang=term.language)
                elif key[2] == _XSD_STRING:
                    found = Literal(term.value)
                else:
                    found = Literal(term.value, datatype=self.iri(key[2]))
                self.literals[key] = found
            return found
        if isinstance(term, ox.BlankNode):
            return BNode(term.value)
        raise ValueError(f"unsupported RDF term {term!r}")  # RDF 1.2 triple terms


def load_graph(paths: Sequence[Path]) -> Graph:
    """The data of ``paths`` (directories expand to ``*.ttl``) as one graph, without the ontology."""
    return load_files(paths).graph


@cache
def shapes_graph() -> Graph:
    return parse_file(SHAPES_TTL)


@cache
def _model() -> tuple[Graph, dict[Node, Path]]:
    graph = Graph()
    origins: dict[Node, Path] = {}
    for path in ONTOLOGY_FILES:
        part = parse_file(path)
        origins.update(dict.fromkeys(part.subjects(), path))
        graph += part
    return graph, origins


def model_graph() -> Graph:
    """A fresh graph holding the ontology and the category scheme (parsed once, copied per call)."""
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in _model()[0])
    return graph


def default_engine() -> Engine:
    """The engine named by ``RDKG_SHACL_ENGINE``, else ``turbo``; an unknown name is a ValueError."""
    return check_engine(os.environ.get(ENGINE_ENV, "").strip() or DEFAULT_ENGINE)


def check_engine(name: str) -> Engine:
    for engine in ENGINES:
        if name.lower() == engine:
            return engine
    raise ValueError(f"unknown SHACL engine {name!r} (expected one of: {', '.join(ENGINES)})")


def validate(
    paths: Sequence[Path], sparql_model_checks: bool = False, engine: str | None = None
) -> ValidationReport:
    """Validate the Turtle files (or directories) against ontology + shapes. Raises DataFileError on bad input.

    The model checks (unknown classes/properties, untyped or blank nodes, domains) run natively by default;
    ``sparql_model_checks=True`` runs the deactivated SPARQL shapes of shapes.ttl instead (slow; for tests).
    ``engine``: ``"turbo"`` (pyshacl-turbo) or ``"pyshacl"`` (the reference); default :func:`default_engine`.
    """
    chosen = check_engine(engine) if engine is not None else default_engine()
    # for turbo, rdflib's SimpleMemory store: no named-graph bookkeeping, ~1.5x faster to fill and to read than the
    # default Memory store, which pyshacl needs (it wraps the graph in a Dataset). Same triples either way.
    graph = Graph(store="SimpleMemory" if chosen == "turbo" else "default")
    graph.addN((s, p, o, graph) for s, p, o in _model()[0])
    model_size = len(graph)
    origins = dict(_model()[1])
    loaded = load_files(paths, into=graph)
    origins.update(loaded.origins)
    shapes = shapes_graph()
    found = [] if sparql_model_checks else list(model_violations(graph, origins))
    if sparql_model_checks:
        shapes = _activated(shapes)
    conforms, results = run_engine(chosen, graph, shapes, sparql_model_checks)
    violations = sorted(set(_violations(results, origins)) | set(found), key=_sort_key)
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


def model_violations(graph: Graph, origins: dict[Node, Path]) -> Iterable[Violation]:
    """The checks of the deactivated SPARQL shapes in shapes.ttl, natively (linear in the graph size)."""
    classes = rdkg_classes(graph) | SKOS_CLASSES
    properties = rdkg_properties(graph)
    messages = _model_messages()

    def violation(shape: str, focus: Node, path: Node | None = None, value: Node | None = None) -> Violation:
        text = messages[shape].replace("{?value}", compact(value)).replace("{?path}", compact(path))
        origin = origins.get(focus)
        return Violation(
            compact(focus),
            compact(path) if path is not None else None,
            text,
            "Violation",
            compact(value) if value is not None else None,
            _relative(origin) if origin else None,
        )

    index = _Index(graph)
    for s, types in index.types.items():
        if _in_id_space(s):
            for t in types - classes:
                yield violation("UnknownClassShape", s, value=t)
    for s, p in index.pairs:
        if _in_id_space(s) and p != RDF.type and not str(p).startswith(SKOS_NS) and p not in properties:
            yield violation("UnknownPropertyShape", s, path=p)
    for node in index.used:
        if isinstance(node, BNode):
            yield violation("BlankNodeShape", node, value=node)
        elif _in_id_space(node) and node not in index.types:
            yield violation("UntypedNodeShape", node, path=RDF.type)
    yield from (violation("DomainShape", s, path=p) for s, p in _domain_errors(graph, index, properties))


def _in_id_space(node: Node) -> bool:
    return isinstance(node, URIRef) and str.startswith(node, _ID)


_ID = str(ID)
_RDKG = str(RDKG)


class _Index:
    """What the model checks need, from one pass over the graph (rdflib's per-pattern lookups are much slower)."""

    def __init__(self, graph: Graph) -> None:
        #: subject -> its rdf:type objects
        self.types: dict[Node, set[Node]] = {}
        #: distinct (subject, predicate) pairs
        self.pairs: set[tuple[Node, Node]] = set()
        #: subjects and objects of rdkg data properties (plus subjects of anything, for the untyped check)
        self.used: set[Node] = set()
        rdf_type, allowed_values = RDF.type, RDKG.allowedValues
        kinds: dict[Node, tuple[bool, bool]] = {}  # predicate -> (is rdf:type, is an rdkg data property)
        for s, p, o in graph:
            self.pairs.add((s, p))
            kind = kinds.get(p)
            if kind is None:
                kind = kinds[p] = (p == rdf_type, str(p).startswith(_RDKG) and p != allowed_values)
            if kind[0]:
                self.types.setdefault(s, set()).add(o)
                if isinstance(o, URIRef) and str.startswith(o, _RDKG):
                    self.used.add(s)
            if kind[1]:
                self.used.add(s)
                if not isinstance(o, Literal):
                    self.used.add(o)
            elif _in_id_space(s):
                self.used.add(s)


def _domain_errors(graph: Graph, index: _Index, properties: set[URIRef]) -> Iterable[tuple[Node, Node]]:
    allowed: dict[Node, set[Node]] = {}
    for p in properties:
        domain = graph.value(p, RDFS.domain)
        if domain is None or domain == OWL.Thing:
            continue
        union = graph.value(domain, OWL.unionOf)
        allowed[p] = set(Collection(graph, union)) if union is not None else {domain}
    closures: dict[Node, set[Node]] = {}
    for s, used in index.pairs:
        if used not in allowed or not _in_id_space(s):
            continue
        types = index.types.get(s)
        if not types:
            continue  # reported as untyped
        for t in types - closures.keys():
            closures[t] = {c for c in graph.transitive_objects(t, RDFS.subClassOf) if c is not None}
        if not any(closures[t] & allowed[used] for t in types):
            yield s, used


@cache
def _model_messages() -> dict[str, str]:
    """sh:message of each model-check shape (on the shape, its sh:sparql or its sh:property)."""
    shapes = shapes_graph()
    names = ("UnknownClassShape", "UnknownPropertyShape", "UntypedNodeShape", "BlankNodeShape", "DomainShape")
    found: dict[str, str] = {}
    for name in names:
        shape = RDKGSH[name]
        parts = [shape, *shapes.objects(shape, SH.sparql), *shapes.objects(shape, SH.property)]
        found[name] = next(str(m) for part in parts for m in shapes.objects(part, SH.message))
    return found


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
            file=_relative(origin) if origin else None,
        )


def compact(node: Node | None) -> str:
    """``id:PRK``, ``rdkg:from``, ``"text"@en``, ``_:b0`` …"""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        text = str(node)
        for namespace, prefix in PREFIXES.items():
            if text.startswith(namespace):
                return prefix + text[len(namespace) :]
        return f"<{text}>"
    if isinstance(node, Literal):
        return node.n3(namespace_manager=None)
    return node.n3()


def render_path(results: Graph, path: Node) -> str:
    """A SHACL path as text; alternative paths as ``rdkg:date|rdkg:startDate``."""
    if isinstance(path, BNode):
        alternatives = results.value(path, SH.alternativePath)
        if alternatives is not None:
            return "|".join(compact(p) for p in Collection(results, alternatives))
    return compact(path)


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _sort_key(v: Violation) -> tuple[str, str, str, str]:
    return (v.file or "", v.focus, v.path or "", v.message)
