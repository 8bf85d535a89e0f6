"""The model checks, natively: unknown classes and properties, untyped and blank nodes, properties outside their
domain — what the deactivated SPARQL shapes of ``ontology/shapes.ttl`` say (and their messages), linear in the
graph's size. ``validate(..., sparql_model_checks=True)`` runs the SPARQL shapes instead; a test checks both agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from loaders.inputs import shapes_graph
from loaders.report import SH, Violation, compact, relative
from ontology import ID, RDKG, RDKGSH, rdkg_classes, rdkg_properties

SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
SKOS_CLASSES = {URIRef(SKOS_NS + "Concept"), URIRef(SKOS_NS + "ConceptScheme")}


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
            relative(origin) if origin else None,
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

