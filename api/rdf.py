"""The knowledge base as RDF, for the exports: the data the loader reads (``data/*.ttl`` and the CSV records in
``data/csv/``, converted the loader's way) plus the ontology, parsed once per process.

``GET /export`` serialises it whole (cached per format); ``GET /entities/{id}`` with ``Accept: text/turtle`` or
``application/ld+json`` serialises one individual: its own triples, those of its claims and quantities, and the
names of the nodes it points at.
"""

from __future__ import annotations

import threading
from enum import StrEnum
from pathlib import Path

from rdflib import Graph, URIRef

from api.errors import KnowledgeBaseUnavailable, NotFound
from loaders.inputs import DataFileError, load_graph, model_graph, turtle_inputs
from ontology import ID, RDKG

RDKG_SUPPORTED_BY = RDKG["supportedBy"]
RDKG_HAS_QUANTITY = RDKG["hasQuantity"]
RDKG_NAME = RDKG["name"]
RDKG_TITLE = RDKG["title"]


class RdfFormat(StrEnum):
    turtle = "turtle"
    jsonld = "jsonld"

    @property
    def media_type(self) -> str:
        return {"turtle": "text/turtle; charset=utf-8", "jsonld": "application/ld+json"}[self.value]

    @property
    def rdflib_name(self) -> str:
        return {"turtle": "turtle", "jsonld": "json-ld"}[self.value]


MEDIA_TYPES = {"text/turtle": RdfFormat.turtle, "application/x-turtle": RdfFormat.turtle,
               "application/ld+json": RdfFormat.jsonld}


def negotiate(accept: str | None, fmt: str | None) -> RdfFormat | None:
    """An explicit ``?format=`` wins; otherwise the first RDF media type in ``Accept``; None means JSON."""
    if fmt:
        return RdfFormat(fmt)
    for part in (accept or "").split(","):
        media = part.split(";")[0].strip().lower()
        if media in MEDIA_TYPES:
            return MEDIA_TYPES[media]
    return None


class KnowledgeBase:
    """Lazily parsed, then shared by every request of the process (thread-safe)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._graph: Graph | None = None
        self._dumps: dict[RdfFormat, bytes] = {}
        self._lock = threading.Lock()

    def graph(self) -> Graph:
        with self._lock:
            if self._graph is None:
                try:
                    with turtle_inputs([self.data_dir]) as files:
                        graph = load_graph(files)
                    graph += model_graph()
                except (DataFileError, OSError) as exc:  # unreadable or malformed files (CSV errors included)
                    raise KnowledgeBaseUnavailable(f"cannot read the knowledge base in {self.data_dir}: {exc}") from exc
                _bind(graph)
                self._graph = graph
            return self._graph

    def dump(self, fmt: RdfFormat) -> bytes:
        graph = self.graph()
        with self._lock:
            if fmt not in self._dumps:
                self._dumps[fmt] = graph.serialize(format=fmt.rdflib_name, encoding="utf-8")
            return self._dumps[fmt]

    def describe(self, node_id: str, fmt: RdfFormat) -> bytes:
        graph = self.graph()
        subject = URIRef(ID + node_id)
        if (subject, None, None) not in graph:
            raise NotFound(f"no entity with id {node_id!r} in the knowledge base")
        out = Graph()
        _bind(out)
        for s in [subject, *graph.objects(subject, RDKG_SUPPORTED_BY), *graph.objects(subject, RDKG_HAS_QUANTITY)]:
            for triple in graph.triples((s, None, None)):
                out.add(triple)
        for obj in set(out.objects()):
            if isinstance(obj, URIRef) and obj.startswith(ID) and obj != subject:
                for label in (RDKG_NAME, RDKG_TITLE):
                    for triple in graph.triples((obj, label, None)):
                        out.add(triple)
        return out.serialize(format=fmt.rdflib_name, encoding="utf-8")


def _bind(graph: Graph) -> None:
    graph.bind("rdkg", RDKG)
    graph.bind("id", ID)
