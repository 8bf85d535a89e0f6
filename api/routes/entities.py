"""``GET /entities`` (search), ``/entities/{id}`` (profile, or RDF by content negotiation), ``…/neighbors``."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api import vocab
from api.access import Graph, VersionDep
from api.errors import NotFound
from api.models import EntityHit, EntityPage, EntityProfile, ErrorBody, Neighbour, NeighbourPage, error_responses
from api.params import PageDep, split_list
from api.rdf import FINGERPRINT_HEADER, KnowledgeBase, negotiate
from api.resolve import entity_path
from api.responses import typed
from graph.contract import fold
from graph.errors import InvalidParameter

router = APIRouter(tags=["entities"])
ERRORS = error_responses(404, 422, 503)
IdPath = Annotated[str, entity_path("id")]


@router.get("/entities", response_model=EntityPage, responses=ERRORS,
            summary="Search names and aliases (case- and accent-insensitive), or list the nodes of a type")
async def search(
    graph: Graph,
    page: PageDep,
    q: Annotated[str | None, Query(min_length=1, description="text to find in names, aliases and ids; "
                                                             "leave out to list every node of `type`")] = None,
    type: Annotated[list[str] | None, Query(description="labels to keep, e.g. Person,State")] = None,
) -> Response:
    """Best matches first: a name, alias or id equal to `q`, then one starting with it, then one with a word
    starting with it, then the rest; ties by name. Internal nodes (offices held, figures, estimates) are listed
    only when their type is asked for."""
    folded = None if q is None else fold(q)
    if folded == "":
        raise InvalidParameter("q", "empty search text")
    types = vocab.check(split_list(type), vocab.labels(), "type")
    if folded is None and not types:
        raise InvalidParameter("q", "give a search text, or a type to list (e.g. type=Vessel)")
    rows = await graph.run("entity_search", q=folded, type=vocab.within(types), limit=page.limit, offset=page.offset)
    row = rows[0]
    items = [EntityHit(**item) for item in row["items"]]
    return typed(EntityPage(items=items, limit=page.limit, offset=page.offset, total=row["total"]))


@router.get(
    "/entities/{id}",
    response_model=EntityProfile,
    responses={**ERRORS, 200: {"content": {"text/turtle": {}, "application/ld+json": {}}},
               409: {"model": ErrorBody, "description": "RDF asked for, and data/ is not the data the graph holds"}},
    summary="An entity's profile; RDF with Accept: text/turtle or application/ld+json",
)
async def profile(
    request: Request,
    graph: Graph,
    version: VersionDep,
    id: IdPath,
    format: Annotated[Literal["json", "turtle", "jsonld"] | None, Query(description="override Accept")] = None,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    rdf_format = negotiate(accept, None if format == "json" else format)
    if rdf_format is not None:
        kb: KnowledgeBase = request.app.state.kb
        rdf = await run_in_threadpool(kb.describe, id, rdf_format, version.data_fingerprint)
        return Response(rdf.body, media_type=rdf_format.media_type, headers={FINGERPRINT_HEADER: rdf.fingerprint})
    rows = await graph.run("entity_profile", id=id)
    if not rows:  # resolved a moment ago: only a reload in between gets here
        raise NotFound(f"id: no entity with id {id!r}")
    profile = EntityProfile.from_record(rows[0])
    asked = request.path_params.get("id")  # a former id (not a name or alias) is said: the id changed
    if asked != profile.id and asked in (rows[0]["properties"].get("formerId") or []):
        profile.resolved_from = asked
    return typed(profile)


@router.get("/entities/{id}/neighbors", response_model=NeighbourPage, responses=ERRORS,
            summary="Direct neighbours, paginated, optionally over some relationship types")
async def neighbours(
    graph: Graph,
    page: PageDep,
    id: IdPath,
    type: Annotated[list[str] | None, Query(description="relationship types, e.g. PARTICIPANT,SUPPORTED_BY")] = None,
) -> Response:
    types = vocab.check(split_list(type), vocab.relationship_types(), "type")
    rows = await graph.run("neighbours", id=id, type=types, limit=page.limit, offset=page.offset)
    if not rows:
        raise NotFound(f"id: no entity with id {id!r}")
    row = rows[0]
    return typed(NeighbourPage(items=[Neighbour.model_validate(item) for item in row["items"]], limit=page.limit,
                         offset=page.offset, total=row["total"]))
