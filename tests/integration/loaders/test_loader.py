"""The loader on the real test Neo4j: mapping, idempotence, updates, atomicity, bad input, dry run, CSV.

These tests replace the ``:Rdkg`` graph with small fixtures (tests/fixtures/loader/); the ``loader_db`` fixture
puts the curated graph back when the module is done.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from graph.errors import QueryFailed
from graph.schema import apply_schema, schema_items
from graph.settings import Settings
from loaders import cypher
from loaders.pipeline import load
from loaders.rows import UnknownTermsError
from loaders.validation import ValidationFailed
from rdkg.cli import app

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "loader"
V1, V2 = FIXTURES / "v1.ttl", FIXTURES / "v2.ttl"
DB = "neo4j"


def dump(driver: Driver) -> tuple[list, list]:
    nodes, _, _ = driver.execute_query(
        "MATCH (n:Rdkg) RETURN n.uri AS uri, labels(n) AS labels, properties(n) AS props ORDER BY uri", database_=DB)
    rels, _, _ = driver.execute_query(
        "MATCH (a:Rdkg)-[r]->(b:Rdkg) RETURN a.uri AS a, type(r) AS t, b.uri AS b, properties(r) AS p "
        "ORDER BY a, t, b", database_=DB)
    return ([(r["uri"], sorted(r["labels"]), r["props"]) for r in nodes],
            [(r["a"], r["t"], r["b"], r["p"]) for r in rels])


def node(driver: Driver, node_id: str) -> dict:
    records, _, _ = driver.execute_query(
        "MATCH (n:Rdkg {id: $id}) RETURN properties(n) AS p, labels(n) AS l", id=node_id, database_=DB)
    assert records, f"no node {node_id}"
    return {**records[0]["p"], "_labels": set(records[0]["l"])}


def out_rels(driver: Driver, node_id: str) -> set[tuple[str, str]]:
    records, _, _ = driver.execute_query(
        "MATCH (:Rdkg {id: $id})-[r]->(b:Rdkg) RETURN type(r) AS t, b.id AS b", id=node_id, database_=DB)
    return {(r["t"], r["b"]) for r in records}


def test_mapping_labels_types_properties(loader_db: Driver) -> None:
    load(loader_db, DB, [V1])
    prk = node(loader_db, "PRK")
    assert prk["_labels"] == {"Rdkg", "Agent", "State"}
    assert prk["kind"] == "State", "each node carries its own class as `kind`"
    assert prk["uri"] == "https://w3id.org/rdkg/id/PRK"
    assert (prk["name"], prk["name_ru"], prk["name_ko"]) == ("North Korea", "КНДР", "조선민주주의인민공화국")
    assert set(prk["aliases"]) == {"DPRK", "Democratic People's Republic of Korea", "Северная Корея"}
    assert prk["aliases_ru"] == ["Северная Корея"]
    assert prk["wikidata"] == ["Q423"] and prk["isoCode"] == "PRK"
    assert "north korea" in prk["searchText"] and "dprk" in prk["searchText"] and "prk" in prk["searchText"]

    containers = node(loader_db, "transfer-prk-rus-munitions-containers")
    assert containers["_labels"] == {"Rdkg", "Transfer", "MaterielTransfer"}
    assert containers["kind"] == "MaterielTransfer"
    assert containers["startDate"].to_native() == dt.date(2023, 9, 1)
    assert containers["startDatePrecision"] == "month"
    assert containers["periodStart"].to_native() == dt.date(2023, 9, 1)
    assert "periodEnd" not in containers, "open-ended period: periodEnd must be null"
    assert out_rels(loader_db, "transfer-prk-rus-munitions-containers") == {
        ("FROM", "PRK"), ("TO", "RUS"), ("OF_CATEGORY", "munitions"), ("HAS_QUANTITY", "b1-q1"),
        ("SUPPORTED_BY", "claim-b1")}

    rounds = node(loader_db, "transfer-prk-rus-artillery-rounds-2024")
    assert (rounds["periodStart"].to_native(), rounds["periodEnd"].to_native()) == (dt.date(2024, 1, 1),
                                                                                    dt.date(2024, 12, 31))
    assert rounds["endDatePrecision"] == "year"
    quantity = node(loader_db, "b4-q1")
    assert quantity["max"] == 9000000 and isinstance(quantity["max"], int)
    source = node(loader_db, "source-s01")
    assert source["_labels"] == {"Rdkg", "SourceDocument", "NewsArticle"}
    assert source["name"] == source["title"], "a source's display name is its title"
    assert source["datePrecision"] == "day" and source["url"].startswith("https://")
    assert (source["periodStart"], source["periodEnd"]) == (source["date"], source["date"])
    assert out_rels(loader_db, "claim-b1") == {("SOURCE", "source-s01")}

    category = node(loader_db, "munitions")
    assert category["_labels"] == {"Rdkg", "Category"} and category["name"] == "Munitions"
    assert ("IN_SCHEME", "item-categories") in out_rels(loader_db, "munitions")
    assert "ConceptScheme" in node(loader_db, "item-categories")["_labels"]
    assert (category["kind"], node(loader_db, "item-categories")["kind"]) == ("Category", "ConceptScheme")


def test_reload_is_idempotent(loader_db: Driver) -> None:
    first = load(loader_db, DB, [V1])
    before = dump(loader_db)
    second = load(loader_db, DB, [V1])
    assert dump(loader_db) == before
    assert (second.nodes_created, second.nodes_updated, second.nodes_deleted) == (0, 0, 0)
    assert second.nodes_unchanged == first.nodes
    assert (second.labels, second.relationships) == (first.labels, first.relationships)
    third = load(loader_db, DB, [V1], force=True)  # no fingerprint shortcut: node-by-node content hashes
    assert dump(loader_db) == before
    assert (third.nodes_created, third.nodes_updated, third.nodes_deleted) == (0, 0, 0)
    assert (third.labels, third.relationships) == (first.labels, first.relationships)


def test_update_removes_facts_and_keeps_foreign_data(loader_db: Driver) -> None:
    load(loader_db, DB, [V1])
    loader_db.execute_query(
        "MATCH (p:Rdkg {id: 'PRK'}) CREATE (f:LoaderTestForeign {note: 'not ours'})-[:MENTIONS]->(p)", database_=DB)
    try:
        result = load(loader_db, DB, [V2])
        assert result.nodes_deleted == 3, result
        for gone in ("claim-b4", "transfer-prk-rus-artillery-rounds-2024", "b4-q1"):
            records, _, _ = loader_db.execute_query("MATCH (n {id: $id}) RETURN n", id=gone, database_=DB)
            assert not records, f"{gone} should have been removed"
        prk = node(loader_db, "PRK")
        assert "Северная Корея" not in prk["aliases"] and "aliases_ru" not in prk
        assert node(loader_db, "claim-b1")["stance"] == "asserts"
        assert node(loader_db, "transfer-prk-rus-munitions-containers")["_labels"] == {"Rdkg", "Transfer"}
        foreign, _, _ = loader_db.execute_query(
            "MATCH (f:LoaderTestForeign)-[:MENTIONS]->(p:Rdkg {id: 'PRK'}) RETURN f.note AS note", database_=DB)
        assert [r["note"] for r in foreign] == ["not ours"]
        updated = dump(loader_db)
        loader_db.execute_query("MATCH (n:Rdkg) DETACH DELETE n", database_=DB)
        load(loader_db, DB, [V2])
        assert dump(loader_db) == updated, "an updated graph must equal a fresh load of the same data"
    finally:
        loader_db.execute_query("MATCH (f:LoaderTestForeign) DETACH DELETE f", database_=DB)


def test_failure_mid_load_leaves_previous_graph(loader_db: Driver) -> None:
    load(loader_db, DB, [V1])
    before = dump(loader_db)

    def explode(step: str, done: int, total: int) -> None:
        if done == 2:
            raise RuntimeError("injected failure")

    with pytest.raises(RuntimeError, match="injected"):
        load(loader_db, DB, [V2], progress=explode)
    assert dump(loader_db) == before
    load(loader_db, DB, [V2])
    assert node(loader_db, "claim-b1")["stance"] == "asserts"


def test_bad_batch_rolls_back(loader_db: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    load(loader_db, DB, [V1])
    before = dump(loader_db)
    monkeypatch.setattr(cypher, "CREATE_RELATIONSHIPS", "UNWIND $rows AS row RETURN 1/0")
    with pytest.raises(QueryFailed):
        load(loader_db, DB, [V2])
    assert dump(loader_db) == before


def test_killed_process_leaves_previous_graph(loader_db: Driver, neo4j_settings: Settings) -> None:
    load(loader_db, DB, [V1])
    before = dump(loader_db)
    proc = subprocess.Popen([sys.executable, str(FIXTURES / "slow_load.py"), str(V2)], stdout=subprocess.PIPE,
                            env=cli_env(neo4j_settings), text=True, cwd=FIXTURES.parents[3])
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "WRITING"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert dump(loader_db) == before
    result = load(loader_db, DB, [V2])
    assert result.nodes_deleted == 3


def test_dry_run_reports_and_writes_nothing(loader_db: Driver) -> None:
    load(loader_db, DB, [V1])
    before = dump(loader_db)
    result = load(loader_db, DB, [V2], dry_run=True)
    assert result.dry_run and result.nodes_deleted == 3 and result.nodes_created == 0
    assert result.relationships_deleted > 0
    assert result.nodes_updated >= 3  # PRK, claim-b1, the retyped transfer
    assert dump(loader_db) == before
    done = load(loader_db, DB, [V2])
    assert (done.nodes_created, done.nodes_updated, done.nodes_deleted) == (
        result.nodes_created, result.nodes_updated, result.nodes_deleted)
    assert (done.relationships_created, done.relationships_deleted) == (
        result.relationships_created, result.relationships_deleted)


def test_unknown_terms_refused_even_without_shacl(loader_db: Driver) -> None:
    with pytest.raises(UnknownTermsError) as info:
        load(loader_db, DB, [FIXTURES / "unknown_terms.ttl"], validate_first=False)
    text = "\n".join(info.value.problems)
    assert "ontology#nickname" in text and "ontology#Gadget" in text and "example.org/colour" in text


def test_shacl_violation_raises(loader_db: Driver) -> None:
    with pytest.raises(ValidationFailed) as info:
        load(loader_db, DB, [V1, FIXTURES / "shacl_violation.ttl"])
    assert any("rdkg:from" in (v.path or "") for v in info.value.report.errors)


def test_csv_rows_load_through_the_same_path(loader_db: Driver) -> None:
    result = load(loader_db, DB, [V1, FIXTURES / "transfers.csv"])
    pantsir = node(loader_db, "csv-transfer-rus-prk-pantsir")
    assert pantsir["_labels"] == {"Rdkg", "Transfer", "MaterielTransfer"}
    assert pantsir["designation"] == ["Pantsir"] and pantsir["startDatePrecision"] == "month"
    assert out_rels(loader_db, "csv-transfer-rus-prk-pantsir") >= {
        ("FROM", "RUS"), ("TO", "PRK"), ("OF_CATEGORY", "air-defence-systems"),
        ("HAS_QUANTITY", "csv-transfer-rus-prk-pantsir-q1"), ("SUPPORTED_BY", "claim-csv-transfer-rus-prk-pantsir")}
    assert out_rels(loader_db, "claim-csv-transfer-rus-prk-pantsir") == {
        ("SOURCE", "source-csv-transfer-rus-prk-pantsir")}
    assert out_rels(loader_db, "claim-csv-transfer-prk-rus-containers") == {("SOURCE", "source-s01")}
    assert result.labels["Transfer"] == 4


# ---- the CLI: exit codes, messages, nothing written --------------------------------------------------------------

def cli_env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "RDKG_NEO4J_"))}
    if settings.neo4j_uri:
        env.update(NEO4J_URI=settings.neo4j_uri, NEO4J_USER=settings.neo4j_user,
                   NEO4J_PASSWORD=settings.neo4j_password.get_secret_value() if settings.neo4j_password else "")
    else:
        env.update(RDKG_NEO4J_INSTANCE=settings.local_instance, RDKG_NEO4J_BOLT_PORT=str(settings.local_bolt_port),
                   RDKG_NEO4J_HTTP_PORT=str(settings.local_http_port))
    env["NEO4J_DATABASE"] = settings.neo4j_database
    return env


@pytest.fixture()
def run_cli(loader_db: Driver, neo4j_settings: Settings, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    for key, value in cli_env(neo4j_settings).items():
        if key.startswith(("NEO4J_", "RDKG_")):
            monkeypatch.setenv(key, value)
    runner = CliRunner()

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args))

    return run


@pytest.mark.parametrize(("inputs", "code", "expected"), [
    (["malformed.ttl"], 2, "malformed.ttl:6:"),
    (["v1.ttl", "shacl_violation.ttl"], 1, "a Transfer needs rdkg:from"),
    (["v1.ttl", "unknown_terms.ttl"], 1, "rdkg:nickname"),
    (["v1.ttl", "bad.csv"], 2, "bad.csv:2: column quantity_min"),
])
def test_cli_bad_input_exits_nonzero_and_writes_nothing(run_cli, loader_db: Driver, inputs: list[str], code: int,
                                                        expected: str) -> None:  # type: ignore[no-untyped-def]
    load(loader_db, DB, [V1])
    before = dump(loader_db)
    result = run_cli("load", *(str(FIXTURES / name) for name in inputs))
    assert result.exit_code == code, result.output
    assert expected in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert dump(loader_db) == before


def test_cli_schema_load_and_dry_run(run_cli, loader_db: Driver) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("schema").exit_code == 0
    result = run_cli("load", str(V1))
    assert result.exit_code == 0, result.output
    assert ":State" in result.output and "SUPPORTED_BY" in result.output
    dry = run_cli("load", "--dry-run", str(V2))
    assert dry.exit_code == 0, dry.output
    assert "3 deleted" in dry.output.replace("would be ", "")
    assert node(loader_db, "claim-b4")  # still there


# ---- streaming (inputs of STREAM_MIN_BYTES and more; forced here on small files) ----------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two synthetic copies of the curated data (bench/generate.py): subject blocks are contiguous."""
    from bench.generate import generate

    out = tmp_path_factory.mktemp("gen") / "two.ttl"
    generate(out, 2, seed=11)
    return out


def test_streaming_and_in_memory_loads_give_the_same_graph(loader_db: Driver, generated: Path,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    loader_db.execute_query("MATCH (n:Rdkg) DETACH DELETE n", database_=DB)
    with caplog.at_level(logging.INFO, logger="loaders.pipeline"):
        streamed = load(loader_db, DB, [generated], validate_first=False, streaming=True, batch_size=300, force=True)
    assert not [r for r in caplog.records if "instead of streaming" in r.getMessage()], "it must have streamed"
    assert streamed.nodes_created > 1500 and streamed.relationships_created > 3000
    graph = dump(loader_db)
    loader_db.execute_query("MATCH (n:Rdkg) DETACH DELETE n", database_=DB)
    in_memory = load(loader_db, DB, [generated], validate_first=False, streaming=False, batch_size=300, force=True)
    assert dump(loader_db) == graph
    assert (streamed.labels, streamed.relationships, streamed.triples) == (
        in_memory.labels, in_memory.relationships, in_memory.triples)
    again = load(loader_db, DB, [generated], validate_first=False, streaming=True, force=True)
    assert again.nodes_unchanged == streamed.nodes_created and not again.changed and dump(loader_db) == graph


def test_streaming_falls_back_when_subjects_are_split(loader_db: Driver, tmp_path: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    extra = tmp_path / "extra.ttl"  # adds a triple to id:PRK, whose block is in v1.ttl: not contiguous
    extra.write_text('@prefix id: <https://w3id.org/rdkg/id/> .\n@prefix rdkg: <https://w3id.org/rdkg/ontology#> .\n'
                     'id:PRK rdkg:alias "DPRK test alias" .\n', encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="loaders.pipeline"):
        load(loader_db, DB, [V1, extra], streaming=True)
    assert [r for r in caplog.records if "instead of streaming" in r.getMessage()], "it must have fallen back"
    assert "DPRK test alias" in node(loader_db, "PRK")["aliases"]
    in_memory = dump(loader_db)
    loader_db.execute_query("MATCH (n:Rdkg) DETACH DELETE n", database_=DB)
    load(loader_db, DB, [V1, extra], streaming=False, force=True)
    assert dump(loader_db) == in_memory


def test_streaming_refuses_dangling_targets_and_writes_nothing(loader_db: Driver, tmp_path: Path) -> None:
    load(loader_db, DB, [V1])
    before = dump(loader_db)
    bad = tmp_path / "dangling.ttl"
    bad.write_text(V1.read_text(encoding="utf-8") + "\nid:claim-dangling a rdkg:Claim ; rdkg:source id:nowhere .\n",
                   encoding="utf-8")
    with pytest.raises(UnknownTermsError) as info:
        load(loader_db, DB, [bad], validate_first=False, streaming=True, batch_size=10)
    assert any("nowhere" in problem for problem in info.value.problems)
    assert dump(loader_db) == before


def test_cli_unknown_shacl_engine_is_a_usage_error(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("RDKG_SHACL_ENGINE", "bogus")
    result = run_cli("load", str(V1))
    assert result.exit_code == 2
    assert "RDKG_SHACL_ENGINE" in result.output and "bogus" in result.output and "Traceback" not in result.output


def test_schema_drops_obsolete_rdkg_indexes_only(loader_db: Driver) -> None:
    """`rdkg schema` converges: an rdkg_ index the ontology no longer declares (like the :Rdkg period indexes
    of earlier versions) is dropped; indexes of other data are kept."""
    loader_db.execute_query("CREATE INDEX rdkg_rdkg_periodstart IF NOT EXISTS FOR (n:Rdkg) ON (n.periodStart)",
                            database_=DB)
    loader_db.execute_query("CREATE INDEX other_app_index IF NOT EXISTS FOR (n:OtherApp) ON (n.x)", database_=DB)
    try:
        dropped = apply_schema(loader_db, DB)
        names = _names(loader_db, "SHOW INDEXES YIELD name RETURN name")
        assert dropped == ["rdkg_rdkg_periodstart"]
        assert "rdkg_rdkg_periodstart" not in names and "other_app_index" in names
        constraints = _names(loader_db, "SHOW CONSTRAINTS YIELD name RETURN name")
        assert {item.name for item in schema_items()} <= names | constraints
        assert apply_schema(loader_db, DB) == []  # idempotent
    finally:
        loader_db.execute_query("DROP INDEX other_app_index IF EXISTS", database_=DB)


def _names(driver: Driver, query: str) -> set[str]:
    return {record["name"] for record in driver.execute_query(query, database_=DB).records}
