"""Helpers shared by the reliability tests: graph fingerprints and full dumps, and a separate Neo4j for faults.

A *dump* is every node (labels + properties) and every relationship (type + properties + the ``uri`` of both
ends), sorted, as canonical JSON text. Two graphs with equal dumps are identical for every query the project
runs. A *fingerprint* is the node count, the relationship count and the SHA-256 of the dump.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neo4j import Driver, RoutingControl

from api.settings import ApiSettings
from graph.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[2]

#: Fault tests run on their own managed instance: these offsets from the session's test ports keep it clear of
#: the shared test instance and of other sessions' slots (7688 + 2·slot).
FAULT_PORT_OFFSET = 102

_NODES = "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"
_RELS = (
    "MATCH (a)-[r]->(b) RETURN coalesce(a.uri, a.id, elementId(a)) AS s, type(r) AS type, "
    "properties(r) AS props, coalesce(b.uri, b.id, elementId(b)) AS o"
)


@dataclass(frozen=True)
class Fingerprint:
    nodes: int
    relationships: int
    sha256: str


@dataclass(frozen=True)
class Dump:
    nodes: tuple[str, ...]
    relationships: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(["# nodes", *self.nodes, "# relationships", *self.relationships])

    @property
    def fingerprint(self) -> Fingerprint:
        return Fingerprint(len(self.nodes), len(self.relationships), hashlib.sha256(self.text.encode()).hexdigest())


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


#: The load state's history (when the load ran, which load it replaced) is bookkeeping, not graph content: two loads
#: of the same data give the same graph, with different ``loadedAt`` and ``previous``.
_LOAD_HISTORY = ("loadedAt", "previous")


def _content(labels: list[str], props: dict[str, Any]) -> dict[str, Any]:
    if "RdkgLoadState" not in labels:
        return props
    return {k: v for k, v in props.items() if k not in _LOAD_HISTORY}


def dump(driver: Driver, database: str) -> Dump:
    """The whole database as sorted canonical JSON lines (nodes, then relationships)."""
    nodes, _, _ = driver.execute_query(_NODES, database_=database, routing_=RoutingControl.READ)
    rels, _, _ = driver.execute_query(_RELS, database_=database, routing_=RoutingControl.READ)
    node_lines = sorted(_canonical({"labels": sorted(r["labels"]), "props": _content(r["labels"], r["props"])})
                        for r in nodes)
    rel_lines = sorted(_canonical(r.data()) for r in rels)
    return Dump(tuple(node_lines), tuple(rel_lines))


def fingerprint(driver: Driver, database: str) -> Fingerprint:
    return dump(driver, database).fingerprint


def dump_diff(before: Dump, after: Dump, limit: int = 5) -> str:
    """A short description of how two dumps differ (for assertion messages)."""
    old, new = set(before.text.splitlines()), set(after.text.splitlines())
    gone = sorted(old - new)[:limit]
    added = sorted(new - old)[:limit]
    return f"{len(old - new)} line(s) gone, e.g. {gone}; {len(new - old)} line(s) new, e.g. {added}"


def fault_settings_for(settings: Settings) -> Settings:
    """Settings for a separate managed instance, derived from the session's test instance (name and ports)."""
    bolt = settings.local_bolt_port + FAULT_PORT_OFFSET
    return settings.model_copy(
        update={"local_instance": f"{settings.local_instance}-faults", "local_bolt_port": bolt,
                "local_http_port": bolt + 1}
    )


def api_settings_for(settings: Settings, **overrides: object) -> ApiSettings:
    """API settings pointing at the Neo4j of ``settings`` (tests build their own settings, never the env's).

    Only what the test settings set explicitly is carried over, so everything else keeps the *API's* defaults
    (e.g. its short retry budget), as in a deployed ``rdkg serve``."""
    return ApiSettings(**{**settings.model_dump(exclude_unset=True), **overrides})


_REPORT: list[str] = []


def report(line: str) -> None:
    """Record a figure for the end-of-session summary (see ``conftest.pytest_terminal_summary``)."""
    _REPORT.append(line)


def report_lines() -> list[str]:
    return list(_REPORT)
