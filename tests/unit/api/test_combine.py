"""api/combine.py: latest, range and totals of estimates, each against a hand-computed answer (issue 14)."""

from __future__ import annotations

import datetime as dt

from api.combine import Bound, Figure, FlowFigures, NotCombined, combine_flow, latest, total, totals, value_range

D = dt.date


def est(id: str, lo: float | None, hi: float | None, qualifier: str, as_of: dt.date | None, *,
        unit: str = "container", measure: str = "supplied", scope: str = "cumulative", estimator: str = "x",
        current: bool = True, precision: str = "day", start: dt.date | None = None,
        end: dt.date | None = None) -> Figure:
    return Figure(id=id, unit=unit, measure=measure, scope=scope, min=lo, max=hi, qualifier=qualifier, as_of=as_of,
                  as_of_precision=precision, estimator=estimator, current=current, start=start, end=end)


# the munitions-container series as the fact base gives it (White House Oct 2023 … MSMT May 2025)
WH = est("wh-2023-10", 1000, None, "more_than", D(2023, 10, 13), estimator="white-house")
MND = est("mnd-2024-02", 6700, 6700, "approximately", D(2024, 2, 27), estimator="mnd")
ABOUT = est("x-2024-08", 12000, 12000, "approximately", D(2024, 8, 1), estimator="x", precision="month")
MSMT = est("msmt-2025-05", 20000, None, "more_than", D(2025, 5, 29), estimator="msmt")


def test_latest_is_the_newest_as_of() -> None:
    assert latest([MND, MSMT, WH, ABOUT]).estimate is MSMT  # type: ignore[union-attr]


def test_latest_skips_estimates_that_are_not_current() -> None:
    retracted = est("msmt-retracted", 30000, None, "more_than", D(2025, 6, 1), current=False)
    assert latest([MSMT, retracted]).estimate is MSMT  # type: ignore[union-attr]
    assert latest([retracted]) is None


def test_a_tie_says_how_it_was_broken_and_who_tied() -> None:
    a = est("b-est", 100, None, "at_least", D(2025, 5, 29))
    b = est("a-est", 90, 110, "approximately", D(2025, 5, 29))
    result = latest([a, b])
    assert result is not None and result.estimate is b  # alphabetical id
    assert result.tied_with == ("b-est",) and result.tie_break == "same as_of: estimate id (alphabetical)"
    month = est("c-est", 100, None, "at_least", D(2025, 5, 1), precision="month")
    day = est("d-est", 100, None, "at_least", D(2025, 5, 1), precision="day")
    result = latest([month, day])
    assert result is not None and result.estimate is day and result.tie_break == "more precise as_of"


def test_range_keeps_the_qualifiers_of_its_ends() -> None:
    # "about 12,000" and "more than 20,000": about 12,000 … more than 20,000 — never 32,000
    assert value_range([ABOUT, MSMT]) == (Bound(12000, "approximately", "x-2024-08"),
                                          Bound(20000, "more_than", "msmt-2025-05"))
    # the whole series: more than 1,000 (White House) … more than 20,000 (MSMT)
    assert value_range([WH, MND, ABOUT, MSMT]) == (Bound(1000, "more_than", "wh-2023-10"),
                                                   Bound(20000, "more_than", "msmt-2025-05"))


def test_range_of_an_up_to_figure_and_a_two_sided_one() -> None:
    up_to = est("state-kursk", None, 10000, "up_to", D(2024, 11, 5), unit="person", measure="deployed")
    intel = est("intel", 10000, 12000, "approximately", D(2024, 12, 1), unit="person", measure="deployed")
    # low end: "up to 10,000" reaches further down than "10,000-12,000" at the same value
    assert value_range([intel, up_to]) == (Bound(10000, "up_to", "state-kursk"),
                                           Bound(12000, "approximately", "intel"))


def test_range_at_equal_values_prefers_the_qualifier_that_reaches_further() -> None:
    at_least = est("msmt", 100, None, "at_least", D(2025, 5, 29), unit="missile")
    about = est("diu", 100, 100, "approximately", D(2024, 11, 26), unit="missile")
    assert value_range([at_least, about]) == (Bound(100, "approximately", "diu"), Bound(100, "at_least", "msmt"))


def test_combine_flow_groups_by_measure_and_scope_never_mixing_them() -> None:
    supplied = est("msmt-missiles", 100, None, "at_least", D(2025, 5, 29), unit="missile", estimator="msmt")
    diu = est("diu-missiles", 100, 100, "approximately", D(2024, 11, 26), unit="missile", estimator="diu")
    fired = est("pgo-fired", 24, None, "at_least", D(2024, 2, 20), unit="missile", measure="fired", estimator="pgo")
    groups = combine_flow([supplied, diu, fired])
    assert [(g.key[1], g.low.value, g.high.value) for g in groups] == [  # type: ignore[union-attr]
        ("fired", 24, 24), ("supplied", 100, 100)]
    by_measure = {g.key[1]: g for g in groups}
    assert by_measure["supplied"].latest.estimate is supplied  # type: ignore[union-attr]
    assert by_measure["supplied"].estimators == ("diu", "msmt")
    assert by_measure["supplied"].estimates == ("diu-missiles", "msmt-missiles")  # by as_of


def test_period_estimates_of_different_windows_are_different_questions() -> None:
    in_2025 = est("usa-2025", 300000, None, "more_than", D(2025, 7, 1), unit="barrel", scope="period",
                  start=D(2025, 1, 1), end=D(2025, 6, 30))
    msmt = est("msmt-oil", 1000000, None, "more_than", D(2025, 5, 29), unit="barrel", scope="period",
               start=D(2024, 3, 1), end=D(2024, 10, 31))
    groups = combine_flow([in_2025, msmt])  # no flow start known: every window is its own question
    assert len(groups) == 2 and all(g.low == g.high for g in groups)  # type: ignore[misc]
    assert {g.latest.estimate.id for g in groups} == {"usa-2025", "msmt-oil"}  # type: ignore[union-attr]


def test_a_period_from_the_flows_start_is_a_running_total() -> None:
    # a flow since March 2024: "in March alone" (by 2 May), "March-October" (MSMT), "in 2025" (another question)
    march = est("usa-march", 165000, None, "more_than", D(2024, 5, 2), unit="barrel", scope="period",
                start=D(2024, 3, 1), end=D(2024, 3, 31))
    so_far = est("usa-may", 500000, None, "more_than", D(2024, 5, 2), unit="barrel", estimator="usa")
    msmt = est("msmt-oil", 1000000, None, "more_than", D(2025, 5, 29), unit="barrel", scope="period",
               start=D(2024, 3, 1), end=D(2024, 10, 31), estimator="msmt")
    in_2025 = est("usa-2025", 300000, None, "more_than", D(2025, 7, 1), unit="barrel", scope="period",
                  start=D(2025, 1, 1), end=D(2025, 6, 30))
    running, later = combine_flow([march, so_far, msmt, in_2025], flow_start=D(2024, 3, 1))
    assert running.key == ("barrel", "supplied", "cumulative", None)
    assert running.latest.estimate is msmt  # type: ignore[union-attr]
    assert (running.low, running.high) == (Bound(165000, "more_than", "usa-march"),
                                           Bound(1000000, "more_than", "msmt-oil"))
    assert running.estimates == ("usa-march", "usa-may", "msmt-oil")
    assert later.key == ("barrel", "supplied", "period", (D(2025, 1, 1), D(2025, 6, 30)))


def test_superseded_estimates_are_listed_but_not_in_the_range() -> None:
    old = est("old", 500, 500, "exact", D(2024, 1, 1), current=False)
    (group,) = combine_flow([old, MND])
    assert group.low == group.high == Bound(6700, "approximately", "mnd-2024-02")
    assert group.not_current == ("old",) and group.estimates == ("mnd-2024-02",)


def test_total_of_one_flow_is_its_latest_never_the_sum_of_its_estimates() -> None:
    flow = FlowFigures("containers", figures=(WH, MND, ABOUT, MSMT))
    result = total([flow], "container", "supplied")
    assert result is not None
    assert (result.method, result.min, result.max, result.qualifier) == ("single_flow_latest", 20000, None,
                                                                         "more_than")
    assert result.estimates == ("msmt-2025-05",)


def test_total_adds_distinct_flows_and_skips_a_part_of_a_whole() -> None:
    heavy = FlowFigures("heavy-artillery", figures=(
        est("heavy-msmt", 200, None, "more_than", D(2025, 5, 29), unit="piece"),))
    guns = FlowFigures("guns", part_of=frozenset({"heavy-artillery"}), figures=(
        est("guns-ft", None, 50, "nearly", D(2024, 10, 1), unit="piece"),))
    mines = FlowFigures("mines", figures=(est("mines", 30, 40, "approximately", D(2024, 3, 1), unit="piece"),))
    result = total([guns, heavy, mines], "piece", "supplied")
    assert result is not None and result.method == "sum_of_distinct_flows_latest"
    assert (result.min, result.max, result.qualifier) == (230, None, "at_least")  # 200+ and 30-40; 50 not added
    assert result.flows == ("heavy-artillery", "mines")
    assert result.not_combined == (NotCombined("guns", "part of heavy-artillery, which already counts it"),)
    # a sum of running totals counted at different dates says which: 2024-03-01 (mines) … 2025-05-29 (heavy)
    assert [f.id if f else None for f in result.as_of] == ["mines", "heavy-msmt"]


def test_a_part_is_added_when_its_whole_has_no_figure_in_that_unit() -> None:
    whole = FlowFigures("troops", figures=())
    part = FlowFigures("troops-2025", part_of=frozenset({"troops"}), figures=(
        est("rok", 3000, 3000, "approximately", D(2025, 6, 17), unit="person", measure="deployed"),))
    result = total([whole, part], "person", "deployed")
    assert result is not None and (result.min, result.max, result.flows) == (3000, 3000, ("troops-2025",))


def test_total_of_exact_figures_is_exact_and_two_sided() -> None:
    a = FlowFigures("a", figures=(est("a1", 10, 10, "exact", D(2024, 1, 1), unit="system"),))
    b = FlowFigures("b", figures=(est("b1", 5, 7, "exact", D(2024, 1, 1), unit="system"),))
    result = total([a, b], "system", "supplied")
    assert result is not None and (result.min, result.max, result.qualifier) == (15, 17, "exact")


def test_partial_scopes_are_not_combined_and_say_why() -> None:
    first = FlowFigures("troops-2024", figures=(
        est("nis-first", 1500, None, "more_than", D(2024, 10, 18), unit="person", measure="deployed",
            scope="consignment"),))
    result = total([first], "person", "deployed")
    assert result is not None and result.flows == () and result.min is None and result.qualifier == "none"
    assert result.not_combined == (NotCombined("troops-2024",
                                               "only partial estimates (consignment), not a flow total"),)


def test_an_up_to_part_leaves_the_lower_bound_of_the_sum_unknown() -> None:
    a = FlowFigures("a", figures=(est("a1", None, 10000, "up_to", D(2024, 11, 5), unit="person",
                                      measure="deployed"),))
    b = FlowFigures("b", figures=(est("b1", 3000, 3000, "approximately", D(2025, 6, 1), unit="person",
                                      measure="deployed"),))
    result = total([a, b], "person", "deployed")
    assert result is not None and (result.min, result.max, result.qualifier) == (None, 13000, "up_to")


def test_a_later_period_is_not_a_flow_total_but_a_period_from_the_start_is() -> None:
    later = FlowFigures("oil", start=D(2024, 3, 1), figures=(
        est("in-2025", 300000, None, "more_than", D(2025, 7, 1), unit="barrel", scope="period",
            start=D(2025, 1, 1), end=D(2025, 6, 30)),))
    result = total([later], "barrel", "supplied")
    assert result is not None and result.flows == ()
    assert result.not_combined == (NotCombined("oil", "only partial estimates (period), not a flow total"),)
    both = FlowFigures("oil", start=D(2024, 3, 1), figures=(*later.figures, est(
        "msmt", 1000000, None, "more_than", D(2025, 5, 29), unit="barrel", scope="period", start=D(2024, 3, 1),
        end=D(2024, 10, 31))))
    result = total([both], "barrel", "supplied")  # the running total, though the 2025 figure is newer
    assert result is not None and (result.estimates, result.min, result.qualifier) == (("msmt",), 1000000,
                                                                                       "more_than")


def test_totals_one_per_unit_and_measure() -> None:
    flow = FlowFigures("m", figures=(MSMT, est("rounds", 9_000_000, 9_000_000, "approximately", D(2025, 5, 29),
                                                unit="round")))
    assert [(t.unit, t.measure, t.min) for t in totals([flow])] == [("container", "supplied", 20000),
                                                                    ("round", "supplied", 9_000_000)]
