"""What validation reports: one :class:`Violation` per problem, ready to print, and the whole report.

Names are compacted with the project's prefixes (``id:PRK``, ``rdkg:from``); each violation names the data file
that defines its focus node, relative to the working directory.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ontology import ID, RDKG

SH = Namespace("http://www.w3.org/ns/shacl#")
PREFIXES = {
    str(ID): "id:",
    str(RDKG): "rdkg:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
}



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


def relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def sort_key(v: Violation) -> tuple[str, str, str, str]:
    return (v.file or "", v.focus, v.path or "", v.message)
