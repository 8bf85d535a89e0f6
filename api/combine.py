"""How the API combines the estimates of flows — pure functions, no database (issue 14).

Sources never observe a flow; they publish **estimates** of it (figure, measure, scope, as-of date, estimator).
Two estimates of one flow are *alternatives*: they are never added. Per flow, the figures are grouped by what
they answer — unit, measure and scope; a ``period`` estimate also by its window ("in 2025" and "March–October
2024" are different questions), except that a period starting where the flow starts is a running total and joins
the ``cumulative`` group (see :func:`group_key`) — and each group gives

- the **latest** current estimate: the greatest ``as_of`` (a month or year counts as its first day); a tie (same
  ``as_of``) is broken by the more precise date, then by the estimate id, and the other tied estimates are listed
  (``tied_with``) so nobody mistakes the pick for a consensus;
- the **range** across the group's current estimates: the low end is the smallest lower bound (``min``, else the
  ``max`` of an "up to"/"nearly" figure), the high end the greatest upper bound (``max``, else the ``min`` of an
  open "at least"/"more than" figure); each end keeps its estimate's qualifier, so "about 12,000" and
  "more than 20,000" give the range *about 12,000 … more than 20,000*, never a sum.

An estimate is **current** unless every claim behind it is superseded or retracted.

Totals (``/flows/summary``) add only **distinct** flows: each flow contributes its latest current running total
of the unit and measure (scope ``cumulative``, or a ``period`` from the flow's start); a flow that is part of
another flow in the same group (``partOf``) is not added (its whole already counts it), nor is a flow whose only
figures are partial (``consignment``, ``snapshot``, or a period that starts after the flow did) — those are
listed per flow in ``not_combined`` with the reason. Each total says how it was made (``method``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

Number = int | float
Method = Literal["single_flow_latest", "sum_of_distinct_flows_latest"]

_PRECISION_RANK = {"day": 0, "month": 1, "year": 2, None: 3}
# among equal values, the qualifier that reaches furthest down (low end) or up (high end) wins
_DOWNWARD = ["up_to", "nearly", "approximately", "exact", "at_least", "more_than"]
_UPWARD = list(reversed(_DOWNWARD))


@dataclass(frozen=True)
class Figure:
    """One estimate as the combination rules see it."""

    id: str
    unit: str | None
    measure: str | None
    scope: str | None
    min: Number | None
    max: Number | None
    qualifier: str | None
    as_of: dt.date | None = None
    as_of_precision: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    estimator: str | None = None
    current: bool = True

    @property
    def low(self) -> Number | None:
        return self.min if self.min is not None else self.max

    @property
    def high(self) -> Number | None:
        return self.max if self.max is not None else self.min

    @property
    def open_above(self) -> bool:
        """"at least 100" / "more than 100": no upper bound."""
        return self.max is None and self.qualifier in {"at_least", "more_than"}

    @property
    def window(self) -> tuple[dt.date | None, dt.date | None] | None:
        return (self.start, self.end) if self.scope == "period" else None


GroupKey = tuple[str | None, str | None, str | None, tuple[dt.date | None, dt.date | None] | None]


def group_key(figure: Figure, flow_start: dt.date | None = None) -> GroupKey:
    """What an estimate answers: unit, measure, scope (and the window of a period estimate).

    A ``period`` estimate whose window starts where the flow starts (or before) counts everything from the flow's
    start to the window's end — a running total, like a ``cumulative`` one — so it joins the cumulative group
    ("more than 165,000 barrels in March 2024" of a flow that began in March 2024 is the total by the end of March).
    """
    if figure.scope == "period" and flow_start is not None and figure.start is not None and figure.start <= flow_start:
        return (figure.unit, figure.measure, "cumulative", None)
    return (figure.unit, figure.measure, figure.scope, figure.window)


@dataclass(frozen=True)
class Bound:
    """One end of a range: the value, its estimate's qualifier, and which estimate gave it."""

    value: Number | None
    qualifier: str | None
    estimate: str


@dataclass(frozen=True)
class Latest:
    estimate: Figure
    tied_with: tuple[str, ...] = ()
    tie_break: str | None = None


@dataclass(frozen=True)
class Combined:
    """The answer for one group of one flow's estimates."""

    key: GroupKey
    latest: Latest | None
    low: Bound | None
    high: Bound | None
    estimators: tuple[str, ...]
    estimates: tuple[str, ...]
    not_current: tuple[str, ...] = ()


def _as_of_key(figure: Figure) -> tuple[dt.date, int]:
    return (figure.as_of or dt.date.min, -_PRECISION_RANK.get(figure.as_of_precision, 3))


def latest(figures: Iterable[Figure]) -> Latest | None:
    """The latest current estimate (by ``as_of``); ties say how they were broken and who else tied."""
    current = [f for f in figures if f.current]
    if not current:
        return None
    newest = max(f.as_of or dt.date.min for f in current)
    tied = [f for f in current if (f.as_of or dt.date.min) == newest]
    if len(tied) == 1:
        return Latest(tied[0])
    tied.sort(key=lambda f: (_PRECISION_RANK.get(f.as_of_precision, 3), f.id))
    precise = _PRECISION_RANK.get(tied[0].as_of_precision, 3) < _PRECISION_RANK.get(tied[1].as_of_precision, 3)
    rule = "more precise as_of" if precise else "same as_of: estimate id (alphabetical)"
    return Latest(tied[0], tuple(f.id for f in tied[1:]), rule)


def _pick(figures: Sequence[Figure], value: Number, bound: str, order: list[str]) -> Figure:
    candidates = [f for f in figures if getattr(f, bound) == value]
    return min(candidates, key=lambda f: (order.index(f.qualifier) if f.qualifier in order else len(order), f.id))


def value_range(figures: Iterable[Figure]) -> tuple[Bound | None, Bound | None]:
    """Min of the lower bounds and max of the upper bounds across the current estimates, qualifiers kept."""
    current = [f for f in figures if f.current]
    lows = [f.low for f in current if f.low is not None]
    highs = [f.high for f in current if f.high is not None]
    if not lows:
        return None, None
    lo = _pick(current, min(lows), "low", _DOWNWARD)
    hi = _pick(current, max(highs), "high", _UPWARD)
    return Bound(lo.low, lo.qualifier, lo.id), Bound(hi.high, hi.qualifier, hi.id)


def combine_flow(figures: Iterable[Figure], flow_start: dt.date | None = None) -> list[Combined]:
    """One flow's estimates, grouped by what they answer; per group the latest and the range (never a sum)."""
    groups: dict[GroupKey, list[Figure]] = {}
    for figure in figures:
        groups.setdefault(group_key(figure, flow_start), []).append(figure)
    out = []
    for key, members in sorted(groups.items(), key=lambda kv: _sort_key(kv[0])):
        low, high = value_range(members)
        current = [f for f in members if f.current]
        out.append(Combined(
            key=key, latest=latest(members), low=low, high=high,
            estimators=tuple(sorted({f.estimator for f in current if f.estimator})),
            estimates=tuple(f.id for f in sorted(current, key=lambda f: (_as_of_key(f), f.id))),
            not_current=tuple(sorted(f.id for f in members if not f.current)),
        ))
    return out


def _sort_key(key: GroupKey) -> tuple[str, str, int, str]:
    unit, measure, scope, window = key
    scope_rank = {"cumulative": 0, "period": 1, "snapshot": 2, "consignment": 3}.get(scope or "", 4)
    return (unit or "", measure or "", scope_rank, str(window))


# ---- totals across flows ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FlowFigures:
    """One flow as the totals see it: its id, the flows it is part of, and its estimates."""

    id: str
    part_of: frozenset[str] = frozenset()
    figures: tuple[Figure, ...] = ()
    start: dt.date | None = None


@dataclass(frozen=True)
class NotCombined:
    flow: str
    reason: str


@dataclass(frozen=True)
class Total:
    unit: str | None
    measure: str | None
    method: Method
    min: Number | None
    max: Number | None
    qualifier: str
    flows: tuple[str, ...]
    estimates: tuple[str, ...]
    not_combined: tuple[NotCombined, ...] = field(default=())
    #: the added estimates' earliest and latest ``as_of`` (the figures are running totals as of these dates)
    as_of: tuple[Figure | None, Figure | None] = (None, None)


def _sum_qualifier(parts: Sequence[Figure]) -> str:
    if len(parts) == 1:
        return parts[0].qualifier or "approximately"
    open_above, open_below = any(f.open_above for f in parts), any(f.min is None for f in parts)
    if open_above and open_below:
        return "unknown"
    if open_above:
        return "at_least"
    if open_below:
        return "up_to"
    if all(f.qualifier == "exact" for f in parts):
        return "exact"
    return "approximately"


def _add(values: Iterable[Number | None]) -> Number | None:
    total: Number = 0
    for value in values:
        if value is None:
            return None
        total += value
    return total


def total(flows: Sequence[FlowFigures], unit: str | None, measure: str | None) -> Total | None:
    """Add the latest whole-scope estimates of distinct flows in one unit and measure; list what is not added.

    ``min`` adds the lower bounds (unknown if any figure has none, e.g. "up to"), ``max`` the upper bounds
    (unknown — open — if any figure is "at least"/"more than"). The qualifier of one flow's figure is its own;
    of a sum: ``at_least`` when a part is open above, ``up_to`` when a part has no lower bound (``unknown`` when
    both), ``exact`` when every part is, else ``approximately``.
    """
    ids = {flow.id for flow in flows
           if any(f.current and f.unit == unit and f.measure == measure for f in flow.figures)}
    parts: list[tuple[str, Figure]] = []
    skipped: list[NotCombined] = []
    for flow in sorted(flows, key=lambda f: f.id):
        mine = [f for f in flow.figures if f.unit == unit and f.measure == measure]
        if not mine:
            continue
        wholes = sorted(flow.part_of & ids)
        if wholes:
            skipped.append(NotCombined(flow.id, f"part of {', '.join(wholes)}, which already counts it"))
            continue
        if not any(f.current for f in mine):
            skipped.append(NotCombined(flow.id, "no current estimate (every claim superseded or retracted)"))
            continue
        whole = latest(f for f in mine if group_key(f, flow.start)[2] == "cumulative")
        if whole is None:
            scopes = sorted({f.scope or "unknown" for f in mine if f.current})
            skipped.append(NotCombined(flow.id, f"only partial estimates ({', '.join(scopes)}), not a flow total"))
            continue
        parts.append((flow.id, whole.estimate))
    if not parts and not skipped:
        return None
    figures = [figure for _, figure in parts]
    return Total(
        unit=unit, measure=measure,
        method="single_flow_latest" if len(parts) <= 1 else "sum_of_distinct_flows_latest",
        min=_add(f.low if f.min is not None else None for f in figures) if figures else None,
        max=_add(f.high if not f.open_above else None for f in figures) if figures else None,
        qualifier=_sum_qualifier(figures) if figures else "none",
        flows=tuple(flow_id for flow_id, _ in parts), estimates=tuple(f.id for f in figures),
        not_combined=tuple(skipped), as_of=_as_of_span(figures),
    )


def _as_of_span(figures: Sequence[Figure]) -> tuple[Figure | None, Figure | None]:
    """The figures dated earliest and latest (a month or year counts as its first day; undated ones are left out)."""
    dated = sorted((f for f in figures if f.as_of is not None), key=_as_of_key)
    return (dated[0], dated[-1]) if dated else (None, None)


def totals(flows: Sequence[FlowFigures]) -> list[Total]:
    """A total per (unit, measure) found among the flows' estimates."""
    keys = sorted({(f.unit, f.measure) for flow in flows for f in flow.figures},
                  key=lambda k: (k[0] or "", k[1] or ""))
    return [t for unit, measure in keys if (t := total(flows, unit, measure)) is not None]
