"""``GET /disputes``: where sources disagree — the disputed facts with the claims on each side."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi.responses import Response

from api.access import Graph
from api.models import DisputedFact, DisputePage, error_responses
from api.params import PageDep
from api.resolve import entity_query
from api.responses import typed

router = APIRouter(tags=["sources and claims"])
ERRORS = error_responses(404, 422, 503)


@router.get("/disputes", response_model=DisputePage, responses=ERRORS,
            summary="Where sources disagree: disputed facts with every claim about each and the claims they dispute")
async def disputes(
    graph: Graph,
    page: PageDep,
    about: Annotated[str | None, entity_query("about", "keep the facts about this node: itself, its figures, "
                                                        "estimates and offices")],
) -> Response:
    """A fact is listed when its status is `disputed`, when a claim backing it denies it (or declines to confirm),
    or when a claim backing it disputes another claim (or is disputed by one). `claims` are the fact's own claims;
    `counterclaims` the claims elsewhere on the other side of a dispute. Nothing is settled or dropped."""
    row = (await graph.run("disputes", about=about, limit=page.limit, offset=page.offset))[0]
    return typed(DisputePage(items=[DisputedFact.from_record(item) for item in row["items"]], limit=page.limit,
                             offset=page.offset, total=row["total"]))
