"""``rdkg rebuild`` (issue 17) on a real managed Neo4j: bad input refused before anything is touched, a failure or a
``kill -9`` at each stage leaves the previous graph serving, the next rebuild succeeds, and the rebuilt graph is
identical (full dump, load-state node included) to the transactional load of the same data.

A rebuild replaces a managed instance's store, so these tests run on an instance of their own (``rebuild-<pid>``,
free ports picked at run time, removed at the end) — never the shared curated test graph. Skipped when the suite
runs against an external ``NEO4J_TEST_URI`` (apart from the refusal, which needs no server).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.db import driver as open_driver
from graph.db import local_server
from graph.schema import apply_schema
from graph.settings import Settings
from graph.storeswap import journal_path, work_dir
from loaders.inputs import DataFileError
from loaders.pipeline import load
from loaders.rebuild import rebuild
from loaders.rows import UnknownTermsError
from tests.reliability.support import Dump, dump, dump_diff

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
FIXTURES = REPO / "tests" / "fixtures" / "loader"
managed_only = pytest.mark.skipif(bool(os.environ.get("NEO4J_TEST_URI")), reason="needs a managed local Neo4j")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "RDKG_NEO4J_", "RDKG_REBUILD_"))}
    env.update(RDKG_NEO4J_INSTANCE=settings.local_instance, RDKG_NEO4J_BOLT_PORT=str(settings.local_bolt_port),
               RDKG_NEO4J_HTTP_PORT=str(settings.local_http_port), RDKG_NEO4J_HEAP=settings.local_heap,
               RDKG_NEO4J_PAGECACHE=settings.local_pagecache, RDKG_NEO4J_TX_MEMORY=settings.local_tx_memory,
               RDKG_STATE_DIR=str(settings.state_dir), RDKG_CACHE_DIR=str(settings.cache_dir), **extra)
    return env


def _cli(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "api.cli", "rebuild", *args], env=env, cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def settings() -> Iterator[Settings]:
    """A managed instance of its own, holding the curated graph loaded transactionally."""
    if os.environ.get("NEO4J_TEST_URI"):
        pytest.skip("needs a managed local Neo4j")
    settings = Settings(
        neo4j_uri=None, neo4j_password=None, neo4j_database="neo4j", local_instance=f"rebuild-{os.getpid()}",
        local_bolt_port=_free_port(), local_http_port=_free_port(),
        local_heap="512m", local_pagecache="256m", local_tx_memory="512m",
    )
    server = local_server(settings)
    server.start()
    with open_driver(settings) as drv:
        apply_schema(drv, "neo4j")
        load(drv, "neo4j", [FIXTURES / "v1.ttl"])
    yield settings
    server.stop()
    shutil.rmtree(server.home, ignore_errors=True)


def _dump(settings: Settings) -> Dump:
    """The full dump, without the load state's ``loadedAt`` (a clock time: differs between any two loads)."""
    with open_driver(settings) as drv:
        full = dump(drv, "neo4j")
    nodes = []
    for line in full.nodes:
        node = json.loads(line)
        node["props"].pop("loadedAt", None)
        nodes.append(json.dumps(node, sort_keys=True, ensure_ascii=False))
    return Dump(tuple(sorted(nodes)), full.relationships)


@pytest.fixture(scope="module")
def before(settings: Settings) -> Dump:
    return _dump(settings)


def _assert_serving(settings: Settings, expected: Dump, what: str) -> None:
    assert local_server(settings).status().running, f"{what}: the server is not running"
    after = _dump(settings)
    assert after == expected, f"{what}: the served graph changed: {dump_diff(expected, after)}"


def test_unmanaged_server_refused() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "RDKG_NEO4J_"))}
    env.update(NEO4J_URI="bolt://127.0.0.1:1", NEO4J_PASSWORD="x")
    proc = _cli(str(FIXTURES / "v1.ttl"), env=env)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 3, err
    text = " ".join(err.split())
    assert "does not manage" in text and "rdkg load" in text and "docs/rebuild.md" in text
    assert "Traceback" not in err


@managed_only
def test_bad_input_refused_before_anything_is_touched(settings: Settings, before: Dump, tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as syntax:
        rebuild(settings, [FIXTURES / "malformed.ttl"])
    assert "malformed.ttl" in str(syntax.value) and syntax.value.line
    with pytest.raises(UnknownTermsError) as unknown:
        rebuild(settings, [FIXTURES / "unknown_terms.ttl"], validate_first=False)
    assert unknown.value.problems
    assert not (work_dir(local_server(settings).home) / "staging").exists()
    _assert_serving(settings, before, "bad input")


@managed_only
def test_rebuild_equals_transactional_load(settings: Settings) -> None:
    """After all the failures above the next rebuild succeeds, and its graph equals the transactional load's."""
    server = local_server(settings)
    with open_driver(settings) as drv:
        load(drv, "neo4j", [DATA])
    loaded = _dump(settings)
    stages: list[str] = []
    result = rebuild(settings, [DATA], progress=lambda stage, detail: stages.append(stage))
    assert list(dict.fromkeys(stages)) == ["validate", "map", "import", "schema", "swap"]
    rebuilt = _dump(settings)
    assert rebuilt == loaded, dump_diff(loaded, rebuilt)
    assert rebuilt.fingerprint == loaded.fingerprint
    assert result.nodes == loaded.fingerprint.nodes - 1 and 0 < result.down_seconds < result.seconds["total"]
    assert not journal_path(server.home).exists() and not (work_dir(server.home) / "old").exists()
    with open_driver(settings) as drv:
        again = load(drv, "neo4j", [DATA])  # the load state came along: an unchanged reload is instant
        indexes = drv.execute_query("SHOW INDEXES YIELD name, state WHERE name STARTS WITH 'rdkg_' "
                                    "RETURN collect(state) AS states", database_="neo4j").records[0]["states"]
    assert again.nodes_unchanged == result.nodes and not again.changed
    assert indexes and set(indexes) == {"ONLINE"}
