"""``GET /sources``, ``/sources/{id}`` and ``/claims?about=`` (who says what)."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.access import Graph
from api.errors import NotFound
from api.models import (
    ClaimFull,
    ClaimsAbout,
    Confidence,
    NodeRef,
    SourceDetail,
    SourcePage,
    SourceSummary,
    Stance,
    error_responses,
)
from api.models.sources import claim_groups
from api.params import PageDep
from api.resolve import entity_path, entity_query
from api.responses import typed

router = APIRouter(tags=["sources and claims"])
SOURCES = frozenset({"SourceDocument"})
AGENTS = frozenset({"Agent"})
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
            summary="Claims, filtered by what they back, stance, confidence, source, estimator or being disputed")
async def claims(
    graph: Graph,
    page: PageDep,
    about: Annotated[str | None, entity_query("about", "keep claims backing this node, its figures, estimates "
                                                        "or offices held")],
    source: Annotated[str | None, entity_query("source", "keep claims from this source document or from the "
                                                          "documents relaying it", labels=SOURCES,
                                               kind="source document")],
    estimator: Annotated[str | None, entity_query("estimator", "keep claims made by this body or person (the "
                                                                "claimant) or giving an estimate it made",
                                                  labels=AGENTS, kind="body or person")],
    stance: Annotated[Stance | None, Query(description="keep claims with this stance")] = None,
    confidence: Annotated[Confidence | None, Query(description="keep claims with this confidence")] = None,
    disputed: Annotated[bool, Query(description="true: keep claims that dispute another or are disputed")] = False,
) -> Response:
    """Each claim appears once, however many facts it backs (`supports` lists them); `stances` counts the distinct
    claims matching the filters on every page. Open one claim with `/claims/{id}`."""
    row = (await graph.run("claims", about=about, source=source, estimator=estimator,
                           stance=stance.value if stance else None,
                           confidence=confidence.value if confidence else None, disputed=disputed,
                           limit=page.limit, offset=page.offset))[0]
    node = NodeRef(**(await graph.run("node_ref", id=about))[0]) if about is not None else None
    stances = Counter(s or "unknown" for s in row["stances"])
    return typed(ClaimsAbout(about=node, stances=dict(sorted(stances.items())), groups=claim_groups(row["items"]),
                             limit=page.limit, offset=page.offset, total=row["total"]))


ClaimIdPath = Annotated[str, entity_path("id", labels=frozenset({"Claim"}), kind="claim",
                                         doc="the claim's id in any case, e.g. claim-seed-31 or CLAIM-SEED-31 "
                                             "(claims have no names)")]


@router.get("/claims/{id}", response_model=ClaimFull, responses=ERRORS,
            summary="One claim: quote, stance, its source's chain (report → wire → outlet), what it backs and disputes")
async def claim(graph: Graph, id: ClaimIdPath) -> Response:
    rows = await graph.run("claim", id=id)
    if not rows:
        raise NotFound(f"id: no claim with id {id!r}")
    return typed(ClaimFull.from_record(rows[0]))
