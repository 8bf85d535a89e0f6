"""Run canned queries by name: bind typed parameters, send a read with a timeout, return plain Python rows.

Every call names its database and routes as a read (``routing_=READ``), so a ``neo4j+s://`` cluster or Aura URI
sends it to a reader; the statement carries the transaction timeout from the settings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from neo4j import AsyncDriver, Driver, Query, RoutingControl
from neo4j import time as neo4j_time
from neo4j.graph import Node, Relationship

from graph.errors import InvalidParameter, translate_driver_errors
from queries.params import coerce
from queries.registry import CannedQuery

Row = dict[str, Any]


def bind_text(query: CannedQuery, raw: Mapping[str, str | Sequence[str]]) -> dict[str, Any]:
    """Parameters given as text under their public names (CLI ``--param k=v``, a query string) → typed values
    under their Cypher names, defaults filled in."""
    values: dict[str, Any] = {}
    for name, value in raw.items():
        param = query.public_param(name)
        if param is None:
            raise InvalidParameter(name, f"{query.name} has no parameter {name!r}")
        try:
            values[param.name] = coerce(param.type, value)
        except ValueError as exc:
            raise InvalidParameter(name, f"expected {param.type}: {exc}") from None
    return bind_values(query, values)


def bind_values(query: CannedQuery, values: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values (from a route) → the full parameter map; unknown or missing required ones are refused."""
    for name in values:
        if query.param(name) is None:
            raise InvalidParameter(name, f"{query.name} has no parameter {name!r}")
    bound: dict[str, Any] = {}
    for param in query.params:
        if param.name in values and values[param.name] is not None:
            bound[param.name] = values[param.name]
        elif param.required:
            raise InvalidParameter(param.public, f"{query.name} requires {param.public!r} ({param.type})")
        else:
            bound[param.name] = param.default
    return bound


_TEMPORAL = (neo4j_time.Date, neo4j_time.DateTime, neo4j_time.Time, neo4j_time.Duration)
_GRAPH = (Node, Relationship)
#: Types that never need converting (checked by ``type(x) in``, not ``isinstance``: no ABC machinery per value).
_SCALARS = frozenset({str, int, float, bool, type(None), bytes})


def plain(value: Any) -> Any:
    """Driver values → JSON-friendly Python: temporal values as ISO text, nodes as property maps.

    One pass over the value with concrete type checks (the driver hands back plain ``dict`` / ``list`` / ``str``
    …), copying only containers that hold something to convert — on a 50 KB ``/flows`` page that is a few
    dates per item, so most of the page is returned as the driver built it.
    """
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is dict:
        out = None
        for key, item in value.items():
            if type(item) in _SCALARS:
                continue
            converted = plain(item)
            if converted is not item:
                if out is None:
                    out = dict(value)
                out[key] = converted
        return value if out is None else out
    if kind is list:
        for index, item in enumerate(value):
            if type(item) in _SCALARS:
                continue
            converted = plain(item)
            if converted is not item:
                copy = value[:index]
                copy.append(converted)
                copy.extend(plain(rest) for rest in value[index + 1:])
                return copy
        return value
    if isinstance(value, _TEMPORAL):
        return value.iso_format()
    if isinstance(value, _GRAPH):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def rows_of(records: Sequence[Any]) -> list[Row]:
    """Records → rows: ``dict(record)`` (keys to values, no copy of the values), converted by :func:`plain`."""
    return [plain(dict(record)) for record in records]


def _statement(query: CannedQuery, timeout: float | None) -> Query:
    return Query(query.text, timeout=timeout)  # type: ignore[arg-type]  # registry text is LiteralString in spirit


async def run_async(
    driver: AsyncDriver, query: CannedQuery, params: Mapping[str, Any], *, database: str, timeout: float | None
) -> list[Row]:
    """Run one bound canned query as a routed read; driver errors become GraphError subclasses."""
    with translate_driver_errors():
        result = await driver.execute_query(
            _statement(query, timeout), dict(params), routing_=RoutingControl.READ, database_=database
        )
    return rows_of(result.records)


def run_sync(
    driver: Driver, query: CannedQuery, params: Mapping[str, Any], *, database: str, timeout: float | None
) -> list[Row]:
    """The blocking twin of :func:`run_async`, for the CLI."""
    with translate_driver_errors():
        result = driver.execute_query(
            _statement(query, timeout), dict(params), routing_=RoutingControl.READ, database_=database
        )
    return rows_of(result.records)
