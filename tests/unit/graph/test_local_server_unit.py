"""The managed Neo4j's start-up checks, without starting anything."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.errors import PrerequisiteMissing
from graph.server import NEO4J_VERSION, LocalNeo4j
from rdkg.cli import app


def test_missing_java_is_one_clear_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing on PATH: no java, no mvn
    server = LocalNeo4j(cache_dir=tmp_path / "cache", home=tmp_path / "home", bolt_port=17687, http_port=17474)
    with pytest.raises(PrerequisiteMissing) as info:
        server.start()
    message = str(info.value)
    assert "java" in message and "Java 17" in message
    assert "docker compose up" in message


def test_cli_reports_missing_prerequisite_without_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("RDKG_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("RDKG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("RDKG_NEO4J_BOLT_PORT", "17687")
    monkeypatch.setenv("RDKG_NEO4J_HTTP_PORT", "17474")
    result = CliRunner().invoke(app, ["neo4j", "start"])
    assert result.exit_code == 3  # Neo4j unavailable (graph/errors.py: every command's exit codes)
    assert "Traceback" not in result.output
    assert "docker compose up" in result.output


def test_status_of_a_stopped_instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RDKG_STATE_DIR", str(tmp_path / "state"))
    result = CliRunner().invoke(app, ["neo4j", "status"])
    assert result.exit_code == 3
    assert "not running" in result.output


def test_conf_binds_loopback_and_sizes_memory(tmp_path: Path) -> None:
    server = LocalNeo4j(cache_dir=tmp_path, home=tmp_path / "home", bolt_port=17687, http_port=17474,
                        heap="2g", pagecache="1g")
    server._write_conf()
    conf = (tmp_path / "home" / "conf" / "neo4j.conf").read_text()
    assert "server.default_listen_address=127.0.0.1" in conf
    assert "server.bolt.listen_address=:17687" in conf
    assert "server.memory.heap.max_size=2g" in conf
    assert "server.memory.pagecache.size=1g" in conf
    assert "dbms.security.auth_enabled=true" in conf


def test_version_is_pinned_to_the_526_lts_line() -> None:
    assert NEO4J_VERSION.startswith("5.26.")
