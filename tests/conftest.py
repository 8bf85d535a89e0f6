"""Test fixtures: two tiers, one real Neo4j.

- ``tests/unit``: no database. Fakes are allowed there and nowhere else.
- ``tests/integration``: a **real** Neo4j. If ``NEO4J_TEST_URI`` is set (with ``NEO4J_TEST_USER`` /
  ``NEO4J_TEST_PASSWORD``), that server is used as it is. Otherwise the session starts the project's managed
  Neo4j as a separate *test* instance — its own data directory and its own ports (``RDKG_TEST_BOLT_PORT``, default
  7688; ``RDKG_TEST_HTTP_PORT``, default 7475) — so ``make test`` never touches the data of a running ``make run``,
  and stops it at the end if it started it. The server starts lazily, on the first test that asks for it.
  Its Neo4j Browser is pointed at a test API on port 18000 (``RDKG_TEST_API_PORT``), not at ``make run``'s 8000.
- Community Edition has one user database, so the integration tier owns it: the curated graph is loaded once per
  session (``tests/integration/conftest.py``), read-only tests share it, and tests that write restore what they
  changed.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from neo4j import Driver

from graph.db import driver as open_driver
from graph.db import local_server
from graph.settings import Settings


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/integration/" in str(item.path):
            item.add_marker(pytest.mark.integration)


def make_test_settings(slot: int = 0) -> Settings:
    """Settings for the test Neo4j (no server is started here). ``slot`` > 0 picks a parallel test instance."""
    uri = os.environ.get("NEO4J_TEST_URI")
    if uri:
        return Settings(
            neo4j_uri=uri,
            neo4j_user=os.environ.get("NEO4J_TEST_USER", "neo4j"),
            neo4j_password=os.environ.get("NEO4J_TEST_PASSWORD"),
            neo4j_database=os.environ.get("NEO4J_TEST_DATABASE", "neo4j"),
        )
    instance = os.environ.get("RDKG_TEST_INSTANCE", "test")
    return Settings(
        neo4j_uri=None,
        neo4j_password=None,
        neo4j_database="neo4j",
        local_instance=instance if slot == 0 else f"{instance}-{slot}",
        local_bolt_port=int(os.environ.get("RDKG_TEST_BOLT_PORT", "7688")) + 2 * slot,
        local_http_port=int(os.environ.get("RDKG_TEST_HTTP_PORT", "7475")) + 2 * slot,
        local_heap="1g",
        local_pagecache="512m",
        local_tx_memory="1g",
    )


def _claim_test_instance() -> tuple[Settings, IO[str] | None]:
    """Pick a managed test instance no other test session is using (an flock per instance), so two ``make test``
    runs on one machine never share (and wipe) one database. An external NEO4J_TEST_URI is used as it is."""
    settings = make_test_settings()
    if not settings.uses_managed_server:
        return settings, None
    for slot in range(8):
        settings = make_test_settings(slot)
        settings.state_dir.mkdir(parents=True, exist_ok=True)
        lock = open(settings.state_dir / f"neo4j-{settings.local_instance}.session-lock", "w")  # noqa: SIM115
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            continue
        return settings, lock
    raise RuntimeError("eight test sessions already run on this machine; wait for one to finish")


@pytest.fixture(scope="session")
def neo4j_settings() -> Iterator[Settings]:
    """Settings pointing at a running test Neo4j; starts (and later stops) the managed test instance.

    ``RDKG_TEST_KEEP_NEO4J=1`` leaves the server running after the session (quicker reruns while developing)."""
    settings, lock = _claim_test_instance()
    started = False
    if settings.uses_managed_server:
        # The test Neo4j's Browser fetches style and guide from a test API on its own port, never from the
        # 8000 of a `make run` that may be running at the same time (written into its neo4j.conf at start).
        settings = settings.model_copy(update={"api_public_url": f"http://127.0.0.1:{_test_api_port(settings)}"})
        started = local_server(settings).start()
    yield settings
    if started and not os.environ.get("RDKG_TEST_KEEP_NEO4J"):
        local_server(settings).stop()
    if lock is not None:
        lock.close()


def _test_api_port(settings: Settings) -> int:
    """18000 for the first test instance, 18002, 18004 … for parallel ones (``RDKG_TEST_API_PORT`` moves it)."""
    slot = (settings.local_bolt_port - int(os.environ.get("RDKG_TEST_BOLT_PORT", "7688"))) // 2
    return int(os.environ.get("RDKG_TEST_API_PORT", "18000")) + 2 * slot


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_settings: Settings) -> Iterator[Driver]:
    with open_driver(neo4j_settings) as drv:
        drv.verify_connectivity()
        yield drv


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def _load_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """``rdkg load`` keeps its inputs for undo (loaders/history.py): in tests, in a temporary store, never in the
    user's ``~/.local/share/rdkg/loads``."""
    saved = os.environ.get("RDKG_LOAD_STORE")
    if saved is None:
        os.environ["RDKG_LOAD_STORE"] = str(tmp_path_factory.mktemp("load-store"))
    yield
    if saved is None:
        os.environ.pop("RDKG_LOAD_STORE", None)
