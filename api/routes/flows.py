"""``GET /flows`` (the headline: what flowed from one state to another, with claims) and ``/flows/summary``."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query
from fastapi.responses import Response

from api.access import Graph, GraphAccess
from api.errors import InvalidParameter
from api.models import Confidence, Flow, FlowPage, FlowSummary, FlowTotal, error_responses
from api.params import PageDep, SinceQuery, UntilQuery, period
from api.responses import typed
from api.states import resolve_state
from api.version import Lookups

router = APIRouter(tags=["flows"])
ERRORS = error_responses(422, 503)

FromQuery = Annotated[str | None, Query(alias="from", description="sending state: ISO code or alias (DPRK, Russia…)")]
ToQuery = Annotated[str | None, Query(description="receiving state: ISO code or alias")]
CSV_COLUMNS = ["id", "kind", "from", "to", "category", "category_label", "designation", "period_start", "period_end",
               "precision", "status", "quantities", "claims", "sources"]


async def _category(graph: GraphAccess, slug: str | None, lookups: Lookups | None) -> str | None:
    if slug is None:
        return None
    known = lookups.categories if lookups is not None else {row["id"] for row in await graph.run("categories")}
    if slug not in known:
        raise InvalidParameter("category", f"unknown category {slug!r}; known: {', '.join(sorted(known))}")
    return slug


async def _state(graph: GraphAccess, term: str | None, param: str, lookups: Lookups | None) -> str | None:
    return None if term is None else await resolve_state(graph, term, param, lookups)


async def lookups_of(graph: GraphAccess, *given: str | None) -> Lookups | None:
    """The state/category maps of the current graph version, if a parameter needs them (and there is a version)."""
    if all(value is None for value in given) or graph.lookups is None:
        return None
    return await graph.lookups.get()


def _quantity_text(flow: Flow) -> str:
    parts = []
    for q in flow.quantities:
        value = q.min if q.max is None else (q.max if q.min is None or q.min == q.max else f"{q.min}-{q.max}")
        parts.append(" ".join(str(x) for x in (q.qualifier, value, q.unit) if x is not None))
    return "; ".join(parts)


def flows_csv(page: FlowPage) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in page.items:
        writer.writerow([f.id, f.kind, f.from_.id, f.to.id, f.category, f.category_label, f.designation,
                         f.period.start, f.period.end, f.period.precision, f.status, _quantity_text(f),
                         len(f.claims), " ".join(sorted({c.source.id for c in f.claims if c.source}))])
    return out.getvalue()


def wants_csv(fmt: str | None, accept: str | None) -> bool:
    if fmt is not None:
        return fmt == "csv"
    return "text/csv" in (accept or "").lower()


@router.get(
    "/flows",
    response_model=FlowPage,
    responses={**ERRORS, 200: {"content": {"text/csv": {"example": ",".join(CSV_COLUMNS)}}}},
    summary="What flowed from one state to another in a period, with quantities and claims",
)
async def flows(
    graph: Graph,
    page: PageDep,
    from_: FromQuery = None,
    to: ToQuery = None,
    since: SinceQuery = None,
    until: UntilQuery = None,
    category: Annotated[str | None, Query(description="category slug; narrower categories included")] = None,
    min_confidence: Annotated[Confidence | None, Query(description="keep items with a claim this confident")] = None,
    both_directions: Annotated[bool, Query(description="also return flows from `to` to `from`")] = False,
    format: Annotated[Literal["json", "csv"] | None, Query(description="csv = the same rows as CSV")] = None,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    """Transfers whose period **overlaps** [since, until] (open ends included); `Accept: text/csv` or
    `?format=csv` returns the same page as CSV."""
    start, end = period(since, until)
    lookups = await lookups_of(graph, from_, to, category)
    rows = await graph.run(
        "flows", from_state=await _state(graph, from_, "from", lookups),
        to_state=await _state(graph, to, "to", lookups), both_directions=both_directions, since=start, until=end,
        category=await _category(graph, category, lookups),
        min_confidence=min_confidence.value if min_confidence else None, limit=page.limit, offset=page.offset)
    row = rows[0]
    result = FlowPage(items=[Flow.from_record(item) for item in row["items"]], limit=page.limit, offset=page.offset,
                      total=row["total"])
    if wants_csv(format, accept):
        return Response(flows_csv(result), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="flows.csv"'})
    return typed(result)


@router.get("/flows/summary", response_model=FlowSummary, responses=ERRORS,
            summary="Transfer counts and summed quantities per category and start year (for charts)")
async def flows_summary(
    graph: Graph, from_: FromQuery = None, to: ToQuery = None, since: SinceQuery = None, until: UntilQuery = None
) -> Response:
    start, end = period(since, until)
    lookups = await lookups_of(graph, from_, to)
    rows = await graph.run("flow_totals", from_state=await _state(graph, from_, "from", lookups),
                           to_state=await _state(graph, to, "to", lookups), since=start, until=end)
    return typed(FlowSummary(items=[FlowTotal.model_validate(row) for row in rows]))
