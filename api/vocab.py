"""Names the routes accept for labels and relationship types: read from the ontology (never copied here)."""

from __future__ import annotations

from functools import cache

from graph.contract import OWNERSHIP_LABEL, default_mapping
from graph.errors import InvalidParameter


@cache
def labels() -> frozenset[str]:
    return default_mapping().labels - {OWNERSHIP_LABEL}


@cache
def event_kinds() -> frozenset[str]:
    return frozenset(names[0] for names in default_mapping().class_labels.values() if "Event" in names)


@cache
def relationship_types() -> frozenset[str]:
    return default_mapping().relationship_types


def within(classes: list[str]) -> list[str]:
    """Checked class names → the ``kind`` values a query keeps: the classes and their subclasses."""
    return default_mapping().kinds_within(classes)


def check(values: list[str], allowed: frozenset[str], param: str) -> list[str]:
    if unknown := sorted(set(values) - allowed):
        raise InvalidParameter(param, f"unknown value(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")
    return values
