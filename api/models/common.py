"""Shared pieces of the response models: references, periods, figures, sources and claims, pages, errors.

Dates leave the API as ISO prefixes at their precision (``2023-09`` for a month), periods as
``{start, end, precision}``; closed value sets are ``StrEnum``s.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graph.contract import default_mapping

Row = dict[str, Any]


class Confidence(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"


class Stance(StrEnum):
    asserts = "asserts"
    reports = "reports"
    confirms = "confirms"
    denies = "denies"
    declines_to_confirm = "declines_to_confirm"


class Precision(StrEnum):
    day = "day"
    month = "month"
    year = "year"


def iso_prefix(value: str | None, precision: str | None) -> str | None:
    """``("2023-09-01", "month")`` → ``"2023-09"``; ``("2024-01-01", "year")`` → ``"2024"``."""
    if value is None:
        return None
    return {"year": value[:4], "month": value[:7]}.get(precision or "day", value[:10])


def text(value: Any) -> str | None:
    """A property that may repeat (a list in Neo4j) as one display string."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or None
    return None if value is None else str(value)


def examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(populate_by_name=True, json_schema_extra={"examples": list(examples)})


class ErrorBody(BaseModel):
    model_config = examples({"error": "invalid_parameter", "detail": "since: 'yesterday' is not an ISO date"})
    error: str = Field(description="machine-readable code")
    detail: str = Field(description="what went wrong, naming the parameter or id")


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` entry documenting error statuses with the error body model."""
    return {code: {"model": ErrorBody, "description": "error"} for code in codes}


class Ref(BaseModel):
    id: str
    name: str | None = None

    @classmethod
    def from_record(cls, row: Row | None) -> Ref | None:
        return cls(id=row["id"], name=row.get("name")) if row else None


class NodeRef(Ref):
    labels: list[str] = Field(default_factory=list, description="Neo4j labels (ontology classes) but :Rdkg")
    kind: str | None = Field(None, description="the node's own class: the most specific of its labels")


#: relations an answer derives from a path of relationships, with their labels (every other relation is a
#: relationship type, labelled by its ontology property's rdfs:label)
DERIVED_RELATIONS = {"HOLDS_POST_IN": "holds a post in"}  # (person)<-MEMBER-(membership)-POST->(post)-POST_IN->(body)


def relation_label(code: str) -> str:
    """The human label beside a relation code: ``PART_OF_STATE`` → ``part of state``."""
    return DERIVED_RELATIONS.get(code) or default_mapping().relation_label(code)


class Related(BaseModel):
    """Names a relationship the one way every route does: the code (a relationship type, ``SUB_ORGANIZATION_OF``)
    and its human label beside it. Rows may give the code as ``type`` (the canned queries' edges do)."""

    relation: str = Field(description="the relationship type (a code, e.g. SUB_ORGANIZATION_OF)")
    relation_label: str = Field(description="its human label, from the ontology (e.g. 'sub-organization of')")

    @model_validator(mode="before")
    @classmethod
    def _label(cls, data: Any) -> Any:
        if isinstance(data, dict) and "relation_label" not in data:
            code = data.get("relation") or data.get("type") or ""
            data = {**{key: value for key, value in data.items() if key != "type"}, "relation": code,
                    "relation_label": relation_label(code)}
        return data


class Period(BaseModel):
    model_config = examples({"start": "2023-09", "end": None, "precision": "month", "one_off": False,
                             "ongoing": True})
    start: str | None = Field(None, description="ISO prefix at its precision; null = not given")
    end: str | None = Field(None, description="ISO prefix; null = no end given (ongoing only if `ongoing`)")
    precision: Precision | None = Field(None, description="precision of start (of end if start is unknown)")
    one_off: bool = Field(False, description="true: a single date (a day, month or year), not a period")
    ongoing: bool = Field(False, description="true only where a source says it continues (rdkg:ongoing); an open "
                                             "end without it is not known to continue")

    @classmethod
    def from_record(cls, row: Row, prefix: str = "") -> Period:
        """From ``date`` or ``startDate``/``endDate`` (+ ``…Precision``) keys of a query row."""
        one_off = row.get("date") is not None
        if one_off:
            start, start_p, end, end_p = row["date"], row.get("datePrecision"), None, None
        else:
            start, start_p = row.get("startDate"), row.get("startDatePrecision")
            end, end_p = row.get("endDate"), row.get("endDatePrecision")
        return cls(start=iso_prefix(start, start_p), end=iso_prefix(end, end_p), precision=start_p or end_p,
                   one_off=one_off, ongoing=not one_off and end is None and row.get("ongoing") is True)


class Quantity(BaseModel):
    model_config = examples({"min": 20000, "max": None, "qualifier": "more_than", "unit": "container"})
    min: float | int | None = None
    max: float | int | None = None
    qualifier: str | None = Field(None, description="exact, at_least, more_than, up_to or approximately")
    unit: str | None = None
    measure: str | None = Field(None, description="amount (default), capacity, distance …")

    @classmethod
    def from_record(cls, row: Row) -> Quantity:
        return cls(min=row.get("min"), max=row.get("max"), qualifier=row.get("qualifier"), unit=row.get("unit"),
                   measure=row.get("measure"))


class SourceRef(BaseModel):
    id: str
    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None

    @classmethod
    def from_record(cls, row: Row | None) -> SourceRef | None:
        if not row:
            return None
        return cls(id=row["id"], title=row.get("title"), publisher=row.get("publisher"),
                   date=iso_prefix(row.get("date"), row.get("datePrecision")), url=row.get("url"))


class Claim(BaseModel):
    id: str
    source: SourceRef | None
    quote: str | None
    stance: str | None = Field(None, description="asserts, reports, confirms, denies or declines_to_confirm")
    confidence: Confidence | None = None
    date: str | None = Field(None, description="when the claim was made (ISO prefix)")

    @classmethod
    def from_record(cls, row: Row) -> Claim:
        return cls(id=row["id"], source=SourceRef.from_record(row.get("source")), quote=row.get("quote"),
                   stance=row.get("stance"), confidence=row.get("confidence"),
                   date=iso_prefix(row.get("date"), row.get("datePrecision")))


class Page(BaseModel):
    limit: int
    offset: int
    total: int

