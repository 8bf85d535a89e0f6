"""Fixtures for the reliability tests (issue 7): hostile input, Neo4j faults, interrupted loads, limits, access.

Fixture strategy:
- Tests that only *read* (fuzzing, injection, limits) use the session's shared test Neo4j with the curated graph
  (``neo4j_settings`` / ``curated_graph`` from the parent conftests). They must leave it unchanged, and the
  injection tests prove that with a full-graph fingerprint taken before and after.
- Tests that *break* things (stopping Neo4j, killing loads) get their own managed instance, ``fault_settings``:
  same settings as the session's test instance but another instance name (``<name>-faults``) and other ports
  (``support.FAULT_PORT_OFFSET``), started on first use and stopped at the end of the session. Other tests never
  see its outages. With an external ``NEO4J_TEST_URI`` there is nothing we may stop, so those tests are skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from api.app import create_app
from api.settings import ApiSettings
from graph.db import driver as open_driver
from graph.db import local_server
from graph.schema import apply_schema
from graph.settings import Settings
from loaders.pipeline import load
from tests.reliability.support import REPO_ROOT, api_settings_for, fault_settings_for, report_lines


@pytest.fixture(scope="session")
def fault_settings(neo4j_settings: Settings) -> Iterator[Settings]:
    """A separate managed Neo4j that fault tests may stop, restart and write to (schema applied, empty graph)."""
    if not neo4j_settings.uses_managed_server:
        pytest.skip("fault tests need the managed test Neo4j (NEO4J_TEST_URI points at an external server)")
    settings = fault_settings_for(neo4j_settings)
    server = local_server(settings)
    started = server.start()
    with open_driver(settings) as drv:
        apply_schema(drv, settings.neo4j_database)
    yield settings
    if started and not os.environ.get("RDKG_TEST_KEEP_NEO4J"):
        server.stop()


@pytest.fixture(scope="session")
def fault_driver(fault_settings: Settings) -> Iterator[Driver]:
    with open_driver(fault_settings) as drv:
        drv.verify_connectivity()
        yield drv


@pytest.fixture(scope="session")
def reliability_graph(neo4j_settings: Settings, neo4j_driver: Driver) -> None:
    """The curated graph in the shared test Neo4j (a no-op when the integration tier already loaded it)."""
    apply_schema(neo4j_driver, neo4j_settings.neo4j_database)
    load(neo4j_driver, neo4j_settings.neo4j_database, [REPO_ROOT / "data"])


@pytest.fixture(scope="session")
def api_settings(neo4j_settings: Settings, reliability_graph: None) -> ApiSettings:
    return api_settings_for(neo4j_settings)


@pytest.fixture(scope="module")
def client(api_settings: ApiSettings) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings), raise_server_exceptions=False) as test_client:
        yield test_client


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the figures the reliability tests collected (requests tried, kill points) for docs/reliability.md."""
    lines = report_lines()
    if lines:
        terminalreporter.section("reliability figures")
        for line in lines:
            terminalreporter.write_line(line)
