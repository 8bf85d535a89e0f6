"""Guarded removal and undo on the real test Neo4j (issue 20): a load that would delete much of the graph or a
source document is refused with the counts and nothing written; ``--prune`` lets it through; ``rdkg rollback``
and ``rdkg load --release`` bring the earlier graph back — the same dump hash as before.

The synthetic graph below (``synthetic-`` ids, from tests/integration/loaders/test_loader_reload.py) is test data, not
knowledge. ``loader_db`` puts the curated graph back when the module is done.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from graph.settings import Settings
from loaders.guard import RemovalRefused
from loaders.history import current_and_previous
from loaders.pipeline import load
from rdkg.cli import app

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures" / "loader"
V1 = FIXTURES / "v1.ttl"
DB = "neo4j"

EXTRA_SOURCE = """@prefix id: <https://w3id.org/rdkg/id/> .
@prefix rdkg: <https://w3id.org/rdkg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
id:synthetic-extra-source a rdkg:NewsArticle ; rdkg:title "Synthetic extra source" ; rdkg:publisher "Synthetic" ;
    rdkg:date "2024-01-01"^^xsd:date ; rdkg:url "https://example.org/synthetic/extra"^^xsd:anyURI .
"""
EXTRA_STATE = """@prefix id: <https://w3id.org/rdkg/id/> .
@prefix rdkg: <https://w3id.org/rdkg/ontology#> .
id:synthetic-state-a a rdkg:State ; rdkg:name "Synthetic state A" ; rdkg:isoCode "XXA" .
id:synthetic-state-b a rdkg:State ; rdkg:name "Synthetic state B" ; rdkg:isoCode "XXB" .
"""


def dump_hash(driver: Driver) -> str:
    """A hash of every :Rdkg node (uri, labels, properties) and relationship between them."""
    nodes, _, _ = driver.execute_query(
        "MATCH (n:Rdkg) RETURN n.uri AS uri, labels(n) AS labels, properties(n) AS props ORDER BY uri", database_=DB)
    rels, _, _ = driver.execute_query(
        "MATCH (a:Rdkg)-[r]->(b:Rdkg) RETURN a.uri AS a, type(r) AS t, b.uri AS b, properties(r) AS p "
        "ORDER BY a, t, b", database_=DB)
    text = json.dumps([[(r["uri"], sorted(r["labels"]), sorted(r["props"].items())) for r in nodes],
                       [(r["a"], r["t"], r["b"], sorted(r["p"].items())) for r in rels]], default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def count(driver: Driver, label: str = "Rdkg") -> int:
    records, _, _ = driver.execute_query(f"MATCH (n:{label}) RETURN count(n) AS c", database_=DB)
    return int(records[0]["c"])


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.integration.loaders.test_loader_reload import synthetic_turtle

    folder = tmp_path_factory.mktemp("synthetic")
    (folder / "base.ttl").write_text(synthetic_turtle(200), encoding="utf-8")  # ~630 nodes
    (folder / "extra-source.ttl").write_text(EXTRA_SOURCE, encoding="utf-8")
    (folder / "extra-states.ttl").write_text(EXTRA_STATE, encoding="utf-8")
    return folder


# ---- the guard, through the library -------------------------------------------------------------------------------

def test_large_removal_is_refused_with_counts_and_nothing_written(loader_db: Driver, synthetic: Path) -> None:
    load(loader_db, DB, [synthetic / "base.ttl"], validate_first=False)
    before, nodes = dump_hash(loader_db), count(loader_db)
    for streaming in (False, True):  # in memory the check precedes every write; streamed, it precedes the deletes
        with pytest.raises(RemovalRefused) as refused:
            load(loader_db, DB, [V1], validate_first=False, prune=False, streaming=streaming)
        removal = refused.value.removal
        assert removal.existing == nodes and removal.deleted > 0.9 * nodes
        assert removal.kinds["Claim"] == 200 and removal.kinds["MaterielTransfer"] == 200
        assert removal.kinds["NewsArticle"] == 20 and removal.source_documents == 20
        message = str(refused.value)
        assert f"of the graph's {nodes} :Rdkg nodes" in message and "200 Claim" in message
        assert "rdkg load data/ FILE" in message and "--prune" in message
        assert dump_hash(loader_db) == before


def test_removing_one_source_document_is_refused(loader_db: Driver, synthetic: Path) -> None:
    load(loader_db, DB, [synthetic / "base.ttl", synthetic / "extra-source.ttl"], validate_first=False)
    before = dump_hash(loader_db)
    with pytest.raises(RemovalRefused) as refused:
        load(loader_db, DB, [synthetic / "base.ttl"], validate_first=False, prune=False)
    assert refused.value.removal.deleted == 1 and refused.value.removal.share < 0.05
    assert "1 of them are source documents" in str(refused.value)
    assert dump_hash(loader_db) == before
    result = load(loader_db, DB, [synthetic / "base.ttl"], validate_first=False, prune=True)
    assert result.nodes_deleted == 1


def test_small_removal_passes_the_guard(loader_db: Driver, synthetic: Path) -> None:
    load(loader_db, DB, [synthetic / "base.ttl", synthetic / "extra-states.ttl"], validate_first=False)
    result = load(loader_db, DB, [synthetic / "base.ttl"], validate_first=False, prune=False)
    assert result.nodes_deleted == 2 and result.removal is not None and result.removal.kinds == {"State": 2}


def test_dry_run_reports_what_the_guard_would_refuse(loader_db: Driver, synthetic: Path) -> None:
    load(loader_db, DB, [synthetic / "base.ttl"], validate_first=False)
    before = dump_hash(loader_db)
    result = load(loader_db, DB, [V1], validate_first=False, dry_run=True, prune=False)
    assert result.removal is not None and result.removal.refused and result.removal.kinds["Claim"] == 200
    assert dump_hash(loader_db) == before


# ---- the CLI: refusal, --prune, rollback, --release -----------------------------------------------------------------

@pytest.fixture()
def cli(loader_db: Driver, neo4j_settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    from tests.integration.loaders.test_loader import cli_env

    for key, value in cli_env(neo4j_settings).items():
        if key.startswith(("NEO4J_", "RDKG_")):
            monkeypatch.setenv(key, value)
    monkeypatch.setenv("RDKG_LOAD_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("RDKG_SHACL_ENGINE", os.environ.get("RDKG_SHACL_ENGINE", "turbo"))
    runner = CliRunner()

    def run(*args: str):  # type: ignore[no-untyped-def]
        result = runner.invoke(app, list(args))
        return result, " ".join(result.output.split())

    return run


def test_cli_refuses_prunes_and_rolls_back_to_the_same_graph(cli, loader_db: Driver, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("releases", "sources"))
    result, out = cli("load", "--prune", str(data))  # replaces the previous test's graph
    assert result.exit_code == 0, out
    before, nodes = dump_hash(loader_db), count(loader_db)

    result, out = cli("load", str(V1))  # one file that validates on its own
    assert result.exit_code == 4, out
    assert "refused: this load would delete" in out and f"of the graph's {nodes} :Rdkg nodes" in out
    assert "Claim" in out and "source documents" in out and "rdkg load data/ FILE" in out and "--prune" in out
    assert "Traceback" not in out
    assert dump_hash(loader_db) == before

    result, out = cli("load", "--prune", str(V1))
    assert result.exit_code == 0, out
    assert count(loader_db) < nodes / 4

    result, out = cli("rollback")
    assert result.exit_code == 0, out
    assert dump_hash(loader_db) == before, "undo must give back exactly the graph before the wrong load"

    current, previous = current_and_previous(loader_db, DB)
    assert current is not None and previous is not None and previous.inputs is not None
    assert [f.name for f in previous.inputs] == ["v1.ttl"]  # undoing again would redo the pruning load


def test_cli_rollback_without_kept_files_says_what_to_do(cli, loader_db: Driver, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                                         tmp_path: Path) -> None:
    assert cli("load", "--prune", str(V1))[0].exit_code == 0
    assert cli("load", "--prune", str(FIXTURES / "v2.ttl"))[0].exit_code == 0
    monkeypatch.setenv("RDKG_LOAD_STORE", str(tmp_path / "empty-store"))
    result, out = cli("rollback")
    assert result.exit_code == 5, out
    assert "v1.ttl" in out and "rdkg load --release VERSION" in out and "Traceback" not in out


def test_cli_loads_a_named_release(cli, loader_db: Driver, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(V1, data / "v1.ttl")
    monkeypatch.setenv("RDKG_DATA_DIR", str(data))
    result, out = cli("release", "publish", "2000.01", "--date", "2000-01-31", "--title", "fixture release")
    assert result.exit_code == 0, out
    assert cli("load", "--prune", str(data))[0].exit_code == 0
    release_graph = dump_hash(loader_db)
    current, _ = current_and_previous(loader_db, DB)
    assert current is not None and current.release == "2000.01"  # recognised by its files' hashes

    assert cli("load", "--prune", str(FIXTURES / "v2.ttl"))[0].exit_code == 0
    assert dump_hash(loader_db) != release_graph
    result, out = cli("load", "--release", "2000.01")
    assert result.exit_code == 0, out
    assert "the graph holds release 2000.01" in out
    assert dump_hash(loader_db) == release_graph

    result, out = cli("load", "--release", "1999.12")
    assert result.exit_code == 2 and "no release '1999.12'" in out and "2000.01" in out
