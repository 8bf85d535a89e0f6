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
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.db import driver as open_driver
from graph.db import local_server
from graph.errors import DataFileError
from graph.schema import apply_schema
from graph.settings import Settings
from graph.storeswap import journal_path, work_dir
from loaders import rebuild as rebuild_module
from loaders.pipeline import load
from loaders.rebuild import RebuildFailed, rebuild
from loaders.rows import UnknownTermsError
from tests.integration.api.test_api import wait_ready
from tests.reliability.support import Dump, api_settings_for, dump, dump_diff

REPO = Path(__file__).resolve().parents[3]
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
    return subprocess.Popen([sys.executable, "-m", "rdkg", "rebuild", *args], env=env, cwd=REPO, text=True,
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
    """The managed server runs the same graph as before (full dump), and the API answers on it."""
    assert local_server(settings).status().running, f"{what}: the server is not running"
    after = _dump(settings)
    assert after == expected, f"{what}: the served graph changed: {dump_diff(expected, after)}"
    with TestClient(create_app(api_settings_for(settings)), raise_server_exceptions=False) as client:
        wait_ready(client)  # Neo4j answers and the API has planned its queries (api/warmup.py)
        ready = client.get("/ready")
    assert ready.status_code == 200, f"{what}: the API is not ready: {ready.text}"


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


def _wait_for(what: str, check: Callable[[], Any], timeout: float = 300.0, proc: subprocess.Popen[str] | None = None
              ) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        if proc is not None and proc.poll() is not None:
            err = proc.stderr.read() if proc.stderr else ""
            pytest.fail(f"the rebuild ended (code {proc.returncode}) before {what}: {err}")
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def _pid_in(path: Path, marker: bytes) -> int | None:
    """The pid recorded in ``path`` if that process is alive and its command line holds ``marker``."""
    try:
        pid = int(path.read_text().split()[0])
        return pid if marker in Path(f"/proc/{pid}/cmdline").read_bytes() else None
    except (OSError, ValueError, IndexError):
        return None


def _gone(pid: int, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        except OSError:
            return True
        if state == "Z":
            return True
        time.sleep(0.1)
    return False


def _strays(home: Path, server_pid: int | None) -> list[str]:
    """Java processes of this instance (its server, the importer, an old-style staging server) other than the served
    one."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if not entry.name.isdigit() or int(entry.name) == server_pid:
                continue
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().split(")")[-1].split()[0]
        except (OSError, IndexError):
            continue
        if b"java" in cmdline and str(home).encode() in cmdline and state != "Z":
            found.append(entry.name + ": " + cmdline.replace(b"\0", b" ")[:200].decode(errors="replace"))
    return found


def _assert_no_stray_java(settings: Settings, what: str) -> None:
    server = local_server(settings)
    deadline = time.monotonic() + 30
    while (strays := _strays(server.home, server.status().pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not strays, f"{what}: Java processes left running besides the served Neo4j: {strays}"


def _swap_journal(work: Path, phase: str) -> int | None:
    try:
        journal = json.loads((work / "swap.json").read_text())
    except (OSError, ValueError):
        return None
    return int(journal["pid"]) if journal.get("phase") == phase else None


# (stage, the process killed with SIGKILL): every stage, and in each stage the helper process it has. The schema
# stage runs on the managed server itself, started on the new store by the swapper (held there for the test)
KILLS = [("map", "rebuild"), ("import", "rebuild"), ("import", "importer"), ("swap", "rebuild"),
         ("swap", "swapper"), ("schema", "rebuild"), ("schema", "server"), ("schema", "swapper")]


@managed_only
@pytest.mark.parametrize(("stage", "victim"), KILLS, ids=[f"{s}-{v.replace(' ', '_')}" for s, v in KILLS])
def test_killed_at_each_stage_leaves_the_previous_graph(settings: Settings, before: Dump, tmp_path: Path,
                                                          stage: str, victim: str) -> None:
    """``kill -9`` of the rebuild (``rdkg rebuild`` as a user runs it) or of the process doing the stage's work:
    the previous graph keeps serving, unchanged; a killed helper is reported by the rebuild (exit 3, the stage
    named); no Java process of the instance survives besides the served Neo4j. Leftover files are cleaned up by
    the next rebuild (the tests below)."""
    server = local_server(settings)
    work = work_dir(server.home)
    marker = tmp_path / "paused"
    extra = ({"RDKG_REBUILD_PAUSE_AT": stage, "RDKG_REBUILD_PAUSE_FILE": str(marker)}
             if stage in ("map", "schema") else {})
    proc = _cli(str(DATA), "--no-validate", env=_env(settings, **extra))
    try:
        if stage == "map":
            _wait_for("the map stage", marker.exists, proc=proc)
            pid = proc.pid
        elif stage == "import":
            importer = _wait_for("the importer", lambda: _pid_in(work / "importer.pid", b"AdminTool"), proc=proc)
            pid = proc.pid if victim == "rebuild" else importer
        elif stage == "schema":  # the server answers on the new store; the swapper holds before the schema
            _wait_for("the schema stage", marker.exists, proc=proc)
            swapper = int(marker.read_text().split()[1])
            pid = {"rebuild": proc.pid, "swapper": swapper, "server": server.status().pid}[victim]
            assert pid, "the server is not running in the schema stage"
        else:
            phase = "moving" if victim == "rebuild" else "moved"  # the swapper: stores moved, server starting
            swapper = _wait_for(f"the swap ({phase})", lambda: _swap_journal(work, phase), proc=proc)
            pid = proc.pid if victim == "rebuild" else swapper
        os.kill(pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    text = " ".join(err.split())
    if victim == "rebuild":
        assert proc.returncode == -signal.SIGKILL
        if stage == "import":
            assert _gone(importer), "the importer outlived the rebuild"
        if stage in ("swap", "schema"):  # the detached swapper notices and rolls back
            assert _gone(swapper, timeout=600), "the swapper did not finish"
    else:
        assert proc.returncode == 3, err
        assert f"rebuild failed at stage '{stage}'" in text and "the previous graph is unchanged" in text, err
        assert "Traceback" not in err
        if victim == "importer":
            assert "the importer was killed" in text
        if victim == "swapper":
            assert "the swap process was killed" in text and "put back" in text
    assert not journal_path(server.home).exists()
    _assert_serving(settings, before, f"kill -9 of the {victim} at {stage}")
    _assert_no_stray_java(settings, f"kill -9 of the {victim} at {stage}")


@managed_only
def test_importer_error_and_full_disk(settings: Settings, before: Dump, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The importer failing (a duplicate node id slipped into its input) and a disk without room (a small tmpfs
    mounted over the rebuild's work directory: the disk check refuses; with the check off, the importer runs out
    of space) are reported with the stage and leave the previous graph."""
    real_importer = rebuild_module.run_importer

    def duplicate_a_node(lib_dir: Path, home: Path, arguments: list[str], files: Any) -> str:
        first = next(a for a in arguments if a.startswith("--nodes="))[len("--nodes="):].split(",")[1]
        with open(first, encoding="utf-8") as handle:
            row = handle.readline()
        with open(first, "a", encoding="utf-8") as handle:
            handle.write(row)
        return real_importer(lib_dir, home, arguments, files)

    with monkeypatch.context() as patch:
        patch.setattr(rebuild_module, "run_importer", duplicate_a_node)
        with pytest.raises(RebuildFailed) as failed:
            rebuild(settings, [DATA], validate_first=False)
    assert failed.value.stage == "import" and "exited with code" in str(failed.value)
    assert "uplicate" in str(failed.value), failed.value
    _assert_serving(settings, before, "importer error")

    work = work_dir(local_server(settings).home)
    work.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(work)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {mounted.stderr.decode().strip()}")
    try:
        with pytest.raises(RebuildFailed) as refused:
            rebuild(settings, [DATA], validate_first=False)
        assert refused.value.stage == "import" and "not enough disk space" in str(refused.value)
        with monkeypatch.context() as patch:
            patch.setattr(rebuild_module, "_check_disk_space", lambda *args: None)
            with pytest.raises(RebuildFailed) as full:
                rebuild(settings, [DATA], validate_first=False)
        assert full.value.stage == "import" and "the disk is full" in str(full.value), full.value
    finally:
        subprocess.run(["umount", "-l", str(work)], check=False)
    _assert_serving(settings, before, "disk full")


@managed_only
def test_rebuild_equals_transactional_load(settings: Settings) -> None:
    """After all the failures above the next rebuild succeeds, and its graph equals the transactional load's."""
    server = local_server(settings)
    with open_driver(settings) as drv:
        load(drv, "neo4j", [DATA])
    loaded = _dump(settings)
    stages: list[str] = []
    result = rebuild(settings, [DATA], progress=lambda stage, detail: stages.append(stage))
    assert list(dict.fromkeys(stages)) == ["validate", "map", "import", "swap", "schema"]
    rebuilt = _dump(settings)
    assert rebuilt == loaded, dump_diff(loaded, rebuilt)
    assert rebuilt.fingerprint == loaded.fingerprint
    assert result.nodes == loaded.fingerprint.nodes - 1 and 0 < result.down_seconds < result.seconds["total"]
    assert result.swap_seconds["down"] == pytest.approx(result.down_seconds + result.swap_seconds["check"])
    _assert_no_stray_java(settings, "a successful rebuild")
    assert not journal_path(server.home).exists() and not (work_dir(server.home) / "old").exists()
    with open_driver(settings) as drv:
        again = load(drv, "neo4j", [DATA])  # the load state came along: an unchanged reload is instant
        indexes = drv.execute_query("SHOW INDEXES YIELD name, state WHERE name STARTS WITH 'rdkg_' "
                                    "RETURN collect(state) AS states", database_="neo4j").records[0]["states"]
    assert again.nodes_unchanged == result.nodes and not again.changed
    assert indexes and set(indexes) == {"ONLINE"}
