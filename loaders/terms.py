"""Plain RDF terms for the load path: IRIs are ``str``, blank nodes :class:`Blank`, literals :class:`Lit`.

The loader only needs each term's text, language and datatype. Plain tuples and strings are several times cheaper
to build, hash and keep than rdflib's term objects, which matters at 10^6 triples (see docs/benchmarks.md).
:func:`plain` converts rdflib terms, so code and tests that hold an rdflib graph use the same mapping.
"""

from __future__ import annotations

from typing import NamedTuple

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class Blank(str):
    """A blank node (its label)."""

    __slots__ = ()


class Lit(NamedTuple):
    """A literal: lexical form, language tag (lower case) or None, datatype IRI."""

    value: str
    language: str | None
    datatype: str


Term = str | Blank | Lit
PlainTriple = tuple[Term, str, Term]


def plain(node: Node) -> Term:
    """An rdflib term as a plain term."""
    if isinstance(node, Literal):
        if node.language:
            return Lit(str(node), node.language.lower(), RDF_LANG_STRING)
        return Lit(str(node), None, str(node.datatype) if node.datatype is not None else XSD_STRING)
    if isinstance(node, BNode):
        return Blank(node)
    if isinstance(node, URIRef):
        return str(node)
    raise TypeError(f"unsupported RDF term {node!r}")


def n3(term: Term) -> str:
    """Turtle-like text of a term, for messages: ``<iri>``, ``_:b0``, ``"text"@en``, ``"1"^^<…#integer>``."""
    if isinstance(term, Lit):
        text = '"' + term.value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if term.language:
            return f"{text}@{term.language}"
        return text if term.datatype == XSD_STRING else f"{text}^^<{term.datatype}>"
    if isinstance(term, Blank):
        return f"_:{term}"
    return f"<{term}>"
