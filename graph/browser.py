"""Neo4j Browser settings for the managed server (style and guide): filled in by the Browser work (issue 6)."""

from __future__ import annotations

from graph.settings import Settings


def browser_conf(settings: Settings) -> dict[str, str]:
    """Extra ``neo4j.conf`` entries for Neo4j Browser (post-connect command, remote-content allowlist)."""
    return {}
