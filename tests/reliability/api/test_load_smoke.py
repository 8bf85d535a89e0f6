"""A short run of the loopback load test (``bench/loadtest``) in ``make test``: the real ``rdkg serve`` process,
the dashboard mix, four concurrent clients for a few seconds — every request must succeed. Latency figures are
reported, not asserted (the machine is shared); the full concurrency ladder is ``make reliability``.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from bench.loadtest.run import free_port, run_step, start_server, wait_ready
from graph.db import auth
from graph.settings import Settings
from tests.reliability.support import report

pytestmark = pytest.mark.integration


@pytest.mark.timeout(300)
def test_a_short_dashboard_load_has_no_errors(neo4j_settings: Settings, reliability_graph: None,
                                              tmp_path: Path) -> None:
    user, password = auth(neo4j_settings)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "RDKG_"))}
    env.update({"NEO4J_URI": neo4j_settings.bolt_uri, "NEO4J_USER": user, "NEO4J_PASSWORD": password,
                "NEO4J_DATABASE": neo4j_settings.neo4j_database})
    port = free_port()
    proc = start_server(port, env, tmp_path / "server.log")
    try:
        asyncio.run(wait_ready(port, proc))
        step = asyncio.run(run_step(port, concurrency=4, seconds=5, warmup=1, seed=7))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    summary = step.summary()
    report(f"load smoke (4 clients, 5 s): {summary['requests']} requests, {summary['throughput_rps']} req/s, "
           f"p50 {summary['p50_ms']} ms, p99 {summary['p99_ms']} ms, errors {summary['errors']}")
    assert step.requests > 0, "no request completed"
    assert step.errors == 0, summary["error_samples"]
