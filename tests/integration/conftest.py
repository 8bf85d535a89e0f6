"""Loader fixtures for the integration tier (the real test Neo4j from ``tests/conftest.py``).

- ``curated_graph``: the schema applied and all of ``data/`` loaded, once per session; returns the LoadResult.
  Read-only tests (golden queries, the API) share it.
- ``loader_db``: for loader tests that write: it yields the driver and, afterwards, restores the curated graph
  (a load of ``data/`` is a no-op when nothing changed, and otherwise puts everything back), so test order does
  not matter. Loader tests never delete non-``:Rdkg`` data except the foreign nodes they create themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver

from graph.schema import apply_schema
from graph.settings import Settings
from loaders.pipeline import LoadResult, load

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "data"


def load_curated(driver: Driver, database: str) -> LoadResult:
    return load(driver, database, [DATA_DIR])


@pytest.fixture(scope="session")
def curated_graph(neo4j_settings: Settings, neo4j_driver: Driver) -> LoadResult:
    """Schema + all of data/ loaded into the test Neo4j (once per session)."""
    apply_schema(neo4j_driver, neo4j_settings.neo4j_database)
    return load_curated(neo4j_driver, neo4j_settings.neo4j_database)


@pytest.fixture()
def loader_db(neo4j_settings: Settings, neo4j_driver: Driver, curated_graph: LoadResult) -> Iterator[Driver]:
    """The driver for a test that loads other data; the curated graph is restored afterwards."""
    yield neo4j_driver
    load_curated(neo4j_driver, neo4j_settings.neo4j_database)
