"""The graph's version, and what the API derives from it: ETags, the response cache, the category map.

The loader writes ``(:RdkgLoadState {key: 'state'})`` with the load's ``fingerprint`` in the same transaction as
every load (``loaders/loadstate.py``). The version is that fingerprint plus the ``:Rdkg`` node and relationship
counts (read from Neo4j's count store, so a change made outside the loader that adds or removes nodes or
relationships changes it too). A background task reads it every ``RDKG_API_VERSION_POLL`` seconds (default 1);
when it changes, listeners run (the response cache is emptied) and the lookups (category slugs; the resolver's
answers) are rebuilt on next use.

The version is ``None`` — nothing is cached, ETags hash the body, every request runs its queries — when the graph
has no load state (not loaded by ``rdkg load``) or the last read failed (Neo4j unreachable).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from graph.errors import RdkgError


class QueryRunner(Protocol):
    """What the version poller and the lookups need of :class:`api.access.GraphAccess`: canned queries by name."""

    async def run(self, name: str, **values: Any) -> list[dict[str, Any]]: ...


log = logging.getLogger(__name__)


class GraphVersion:
    def __init__(self, graph: QueryRunner, poll_seconds: float) -> None:
        self.graph = graph
        self.poll_seconds = poll_seconds
        self.current: str | None = None
        #: from the same read: the release the loader recorded and the input fingerprint of the loaded data
        #: (``api.releases.ReleaseCatalogue.label`` makes the X-Rdkg-Release value of them)
        self.release: str | None = None
        self.data_fingerprint: str | None = None
        self._listeners: list[Callable[[str | None], None]] = []
        self._task: asyncio.Task[None] | None = None

    def on_change(self, listener: Callable[[str | None], None]) -> None:
        self._listeners.append(listener)

    async def read(self) -> str | None:
        """The version as Neo4j has it now (None if there is no load state or Neo4j cannot be read)."""
        try:
            rows = await self.graph.run("graph_version")
        except RdkgError as exc:  # Neo4j cannot be read, or (a test app's registry) there is no graph_version query
            log.debug("graph version unavailable: %s", exc)
            self.release = self.data_fingerprint = None
            return None
        row = rows[0] if rows else None
        if not row or row.get("fingerprint") is None:
            self.release = self.data_fingerprint = None
            return None
        self.release, self.data_fingerprint = row.get("release"), row.get("data_fingerprint")
        return f"{row['fingerprint']}:{row['nodes']}:{row['rels']}"

    async def refresh(self) -> str | None:
        new = await self.read()
        if new != self.current:
            log.info("graph version %s → %s", self.current, new)
            self.current = new
            for listener in self._listeners:
                listener(new)
        return new

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.poll_seconds)
            try:
                await self.refresh()
            except Exception:  # never let the poller die; the next read tries again
                log.exception("reading the graph version failed")

    async def start(self) -> None:
        await self.refresh()
        self._task = asyncio.create_task(self._poll(), name="rdkg-graph-version")

    async def stop(self) -> None:
        await cancel(self._task)
        self._task = None


async def cancel(task: asyncio.Task[None] | None) -> None:
    """Cancel one of the API's background tasks and wait until it has ended (None: nothing to do)."""
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


@dataclass(frozen=True)
class Lookups:
    """What the API keeps per graph version besides cached answers: the category slugs (``/flows?category=``)."""

    version: str
    categories: frozenset[str]


class GraphLookups:
    """The category slugs of the current graph version, read on first use after a change.

    Built once per app by ``api.app.create_app`` with the graph and the version it follows, and handed to routes by
    the ``LookupsDep`` dependency (``api.access``); entity names (states included) are the resolver's
    (``api.resolve``), which keeps its own answers per version.
    """

    def __init__(self, graph: QueryRunner, version: GraphVersion) -> None:
        self.graph = graph
        self.version = version
        self._current: Lookups | None = None
        self._lock = asyncio.Lock()

    async def get(self) -> Lookups | None:
        """The lookups for the current version; None when there is no version (callers query Neo4j instead)."""
        version = self.version.current
        if version is None:
            return None
        current = self._current
        if current is not None and current.version == version:
            return current
        async with self._lock:
            if self._current is None or self._current.version != version:
                categories = frozenset(str(row["id"]) for row in await self.graph.run("categories"))
                self._current = Lookups(version, categories)
            return self._current

    async def categories(self) -> frozenset[str]:
        """The category slugs: from the per-version map, or by a query when there is no version."""
        lookups = await self.get()
        if lookups is not None:
            return lookups.categories
        return frozenset(str(row["id"]) for row in await self.graph.run("categories"))
