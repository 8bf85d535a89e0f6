"""Neo4j dies in the middle of a load: after a restart the previous graph is intact and the next load works.

This needs a server the test may kill, so it starts its own managed instance (``loader-stop``, on two free
ports picked at run time) instead of the shared test server, and stops it at the end. Skipped when the suite
runs against an external ``NEO4J_TEST_URI``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from graph.db import driver as open_driver
from graph.db import local_server
from graph.schema import apply_schema
from graph.settings import Settings
from loaders.pipeline import load
from tests.integration.loaders.test_loader import FIXTURES, V1, V2, cli_env, dump

pytestmark = pytest.mark.skipif(bool(os.environ.get("NEO4J_TEST_URI")), reason="needs a managed local Neo4j")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_closed(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"port {port} still open {timeout}s after killing Neo4j")


@pytest.fixture(scope="module")
def killable_settings() -> Iterator[Settings]:
    settings = Settings(
        neo4j_uri=None, neo4j_password=None, neo4j_database="neo4j", local_instance="loader-stop",
        local_bolt_port=_free_port(), local_http_port=_free_port(),
        local_heap="512m", local_pagecache="256m", local_tx_memory="512m",
    )
    local_server(settings).start()
    yield settings
    local_server(settings).stop()


def test_neo4j_killed_mid_load_keeps_previous_graph(killable_settings: Settings) -> None:
    server = local_server(killable_settings)
    with open_driver(killable_settings) as drv:
        apply_schema(drv, "neo4j")
        load(drv, "neo4j", [V1], force=True)
        before = dump(drv)
    proc = subprocess.Popen([sys.executable, str(FIXTURES / "slow_load.py"), str(V2)], stdout=subprocess.PIPE,
                            env=cli_env(killable_settings), text=True, cwd=FIXTURES.parents[3])
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "WRITING"
        pid = server.status().pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)  # the server dies with the load's transaction open
    finally:
        proc.kill()
        proc.wait(timeout=30)
    _wait_closed(killable_settings.local_bolt_port)
    _wait_closed(killable_settings.local_http_port)
    server.stop()  # clears the stale pid file
    server.start()
    with open_driver(killable_settings) as drv:
        assert dump(drv) == before, "the killed transaction must not be visible after recovery"
        result = load(drv, "neo4j", [V2])
        assert result.nodes_deleted == 3
