"""The plan warm-up (api/warmup.py) without a database: a fake graph records what it is asked to run.

What an operator notices: after each (re)connection every canned query is run once with values that name nothing,
the resolver's and the headline's first; readiness waits for it, but never longer than the budget, and never
forever because a statement fails; an outage during the warm-up leaves the next reconnection to warm again.
"""

from __future__ import annotations

import asyncio
from typing import Any

from api.settings import ApiSettings
from api.warmup import FIRST, PlanWarmup, harmless_values
from graph.errors import GraphUnavailable, QueryBug
from queries.registry import Registry

REGISTRY = Registry.load()


class FakeGraph:
    def __init__(self, fail: dict[str, Exception] | None = None, delay: float = 0.0) -> None:
        self.registry = REGISTRY
        self.settings = ApiSettings(query_timeout=2.0)
        self.timeouts: list[float] = []
        self.epoch, self.down = 1, False
        self.ran: list[tuple[str, dict[str, Any]]] = []
        self.fail = fail or {}
        self.delay = delay

    async def warm(self, name: str, params: dict[str, Any], timeout: float) -> None:
        await asyncio.sleep(self.delay)
        self.ran.append((name, params))
        self.timeouts.append(timeout)
        if name in self.fail:
            raise self.fail[name]


def _warm(graph: FakeGraph, budget: float = 30.0, warmup: PlanWarmup | None = None) -> PlanWarmup:
    async def go() -> PlanWarmup:
        nonlocal warmup
        warmup = warmup or PlanWarmup(graph, budget)  # type: ignore[arg-type]
        assert not warmup.ready  # connected (a new epoch), not warmed yet
        warmup.start()
        assert warmup._task is not None
        await warmup._task
        return warmup

    return asyncio.run(go())


def test_every_canned_query_runs_with_values_naming_nothing_the_resolver_first() -> None:
    graph = FakeGraph()
    warmup = _warm(graph)
    names = list(dict.fromkeys(name for name, _ in graph.ran))
    assert sorted(names) == sorted(q.name for q in REGISTRY)
    assert names[:len(FIRST)] == [n for n in FIRST if n in names]
    assert warmup.ready and warmup.progress.planned == len(graph.ran) and warmup.progress.failed == 0
    given, bare = [params for name, params in graph.ran if name == "flows"]
    assert given["from_state"] == "rdkg-warmup" and given["limit"] == 1 and given["since"] is not None
    assert bare["from_state"] is None and bare["limit"] == 1 and bare["both_directions"] is False
    assert max(graph.timeouts) <= 2.0  # each statement under the read timeout of a request


def test_harmless_values_give_every_parameter_then_only_the_required_ones() -> None:
    for query in REGISTRY:
        given, *rest = harmless_values(query)
        assert set(given) == {p.name for p in query.params} and None not in given.values(), query.name
        for bare in rest:  # the optional filters null, as a request without them sends
            assert {n for n, v in bare.items() if v is None} == {p.name for p in query.params if p.default is None
                                                                  and not p.required and p.type != "int"}


def test_a_failing_statement_is_skipped_and_readiness_does_not_wait_for_it() -> None:
    graph = FakeGraph(fail={"flows": QueryBug("Neo4j refused the statement as written")})
    warmup = _warm(graph)
    assert warmup.ready and warmup.progress.failed == 2  # both of its statements
    assert len(graph.ran) == warmup.progress.total


def test_the_budget_bounds_the_warmup() -> None:
    graph = FakeGraph(delay=0.05)
    warmup = _warm(graph, budget=0.12)
    assert warmup.ready and 1 <= len(graph.ran) < warmup.progress.total


def test_an_outage_stops_it_and_the_next_connection_warms_again() -> None:
    graph = FakeGraph(fail={"flows": GraphUnavailable("Neo4j is unreachable")})
    warmup = _warm(graph)
    assert not warmup.ready and "of" in warmup.describe()
    graph.fail, graph.epoch = {}, 2  # Neo4j answers again: a new connection epoch
    assert _warm(graph, warmup=warmup) is warmup and warmup.ready
    graph.epoch = 3  # a restart: not warm until it ran again
    assert not warmup.ready
    assert _warm(graph, warmup=warmup).ready


def test_off_with_a_zero_budget() -> None:
    warmup = PlanWarmup(FakeGraph(), 0)  # type: ignore[arg-type]
    assert warmup.ready
    warmup.start()
    assert warmup._task is None


def test_every_parameter_type_has_a_harmless_sample() -> None:
    """A type without a sample would be warmed with a string (a `kinds` list given text fails in Cypher)."""
    from api.warmup import SAMPLES
    from queries.params import PARAM_TYPES

    assert set(PARAM_TYPES) <= set(SAMPLES), sorted(set(PARAM_TYPES) - set(SAMPLES))
