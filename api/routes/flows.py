"""``GET /flows`` (the headline: what flowed from one state to another, with claims) and ``/flows/summary``."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Path, Query
from fastapi.responses import Response

from api.access import Graph, GraphAccess, LookupsDep
from api.errors import NotFound
from api.models import (
    Confidence,
    Estimate,
    EstimatePoint,
    EstimateSeries,
    Flow,
    FlowDetail,
    FlowPage,
    FlowSummary,
    error_responses,
)
from api.params import PageDep, SinceQuery, UntilQuery, period
from api.resolve import STATES, entity_query
from api.responses import typed
from api.version import GraphLookups
from graph.errors import InvalidParameter

router = APIRouter(tags=["flows"])
ERRORS = error_responses(422, 503)
ONE_ERRORS = error_responses(404, 422, 503)

#: the states resolve like every entity parameter (api/resolve.py), kept to states: a person is a 422 naming `from`
FromQuery = Annotated[str | None, entity_query("from", "sending state (e.g. PRK, DPRK, North Korea, KP)",
                                               labels=STATES, kind="state")]
ToQuery = Annotated[str | None, entity_query("to", "receiving state (e.g. RUS, Russia, RU)", labels=STATES,
                                             kind="state")]
ESTIMATE_COLUMNS = ["estimate_id", "estimator_ids", "estimator_names", "as_of", "measure", "scope", "estimate_start",
                    "estimate_end", "unit", "min", "max", "qualifier", "current", "claim_ids"]
CSV_COLUMNS = ["id", "kind", "from", "to", "category", "category_label", "designation", "period_start", "period_end",
               "precision", "status", *ESTIMATE_COLUMNS]
FormatQuery = Annotated[Literal["json", "csv"] | None, Query(description="csv = the same rows as CSV")]
FlowIdPath = Annotated[str, Path(description="the flow's id, or an id it had before (formerId)")]


async def _category(lookups: GraphLookups, slug: str | None) -> str | None:
    if slug is None:
        return None
    known = await lookups.categories()
    if slug not in known:
        raise InvalidParameter("category", f"unknown category {slug!r}; known: {', '.join(sorted(known))}")
    return slug


def _number(value: float | int | None) -> str:
    return "" if value is None else str(value)


def _estimate_cells(e: Estimate | EstimatePoint) -> list[str]:
    return [e.id if isinstance(e, Estimate) else e.estimate, " ".join(r.id for r in e.estimators),
            "; ".join(r.name or r.id for r in e.estimators), e.as_of or "", e.measure or "", e.scope or "",
            e.start or "", e.end or "", e.unit or "", _number(e.min), _number(e.max), e.qualifier or "",
            "true" if e.current else "false", " ".join(e.claims)]


def flows_csv(page: FlowPage) -> str:
    """Tidy: one row per estimate (observation), numbers in numeric columns; a flow without estimates gets one row
    with the estimate columns empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in page.items:
        flow = [f.id, f.kind or "", f.from_.id, f.to.id, f.category or "", f.category_label or "",
                f.designation or "", f.period.start or "", f.period.end or "", f.period.precision or "",
                f.status or ""]
        cells = [_estimate_cells(e) for e in f.estimates] or [[""] * len(ESTIMATE_COLUMNS)]
        for estimate in cells:
            writer.writerow(flow + estimate)
    return out.getvalue()


def series_csv(series: EstimateSeries) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["flow_id", *ESTIMATE_COLUMNS])
    for row in series.items:
        writer.writerow([series.flow.id, *_estimate_cells(row)])
    return out.getvalue()


def _csv_response(body: str, filename: str) -> Response:
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def wants_csv(fmt: str | None, accept: str | None) -> bool:
    if fmt is not None:
        return fmt == "csv"
    return "text/csv" in (accept or "").lower()


@router.get(
    "/flows",
    operation_id="list_flows",
    response_model=FlowPage,
    responses={**ERRORS, 200: {"content": {"text/csv": {"example": ",".join(CSV_COLUMNS)}}}},
    summary="What flowed from one state to another in a period: one item per flow, its estimates, latest + range",
)
async def list_flows(
    graph: Graph,
    lookups: LookupsDep,
    page: PageDep,
    from_: FromQuery = None,
    to: ToQuery = None,
    since: SinceQuery = None,
    until: UntilQuery = None,
    category: Annotated[str | None, Query(description="category slug; narrower categories included")] = None,
    min_confidence: Annotated[Confidence | None, Query(description="keep items with a claim this confident")] = None,
    both_directions: Annotated[bool, Query(description="also return flows from `to` to `from`")] = False,
    format: FormatQuery = None,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    """One item per real-world flow whose period of activity **overlaps** [since, until] (open ends included; an
    estimate's as-of date never extends a flow). `quantities`: per unit, measure and scope the latest estimate and
    the range across current estimates — never a sum. `Accept: text/csv` or `?format=csv` returns the page as
    tidy CSV: one row per estimate."""
    start, end = period(since, until)
    rows = await graph.run(
        "flows", from_state=from_, to_state=to, both_directions=both_directions, since=start, until=end,
        category=await _category(lookups, category), min_confidence=min_confidence.value if min_confidence else None,
        limit=page.limit, offset=page.offset)
    row = rows[0]
    result = FlowPage(items=[Flow.from_record(item) for item in row["items"]], limit=page.limit, offset=page.offset,
                      total=row["total"])
    if wants_csv(format, accept):
        return _csv_response(flows_csv(result), "flows.csv")
    return typed(result)


@router.get("/flows/summary", operation_id="summarize_flows", response_model=FlowSummary, responses=ERRORS,
            summary="Totals per start year, category, unit and measure: distinct flows' latest estimates added")
async def summarize_flows(
    graph: Graph, from_: FromQuery = None, to: ToQuery = None, since: SinceQuery = None, until: UntilQuery = None
) -> Response:
    """Adds only **distinct** flows (never two estimates of one flow, never a part and its whole), each with its
    latest estimate covering the flow (scope cumulative or period); every row says its `method`, and flows that
    could not be added are listed in `not_combined` with the reason (see docs/api.md)."""
    start, end = period(since, until)
    rows = await graph.run("flow_totals", from_state=from_, to_state=to, since=start, until=end)
    return typed(FlowSummary.from_rows(rows))


async def _flow(graph: GraphAccess, id: str) -> FlowDetail:
    rows = await graph.run("flow", id=id)
    if not rows:
        raise NotFound(f"no flow with id {id!r}")
    return FlowDetail.from_lookup(rows[0])


@router.get("/flows/{id}", operation_id="get_flow", response_model=FlowDetail, responses=ONE_ERRORS,
            summary="One flow with all its estimates and claims (a former id answers the flow it became)")
async def get_flow(graph: Graph, id: FlowIdPath) -> Response:
    """An id the flow had before (e.g. an old per-estimate transfer merged into it) answers the flow, with
    `resolved_from` = the id asked for (no redirect: clients get the flow in one request)."""
    return typed(await _flow(graph, id))


@router.get(
    "/flows/{id}/estimates",
    operation_id="get_flow_estimates",
    response_model=EstimateSeries,
    responses={**ONE_ERRORS, 200: {"content": {"text/csv": {"example": ",".join(["flow_id", *ESTIMATE_COLUMNS])}}}},
    summary="A flow's estimates as a chart-ready series ordered by as-of date (one row per estimate)",
)
async def get_flow_estimates(
    graph: Graph,
    id: FlowIdPath,
    format: FormatQuery = None,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    series = EstimateSeries.from_detail(await _flow(graph, id))
    if wants_csv(format, accept):
        return _csv_response(series_csv(series), f"{series.flow.id}-estimates.csv")
    return typed(series)
