"""The published releases as the API sees them (``data/releases/``, :mod:`loaders.release`), and which release the
graph answers from.

The catalogue is read from the release files (not from Neo4j) and read again when a manifest or changelog
changes (a ``stat`` per file per request: a few files). The graph's release comes from its load state
(``queries/graph_version.cypher``: the release the loader recorded, and the input fingerprint of the data it
loaded), read by :class:`api.version.GraphVersion`; :meth:`ReleaseCatalogue.label` turns it into what every
response says in ``X-Rdkg-Release`` and ``/health``:

- ``2026.12`` — the graph holds exactly that published release: the input fingerprint the loader recorded equals
  the release's ``input_fingerprint`` (also when ``data/`` was loaded before the release was published from it).
  The API decides by the fingerprint against the releases it serves, not by the release name the loader recorded
  (that one is kept in the load state for ``rdkg rollback``);
- ``2026.12+`` — the graph holds data that is no published release (``data/`` edited since), and 2026.12 is the
  newest release published (``/changes`` does not list these edits yet: they are in the next release);
- ``unreleased`` — no release is published at all; ``unknown`` — the graph has no load state (not loaded by
  ``rdkg load``) or Neo4j has not answered.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from loaders.release import Release, ReleaseError, list_releases

HEADER = "X-Rdkg-Release"
UNKNOWN = "unknown"
UNRELEASED = "unreleased"

__all__ = ["HEADER", "ReleaseCatalogue", "ReleaseHeaderMiddleware"]
#: how long the catalogue trusts its last look at the release files (seconds)
RECHECK_SECONDS = 1.0


@dataclass(frozen=True)
class _Snapshot:
    stamp: tuple[tuple[str, int, int], ...]
    releases: tuple[Release, ...]
    changelogs: dict[str, dict[str, Any]]


class ReleaseCatalogue:
    def __init__(self, root: Path, recheck_seconds: float = RECHECK_SECONDS) -> None:
        self.root = root
        self.recheck_seconds = recheck_seconds
        self._snapshot: _Snapshot | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def _stamp(self) -> tuple[tuple[str, int, int], ...]:
        if not self.root.is_dir():
            return ()
        out = []
        for path in sorted([*self.root.glob("*/manifest.json"), *self.root.glob("*/changelog.json")]):
            try:
                stat = path.stat()
            except OSError:
                continue
            out.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(out)

    def _current(self) -> _Snapshot:
        snap = self._snapshot
        now = time.monotonic()
        if snap is not None and now - self._checked < self.recheck_seconds:
            return snap
        stamp = self._stamp()
        self._checked = now
        if snap is not None and snap.stamp == stamp:
            return snap
        with self._lock:
            if self._snapshot is None or self._snapshot.stamp != stamp:
                releases = tuple(list_releases(self.root))
                logs = {}
                for rel in releases:
                    path = rel.path / "changelog.json"
                    try:
                        logs[rel.version] = json.loads(path.read_text(encoding="utf-8"))
                    except (OSError, ValueError) as exc:
                        raise ReleaseError(f"{path}: not a readable changelog ({exc})") from exc
                self._snapshot = _Snapshot(stamp, releases, logs)
            return self._snapshot

    def releases(self) -> tuple[Release, ...]:
        """Oldest first (by date, version). ReleaseError when a manifest cannot be read."""
        return self._current().releases

    def changelog(self, version: str) -> dict[str, Any]:
        return self._current().changelogs[version]

    def label(self, recorded: str | None, data_fingerprint: str | None) -> str:
        """What the graph answers from (module docstring): ``V``, ``V+``, ``unreleased`` or ``unknown``."""
        if data_fingerprint is None:  # not loaded by rdkg load (or before loads recorded their inputs)
            return recorded or UNKNOWN
        try:
            releases = self.releases()
        except ReleaseError:
            releases = ()
        matching = [r.version for r in releases if r.input_fingerprint == data_fingerprint]
        if matching:
            return matching[-1]
        return f"{releases[-1].version}+" if releases else UNRELEASED


class ReleaseHeaderMiddleware:
    """``X-Rdkg-Release: <label>`` on every HTTP response (errors, 304s and cached answers included)."""

    def __init__(self, app: ASGIApp, *, label: Callable[[], str]) -> None:
        self.app = app
        self.label = label

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_release(message: Message) -> None:
            if message["type"] == "http.response.start":
                try:
                    value = self.label()
                except Exception:  # never fail an answer for its header
                    value = UNKNOWN
                headers = [*message.get("headers", []), (HEADER.lower().encode(), value.encode("latin-1", "replace"))]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_release)
