"""Loader fixtures for the integration tier (the real test Neo4j from ``tests/conftest.py``).

- ``curated_graph``: the schema applied and all of ``data/`` loaded, once per session; returns the LoadResult.
  Read-only tests (golden queries, the API) share it.
- ``loader_db`` (module scope): for loader tests that replace the graph with fixtures; afterwards it loads
  ``data/`` again (the diff load puts everything back), so test order does not matter. Loader tests never
  delete non-``:Rdkg`` data except the foreign nodes they create themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver

from graph.schema import apply_schema
from graph.settings import Settings
from loaders.pipeline import load
from loaders.result import LoadResult
from loaders.rows import UnknownTermsError
from loaders.validation import ValidationFailed

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "data"


def load_curated(driver: Driver, database: str) -> LoadResult:
    return load(driver, database, [DATA_DIR])


@pytest.fixture(scope="session")
def curated_graph(neo4j_settings: Settings, neo4j_driver: Driver) -> LoadResult:
    """Schema + all of data/ loaded into the test Neo4j (once per session)."""
    apply_schema(neo4j_driver, neo4j_settings.neo4j_database)
    return load_curated(neo4j_driver, neo4j_settings.neo4j_database)


@pytest.fixture(scope="module")
def loader_db(neo4j_settings: Settings, neo4j_driver: Driver) -> Iterator[Driver]:
    """The driver for a module of tests that load other data; the curated graph is put back afterwards.

    If data/ does not validate (curation in progress), the test data is removed instead, so later tests see no
    fixture leftovers either way.
    """
    apply_schema(neo4j_driver, neo4j_settings.neo4j_database)
    yield neo4j_driver
    try:
        load_curated(neo4j_driver, neo4j_settings.neo4j_database)
    except (ValidationFailed, UnknownTermsError):
        neo4j_driver.execute_query("MATCH (n:Rdkg) DETACH DELETE n", database_=neo4j_settings.neo4j_database)
