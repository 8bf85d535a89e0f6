"""Strict query strings, app-wide: an unknown parameter is a 422 naming it, CSV asked where none is made a 406.

``strict_query`` is one app-level dependency (``create_app`` passes it to ``FastAPI(dependencies=...)``), so every
API route (those in the OpenAPI document, added later included; not the HTML pages, whose query string is the
page's own state) compares the request's query keys with the parameters it declares (its own
and those of its dependencies, by their public names: ``from``, not ``from_``). A route that takes free-form
parameters (``/queries/{name}``, which checks them against the canned query) is marked with ``@open_query``.

A route offers CSV when its OpenAPI ``200`` response lists ``text/csv``; on any other route ``Accept: text/csv``
(with nothing else acceptable) is refused with 406 instead of answered with JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from api.errors import NotAcceptable
from graph.errors import InvalidParameter

F = TypeVar("F", bound=Callable[..., Any])
_OPEN = "__rdkg_open_query__"
_NAMES = "_rdkg_query_names"


def open_query(endpoint: F) -> F:
    """Mark a route whose query string is checked by the route itself (not against its declared parameters)."""
    setattr(endpoint, _OPEN, True)
    return endpoint


def declared_query_names(dependant: Dependant) -> frozenset[str]:
    """The public names of every query parameter of a route and of its dependencies."""
    names: set[str] = set()
    stack = [dependant]
    while stack:
        current = stack.pop()
        names.update(field.alias for field in current.query_params)
        stack.extend(current.dependencies)
    return frozenset(names)


def offers_csv(route: APIRoute) -> bool:
    content = (route.responses.get(200) or route.responses.get("200") or {}).get("content", {})
    return "text/csv" in content


def _wants_only_csv(accept: str | None) -> bool:
    if not accept or "text/csv" not in accept.lower():
        return False
    others = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    return not any(t in {"application/json", "*/*", "application/*"} for t in others if t != "text/csv")


async def strict_query(request: Request) -> None:
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not route.include_in_schema:
        return
    allowed: frozenset[str] | None = getattr(route, _NAMES, None)
    if allowed is None:
        allowed = declared_query_names(route.dependant)
        setattr(route, _NAMES, allowed)
    if not getattr(route.endpoint, _OPEN, False) and (unknown := sorted(set(request.query_params.keys()) - allowed)):
        takes = ", ".join(sorted(allowed)) or "no parameters"
        raise InvalidParameter(unknown[0], f"unknown parameter on {route.path} (it takes: {takes})")
    if _wants_only_csv(request.headers.get("accept")) and not offers_csv(route):
        raise NotAcceptable(f"{route.path} has no CSV form; ask for application/json")
