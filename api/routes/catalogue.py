"""``GET /queries`` (the canned query catalogue with parameter schemas) and ``GET /queries/{name}`` (run one).

The catalogue speaks the REST routes' vocabulary (docs/api.md): parameters go by their public names (``from``,
``to`` — a query header's ``from_state as from``), and an ``entity`` parameter takes an id, ISO code, name or alias,
resolved by the one resolver as on the routes (a state parameter of the flow queries as ``/flows`` resolves it)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from api.access import Graph, SettingsDep
from api.errors import NotFound
from api.models import Catalogue, ParamInfo, QueryInfo, QueryResult, error_responses
from api.params import check_bounds
from api.resolve import STATES, Resolver, ResolverDep
from api.responses import typed
from api.strict import open_query
from queries.params import JSON_SCHEMA
from queries.registry import CannedQuery, Param, UnknownQuery
from queries.runner import bind_text

router = APIRouter(tags=["canned queries"])
ERRORS = error_responses(404, 422, 503)


def _default(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def describe(query: CannedQuery) -> QueryInfo:
    params = [ParamInfo.model_validate({"name": p.public, "type": p.type, "required": p.required,
                                        "default": _default(p.default), "description": p.help,
                                        "schema": JSON_SCHEMA[p.type]}) for p in query.params]
    return QueryInfo(name=query.name, description=query.description, mode=query.mode.value, params=params,
                     url=f"/queries/{query.name}")


@router.get("/queries", response_model=Catalogue, summary="The canned query catalogue with parameter schemas")
async def catalogue(graph: Graph) -> Response:
    return typed(Catalogue(items=[describe(q) for q in graph.registry]))


@router.get("/queries/{name}", response_model=QueryResult, responses=ERRORS,
            summary="Run a canned query by name; its parameters come from the query string")
@open_query  # its parameters are checked against the canned query's header (unknown ones: 422 naming them)
async def run(
    request: Request, graph: Graph, settings: SettingsDep, resolver: ResolverDep,
    name: Annotated[str, Path(description="query name")],
) -> Response:
    try:
        query = graph.registry.get(name)
    except UnknownQuery as exc:
        raise NotFound(str(exc)) from None
    raw: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        raw.setdefault(key, []).append(value)
    params = bind_text(query, raw)  # a bad parameter raises InvalidParameter (422)
    if "limit" not in raw and isinstance(params.get("limit"), int):  # a header default never exceeds the cap
        params["limit"] = min(params["limit"], settings.max_page_size)
    check_bounds(params, settings.max_page_size, settings.max_path_depth)
    for param in query.params:
        if param.type == "entity" and params.get(param.name) is not None:
            params[param.name] = await _resolve(resolver, param, params[param.name])
    rows = await graph.run_bound(name, params)
    public = {p.name: p.public for p in query.params}
    return typed(QueryResult(name=name, params={public[k]: _default(v) for k, v in params.items()}, rows=rows))


async def _resolve(resolver: Resolver, param: Param, term: str) -> str:
    """An entity reference → its id, as the REST route with this parameter resolves it."""
    if param.name.endswith("_state"):  # flows / flow_totals: a state, as /flows resolves `from` and `to`
        return await resolver.resolve(term, param.public, labels=STATES, kind="state")
    return await resolver.resolve(term, param.public)
