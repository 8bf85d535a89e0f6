"""Parameter types of the canned queries: parse text (CLI, query string) into the values the driver sends.

| type | accepts | sent as |
|---|---|---|
| ``str`` | any text | string |
| ``entity`` | a node's id — ``GET /queries/{name}`` also takes its ISO code, name or alias and resolves it as the REST
  routes do (``api/resolve.py``); ``rdkg query`` sends the text as the id | string (the id) |
| ``int`` / ``float`` | a number | integer / float |
| ``bool`` | true/false, 1/0, yes/no | boolean |
| ``date`` | an ISO prefix ``2023``, ``2023-09`` or ``2023-09-01`` | its **first** day (a lower bound) |
| ``date_end`` | the same prefixes | its **last** day (an inclusive upper bound: ``2024`` → 2024-12-31) |
| ``list[str]`` | comma-separated text (or repeated parameters) | list of strings |
| ``kinds`` | comma-separated class names (State, Transfer …) | the classes and their subclasses: the ``kind``
  values to keep (:meth:`graph.contract.Mapping.kinds_within`); an unknown name is refused |
| ``search`` | any text | lower-cased, accents stripped (as the loader builds ``searchText``) |
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Any

from graph.contract import OWNERSHIP_LABEL, default_mapping, fold

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_TRUE = {"true", "1", "yes", "y", "on"}
_FALSE = {"false", "0", "no", "n", "off"}


def parse_date_prefix(text: str, *, end: bool = False) -> dt.date:
    """``2023`` → 2023-01-01 (or 2023-12-31 with ``end``); ``2023-09`` → 2023-09-01 (or 2023-09-30)."""
    match = _DATE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not an ISO date or prefix (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if month is None:
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    if day is None:
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r}: month {month} is out of range")
        return dt.date(year, month, calendar.monthrange(year, month)[1] if end else 1)
    return dt.date(year, month, day)


INT64 = (-(2**63), 2**63 - 1)


def _int(text: str) -> int:
    value = int(text)
    if not INT64[0] <= value <= INT64[1]:
        raise ValueError(f"{text!r} does not fit a 64-bit integer")
    return value


def _bool(text: str) -> bool:
    low = text.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ValueError(f"{text!r} is not a boolean (true/false)")


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def kinds(names: Sequence[str]) -> list[str]:
    """Class names → every ``kind`` a node of one of them can have (the class and its subclasses), sorted."""
    mapping = default_mapping()
    if unknown := sorted(set(names) - mapping.labels | ({OWNERSHIP_LABEL} & set(names))):
        known = ", ".join(sorted(mapping.labels - {OWNERSHIP_LABEL}))
        raise ValueError(f"unknown class(es) {', '.join(unknown)}; known: {known}")
    return mapping.kinds_within(names)


PARAM_TYPES: dict[str, Callable[[str], Any]] = {
    "str": str,
    "entity": str,
    "int": _int,
    "float": float,
    "bool": _bool,
    "date": parse_date_prefix,
    "date_end": lambda text: parse_date_prefix(text, end=True),
    "list[str]": _list,
    "kinds": lambda text: kinds(_list(text)),
    "search": fold,
}

JSON_SCHEMA: dict[str, dict[str, Any]] = {
    "str": {"type": "string"},
    "entity": {"type": "string", "description": "an id, ISO code, name or alias (resolved as on the REST routes)"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "date": {"type": "string", "format": "date", "description": "YYYY, YYYY-MM or YYYY-MM-DD (first day)"},
    "date_end": {"type": "string", "format": "date", "description": "YYYY, YYYY-MM or YYYY-MM-DD (last day)"},
    "list[str]": {"type": "array", "items": {"type": "string"}},
    "kinds": {"type": "array", "items": {"type": "string"}, "description": "class names; subclasses included"},
    "search": {"type": "string", "description": "matched case- and accent-insensitively"},
}


def coerce(type_: str, raw: str | Sequence[str]) -> Any:
    """Parse one parameter value; a list type also takes repeated values. Raises ValueError."""
    if isinstance(raw, str):
        return PARAM_TYPES[type_](raw)
    if type_ == "list[str]":
        return [item for value in raw for item in _list(value)]
    if type_ == "kinds":
        return kinds([item for value in raw for item in _list(value)])
    if len(raw) != 1:
        raise ValueError(f"expects one value, got {len(raw)}")
    return PARAM_TYPES[type_](raw[0])


def coerce_default(type_: str, text: str) -> Any:
    """A header default: ``null`` is None, ``[]`` an empty list, anything else is parsed like user input."""
    text = text.strip()
    if text == "null":
        return None
    if text == "[]" and type_ in ("list[str]", "kinds"):
        return []
    return coerce(type_, text.strip("'\""))
