"""The loader's first stage: which files a load reads, and parsing them.

Paths expand to Turtle files (a directory gives its ``*.ttl``; CSV files, given or found in a directory and its
``csv/``, are converted to temporary Turtle files by :mod:`loaders.csv_loader`). ``load_files`` parses data files
into one rdflib graph (with pyoxigraph's Rust Turtle parser: terms converted to rdflib's, each distinct term once;
rdflib's own parser, ~10x slower, is the fallback and parses the ontology files, once). Every failure to read or
parse becomes :class:`DataFileError` naming ``file:line``.

This is the only stage outside the loader that may be imported (the API's RDF views read the data through it).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from graph.errors import DataFileError
from loaders.terms import PlainTriple, plain
from ontology import ID, ONTOLOGY_FILES, SHAPES_TTL, ontology_graph

try:
    import pyoxigraph as ox
except ImportError:  # pragma: no cover - a declared dependency; rdflib's parser is the fallback
    ox = None  # type: ignore[assignment]




@dataclass
class LoadedData:
    graph: Graph
    files: list[Path]
    #: node -> the file that defines it (types it), else the first file that mentions it
    origins: dict[Node, Path]



class turtle_inputs:  # noqa: N801 — used as a context manager
    """Expand paths to Turtle files; CSV files are converted to temporary Turtle files (removed on exit)."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = list(paths)
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> list[Path]:
        from loaders.csv_loader import csv_to_turtle

        ttl, csvs = expand_inputs(self.paths)
        if csvs:
            self._tmp = tempfile.TemporaryDirectory(prefix="rdkg-csv-")
            for path in csvs:
                target = Path(self._tmp.name) / f"{path.stem}-{len(ttl)}.ttl"
                target.write_text(csv_to_turtle(path), encoding="utf-8")
                ttl.append(target)
        return ttl

    def __exit__(self, *exc: object) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()


def expand_inputs(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """(Turtle files, CSV files): a directory gives its ``*.ttl`` and the ``*.csv`` in it and in its ``csv/``."""
    ttl: list[Path] = []
    csvs: list[Path] = []
    for path in paths:
        if path.is_dir():
            ttl += expand_paths([path])
            csvs += sorted(path.glob("*.csv")) + sorted(path.glob("csv/*.csv"))
        elif path.suffix.lower() == ".csv" and path.is_file():
            csvs.append(path)
        else:
            ttl += expand_paths([path])
    return ttl, csvs



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
def shapes_graph(ontology_dir: Path | None = None) -> Graph:
    """The shapes of ``ontology/`` — or of another ontology directory (a release's archived one)."""
    return parse_file(SHAPES_TTL if ontology_dir is None else ontology_dir / SHAPES_TTL.name)


@cache
def model_and_origins(ontology_dir: Path | None = None) -> tuple[Graph, dict[Node, Path]]:
    graph = Graph()
    origins: dict[Node, Path] = {}
    files = ONTOLOGY_FILES if ontology_dir is None else tuple(ontology_dir / f.name for f in ONTOLOGY_FILES)
    for path in files:
        part = parse_file(path)
        origins.update(dict.fromkeys(part.subjects(), path))
        graph += part
    return graph, origins


def model_graph() -> Graph:
    """A fresh graph holding the ontology and the category scheme (parsed once, copied per call)."""
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in model_and_origins()[0])
    return graph



@cache
def ontology_individuals() -> tuple[PlainTriple, ...]:
    """The triples about the ``id:`` individuals the ontology files define (the category scheme)."""
    return tuple((plain(s), str(p), plain(o)) for s, p, o in ontology_graph()
                 if isinstance(s, URIRef) and s.startswith(ID))

