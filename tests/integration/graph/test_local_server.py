"""The managed local Neo4j: a real server that keeps its data across stop and start."""

from __future__ import annotations

import httpx
import pytest

from graph.db import driver as open_driver
from graph.db import local_server
from graph.settings import Settings

MARK = "rdkg-test-restart-marker"


@pytest.fixture()
def managed(neo4j_settings: Settings) -> Settings:
    if not neo4j_settings.uses_managed_server:
        pytest.skip("NEO4J_TEST_URI points at an external server; the managed server is not under test")
    return neo4j_settings


def test_browser_is_served(managed: Settings) -> None:
    response = httpx.get(f"http://127.0.0.1:{managed.local_http_port}/browser/", timeout=10)
    assert response.status_code == 200, response.text[:200]
    assert "Neo4j Browser" in response.text or "neo4j" in response.text.lower()


def test_discovery_reports_pinned_version(managed: Settings) -> None:
    from graph.server import NEO4J_VERSION

    info = httpx.get(f"http://127.0.0.1:{managed.local_http_port}/", timeout=10).json()
    assert info["neo4j_version"] == NEO4J_VERSION
    assert info["bolt_direct"] == f"bolt://127.0.0.1:{managed.local_bolt_port}"


def test_start_when_running_says_so(managed: Settings) -> None:
    assert local_server(managed).start() is False


def test_data_survives_stop_and_start(managed: Settings) -> None:
    server = local_server(managed)
    with open_driver(managed) as drv:
        drv.execute_query("MERGE (:RdkgTestMarker {name: $name})", name=MARK, database_=managed.neo4j_database)
    try:
        assert server.stop() is True
        assert server.status().running is False
        assert server.start() is True
        with open_driver(managed) as drv:
            records, _, _ = drv.execute_query(
                "MATCH (m:RdkgTestMarker {name: $name}) RETURN count(m) AS n", name=MARK,
                database_=managed.neo4j_database,
            )
        assert records[0]["n"] == 1
    finally:
        with open_driver(managed) as drv:
            drv.execute_query("MATCH (m:RdkgTestMarker) DETACH DELETE m", database_=managed.neo4j_database)
