"""The one contract between RDF and the property graph, derived from the ontology files (never from names copied
into Python). The loader writes by it and the readers (schema, canned-query parameters, the API's vocabulary) read
by it; nothing here is defined anywhere else:

- the ownership label ``:Rdkg`` (:data:`OWNERSHIP_LABEL`) that every node the loader writes carries;
- the identifier whitelist (:data:`IDENTIFIER`): labels, relationship types and property keys that may be written
  into Cypher text (only ones the ontology defines, and only plain identifiers);
- the text folding that search depends on (:func:`fold`: the loader builds ``searchText`` with it, the search
  parameters are folded with it);
- the property :data:`KIND` that every node carries: its own class, the most specific of its labels
  (:meth:`Mapping.kind_of`); readers filter and answer by it (:meth:`Mapping.kinds_within` lists the kinds a
  label covers: ``Transfer`` → ``MaterielTransfer``, ``PersonnelDeployment`` …), so no query lists class names;
- labels, relationship types and property keys with their value shapes (:class:`Mapping`):

- an ``owl:Class`` of the rdkg namespace → a label (its local name) plus the labels of its rdkg superclasses;
- an rdkg ``owl:ObjectProperty`` → a relationship type in UPPER_SNAKE_CASE (``supportedBy`` → ``SUPPORTED_BY``),
  whose human label is the property's English ``rdfs:label`` (:meth:`Mapping.relation_label`: ``supported by``);
- an rdkg ``owl:DatatypeProperty`` → a node property (camelCase kept; ``alias`` → ``aliases``), a scalar when the
  property is ``owl:FunctionalProperty`` (or ``name``), a list otherwise;
- a class annotated ``rdkg:searchable false`` (claims, quantities) → its nodes get no ``searchText``;
- individuals that the ontology files themselves define (the SKOS scheme and its concepts) use a few terms of
  other vocabularies (``skos:prefLabel``, ``skos:broader`` …); those terms are read from the ontology files too and
  mapped by the same rules (literal → property, ``id:`` IRI → relationship, other IRI → string property).

``Mapping.from_ontology()`` builds the whitelist that :mod:`loaders.cypher` checks every identifier against.
docs/mapping.md documents the rules; its generated tables come from :func:`loaders.mapping.mapping_table`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from ontology import ID, RDKG, allowed_values, local_name, ontology_graph, superclasses

OWNERSHIP_LABEL = "Rdkg"
#: the node property holding the node's own class (the most specific of its labels), written by the loader
KIND = "kind"
RENAMED = {"alias": "aliases"}
SCALAR_EXTRA = {"name"}  # non-functional in the ontology, but one display value per node (others → aliases)
#: what a label, relationship type or property key must look like to be written into Cypher text
IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def rel_type(local: str) -> str:
    """``supportedBy`` → ``SUPPORTED_BY``; ``from`` → ``FROM``."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", local).upper()


@dataclass(frozen=True)
class DatatypeSpec:
    """How one datatype property becomes a node property."""

    iri: URIRef
    key: str  # the Neo4j property key
    functional: bool
    range: URIRef | None

    @property
    def is_list(self) -> bool:
        return not self.functional and self.key not in SCALAR_EXTRA and local_name(self.iri) not in SCALAR_EXTRA


@dataclass(frozen=True)
class Mapping:
    """Labels, relationship types and property keys allowed by the ontology."""

    class_labels: dict[URIRef, tuple[str, ...]]  # class → (own label, superclass labels…)
    relationships: dict[URIRef, str]  # object property → relationship type
    datatypes: dict[URIRef, DatatypeSpec]
    foreign_types: dict[URIRef, str] = field(default_factory=dict)  # e.g. skos:ConceptScheme → ConceptScheme
    allowed_values: dict[str, list[str]] = field(default_factory=dict)
    unsearchable: frozenset[str] = frozenset()  # labels of classes annotated rdkg:searchable false
    relation_labels: dict[str, str] = field(default_factory=dict)  # relationship type → rdfs:label@en

    @classmethod
    def from_ontology(cls, graph: Graph | None = None) -> Mapping:
        g = graph if graph is not None else ontology_graph()
        classes = {c for c in g.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef) and c.startswith(RDKG)}
        labels = {c: (local_name(c), *(local_name(s) for s in superclasses(c, g))) for c in classes}
        rels = {p: rel_type(local_name(p)) for p in _props(g, OWL.ObjectProperty)}
        datatypes = {p: _datatype_spec(g, p) for p in _props(g, OWL.DatatypeProperty)}
        foreign_types, foreign_rels, foreign_data = _foreign_terms(g)
        rels.update(foreign_rels)
        datatypes.update(foreign_data)
        unsearchable = frozenset(local_name(c) for c in classes if (c, RDKG.searchable, Literal(False)) in g)
        if clash := sorted(local_name(p) for p, spec in datatypes.items() if spec.key == KIND):
            raise ValueError(f"ontology property {clash[0]!r} would overwrite the node property {KIND!r}")
        relation_labels = {rel: _english_label(g, prop) for prop, rel in rels.items()}
        mapping = cls(labels, rels, datatypes, foreign_types, _allowed_values(g), unsearchable,
                      {rel: label for rel, label in relation_labels.items() if label})
        mapping.check_identifiers()
        return mapping

    @property
    def labels(self) -> frozenset[str]:
        found = {label for names in self.class_labels.values() for label in names}
        return frozenset(found | set(self.foreign_types.values()) | {OWNERSHIP_LABEL})

    @property
    def relationship_types(self) -> frozenset[str]:
        return frozenset(self.relationships.values())

    def labels_for(self, types: set[URIRef]) -> tuple[str, ...]:
        """Sorted labels for a node typed with ``types`` (unknown types must be refused before)."""
        found = {label for t in types if t in self.class_labels for label in self.class_labels[t]}
        if not found:
            found = {self.foreign_types[t] for t in types if t in self.foreign_types}
        return (OWNERSHIP_LABEL, *sorted(found))

    def relation_label(self, rel: str) -> str:
        """A relationship type's human label: its property's English ``rdfs:label`` (``PART_OF_STATE`` → ``part of
        state``), else the type in words (``IN_SCHEME`` → ``in scheme``: SKOS terms carry no label here)."""
        return self.relation_labels.get(rel) or rel.lower().replace("_", " ")

    def kind_of(self, labels: Iterable[str]) -> str:
        """The node's own class among its ``labels``: the one no other label of the node specialises (the
        ownership label only when there is no other). Raises ``ValueError`` for unrelated classes (a node
        typed both ``Person`` and ``Vessel`` has no one kind)."""
        own = [label for label in labels if label != OWNERSHIP_LABEL]
        below = self._superclass_labels
        found = sorted({label for label in own if not any(label in below.get(other, ()) for other in own)})
        if len(found) > 1:
            raise ValueError(f"has classes {' and '.join(found)}, neither a subclass of the other: a node has one "
                             "own class (its kind)")
        return found[0] if found else OWNERSHIP_LABEL

    def kinds_within(self, labels: Iterable[str]) -> list[str]:
        """Every kind a node with one of ``labels`` can have: the labels themselves and their subclasses, sorted
        (``["Meeting"]`` → ``["Meeting", "Visit"]``)."""
        wanted = set(labels)
        return sorted({own for own, supers in self._superclass_labels.items() if wanted & {own, *supers}}
                      | (wanted & self.labels))

    @cached_property
    def _superclass_labels(self) -> dict[str, tuple[str, ...]]:
        return {names[0]: names[1:] for names in self.class_labels.values()}

    def check_identifiers(self) -> None:
        for name in (*self.labels, *self.relationship_types, *(s.key for s in self.datatypes.values())):
            if not IDENTIFIER.match(name):
                raise ValueError(f"ontology term {name!r} is not a safe Neo4j identifier")


def _english_label(g: Graph, prop: URIRef) -> str | None:
    labels = {label.language: str(label) for label in g.objects(prop, RDFS.label) if isinstance(label, Literal)}
    return labels.get("en") or labels.get(None)


def _props(g: Graph, kind: URIRef) -> set[URIRef]:
    return {p for p in g.subjects(RDF.type, kind) if isinstance(p, URIRef) and p.startswith(RDKG)}


def _datatype_spec(g: Graph, prop: URIRef) -> DatatypeSpec:
    local = local_name(prop)
    functional = (prop, RDF.type, OWL.FunctionalProperty) in g
    rng = g.value(prop, RDFS.range)
    return DatatypeSpec(prop, RENAMED.get(local, local), functional, rng if isinstance(rng, URIRef) else None)


def _allowed_values(g: Graph) -> dict[str, list[str]]:
    return allowed_values(g)


def _foreign_terms(g: Graph) -> tuple[dict[URIRef, str], dict[URIRef, str], dict[URIRef, DatatypeSpec]]:
    """Types and predicates of other vocabularies used on the ``id:`` individuals of the ontology files."""
    types: dict[URIRef, str] = {}
    rels: dict[URIRef, str] = {}
    data: dict[URIRef, DatatypeSpec] = {}
    for s, p, o in g:
        if not (isinstance(s, URIRef) and s.startswith(ID)) or not isinstance(p, URIRef) or p.startswith(RDKG):
            continue
        if p == RDF.type:
            if isinstance(o, URIRef) and not o.startswith(RDKG):
                types[o] = local_name(o)
        elif isinstance(o, URIRef) and o.startswith(ID):
            rels[p] = rel_type(local_name(p))
        else:
            data[p] = DatatypeSpec(p, local_name(p), functional=_single_valued(g, p), range=None)
    return types, rels, data


def _single_valued(g: Graph, prop: URIRef) -> bool:
    subjects = list(g.subjects(prop, None))
    return len(subjects) == len(set(subjects))


@cache
def default_mapping() -> Mapping:
    return Mapping.from_ontology()


def fold(text: str) -> str:
    """Lower-case and strip accents (NFKD, combining marks dropped): how ``searchText`` is built and how search
    text is compared with it."""
    if text.isascii():  # NFKD changes no ASCII character and none is a combining mark
        return text.casefold().strip()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()
