"""``GET /paths`` (shortest paths with a depth cap) and ``GET /graph`` (nodes + edges for graph widgets)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.access import Graph, SettingsDep
from api.errors import LimitExceeded, NotFound
from api.models import Edge, GraphOut, NodeRef, Path, PathsOut, error_responses
from api.params import split_list
from api.resolve import AmbiguousReference, ResolverDep, entity_query
from api.responses import typed
from graph.errors import InvalidParameter

router = APIRouter(tags=["graph"])
ERRORS = error_responses(404, 422, 503)


@router.get("/paths", response_model=PathsOut, responses=ERRORS,
            summary="Shortest paths between two nodes, at most max_depth hops, one per sequence of nodes")
async def paths(
    graph: Graph,
    settings: SettingsDep,
    from_: Annotated[str, entity_query("from", "the first node", required=True)],
    to: Annotated[str, entity_query("to", "the second node", required=True)],
    max_depth: Annotated[int, Query(ge=1, description="longest path in hops (≤ RDKG_MAX_PATH_DEPTH, at most 6)")] = 4,
    include_provenance: Annotated[bool, Query(description="allow paths through claims and sources")] = False,
    avoid_hubs: Annotated[bool, Query(description="no path through a state, treaty or agreement between the "
                                                   "ends")] = False,
    limit: Annotated[int, Query(ge=1, le=50, description="most paths to return")] = 10,
) -> Response:
    if max_depth > settings.max_path_depth:
        raise InvalidParameter("max_depth", f"{max_depth} is above the cap {settings.max_path_depth}")
    if from_ == to:
        raise InvalidParameter("to", "must differ from `from`")
    ends = {}
    for param, node_id in (("from", from_), ("to", to)):
        rows = await graph.run("node_ref", id=node_id)
        if not rows:  # resolved a moment ago: only a reload in between gets here
            raise NotFound(f"{param}: no entity with id {node_id!r}")
        ends[param] = NodeRef(**rows[0])
    rows = await graph.run("shortest_paths", from_id=from_, to_id=to, max_depth=max_depth,
                           include_provenance=include_provenance, avoid_hubs=avoid_hubs, limit=limit)
    found = [Path(length=r["length"], nodes=[NodeRef(**n) for n in r["nodes"]], edges=[Edge(**e) for e in r["edges"]])
             for r in rows]
    found.sort(key=lambda p: [n.id for n in p.nodes])
    return typed(PathsOut.model_validate({"from": ends["from"], "to": ends["to"], "max_depth": max_depth,
                                          "paths": found}))


@router.get("/graph", response_model=GraphOut, responses=ERRORS,
            summary="Nodes and the edges between them for a set of ids (optionally with their neighbours)")
async def subgraph(
    graph: Graph,
    settings: SettingsDep,
    resolver: ResolverDep,
    ids: Annotated[list[str], Query(description="nodes, comma-separated or repeated, each an id, ISO code, name or "
                                                "alias (case- and accent-insensitive); an unknown one is a 422 "
                                                "naming it")],
    expand: Annotated[bool, Query(description="add every direct neighbour")] = False,
) -> Response:
    wanted = list(dict.fromkeys(split_list(ids)))
    if not wanted:
        raise InvalidParameter("ids", "give at least one id")
    if len(wanted) > settings.max_graph_ids:
        raise LimitExceeded(f"ids: {len(wanted)} ids requested; the limit is {settings.max_graph_ids}")
    # names resolve as everywhere (an ambiguous one is a 422 listing its candidates); unknown ones are a 422
    # naming every one of them (issue 19: never an empty or partial 200 for a name the graph does not know)
    found: list[str] = []
    unknown: list[str] = []
    for term in wanted:
        try:
            found.append(await resolver.resolve(term, "ids"))
        except AmbiguousReference:
            raise
        except InvalidParameter:
            unknown.append(term)
    if unknown:
        raise InvalidParameter("ids", f"no entity is known as {', '.join(map(repr, unknown))} (give ids, names or "
                                      "aliases)")
    row = (await graph.run("graph", ids=list(dict.fromkeys(found)), expand=expand,
                           limit=settings.max_graph_ids * 10))[0]
    return typed(GraphOut(nodes=[NodeRef(**n) for n in row["nodes"]], edges=[Edge(**e) for e in row["edges"]]))
