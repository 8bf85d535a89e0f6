"""RDF literals → Neo4j values: dates with their precision, numbers, booleans, strings; search text."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import XSD, Literal, URIRef

from graph.contract import fold

DATE_PRECISION = {XSD.date: "day", XSD.gYearMonth: "month", XSD.gYear: "year"}
INTEGER_TYPES = {
    XSD.integer, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger, XSD.positiveInteger,
    XSD.negativeInteger, XSD.nonPositiveInteger, XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort,
}
FLOAT_TYPES = {XSD.decimal, XSD.double, XSD.float}
RDKG_NUMBER = URIRef("https://w3id.org/rdkg/ontology#Number")
RDKG_DATE = URIRef("https://w3id.org/rdkg/ontology#IsoDatePrefix")


class LiteralError(ValueError):
    """A literal whose lexical form does not fit its datatype."""


@dataclass(frozen=True)
class Converted:
    value: object
    precision: str | None = None  # "day" / "month" / "year" for dates


_PRECISION = {str(k): v for k, v in DATE_PRECISION.items()}
_INTEGERS = frozenset(str(t) for t in INTEGER_TYPES)
_FLOATS = frozenset(str(t) for t in FLOAT_TYPES)
_BOOLEAN = str(XSD.boolean)


def convert(literal: Literal) -> Converted:
    """One literal as a Neo4j value (dates: the first day of the period plus its precision)."""
    return convert_text(str(literal), str(literal.datatype) if literal.datatype is not None else None)


def convert_text(text: str, datatype: str | None) -> Converted:
    """A literal given as lexical form + datatype IRI (``None``/xsd:string/rdf:langString: a string)."""
    try:
        if datatype in _PRECISION:
            return Converted(period_start(text, _PRECISION[datatype]), _PRECISION[datatype])  # type: ignore[index]
        if datatype in _INTEGERS:
            return Converted(int(text))
        if datatype in _FLOATS:
            return Converted(float(text))
        if datatype == _BOOLEAN:
            return Converted(_boolean(text))
    except ValueError as exc:
        raise LiteralError(f"{text!r} is not a valid {datatype}: {exc}") from None
    return Converted(text)


def _boolean(text: str) -> bool:
    if text.strip() in ("true", "1"):
        return True
    if text.strip() in ("false", "0"):
        return False
    raise ValueError("expected true/false/1/0")


def period_start(text: str, precision: str) -> dt.date:
    """``2023-09`` (month) → 2023-09-01; ``2024`` (year) → 2024-01-01; ``2024-06-19`` (day) → itself."""
    text = text.strip()
    if precision == "year":
        return dt.date(int(text[:4]), 1, 1)
    if precision == "month":
        return dt.date(int(text[:4]), int(text[5:7]), 1)
    return dt.date.fromisoformat(text[:10])


def period_end(start: dt.date, precision: str) -> dt.date:
    """The last day of the period that begins at ``start``."""
    if precision == "year":
        return dt.date(start.year, 12, 31)
    if precision == "month":
        return dt.date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    return start


def search_text(values: Iterable[str]) -> str:
    """Lower-cased, accents stripped (NFKD, combining marks dropped), distinct values joined with `` | ``."""
    seen: list[str] = []
    for value in values:
        folded = fold(value)
        if folded and folded not in seen:
            seen.append(folded)
    return " | ".join(seen)


def neo4j_type_name(rng: URIRef | None) -> str:
    """The Neo4j type a datatype property's declared range maps to (for the docs table)."""
    if rng in DATE_PRECISION or rng == RDKG_DATE:
        return "date (+ `<key>Precision` string)"
    if rng in INTEGER_TYPES:
        return "integer"
    if rng == RDKG_NUMBER:
        return "integer or float (xsd:integer → integer, xsd:decimal → float)"
    if rng in FLOAT_TYPES:
        return "float"
    if rng == XSD.boolean:
        return "boolean"
    return "string"
