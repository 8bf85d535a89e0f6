"""The rdkg ontology as data: Turtle files plus a few helpers to read them.

``rdkg.ttl`` (OWL classes and properties), ``categories.ttl`` (the SKOS item scheme) and ``shapes.ttl`` (SHACL)
are the single source of truth; Python reads names, closed value sets and hierarchies from them through the
helpers below instead of copying constants.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

ONTOLOGY_DIR = Path(__file__).resolve().parent
ONTOLOGY_TTL = ONTOLOGY_DIR / "rdkg.ttl"
CATEGORIES_TTL = ONTOLOGY_DIR / "categories.ttl"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"
#: The model (classes, properties, categories) — what validation merges into the data graph.
ONTOLOGY_FILES = (ONTOLOGY_TTL, CATEGORIES_TTL)

RDKG = Namespace("https://w3id.org/rdkg/ontology#")
ID = Namespace("https://w3id.org/rdkg/id/")
RDKGSH = Namespace("https://w3id.org/rdkg/shapes#")
ITEM_SCHEME = ID["item-categories"]


@cache
def ontology_graph() -> Graph:
    """The parsed ontology and category scheme (cached; do not mutate)."""
    graph = Graph()
    for path in ONTOLOGY_FILES:
        graph.parse(path, format="turtle")
    return graph


def rdkg_classes(graph: Graph | None = None) -> set[URIRef]:
    """Every ``owl:Class`` in the rdkg namespace."""
    g = graph if graph is not None else ontology_graph()
    return {c for c in g.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef) and c.startswith(RDKG)}


def rdkg_properties(graph: Graph | None = None, kind: URIRef | None = None) -> set[URIRef]:
    """Every rdkg object and datatype property (or only those of ``kind``, e.g. ``OWL.ObjectProperty``)."""
    g = graph if graph is not None else ontology_graph()
    kinds = (kind,) if kind is not None else (OWL.ObjectProperty, OWL.DatatypeProperty)
    return {p for k in kinds for p in g.subjects(RDF.type, k) if isinstance(p, URIRef) and p.startswith(RDKG)}


def allowed_values(graph: Graph | None = None) -> dict[str, list[str]]:
    """Closed value sets by property local name, e.g. ``{"stance": ["asserts", …], …}``."""
    g = graph if graph is not None else ontology_graph()
    sets: dict[str, list[str]] = {}
    for prop, head in g.subject_objects(RDKG.allowedValues):
        values = [str(v) for v in Collection(g, head) if isinstance(v, Literal)]
        sets[local_name(prop)] = values
    return dict(sorted(sets.items()))


def superclasses(cls: URIRef, graph: Graph | None = None) -> list[URIRef]:
    """The rdkg superclasses of ``cls`` (transitively, nearest first), without ``cls`` itself."""
    g = graph if graph is not None else ontology_graph()
    found: list[URIRef] = []
    frontier = [cls]
    while frontier:
        current = frontier.pop(0)
        for parent in g.objects(current, RDFS.subClassOf):
            if isinstance(parent, URIRef) and parent.startswith(RDKG) and parent not in found:
                found.append(parent)
                frontier.append(parent)
    return found


def local_name(iri: Node | str) -> str:
    """The part after ``#`` or the last ``/``."""
    text = str(iri)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


def replace_section(text: str, begin: str, end: str, body: str) -> str:
    """``text`` with the lines between the marker lines ``begin`` and ``end`` replaced by ``body``."""
    head, sep, rest = text.partition(begin)
    if not sep or end not in rest:
        raise ValueError(f"markers {begin!r} … {end!r} not found")
    _, _, tail = rest.partition(end)
    return f"{head}{begin}\n{body.rstrip()}\n{end}{tail}"
