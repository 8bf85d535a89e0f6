"""The benchmark scripts run (tiny scale). No timing is asserted — numbers come from ``make bench`` only.

- query scaling and the API-overhead pieces run read-only against the session's curated test graph;
- the loader benchmark wipes its database between runs, so it gets its own tiny bench instance
  (``bench-tiny``, ports 7707/7708), never the test instance other tests read.
"""

from __future__ import annotations

import asyncio
import fcntl
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from neo4j import Driver

from bench import api_bench, query_bench
from bench.generate import generate
from bench.loader_bench import Config, bench, markdown, summarise
from bench.naive_api import create_naive_app
from graph.db import async_driver, local_server
from graph.settings import Settings
from loaders.result import LoadResult
from queries.registry import Registry


def test_every_query_case_runs_and_profiles(neo4j_settings: Settings, neo4j_driver: Driver,
                                            curated_graph: LoadResult) -> None:
    db = neo4j_settings.neo4j_database
    todo = query_bench.cases(Registry.load())
    assert any(c.query.name == "flows" for c in todo), "the headline query must be benchmarked"
    samples, rows, profiles = {}, {}, {}
    for case in todo:
        got, size = query_bench.time_case(neo4j_driver, case, iterations=1, warmup=0, database=db)
        samples[(case.name, "1x")], rows[(case.name, "1x")] = got, size
        profiles[(case.name, "1x")] = query_bench.profile(neo4j_driver, case, db)
    headline = next(c for c in todo if c.name.startswith("flows PRK"))
    assert rows[(headline.name, "1x")] > 0, "the headline flows case returns transfers on the curated graph"
    result = query_bench.report(todo, ["1x"], samples, rows, profiles)
    table = query_bench.markdown(result)
    assert all(case.name in table for case in todo), table


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_naive_api_and_load_driver_answer(neo4j_settings: Settings, curated_graph: LoadResult) -> None:
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_naive_app(neo4j_settings), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.1)
        case = api_bench.CASES[0]
        http = asyncio.run(api_bench.drive(api_bench.http_call(port, case.naive_path), 2, requests=4))
        assert http["n"] == 4 and http["median_ms"] > 0, http
    finally:
        server.should_exit = True
        thread.join(timeout=10)

    async def raw() -> dict:
        drv = async_driver(neo4j_settings)
        try:
            query = Registry.load().get(case.query)
            params = api_bench.bind_text(query, case.params)
            return await api_bench.drive(api_bench.raw_call(drv, query.text, params), 2, requests=4)
        finally:
            await drv.close()

    assert asyncio.run(raw())["n"] == 4


@pytest.fixture(scope="module")
def tiny_instance() -> Iterator[query_bench.BenchInstance]:
    """The bench-tiny Neo4j, held under an exclusive lock: two test sessions on one machine take turns
    (the benchmark wipes its database, so it must not be shared)."""
    inst = query_bench.INSTANCES["tiny"]
    settings = inst.settings()
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.state_dir / f"neo4j-{inst.name}.session-lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        started = local_server(settings).start()
        yield inst
        if started:
            inst.stop()


def test_loader_benchmark_runs_both_loaders(tmp_path: Path, tiny_instance: query_bench.BenchInstance) -> None:
    file = tmp_path / "tiny.ttl"
    generate(file, 2)  # the curated data and one synthetic copy: every reference must resolve for the loader
    configs = [Config("rdkg-novalidate", reload=True), Config("rdflib-neo4j", 1000, rust=False)]
    rows = bench(file, configs, 1, tiny_instance, tmp_path / "log.jsonl")
    assert [r["config"] for r in rows] == ["rdkg-novalidate+reload", "rdflib-neo4j:1000+norust"]
    assert all(r["graph"]["nodes"] > 0 and r["peak_rss_mib"] > 0 for r in rows), rows
    assert rows[0]["loads"][1]["created"] == 0, "the re-load of unchanged data creates nothing"
    assert rows[1]["rust_codec"] is False
    assert "rdflib-neo4j:1000+norust" in markdown(summarise(rows), "rdflib-neo4j:1000+norust")


def test_loader_benchmark_rebuild_row(tmp_path: Path, tiny_instance: query_bench.BenchInstance) -> None:
    """The rebuild row (issue 17): its stages, the importer's own time as the floor row, and the check that the
    rebuilt graph's dump hash equals the transactional load's of the same file."""
    file = tmp_path / "tiny.ttl"
    generate(file, 1)
    rows = bench(file, [Config("rdkg-novalidate"), Config("rdkg-rebuild")], 1, tiny_instance, tmp_path / "log.jsonl")
    assert [r["config"] for r in rows] == ["rdkg-novalidate", "rdkg-rebuild", "importer (floor)"]
    rebuilt = rows[1]
    assert set(rebuilt["stages"]) >= {"map", "import", "schema", "swap"} and rebuilt["down_seconds"] > 0
    assert rebuilt["graph"]["sha256"] == rows[0]["graph"]["sha256"], "the rebuild differs from the load"
    assert rows[2]["loads"][0]["seconds"] == rebuilt["stages"]["import"]
    table = summarise(rows)
    assert next(r for r in table if r["config"] == "rdkg-rebuild")["identical"] == "1/1"
    assert "| importer (floor) |" in markdown(table, "rdkg-novalidate")
