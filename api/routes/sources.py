"""``GET /sources``, ``/sources/{id}`` and ``/claims?about=`` (who says what)."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.access import Graph
from api.errors import NotFound
from api.models import (
    ClaimGroup,
    ClaimsAbout,
    NodeRef,
    SourceDetail,
    SourcePage,
    SourceSummary,
    error_responses,
)
from api.params import PageDep
from api.resolve import entity_path, entity_query
from api.responses import typed

router = APIRouter(tags=["sources and claims"])
ERRORS = error_responses(404, 422, 503)


@router.get("/sources", response_model=SourcePage, responses=ERRORS, summary="Source documents with claim counts")
async def sources(
    graph: Graph,
    page: PageDep,
    publisher: Annotated[str | None, Query(description="keep sources whose publisher contains this text")] = None,
) -> Response:
    row = (await graph.run("sources", publisher=publisher, limit=page.limit, offset=page.offset))[0]
    return typed(SourcePage(items=[SourceSummary.from_source_row(item) for item in row["items"]], limit=page.limit,
                      offset=page.offset, total=row["total"]))


@router.get("/sources/{id}", response_model=SourceDetail, responses=ERRORS,
            summary="A source document, its derivation chain and everything it supports")
async def source(graph: Graph, id: Annotated[str, entity_path("id", labels=frozenset({"SourceDocument"}),
                                                                kind="source document",
                                                                example="source-s01")]) -> Response:
    rows = await graph.run("source_document", id=id)
    if not rows:
        raise NotFound(f"id: no source document with id {id!r}")
    return typed(SourceDetail.from_record(rows[0]))


@router.get("/claims", response_model=ClaimsAbout, responses=ERRORS,
            summary="The claims about a node, grouped by source and stance")
async def claims(graph: Graph, about: Annotated[str, entity_query("about", "the node", required=True)]) -> Response:
    node = await graph.run("node_ref", id=about)
    if not node:
        raise NotFound(f"about: no entity with id {about!r}")
    groups = [ClaimGroup.from_record(row) for row in await graph.run("claims_about", id=about)]
    stances: Counter[str] = Counter()
    for g in groups:
        stances[g.stance or "unknown"] += len(g.claims)
    return typed(ClaimsAbout(about=NodeRef(**node[0]), stances=dict(sorted(stances.items())), groups=groups))
