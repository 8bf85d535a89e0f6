"""``GET /timeline``, ``/meetings``, ``/treaties`` and ``/votes``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api import vocab
from api.access import Graph
from api.models import (
    Meeting,
    MeetingPage,
    ResolutionVotes,
    TimelineEvent,
    TimelinePage,
    Treaty,
    TreatyList,
    VoteList,
    error_responses,
)
from api.params import PageDep, SinceQuery, UntilQuery, period, split_list
from api.resolve import STATES, entity_query
from api.responses import typed
from graph.errors import InvalidParameter

router = APIRouter(tags=["events"])
ERRORS = error_responses(422, 503)
CHOICES = ("in_favour", "against", "abstention", "veto")


@router.get("/timeline", response_model=TimelinePage, responses=ERRORS,
            summary="Events whose date or period overlaps [since, until], in date order")
async def timeline(
    graph: Graph,
    page: PageDep,
    participant: Annotated[str | None, entity_query("participant", "keep events this node takes part in")],
    since: SinceQuery = None,
    until: UntilQuery = None,
    kind: Annotated[list[str] | None, Query(description="event classes: Meeting, Visit, Ratification …")] = None,
) -> Response:
    start, end = period(since, until)
    kinds = vocab.check(split_list(kind), vocab.event_kinds(), "kind")
    row = (await graph.run("timeline", since=start, until=end, kind=vocab.within(kinds), participant=participant,
                           limit=page.limit, offset=page.offset))[0]
    return typed(TimelinePage(items=[TimelineEvent.from_record(item) for item in row["items"]], limit=page.limit,
                        offset=page.offset, total=row["total"]))


@router.get("/meetings", response_model=MeetingPage, responses=ERRORS,
            summary="Who met whom: meetings and visits with participants, places and dates")
async def meetings(
    graph: Graph,
    page: PageDep,
    participant: Annotated[str | None, entity_query("participant", "keep meetings this node takes part in")],
    place: Annotated[str | None, entity_query("place", "keep meetings at this place or inside it")],
    since: SinceQuery = None,
    until: UntilQuery = None,
) -> Response:
    start, end = period(since, until)
    row = (await graph.run("meetings", since=start, until=end, participant=participant, place=place,
                           limit=page.limit, offset=page.offset))[0]
    return typed(MeetingPage(items=[Meeting.from_record(item) for item in row["items"]], limit=page.limit,
                       offset=page.offset, total=row["total"]))


@router.get("/treaties", response_model=TreatyList, responses=ERRORS,
            summary="Treaties and agreements with signatories, articles and ratification steps")
async def treaties(
    graph: Graph,
    signatory: Annotated[str | None, entity_query("signatory", "keep agreements this party signed")],
) -> Response:
    rows = await graph.run("treaties", signatory=signatory)
    return typed(TreatyList(items=[Treaty.from_record(row) for row in rows]))


@router.get("/votes", response_model=VoteList, responses=ERRORS,
            summary="UN Security Council resolutions with each state's recorded vote")
async def votes(
    graph: Graph,
    resolution: Annotated[str | None, entity_query("resolution", "keep this resolution",
                                                   labels=frozenset({"Resolution"}), kind="resolution")],
    voter: Annotated[str | None, entity_query("voter", "keep resolutions this state voted on", labels=STATES,
                                              kind="state")],
    choice: Annotated[str | None, Query(description="in_favour, against, abstention or veto")] = None,
) -> Response:
    if choice is not None and choice not in CHOICES:
        raise InvalidParameter("choice", f"{choice!r} is not one of {', '.join(CHOICES)}")
    rows = await graph.run("votes", resolution=resolution, voter=voter, choice=choice)
    return typed(VoteList(items=[ResolutionVotes.from_record(row) for row in rows]))
