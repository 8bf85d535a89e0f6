"""Query-plan warm-up: run every canned query once after the API (re)connects to Neo4j, in the background.

Neo4j plans a statement the first time it sees it (per database) and keeps the plan; a cold ``/flows`` plan took
3–10 s on a busy machine, past the 10 s read timeout, and the first statement after a restart also pays for the
server's cold Cypher compiler. So whenever the API finds Neo4j reachable after it was not — at start-up, and after
an outage or a restart (``GraphAccess`` counts these *connection epochs*) — a background task runs every canned
query as a routed read with harmless values — every parameter given a value that names nothing (``rdkg-warmup``,
2023 dates, numbers 1), then only the required ones (filters null: Neo4j keeps a plan per parameter types) — so
the reads find nothing or little and cost little more than their plan. (Not
``EXPLAIN``: measured on Neo4j 5.26, a statement planned by ``EXPLAIN`` was planned again when run — see
docs/reliability.md.) The resolver's and the headline's queries go first.

Bounded: each statement runs under the read timeout of a request (``RDKG_QUERY_TIMEOUT``), the whole warm-up
stops after ``RDKG_API_WARMUP_SECONDS`` (default 30; 0 turns it off). It never fails the app: a statement Neo4j
refuses is logged and skipped, an outage ends it until the next reconnection.
``/ready`` answers 503 ``warming_up`` while it runs (``docs/reliability.md``), so a load balancer or an
orchestrator sends traffic once the plans are warm; data routes answer throughout.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from api.access import GraphAccess
from api.version import cancel
from graph.errors import GraphUnavailable, RdkgError
from queries.registry import CannedQuery

log = logging.getLogger(__name__)

#: Planned first: what nearly every request runs (the resolver), then the headline and its summary.
FIRST = ("resolve_entity", "node_ref", "flows", "flow_totals", "categories")
#: Parameter types that are never null in the warm-up: numbers stay 1 (a default could be expensive); optional
#: booleans and lists keep their (non-null) defaults.
NEVER_NULL = frozenset({"int", "float"})
#: A value of each parameter type that names nothing in the graph.
SAMPLES: dict[str, Any] = {
    "str": "rdkg-warmup", "search": "rdkg-warmup", "int": 1, "float": 1.0, "bool": True,  # 1: a page of one, one hop
    "date": dt.date(2023, 1, 1), "date_end": dt.date(2023, 12, 31), "list[str]": ["rdkg-warmup"],
    "entity": "rdkg-warmup", "kinds": ["rdkg-warmup"],  # a kind no node has (the route expands real classes)
}


class WarmingUp(GraphUnavailable):
    """``/ready`` while the canned queries are being planned after a (re)connection (a 503: retry shortly)."""

    code = "warming_up"


def harmless_values(query: CannedQuery) -> list[dict[str, Any]]:
    """The values a query is warmed with: every parameter given (naming nothing), then only the required ones
    (the optional filters null, as a request without them sends) — Neo4j keeps a plan per parameter types; numbers
    are 1 in both (never a default that could make the statement expensive)."""
    given = {p.name: SAMPLES.get(p.type, "rdkg-warmup") for p in query.params}
    bare = {p.name: given[p.name] if p.required or p.type in NEVER_NULL else p.default for p in query.params}
    return [given] if bare == given else [given, bare]


def warm_order(queries: list[CannedQuery]) -> list[CannedQuery]:
    return sorted(queries, key=lambda q: (FIRST.index(q.name) if q.name in FIRST else len(FIRST), q.name))


@dataclass
class Progress:
    planned: int = 0
    failed: int = 0
    total: int = 0


class PlanWarmup:
    """Plans the registry's queries once per connection epoch of ``graph``, in a background task."""

    def __init__(self, graph: GraphAccess, budget_seconds: float) -> None:
        self.graph = graph
        self.budget_seconds = budget_seconds
        self.progress = Progress()
        self._warmed_epoch = 0
        self._task: asyncio.Task[None] | None = None

    @property
    def enabled(self) -> bool:
        return self.budget_seconds > 0

    @property
    def ready(self) -> bool:
        """True once the current connection epoch was warmed (or given up on), or when warm-up is off."""
        return not self.enabled or self._warmed_epoch >= self.graph.epoch

    def start(self) -> None:
        """Warm the current epoch in the background (a no-op while a warm-up runs, or when it is off)."""
        if not self.enabled or (self._task is not None and not self._task.done()):
            return
        self._task = asyncio.create_task(self._run(self.graph.epoch), name="rdkg-plan-warmup")

    async def stop(self) -> None:
        await cancel(self._task)
        self._task = None

    def describe(self) -> str:
        p = self.progress
        return f"planning the canned queries after connecting to Neo4j: {p.planned + p.failed} of {p.total} done"

    async def _warm_one(self, name: str, params: dict[str, object], remaining: float) -> bool:
        """Run one statement once; False when Neo4j is unavailable (the warm-up then stops, it never retries)."""
        try:
            # each statement under the read timeout of a request (a statement that would run longer must not hold
            # Neo4j for the whole budget), and within what is left of the budget
            timeout = min(remaining, self.graph.settings.query_timeout)
            await asyncio.wait_for(self.graph.warm(name, params, timeout=timeout), timeout + 1)
            self.progress.planned += 1
        except GraphUnavailable as exc:
            log.info("plan warm-up interrupted: %s", exc)
            return False
        except (RdkgError, TimeoutError) as exc:
            self.progress.failed += 1
            log.warning("plan warm-up: %s not run: %s", name, str(exc) or type(exc).__name__)
        return True

    async def _run(self, epoch: int) -> None:
        started = time.monotonic()
        deadline = started + self.budget_seconds
        work = [(q.name, values) for q in warm_order(list(self.graph.registry)) for values in harmless_values(q)]
        self.progress = Progress(total=len(work))
        try:
            for name, params in work:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    log.warning("plan warm-up stopped after %.0f s (RDKG_API_WARMUP_SECONDS): %d of %d planned",
                                self.budget_seconds, self.progress.planned, len(work))
                    break
                if not await self._warm_one(name, params, remaining):
                    return  # Neo4j is down again: no retry here, the next reconnection warms up again
            log.info("plan warm-up: %d statements run, %d failed, in %.1f s", self.progress.planned,
                     self.progress.failed, time.monotonic() - started)
            self._warmed_epoch = max(self._warmed_epoch, epoch)
        except Exception:  # never let the warm-up take the app down; readiness does not wait for a broken one
            log.exception("plan warm-up failed")
            self._warmed_epoch = max(self._warmed_epoch, epoch)
        finally:
            if self.graph.epoch > epoch and not self.graph.down:  # reconnected while this ran: warm the new epoch
                asyncio.get_running_loop().call_soon(self.start)


def get_warmup(request: Request) -> PlanWarmup:
    return request.app.state.warmup  # type: ignore[no-any-return]


WarmupDep = Annotated[PlanWarmup, Depends(get_warmup)]
