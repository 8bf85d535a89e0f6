"""Models of ``/flows``, ``/flows/{id}``, ``/flows/{id}/estimates`` and ``/flows/summary`` (api/routes/flows.py).

A flow is one real-world flow; sources publish **estimates** of it. ``quantities`` is computed by
``api/combine.py`` from the flow's estimates: per unit, measure and scope the latest estimate and the range across
the current ones — never a sum of alternatives.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from api import combine
from api.models.common import Claim, Page, Period, Ref, Row, examples, iso_prefix, text

ESTIMATE_EXAMPLE: dict[str, Any] = {
    "id": "transfer-prk-rus-munitions-containers-est-msmt-2025-05", "min": 20000, "max": None,
    "qualifier": "more_than", "unit": "container", "measure": "supplied", "scope": "cumulative",
    "as_of": "2025-05-29", "start": None, "end": None, "estimators": [{"id": "msmt", "name": "MSMT"}],
    "claims": ["claim-a11"], "note": None, "current": True,
}
QUANTITY_EXAMPLE: dict[str, Any] = {
    "min": 20000, "max": None, "qualifier": "more_than", "unit": "container", "measure": "supplied",
    "scope": "cumulative", "window": None,
    "latest": {"estimate": ESTIMATE_EXAMPLE["id"], "min": 20000, "max": None, "qualifier": "more_than",
               "unit": "container", "as_of": "2025-05-29", "estimators": [{"id": "msmt", "name": "MSMT"}],
               "tied_with": [], "tie_break": None},
    "range": {"low": {"value": 1000, "qualifier": "more_than",
                      "estimate": "transfer-prk-rus-munitions-containers-est-white-house-2023-10"},
              "high": {"value": 20000, "qualifier": "more_than", "estimate": ESTIMATE_EXAMPLE["id"]}},
    "estimators": [{"id": "msmt", "name": "MSMT"}, {"id": "white-house", "name": "White House"}],
    "estimate_count": 2,
}
FLOW_EXAMPLE: dict[str, Any] = {
    "id": "transfer-prk-rus-munitions-containers", "kind": "MaterielTransfer",
    "from": {"id": "PRK", "name": "North Korea"}, "to": {"id": "RUS", "name": "Russia"},
    "category": "munitions", "category_label": "Munitions", "designation": None,
    "quantities": [QUANTITY_EXAMPLE], "estimates": [ESTIMATE_EXAMPLE],
    "period": {"start": "2023-08", "end": None, "precision": "month"}, "ongoing": False, "status": "reported",
    "note": None, "distinction": None, "part_of": [], "parts": [], "distinct_from": [], "former_ids": [],
    "claim_count": 1,
    "claims": [{"id": "claim-a11", "quote": "…", "stance": "reports", "confidence": "high", "date": "2025-05-29",
                "source": {"id": "source-s01", "title": "…", "publisher": "CNA (Reuters wire)", "date": "2025-05-29",
                           "url": "https://www.channelnewsasia.com/…"}}],
}


def _date(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value)[:10])


def _iso(figure: combine.Figure | None) -> str | None:
    """An estimate's as_of as the API writes dates: the ISO prefix its precision allows."""
    if figure is None or figure.as_of is None:
        return None
    return iso_prefix(figure.as_of.isoformat(), figure.as_of_precision)


def _refs(rows: list[Row] | None) -> list[Ref]:
    return [Ref(id=row["id"], name=row.get("name")) for row in sorted(rows or [], key=lambda r: r["id"])]


def _claim_ids(row: Row) -> list[str]:
    return sorted({c["id"] if isinstance(c, dict) else c for c in row.get("claims") or []})


def is_current(row: Row) -> bool:
    """An estimate is current unless every claim behind it is superseded or retracted."""
    claims = [c for c in row.get("claims") or [] if isinstance(c, dict)]
    return not claims or not all(c.get("stale") for c in claims)


def sorted_estimates(rows: list[Row] | None) -> list[Row]:
    """By as-of date (undated last), then id."""
    return sorted(rows or [], key=lambda r: (r.get("asOf") is None, str(r.get("asOf") or ""), r["id"]))


class Estimate(BaseModel):
    """One estimator's figure for the flow, as a source publishes it."""

    model_config = examples(ESTIMATE_EXAMPLE)
    id: str
    min: float | int | None = None
    max: float | int | None = None
    qualifier: str | None = Field(None, description="exact, at_least, more_than, up_to, nearly or approximately")
    unit: str | None = None
    measure: str | None = Field(None, description="what was counted: supplied, shipped, deployed, fired …")
    scope: str | None = Field(None, description="cumulative, period, consignment or snapshot")
    as_of: str | None = Field(None, description="the date the figure refers to (ISO prefix)")
    start: str | None = Field(None, description="start of the estimate's own period (period scope, or where a "
                                                "cumulative count starts); null = the flow's start")
    end: str | None = Field(None, description="end of the estimate's own period (period scope)")
    estimators: list[Ref] = Field(description="who made the estimate (not the outlet that reported it); "
                                              "several when made jointly")
    claims: list[str] = Field(description="ids of the claims that give the estimate (details in the flow's claims)")
    note: str | None = None
    current: bool = Field(True, description="false when every claim behind it is superseded or retracted")

    @classmethod
    def from_record(cls, row: Row) -> Estimate:
        return cls(
            id=row["id"], min=row.get("min"), max=row.get("max"), qualifier=row.get("qualifier"),
            unit=row.get("unit"), measure=row.get("measure"), scope=row.get("scope"),
            as_of=iso_prefix(row.get("asOf"), row.get("asOfPrecision")),
            start=iso_prefix(row.get("startDate"), row.get("startDatePrecision")),
            end=iso_prefix(row.get("endDate"), row.get("endDatePrecision")),
            estimators=_refs(row.get("estimators")), claims=_claim_ids(row),
            note=text(row.get("note")), current=is_current(row),
        )


def figure_of(row: Row) -> combine.Figure:
    """A query's estimate record as the combination rules see it."""
    estimators = sorted(row.get("estimators") or [], key=lambda r: r["id"])
    return combine.Figure(
        id=row["id"], unit=row.get("unit"), measure=row.get("measure"), scope=row.get("scope"), min=row.get("min"),
        max=row.get("max"), qualifier=row.get("qualifier"), as_of=_date(row.get("asOf")),
        as_of_precision=row.get("asOfPrecision"), start=_date(row.get("startDate")), end=_date(row.get("endDate")),
        estimator=estimators[0]["id"] if estimators else None, current=is_current(row),
    )


class LatestEstimate(BaseModel):
    estimate: str = Field(description="the latest current estimate's id")
    min: float | int | None = None
    max: float | int | None = None
    qualifier: str | None = None
    unit: str | None = None
    as_of: str | None = None
    estimators: list[Ref]
    tied_with: list[str] = Field(default_factory=list, description="other estimates with the same as_of")
    tie_break: str | None = Field(None, description="how a tie on as_of was broken (null = no tie)")


class RangeEnd(BaseModel):
    value: float | int | None
    qualifier: str | None = Field(None, description="the qualifier of the estimate that gives this end")
    estimate: str


class FigureRange(BaseModel):
    low: RangeEnd | None = Field(None, description="the smallest lower bound among the current estimates")
    high: RangeEnd | None = Field(None, description="the greatest upper bound among the current estimates")


class Window(BaseModel):
    start: str | None = None
    end: str | None = None


class FlowQuantity(BaseModel):
    """Per unit, measure and scope (and window, for a period that starts after the flow did): the latest estimate and
    the range — never a sum. A period counted from the flow's start is a running total: it is in the ``cumulative``
    entry. ``min``/``max``/``qualifier``/``unit`` are the latest estimate's figure."""

    model_config = examples(QUANTITY_EXAMPLE)
    min: float | int | None = None
    max: float | int | None = None
    qualifier: str | None = None
    unit: str | None = None
    measure: str | None = Field(None, description="what was counted: supplied, shipped, deployed, fired …")
    scope: str | None = Field(None, description="cumulative (with periods counted from the flow's start), period, "
                                                "consignment or snapshot")
    window: Window | None = Field(None, description="the period a `period` figure covers")
    latest: LatestEstimate | None
    range: FigureRange
    estimators: list[Ref] = Field(description="who made the current estimates of this group")
    estimate_count: int = Field(description="how many current estimates the range spans")
    estimates: list[str] = Field(description="their ids, by as_of")
    not_current: list[str] = Field(default_factory=list, description="superseded or retracted estimates, left out")


def quantities_of(estimates: list[Row], flow_start: dt.date | None = None) -> list[FlowQuantity]:
    by_id = {row["id"]: row for row in estimates}
    names = {ref["id"]: ref for row in estimates for ref in row.get("estimators") or []}
    out = []
    for group in combine.combine_flow((figure_of(row) for row in estimates), flow_start):
        unit, measure, scope, window = group.key
        latest = None
        if group.latest is not None:
            row = by_id[group.latest.estimate.id]
            latest = LatestEstimate(
                estimate=row["id"], min=row.get("min"), max=row.get("max"), qualifier=row.get("qualifier"),
                unit=unit, as_of=iso_prefix(row.get("asOf"), row.get("asOfPrecision")),
                estimators=_refs(row.get("estimators")), tied_with=list(group.latest.tied_with),
                tie_break=group.latest.tie_break)
        window_model = None
        if window is not None:
            first = by_id[group.estimates[0] if group.estimates else group.not_current[0]]
            window_model = Window(start=iso_prefix(first.get("startDate"), first.get("startDatePrecision")),
                                  end=iso_prefix(first.get("endDate"), first.get("endDatePrecision")))
        current_estimators = sorted({ref["id"] for eid in group.estimates
                                     for ref in by_id[eid].get("estimators") or []})
        out.append(FlowQuantity(
            min=latest.min if latest else None, max=latest.max if latest else None,
            qualifier=latest.qualifier if latest else None, unit=unit, measure=measure, scope=scope,
            window=window_model, latest=latest,
            range=FigureRange(
                low=RangeEnd(value=group.low.value, qualifier=group.low.qualifier, estimate=group.low.estimate)
                if group.low else None,
                high=RangeEnd(value=group.high.value, qualifier=group.high.qualifier, estimate=group.high.estimate)
                if group.high else None),
            estimators=_refs([names[i] for i in current_estimators]), estimate_count=len(group.estimates),
            estimates=list(group.estimates), not_current=list(group.not_current)))
    return out


class Flow(BaseModel):
    model_config = examples(FLOW_EXAMPLE)
    id: str
    kind: str | None = Field(None, description="MaterielTransfer, TechnologyTransfer, PersonnelDeployment …")
    from_: Ref = Field(alias="from")
    to: Ref
    category: str | None = Field(None, description="category slug (SKOS notation)")
    category_label: str | None = None
    designation: str | None = Field(None, description="named systems, '; '-joined when several")
    quantities: list[FlowQuantity] = Field(description="per unit, measure and scope: the latest estimate and the "
                                                       "range across current estimates (never a sum)")
    estimates: list[Estimate] = Field(description="every estimate of the flow, by as_of")
    period: Period = Field(description="the flow's period of activity (an estimate's as_of never extends it)")
    ongoing: bool | None = Field(None, description="true when a source says the flow continues; null = not said")
    status: str | None = Field(None, description="reported, confirmed or disputed")
    note: str | None = Field(None, description="the curators' notes on the flow")
    distinction: str | None = Field(None, description="why this flow is distinct from overlapping ones")
    part_of: list[Ref] = Field(default_factory=list, description="the larger flows this one is part of")
    parts: list[Ref] = Field(default_factory=list, description="the flows that are part of this one")
    distinct_from: list[Ref] = Field(default_factory=list, description="overlapping flows that are different")
    former_ids: list[str] = Field(default_factory=list, description="ids this flow (or flows merged into it) had")
    claim_count: int = Field(description="claims behind the flow and its estimates")
    claims: list[Claim] = Field(description="the claims behind the flow and behind its estimates")

    @classmethod
    def from_record(cls, row: Row) -> Flow:
        return cls.model_validate(cls.fields_of(row))

    @staticmethod
    def fields_of(row: Row) -> dict[str, Any]:
        designation = row.get("designation")
        designation = text(sorted(designation) if isinstance(designation, list) else designation)
        estimates = sorted_estimates(row.get("estimates"))
        unique = {c["id"]: c for c in row.get("claims") or []}
        claims = [Claim.from_record(unique[i]) for i in sorted(unique)]
        return {
            "id": row["id"], "kind": row.get("kind"), "from": Ref.from_record(row["from"]),
            "to": Ref.from_record(row["to"]), "category": row.get("category"),
            "category_label": row.get("category_label"), "designation": designation,
            "quantities": quantities_of(estimates, _date(row.get("startDate"))),
            "estimates": [Estimate.from_record(e) for e in estimates],
            "period": Period.from_record(row), "ongoing": row.get("ongoing"), "status": row.get("status"),
            "note": text(row.get("note")), "distinction": text(row.get("distinction")),
            "part_of": _refs(row.get("partOf")), "parts": _refs(row.get("parts")),
            "distinct_from": _refs(row.get("distinctFrom")), "former_ids": sorted(row.get("formerId") or []),
            "claim_count": len(claims), "claims": claims,
        }


class FlowPage(Page):
    model_config = examples({"items": [FLOW_EXAMPLE], "limit": 50, "offset": 0, "total": 1})
    items: list[Flow]


class FlowDetail(Flow):
    model_config = examples({**FLOW_EXAMPLE, "resolved_from": None})
    resolved_from: str | None = Field(None, description="the former id that was asked for, when the flow was "
                                                        "found by an id it had before (null = asked by its id)")

    @classmethod
    def from_lookup(cls, row: Row) -> FlowDetail:
        return cls.model_validate({**Flow.fields_of(row["flow"]), "resolved_from": row.get("resolvedFrom")})


class EstimatePoint(BaseModel):
    """One row of the chart-ready series: one estimate at its as-of date."""

    as_of: str | None
    estimate: str = Field(description="the estimate's id")
    estimators: list[Ref]
    measure: str | None
    unit: str | None
    min: float | int | None
    max: float | int | None
    qualifier: str | None
    scope: str | None
    start: str | None
    end: str | None
    current: bool
    claims: list[str]


class EstimateSeries(BaseModel):
    model_config = examples({
        "flow": {"id": "transfer-prk-rus-munitions-containers", "name": "Munitions"}, "resolved_from": None,
        "items": [{"as_of": "2025-05-29", "estimate": ESTIMATE_EXAMPLE["id"],
                   "estimators": [{"id": "msmt", "name": "MSMT"}], "measure": "supplied", "unit": "container",
                   "min": 20000, "max": None, "qualifier": "more_than", "scope": "cumulative", "start": None,
                   "end": None, "current": True, "claims": ["claim-a11"]}]})
    flow: Ref
    resolved_from: str | None = None
    items: list[EstimatePoint] = Field(description="one row per estimate, ordered by as_of (undated last)")

    @classmethod
    def from_detail(cls, flow: FlowDetail) -> EstimateSeries:
        rows = sorted(flow.estimates, key=lambda e: (e.as_of is None, e.as_of or "", e.id))
        name = flow.designation or flow.category_label or flow.id
        return cls(flow=Ref(id=flow.id, name=name), resolved_from=flow.resolved_from, items=[
            EstimatePoint(as_of=e.as_of, estimate=e.id, estimators=e.estimators, measure=e.measure, unit=e.unit,
                          min=e.min, max=e.max, qualifier=e.qualifier, scope=e.scope, start=e.start, end=e.end,
                          current=e.current, claims=e.claims) for e in rows])


class NotCombinedFlow(BaseModel):
    flow: str
    reason: str


class FlowTotal(BaseModel):
    year: int | None = Field(description="the year the flows' periods start (null = undated) — a grouping, not the "
                                         "period counted: the figures are running totals as of as_of_from … as_of_to")
    category: str | None
    category_label: str | None
    unit: str | None = Field(description="null on a row of flows that have no estimate at all")
    measure: str | None
    method: str = Field(description="single_flow_latest (one flow's latest estimate), sum_of_distinct_flows_latest "
                                    "(the latest estimates of distinct flows added), or no_figures")
    min: float | int | None = Field(default=None, description="the total's lower bound (null = unknown)")
    max: float | int | None = Field(default=None, description="the total's upper bound (null = open or unknown)")
    qualifier: str | None = Field(None, description="exact, approximately, at_least, up_to, unknown, or none when "
                                                    "nothing could be added")
    flows: list[str] = Field(description="the flows whose latest estimates were added")
    estimates: list[str] = Field(description="the estimates that were added, one per flow")
    not_combined: list[NotCombinedFlow] = Field(description="flows with figures in this unit and measure that were "
                                                            "not added, each with the reason")
    as_of_from: str | None = Field(
        default=None, description="the earliest as_of of the estimates added (ISO prefix; null = none dated or added)")
    as_of_to: str | None = Field(
        default=None, description="the latest as_of of the estimates added (ISO prefix; each flow is counted up to its "
                                  "own estimate's date)")


class FlowSummary(BaseModel):
    model_config = examples({"items": [{
        "year": 2023, "category": "ballistic-missiles", "category_label": "Ballistic missiles",
        "unit": "missile", "measure": "supplied", "method": "single_flow_latest", "min": 100, "max": None,
        "qualifier": "at_least", "flows": ["transfer-prk-rus-ballistic-missiles"],
        "estimates": ["transfer-prk-rus-ballistic-missiles-est-msmt-2025-05"], "not_combined": [],
        "as_of_from": "2025-05-29", "as_of_to": "2025-05-29"}]})
    items: list[FlowTotal]

    @classmethod
    def from_rows(cls, rows: list[Row]) -> FlowSummary:
        groups: dict[tuple[int | None, str | None], list[Row]] = {}
        for row in rows:
            groups.setdefault((row.get("year"), row.get("category")), []).append(row)
        items = []
        for (year, category), members in sorted(groups.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1] or "")):
            label = members[0].get("category_label")
            flows = [combine.FlowFigures(id=row["id"], part_of=frozenset(row.get("partOf") or []),
                                         figures=tuple(figure_of(e) for e in row.get("estimates") or []),
                                         start=_date(row.get("startDate")))
                     for row in members]
            found = combine.totals(flows)
            for t in found:
                items.append(FlowTotal(
                    year=year, category=category, category_label=label, unit=t.unit, measure=t.measure,
                    method=t.method, min=t.min, max=t.max, qualifier=t.qualifier, flows=list(t.flows),
                    estimates=list(t.estimates), as_of_from=_iso(t.as_of[0]), as_of_to=_iso(t.as_of[1]),
                    not_combined=[NotCombinedFlow(flow=n.flow, reason=n.reason) for n in t.not_combined]))
            bare = [f.id for f in flows if not f.figures]
            if bare:
                items.append(FlowTotal(year=year, category=category, category_label=label, unit=None, measure=None,
                                       method="no_figures", qualifier="none", flows=[], estimates=[],
                                       not_combined=[NotCombinedFlow(flow=i, reason="no estimate")
                                                     for i in bare]))
        return cls(items=items)
