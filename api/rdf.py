"""The knowledge base as RDF, for the exports: the data the loader reads (``data/*.ttl`` and the CSV records in
``data/csv/``, converted the loader's way) plus the ontology, parsed once per process and again when the files
change — and served only while they are the data the graph holds (see :class:`KnowledgeBase`).

``GET /export`` serialises it whole (cached per format); ``GET /entities/{id}`` with ``Accept: text/turtle`` or
``application/ld+json`` serialises one individual: its own triples, those of its claims and quantities, its name
variants (``rdkg:NameVariant``: a spelling some sources use, ``rdkg:variantOf`` it) with their claims, and the names
of the nodes it points at.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from rdflib import Graph, URIRef

from api.errors import DataDiffersFromGraph, KnowledgeBaseUnavailable, NotFound
from graph.errors import DataFileError
from loaders.inputs import load_graph, model_graph, turtle_inputs
from loaders.release import data_files, data_fingerprint
from ontology import ID, RDKG

RDKG_SUPPORTED_BY = RDKG["supportedBy"]
RDKG_HAS_QUANTITY = RDKG["hasQuantity"]
RDKG_NAME = RDKG["name"]
RDKG_TITLE = RDKG["title"]
RDKG_VARIANT_OF = RDKG["variantOf"]
#: how long the knowledge base trusts its last look at the data files (seconds)
RECHECK_SECONDS = 1.0
#: the header every RDF answer carries: the input fingerprint of the files it was made from (/health's
#: ``data_fingerprint`` is the graph's)
FINGERPRINT_HEADER = "X-Rdkg-Data-Fingerprint"


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


@dataclass(frozen=True)
class Rdf:
    """An RDF answer and the input fingerprint of the data files it was made from (``X-Rdkg-Data-Fingerprint``)."""

    body: bytes
    fingerprint: str


class KnowledgeBase:
    """Parsed on first use, then shared by every request of the process (thread-safe).

    It follows ``data/``: the files' names, sizes and modification times are looked at again at most every
    ``recheck_seconds``; when they changed, the input fingerprint is computed again (``loaders.release``: the one
    ``rdkg load`` records in the graph) and, if it changed, the files are parsed again on next use. Every answer
    is checked against the fingerprint of the data the graph holds (``expected``, from ``api.version``): when they
    differ the answer is a 409 ``data_differs_from_graph`` (:class:`api.errors.DataDiffersFromGraph`), so an RDF
    view never silently shows other data than the JSON routes; ``expected=None`` (Neo4j unreachable, or a graph
    not loaded by ``rdkg load``) serves the files as they are.
    """

    def __init__(self, data_dir: Path, recheck_seconds: float = RECHECK_SECONDS) -> None:
        self.data_dir = data_dir
        self.recheck_seconds = recheck_seconds
        self._graph: Graph | None = None
        self._fingerprint: str | None = None
        self._stamp: tuple[tuple[str, int, int], ...] | None = None
        self._checked = -math.inf
        self._dumps: dict[RdfFormat, bytes] = {}
        self._lock = threading.Lock()

    def _files_stamp(self) -> tuple[tuple[str, int, int], ...]:
        out = []
        for path in data_files(self.data_dir) if self.data_dir.is_dir() else []:
            stat = path.stat()
            out.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(out)

    def _follow_files(self) -> str:
        """(Under the lock.) The fingerprint of the files now; the parsed graph is dropped when it changed."""
        now = time.monotonic()
        if self._fingerprint is not None and now - self._checked < self.recheck_seconds:
            return self._fingerprint
        try:
            stamp = self._files_stamp()
            if stamp != self._stamp or self._fingerprint is None:
                fingerprint = data_fingerprint([Path(name) for name, _, _ in stamp])
                if fingerprint != self._fingerprint:
                    self._graph, self._dumps = None, {}
                self._stamp, self._fingerprint = stamp, fingerprint
        except OSError as exc:  # a file removed or unreadable while being looked at
            raise KnowledgeBaseUnavailable(f"cannot read the knowledge base in {self.data_dir}: {exc}") from exc
        self._checked = now
        return self._fingerprint

    def fingerprint(self, expected: str | None = None) -> str:
        """The input fingerprint of the data files now; DataDiffersFromGraph if it is not ``expected``."""
        with self._lock:
            return self._check(expected)

    def _check(self, expected: str | None) -> str:
        fingerprint = self._follow_files()
        if expected is not None and expected != fingerprint:
            raise DataDiffersFromGraph(
                f"the RDF files in {self.data_dir} (input fingerprint {fingerprint[:12]}…) are not the data the "
                f"graph was loaded from ({expected[:12]}…): RDF views and /export answer only from the data the "
                "JSON routes answer from. Load the files into the graph (`rdkg load`), or put back the files the "
                "graph was loaded from")
        return fingerprint

    def _parsed(self) -> Graph:
        """(Under the lock.)"""
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

    def graph(self, expected: str | None = None) -> Graph:
        with self._lock:
            self._check(expected)
            return self._parsed()

    def dump(self, fmt: RdfFormat, expected: str | None = None) -> Rdf:
        """The whole knowledge base in ``fmt`` (serialised once per format and data)."""
        with self._lock:
            fingerprint = self._check(expected)
            if fmt not in self._dumps:
                self._dumps[fmt] = self._parsed().serialize(format=fmt.rdflib_name, encoding="utf-8")
            return Rdf(self._dumps[fmt], fingerprint)

    def describe(self, node_id: str, fmt: RdfFormat, expected: str | None = None) -> Rdf:
        with self._lock:
            fingerprint = self._check(expected)
            graph = self._parsed()
        subject = URIRef(ID + node_id)
        if (subject, None, None) not in graph:
            raise NotFound(f"no entity with id {node_id!r} in the knowledge base")
        out = Graph()
        _bind(out)
        variants = list(graph.subjects(RDKG_VARIANT_OF, subject))
        for s in [subject, *graph.objects(subject, RDKG_SUPPORTED_BY), *graph.objects(subject, RDKG_HAS_QUANTITY),
                  *variants, *(c for v in variants for c in graph.objects(v, RDKG_SUPPORTED_BY))]:
            for triple in graph.triples((s, None, None)):
                out.add(triple)
        for obj in set(out.objects()):
            if isinstance(obj, URIRef) and obj.startswith(ID) and obj != subject:
                for label in (RDKG_NAME, RDKG_TITLE):
                    for triple in graph.triples((obj, label, None)):
                        out.add(triple)
        return Rdf(out.serialize(format=fmt.rdflib_name, encoding="utf-8"), fingerprint)


def _bind(graph: Graph) -> None:
    graph.bind("rdkg", RDKG)
    graph.bind("id", ID)
