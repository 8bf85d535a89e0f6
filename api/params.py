"""Shared query-parameter parsing for the routes: pages, dates, id lists — errors name the parameter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query

from api.access import SettingsDep
from graph.errors import InvalidParameter
from queries.params import parse_date_prefix

MAX_OFFSET = 1_000_000_000


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int


DEFAULT_PAGE_SIZE = 50


def page_params(
    settings: SettingsDep,
    limit: Annotated[int | None, Query(ge=1, description="page size (default 50, at most RDKG_MAX_PAGE_SIZE: the "
                                                              "schema's maximum)")] = (
        None
    ),
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")] = 0,
) -> PageParams:
    if limit is None:
        limit = min(DEFAULT_PAGE_SIZE, settings.max_page_size)
    if limit > settings.max_page_size:
        raise InvalidParameter("limit", f"{limit} is above the maximum page size {settings.max_page_size}")
    return PageParams(limit, offset)


PageDep = Annotated[PageParams, Depends(page_params)]


def check_bounds(params: dict[str, object], max_page_size: int, max_path_depth: int) -> None:
    """The caps the typed routes enforce, applied to a canned query run by name (same parameter names)."""
    bounds = {"limit": (1, max_page_size), "offset": (0, MAX_OFFSET), "max_depth": (1, max_path_depth)}
    for name, (low, high) in bounds.items():
        value = params.get(name)
        if isinstance(value, int) and not low <= value <= high:
            raise InvalidParameter(name, f"{value} is outside {low}..{high}")

SinceQuery = Annotated[
    str | None, Query(description="period start: YYYY, YYYY-MM or YYYY-MM-DD; items overlapping [since, until]")
]
UntilQuery = Annotated[str | None, Query(description="period end (inclusive): YYYY, YYYY-MM or YYYY-MM-DD")]


def date_param(value: str | None, name: str, *, end: bool = False) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return parse_date_prefix(value, end=end)
    except ValueError as exc:
        raise InvalidParameter(name, str(exc)) from None


def period(since: str | None, until: str | None) -> tuple[dt.date | None, dt.date | None]:
    start, end = date_param(since, "since"), date_param(until, "until", end=True)
    if start and end and start > end:
        raise InvalidParameter("until", f"{until} is before since={since}")
    return start, end


def split_list(values: list[str] | None) -> list[str]:
    """``?ids=a,b&ids=c`` → ``[a, b, c]``."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def document_page_cap(app: FastAPI, max_page_size: int) -> None:
    """Write the page-size cap (a setting, so not known when the routes are declared) into the OpenAPI document:
    every paged route's ``limit`` gets ``maximum`` (routes with their own bound, like ``/paths``, keep it)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            for ops in schema.get("paths", {}).values():
                for op in ops.values():
                    for param in op.get("parameters", []) if isinstance(op, dict) else []:
                        if param.get("name") == "limit" and "maximum" not in param.get("schema", {}):
                            param["schema"]["maximum"] = max_page_size
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
