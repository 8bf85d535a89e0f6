"""SIPRI-like CSV transfer records → RDF in the ontology's terms (docs/csv-format.md).

Each row becomes a ``Transfer`` (``id:<id>``), its ``Quantity`` (``id:<id>-q1``, when a figure is given), a
``Claim`` (``id:claim-<id>``) and, unless ``source_id`` names an existing source, a ``SourceDocument``
(``id:source-<id>``). The result is Turtle that goes through the same validation and load path as curated files.
Cell-level problems are collected for the whole file and raised together as :class:`CsvError`
(``file:line: column …``); closed value sets and Transfer subclasses are read from the ontology.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import RDF, XSD, Graph, Literal, URIRef

from graph.errors import DataFileError
from ontology import ID, RDKG, allowed_values, local_name, ontology_graph, superclasses

REQUIRED = ("id", "supplier", "recipient", "category", "start", "quote", "stance", "confidence")
OPTIONAL = (
    "type", "designation", "quantity_min", "quantity_max", "qualifier", "unit", "end", "status", "source_id",
    "source_url", "source_title", "source_publisher", "source_date", "note",
)
SOURCE_COLUMNS = ("source_url", "source_title", "source_publisher")
CLOSED = {"qualifier": "qualifier", "unit": "unit", "status": "status", "stance": "stance",
          "confidence": "confidence"}
SLUG = re.compile(r"^[A-Za-z0-9_-]+$")
DATE = re.compile(r"^(\d{4})(-(0[1-9]|1[0-2]))?(-(0[1-9]|[12]\d|3[01]))?$")
DEFAULT_TYPE = "MaterielTransfer"


class CsvError(DataFileError):
    """One or more bad cells; ``problems`` lists them as ``file:line: column X: message``."""

    code = "invalid_csv"

    def __init__(self, path: Path, problems: list[str]) -> None:
        super().__init__(path, None, f"{len(problems)} problem(s)")
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(self.problems)


def csv_to_turtle(path: Path) -> str:
    """The Turtle for every row of ``path``; raises :class:`CsvError` naming each bad cell."""
    return csv_to_graph(path).serialize(format="turtle")


def csv_to_graph(path: Path) -> Graph:
    graph = Graph()
    graph.bind("rdkg", RDKG)
    graph.bind("id", ID)
    problems: list[str] = []
    seen: set[str] = set()
    for line, row in _rows(path, problems):
        before = len(problems)
        _check_row(path, line, row, seen, problems)
        if len(problems) == before:
            _add_row(graph, row)
    if problems:
        raise CsvError(path, problems)
    return graph


def _rows(path: Path, problems: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise DataFileError(path, None, f"cannot read file: {exc}") from exc
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in REQUIRED if c not in header]
        unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
        if missing or unknown:
            parts = [f"missing column(s) {', '.join(missing)}"] if missing else []
            parts += [f"unknown column(s) {', '.join(unknown)}"] if unknown else []
            msg = "; ".join(parts)
            raise CsvError(path, [f"{path}:1: header: {msg}"])
        for row in reader:
            if None in row:
                problems.append(f"{path}:{reader.line_num}: row has more cells than the header")
                continue
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items()}


def _check_row(path: Path, line: int, row: dict[str, str], seen: set[str], problems: list[str]) -> None:
    def bad(column: str, message: str) -> None:
        problems.append(f"{path}:{line}: column {column}: {message}")

    for column in REQUIRED:
        if not row.get(column):
            bad(column, "required, but empty")
    for column in ("id", "supplier", "recipient", "category", "source_id"):
        if row.get(column) and not SLUG.match(row[column]):
            bad(column, f"{row[column]!r} is not an id (letters, digits, '-' and '_' only)")
    if row.get("id") in seen:
        bad("id", f"duplicate id {row['id']!r}")
    seen.add(row.get("id", ""))
    for column in ("start", "end", "source_date"):
        if row.get(column) and not DATE.match(row[column]):
            bad(column, f"{row[column]!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    for column in ("quantity_min", "quantity_max"):
        if row.get(column) and _number(row[column]) is None:
            bad(column, f"{row[column]!r} is not a number")
    _check_closed(row, bad)
    _check_quantity(row, bad)
    if row.get("type") and row["type"] not in transfer_types():
        bad("type", f"{row['type']!r} is not a Transfer class ({', '.join(sorted(transfer_types()))})")
    if not row.get("source_id"):
        for column in SOURCE_COLUMNS:
            if not row.get(column):
                bad(column, "required when source_id is empty")


def _check_closed(row: dict[str, str], bad: object) -> None:
    sets = allowed_values()
    for column, prop in CLOSED.items():
        value = row.get(column)
        if value and value not in sets.get(prop, [value]):
            bad(column, f"{value!r} is not one of {', '.join(sets[prop])}")  # type: ignore[operator]


def _check_quantity(row: dict[str, str], bad: object) -> None:
    has_figure = bool(row.get("quantity_min") or row.get("quantity_max"))
    if has_figure and not (row.get("qualifier") and row.get("unit")):
        bad("qualifier", "a quantity needs both qualifier and unit")  # type: ignore[operator]
    if not has_figure and (row.get("qualifier") or row.get("unit")):
        bad("quantity_min", "qualifier/unit given without quantity_min or quantity_max")  # type: ignore[operator]
    low, high = _number(row.get("quantity_min", "")), _number(row.get("quantity_max", ""))
    if low is not None and high is not None and low > high:
        bad("quantity_min", f"{low} is greater than quantity_max {high}")  # type: ignore[operator]


def transfer_types() -> set[str]:
    g = ontology_graph()
    classes = {c for c in g.subjects(RDF.type, None) if isinstance(c, URIRef) and c.startswith(RDKG)}
    return {local_name(c) for c in classes if c == RDKG.Transfer or RDKG.Transfer in superclasses(c, g)}


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "")) if text else None
    except InvalidOperation:
        return None


def _date(text: str) -> Literal:
    parts = text.count("-")
    datatype = {0: XSD.gYear, 1: XSD.gYearMonth}.get(parts, XSD.date)
    return Literal(text, datatype=datatype)


def _number_literal(text: str) -> Literal:
    value = _number(text)
    assert value is not None
    if value == value.to_integral_value():
        return Literal(str(int(value)), datatype=XSD.integer)
    return Literal(str(value), datatype=XSD.decimal)


def _add_row(g: Graph, row: dict[str, str]) -> None:
    transfer, claim = ID[row["id"]], ID[f"claim-{row['id']}"]
    source = ID[row["source_id"]] if row.get("source_id") else ID[f"source-{row['id']}"]
    g.add((transfer, RDF.type, RDKG[row.get("type") or DEFAULT_TYPE]))
    g.add((transfer, RDKG["from"], ID[row["supplier"]]))
    g.add((transfer, RDKG.to, ID[row["recipient"]]))
    g.add((transfer, RDKG.ofCategory, ID[row["category"]]))
    g.add((transfer, RDKG.startDate, _date(row["start"])))
    g.add((transfer, RDKG.supportedBy, claim))
    _optional(g, transfer, row, {"designation": RDKG.designation, "status": RDKG.status, "note": RDKG.note})
    if row.get("end"):
        g.add((transfer, RDKG.endDate, _date(row["end"])))
    if row.get("quantity_min") or row.get("quantity_max"):
        _add_quantity(g, transfer, claim, row)
    g.add((claim, RDF.type, RDKG.Claim))
    g.add((claim, RDKG.source, source))
    g.add((claim, RDKG.quote, Literal(row["quote"])))
    g.add((claim, RDKG.stance, Literal(row["stance"])))
    g.add((claim, RDKG.confidence, Literal(row["confidence"])))
    if not row.get("source_id"):
        _add_source(g, source, row)


def _add_quantity(g: Graph, transfer: URIRef, claim: URIRef, row: dict[str, str]) -> None:
    quantity = ID[f"{row['id']}-q1"]
    g.add((transfer, RDKG.hasQuantity, quantity))
    g.add((quantity, RDF.type, RDKG.Quantity))
    for column, prop in (("quantity_min", RDKG.min), ("quantity_max", RDKG.max)):
        if row.get(column):
            g.add((quantity, prop, _number_literal(row[column])))
    g.add((quantity, RDKG.qualifier, Literal(row["qualifier"])))
    g.add((quantity, RDKG.unit, Literal(row["unit"])))
    g.add((quantity, RDKG.supportedBy, claim))


def _add_source(g: Graph, source: URIRef, row: dict[str, str]) -> None:
    g.add((source, RDF.type, RDKG.SourceDocument))
    g.add((source, RDKG.url, Literal(row["source_url"], datatype=XSD.anyURI)))
    g.add((source, RDKG.title, Literal(row["source_title"])))
    g.add((source, RDKG.publisher, Literal(row["source_publisher"])))
    if row.get("source_date"):
        g.add((source, RDKG.date, _date(row["source_date"])))


def _optional(g: Graph, subject: URIRef, row: dict[str, str], columns: dict[str, URIRef]) -> None:
    for column, prop in columns.items():
        if row.get(column):
            g.add((subject, prop, Literal(row[column])))
