"""Interrupted loads: a loader killed with SIGKILL at several points — while it validates, between batches,
while a batch statement runs on the server, and with every batch written but not committed — leaves the previous
graph intact and queryable, and the next load produces a graph identical (full dump) to an uninterrupted load.

Runs on the separate fault instance. The previous graph is the curated data (``data/``); the interrupted load is
the curated data plus one synthetic copy (``bench.generate`` with two copies: about twice the nodes), sent in
small batches so the load has many of them. ``RDKG_RELIABILITY_LONG=1`` adds seeded random kill times.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from neo4j import Driver

from bench.generate import generate
from graph.db import local_server
from graph.settings import Settings
from loaders.pipeline import load
from queries.registry import Registry
from queries.runner import bind_values, run_sync
from tests.reliability.support import Dump, dump, dump_diff, report

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
PREVIOUS = [ROOT / "data"]
BATCH = "40"
LONG = bool(os.environ.get("RDKG_RELIABILITY_LONG"))
LOADER_TX = "UNWIND $"  # every batch statement of the loader starts like this


class Worker:
    """A ``load_worker`` subprocess and the lines it has reported."""

    def __init__(self, settings: Settings, paths: Sequence[Path], *extra: str) -> None:
        env = {**os.environ, "NEO4J_URI": settings.bolt_uri, "NEO4J_USER": "neo4j",
               "NEO4J_PASSWORD": local_server(settings).password(), "NEO4J_DATABASE": settings.neo4j_database}
        cmd = [sys.executable, "-m", "tests.reliability.load_worker", *map(str, paths), "--batch-size", BATCH, *extra]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []

    def wait_for(self, accept: Callable[[str], bool], timeout: float = 300) -> str:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline().strip()
            if not line:
                _, err = self.proc.communicate(timeout=5)
                raise AssertionError(f"worker ended (code {self.proc.returncode}) before the kill point: {err[-2000:]}")
            self.lines.append(line)
            if accept(line):
                return line
        raise AssertionError(f"kill point not reached in {timeout}s; last lines {self.lines[-3:]}")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        assert self.proc.returncode == -signal.SIGKILL, f"worker was not killed: code {self.proc.returncode}"

    def finish(self, timeout: float = 600) -> None:
        out, err = self.proc.communicate(timeout=timeout)
        assert self.proc.returncode == 0, f"the load failed (code {self.proc.returncode}): {err[-2000:]}"
        assert out.strip().endswith("loaded"), out[-500:]


def _step(line: str) -> tuple[int, int]:
    _, done, total, *_ = line.split(" ", 3)
    return int(done), int(total)


def _running_batch(driver: Driver, database: str) -> bool:
    records, _, _ = driver.execute_query(
        "SHOW TRANSACTIONS YIELD currentQuery, status WHERE currentQuery STARTS WITH $prefix RETURN status",
        prefix=LOADER_TX, database_=database)
    return any(r["status"] == "Running" for r in records)


def kill_while_validating(worker: Worker, driver: Driver, database: str) -> str:
    worker.wait_for(lambda line: line == "ready")
    time.sleep(0.5)
    return "while validating and mapping (no transaction yet)"


def kill_after_first_batch(worker: Worker, driver: Driver, database: str) -> str:
    line = worker.wait_for(lambda line: line.startswith("step "))
    return f"right after batch {line.split()[1]} of {line.split()[2]}"


def kill_mid_batch(worker: Worker, driver: Driver, database: str) -> str:
    line = worker.wait_for(lambda line: line.startswith("step ") and _step(line)[0] >= _step(line)[1] // 2)
    deadline = time.monotonic() + 60
    while not _running_batch(driver, database):
        assert time.monotonic() < deadline, "no loader batch statement seen running on the server"
        time.sleep(0.01)
    done, total = _step(line)
    return f"while a batch statement was running on the server (after >= {done} of {total} batches)"


def kill_before_commit(worker: Worker, driver: Driver, database: str) -> str:
    line = worker.wait_for(lambda line: line.startswith("step ") and _step(line)[0] == _step(line)[1])
    return f"with all {_step(line)[1]} batches written, before the commit"


KILL_POINTS: list[Callable[[Worker, Driver, str], str]] = [
    kill_while_validating, kill_after_first_batch, kill_mid_batch, kill_before_commit,
]
#: ``make test`` keeps the two points that matter most (a statement in flight, everything written but uncommitted).
FAST_KILL_POINTS = [kill_mid_batch, kill_before_commit]


def _headline(driver: Driver, database: str) -> list[dict[str, object]]:
    query = Registry.load().get("flows")
    params = bind_values(query, {"from_state": "PRK", "to_state": "RUS", "limit": 500})
    return run_sync(driver, query, params, database=database, timeout=30)


@pytest.fixture(scope="module")
def next_data(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("next") / "c2.ttl"
    generate(out, 2)
    return [out]


@pytest.fixture(scope="module")
def graphs(fault_settings: Settings, fault_driver: Driver, next_data: list[Path]) -> Iterator[dict[str, Dump]]:
    """The previous graph (data/) and the reference: an uninterrupted load of the next data on top of it."""
    database = fault_settings.neo4j_database
    load(fault_driver, database, PREVIOUS)
    previous = dump(fault_driver, database)
    load(fault_driver, database, next_data)
    reference = dump(fault_driver, database)
    load(fault_driver, database, PREVIOUS)
    again = dump(fault_driver, database)
    assert again == previous, "reloading the previous data did not restore it: " + dump_diff(previous, again)
    yield {"previous": previous, "reference": reference}


@pytest.mark.timeout(1800)
def test_killed_loads_leave_the_previous_graph_and_the_next_load_completes_it(
    fault_settings: Settings, fault_driver: Driver, graphs: dict[str, Dump], next_data: list[Path]
) -> None:
    database = fault_settings.neo4j_database
    previous, reference = graphs["previous"], graphs["reference"]
    assert previous != reference, "the next data must change the graph, or the test proves nothing"
    headline = _headline(fault_driver, database)
    assert headline, "the previous graph answers the headline query"
    points = list(KILL_POINTS if LONG else FAST_KILL_POINTS)
    if LONG:
        rng = random.Random(7)
        points += [_random_delay(rng.uniform(0.0, 8.0)) for _ in range(4)]
    for point in points:
        # Every killed worker holds before its commit, so even a late random kill lands before it (a kill racing
        # the commit would let the load commit, correctly, and prove nothing about interruption).
        worker = Worker(fault_settings, next_data, "--hold-at-end")
        where = point(worker, fault_driver, database)
        worker.kill()
        after = dump(fault_driver, database)
        assert after == previous, f"killed {where}: the graph changed: {dump_diff(previous, after)}"
        assert _headline(fault_driver, database) == headline, f"killed {where}: the headline query changed"
        report(f"interrupted load: killed {where}; previous graph intact ({previous.fingerprint.nodes} nodes)")
    worker = Worker(fault_settings, next_data)
    worker.finish()
    final = dump(fault_driver, database)
    assert final == reference, "the load after the kills differs from an uninterrupted one: " + dump_diff(
        reference, final)
    report(f"interrupted load: the next load equals an uninterrupted one ({final.fingerprint.nodes} nodes, "
           f"{final.fingerprint.relationships} relationships, sha256 {final.fingerprint.sha256[:16]}…)")


def _random_delay(seconds: float) -> Callable[[Worker, Driver, str], str]:
    """Kill ``seconds`` after the first batch (the writing phase; a late kill lands in the hold before commit)."""
    def kill_after_delay(worker: Worker, driver: Driver, database: str) -> str:
        worker.wait_for(lambda line: line.startswith("step "))
        time.sleep(seconds)
        return f"{seconds:.1f}s into the writing phase"
    return kill_after_delay
