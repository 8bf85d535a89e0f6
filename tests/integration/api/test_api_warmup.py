"""The plan warm-up (api/warmup.py) against the real test Neo4j holding the curated graph, over HTTP.

After the app connects, every canned query is run once in the background with values that name nothing; ``/ready``
answers 503 ``warming_up`` until that is done (never longer than ``RDKG_API_WARMUP_SECONDS``), then 200; with the
warm-up off (``0``) it is ready at once. The reconnection case (an outage, then Neo4j back) is in
test_api_recovery.py.
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from neo4j import Driver

from api.app import create_app
from api.warmup import harmless_values
from graph.settings import Settings
from loaders.result import LoadResult
from queries.registry import Registry
from queries.runner import run_sync
from tests.integration.api.test_api import HEADLINE, api_settings, wait_ready


def test_every_canned_query_runs_with_the_warmup_values(
    curated_graph: LoadResult, neo4j_driver: Driver, neo4j_settings: Settings
) -> None:
    """Valid values for every parameter type: no canned query refuses them (the warm-up would skip it)."""
    for query in Registry.load():
        for values in harmless_values(query):
            run_sync(neo4j_driver, query, values, database=neo4j_settings.neo4j_database, timeout=120)


def test_ready_waits_for_the_warmup_then_every_query_is_planned(
    curated_graph: LoadResult, neo4j_settings: Settings
) -> None:
    app = create_app(api_settings(neo4j_settings))
    with TestClient(app) as client:
        first = client.get("/ready")
        if first.status_code == 503:  # usually: the warm-up is still running
            assert first.json()["error"] == "warming_up" and " of " in first.json()["detail"], first.text
        wait_ready(client)
        progress = app.state.warmup.progress
        statements = sum(len(harmless_values(q)) for q in app.state.graph.registry)
        assert progress.planned == progress.total == statements, progress
        assert progress.failed == 0, progress
        r = client.get(HEADLINE)
        assert r.status_code == 200 and r.json()["items"], r.text[:300]
    with TestClient(create_app(api_settings(neo4j_settings, api_warmup_seconds=0))) as client:
        assert client.get("/ready").status_code == 200  # warm-up off: ready as soon as Neo4j answers
