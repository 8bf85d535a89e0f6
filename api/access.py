"""The process's one way into Neo4j: one AsyncDriver (opened in the lifespan) and the query registry.

Routes get a ``GraphAccess`` through the ``Graph`` dependency alias (the graph version and its lookups through
``VersionDep`` and ``LookupsDep``) and run canned queries by name; every read is routed as a read, names the
database and carries the transaction timeout. If the driver cannot be created at
start-up (no password yet, server down) the app still starts; the next request tries again, so the API recovers
without a restart when Neo4j comes back.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from neo4j import AsyncDriver

from api.settings import ApiSettings
from api.version import GraphLookups, GraphVersion
from graph.db import async_driver
from graph.errors import GraphError, GraphUnavailable, translate_driver_errors
from queries.registry import Registry
from queries.runner import Row, bind_values, run_async

#: Set (per request: a context variable) when an entity reference found Neo4j unreachable, so the request's queries
#: answer 503 at once instead of waiting for the graph a second time.
GRAPH_DOWN: contextvars.ContextVar[GraphUnavailable | None] = contextvars.ContextVar("rdkg_graph_down", default=None)

log = logging.getLogger(__name__)


class GraphAccess:
    def __init__(self, settings: ApiSettings, registry: Registry) -> None:
        self.settings = settings
        self.registry = registry
        self._driver: AsyncDriver | None = None
        self._lock = asyncio.Lock()
        #: connection epochs: 1 after the first answer from Neo4j, +1 on each answer after it was unreachable
        #: (an outage or a restart); ``on_reconnect`` listeners run at each new epoch (the plan warm-up)
        self.epoch = 0
        self.down = True
        self._on_reconnect: list[Callable[[], None]] = []

    async def open(self) -> None:
        """Create the driver and check Neo4j once; failures are logged, never fatal."""
        try:
            await self.ping()
            log.info("Neo4j reachable at %s", self.settings.display_uri)
        except GraphError as exc:
            log.warning("Neo4j is not available yet (%s); data routes answer 503 until it is", exc)

    async def close(self) -> None:
        if self._driver is not None:
            await self._driver.close()
            self._driver = None

    async def driver(self) -> AsyncDriver:
        if self._driver is None:
            async with self._lock:
                if self._driver is None:
                    try:
                        self._driver = async_driver(
                            self.settings, connection_timeout=self.settings.api_neo4j_connection_timeout,
                            max_retry_time=self.settings.api_neo4j_max_retry_time)
                    except GraphError as exc:
                        raise GraphUnavailable(f"cannot open a Neo4j driver: {exc}") from exc
        return self._driver

    async def run(self, name: str, **values: Any) -> list[Row]:
        """Run the canned query ``name`` with typed values (defaults fill the rest)."""
        query = self.registry.get(name)
        return await self.run_bound(name, bind_values(query, values))

    async def run_bound(self, name: str, params: dict[str, Any]) -> list[Row]:
        if (down := GRAPH_DOWN.get()) is not None:  # this request already found Neo4j unreachable
            raise GraphUnavailable(str(down))
        query = self.registry.get(name)
        with self._watch():
            driver = await self.driver()
            return await run_async(
                driver, query, params, database=self.settings.neo4j_database, timeout=self.settings.query_timeout
            )

    async def warm(self, name: str, params: dict[str, Any], timeout: float) -> None:
        """Run the canned query ``name`` once so Neo4j plans and caches it (the plan warm-up, api/warmup.py); not
        a request's query (``run_bound``): its own timeout, and it ignores the request's GRAPH_DOWN."""
        query = self.registry.get(name)
        with self._watch():
            driver = await self.driver()
            await run_async(driver, query, params, database=self.settings.neo4j_database, timeout=timeout)

    async def ping(self) -> None:
        with self._watch():
            driver = await self.driver()
            with translate_driver_errors():
                await driver.verify_connectivity()

    def on_reconnect(self, listener: Callable[[], None]) -> None:
        self._on_reconnect.append(listener)

    @contextlib.contextmanager
    def _watch(self) -> Iterator[None]:
        """Track reachability: an unreachable Neo4j marks it down; an answer after that starts a new epoch."""
        try:
            yield
        except GraphUnavailable:
            self.down = True
            raise
        if self.down:
            self.down = False
            self.epoch += 1
            log.info("Neo4j answers (connection epoch %d)", self.epoch)
            for listener in self._on_reconnect:
                listener()


def get_graph(request: Request) -> GraphAccess:
    return request.app.state.graph  # type: ignore[no-any-return]


def get_settings(request: Request) -> ApiSettings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_version(request: Request) -> GraphVersion:
    return request.app.state.version  # type: ignore[no-any-return]


def get_lookups(request: Request) -> GraphLookups:
    return request.app.state.lookups  # type: ignore[no-any-return]


#: What routes receive, built once per app by ``create_app`` (each object gets what it uses in its constructor;
#: nothing is attached to another object afterwards) and kept on ``app.state``.
Graph = Annotated[GraphAccess, Depends(get_graph)]
SettingsDep = Annotated[ApiSettings, Depends(get_settings)]
VersionDep = Annotated[GraphVersion, Depends(get_version)]
LookupsDep = Annotated[GraphLookups, Depends(get_lookups)]
