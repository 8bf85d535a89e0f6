"""Golden tests: every canned query on the curated data, compared with the expected rows in tests/golden/queries/.

The curated graph (``curated_graph``, all of data/) is loaded once per session. Each case runs one query with
text parameters, exactly as ``rdkg query NAME --param k=v`` does, and compares the rows (canonicalised: lists of
plain values and unordered lists sorted, the loader's ``contentHash`` dropped) with its golden file.

When the curated data changes on purpose, regenerate and *review the diff* before committing:

    RDKG_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/integration/queries/test_queries_golden.py
    git diff tests/golden/
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import typer
from neo4j import Driver
from typer.testing import CliRunner

from graph.db import auth
from graph.settings import Settings
from loaders.result import LoadResult
from queries import cli as queries_cli
from queries.registry import Registry
from queries.runner import Row, bind_text, run_sync

GOLDEN_DIR = Path(__file__).resolve().parents[2] / "golden" / "queries"
UPDATE = os.environ.get("RDKG_UPDATE_GOLDEN") == "1"
UNORDERED = {"bodies", "claimants", "disputes", "aliases", "labels", "language", "note"}
VOLATILE = {"contentHash", "fingerprint", "data_fingerprint", "release"}  # of the load (input bytes, loader code)
# the flow queries collect with pattern comprehensions, in no set order (api/models/flows.py sorts for the API)
FLOW_LISTS = {"estimates", "estimators", "claims", "partOf", "parts", "distinctFrom", "formerId"}
UNORDERED_BY_QUERY = {"flows": FLOW_LISTS, "flow": FLOW_LISTS, "flow_totals": FLOW_LISTS}

CASES: dict[str, tuple[str, dict[str, str]]] = {
    "flows_prk_rus_since_2023": ("flows", {"from": "PRK", "to": "RUS", "since": "2023-01-01",
                                           "limit": "200"}),
    "flows_rus_prk": ("flows", {"from": "RUS", "to": "PRK", "limit": "200"}),
    "flows_troops_both_directions": ("flows", {"from": "RUS", "to": "PRK", "both_directions": "true",
                                               "category": "personnel"}),
    "flows_high_confidence_2024": ("flows", {"since": "2024", "until": "2024", "min_confidence": "high",
                                             "category": "munitions", "limit": "200"}),
    "flow_totals_prk_rus": ("flow_totals", {"from": "PRK", "to": "RUS"}),
    "flow_munitions_containers": ("flow", {"id": "transfer-prk-rus-munitions-containers"}),
    "former_id_of_an_old_transfer": ("former_id", {"id": "transfer-prk-rus-containers-white-house-2023-10"}),
    "entity_profile_vitaly_shulika": ("entity_profile", {"id": "vitaly-shulika"}),
    "entity_profile_ri_song_chol": ("entity_profile", {"id": "ri-song-chol"}),
    "entity_profile_ministry_of_foreign_affairs_rus": ("entity_profile", {"id": "ministry-of-foreign-affairs-rus"}),
    "neighbours_shulika_visit": ("neighbours", {"id": "visit-2025-05-shulika-pyongyang"}),
    "neighbours_prk_from_page2": ("neighbours", {"id": "PRK", "type": "FROM", "limit": "5", "offset": "5"}),
    "timeline_may_2025": ("timeline", {"since": "2025-05", "until": "2025-05"}),
    "timeline_meetings_2024": ("timeline", {"since": "2024", "until": "2024", "kind": "Meeting,Visit"}),
    "claims_about_ri_song_chol": ("claims_about", {"id": "ri-song-chol"}),
    "claims_about_munitions_containers": ("claims_about", {"id": "transfer-prk-rus-munitions-containers"}),
    "source_document_s01": ("source_document", {"id": "source-s01"}),
    "source_document_msmt_report": ("source_document", {"id": "source-msmt-report-2025-05-29"}),
    "shortest_paths_shulika_kim": ("shortest_paths", {"from": "vitaly-shulika", "to": "kim-jong-un"}),
    "shortest_paths_depth_1_none": ("shortest_paths", {"from": "vitaly-shulika", "to": "kim-jong-un",
                                                       "max_depth": "1"}),
    "meetings_pyongyang": ("meetings", {"place": "pyongyang"}),
    "meetings_with_shulika": ("meetings", {"participant": "vitaly-shulika"}),
    "treaties": ("treaties", {}),
    "votes": ("votes", {}),
    "votes_veto": ("votes", {"choice": "veto"}),
    "entity_search_shulyka": ("entity_search", {"q": "Shulyka"}),
    "entity_search_accents_case": ("entity_search", {"q": "PYONGYANG", "type": "City"}),
    "graph_states_and_msmt": ("graph", {"ids": "PRK,RUS,msmt,treaty-comprehensive-strategic-partnership"}),
    "sources_reuters": ("sources", {"publisher": "Reuters", "limit": "200"}),
    "resolve_state_dprk": ("resolve_state", {"term": "DPRK"}),
    "resolve_state_north_korea": ("resolve_state", {"term": "north korea"}),
    "resolve_entity_shulyka": ("resolve_entity", {"term": "Shulyka", "folded": "Shulyka"}),
    "node_ref_prk": ("node_ref", {"id": "PRK"}),
    "categories": ("categories", {}),
    "states": ("states", {}),
    "disputes": ("disputes", {"limit": "200"}),
    "disputes_about_vitaly_shulika": ("disputes", {"about": "vitaly-shulika"}),
    "graph_version": ("graph_version", {}),
    "claims_disputed": ("claims", {"disputed": "true", "limit": "200"}),
    "claims_about_troops": ("claims", {"about": "deployment-prk-rus-troops", "limit": "200"}),
    "claim_seed_31": ("claim", {"id": "claim-seed-31"}),
    "resolve_entity_shoigu": ("resolve_entity", {"term": "Shoigu", "folded": "Shoigu"}),
    "entity_search_shoigu": ("entity_search", {"q": "shoigu"}),
    "entity_search_vessels": ("entity_search", {"type": "Vessel"}),
    "entity_profile_port_rajin": ("entity_profile", {"id": "port-rajin"}),
    "flows_from_prk_only": ("flows", {"from": "PRK", "limit": "200"}),
    "flows_to_prk_both_directions_2024": ("flows", {"to": "PRK", "both_directions": "true", "since": "2024",
                                                    "until": "2024", "limit": "200"}),
    "flows_period_only_since_2025": ("flows", {"since": "2025", "limit": "200"}),
    "flow_totals_period_only_2024": ("flow_totals", {"since": "2024", "until": "2024"}),
    "meetings_2024": ("meetings", {"since": "2024", "until": "2024"}),
    "timeline_since_2025_06": ("timeline", {"since": "2025-06"}),
    "timeline_prk": ("timeline", {"participant": "PRK"}),
    "treaties_rus": ("treaties", {"signatory": "RUS"}),
    "votes_by_rus": ("votes", {"voter": "RUS"}),
}


def canon(value: Any, key: str = "", unordered: frozenset[str] | set[str] = frozenset(UNORDERED)) -> Any:
    """Rows in a form whose equality means 'same answer'."""
    if isinstance(value, dict):
        return {k: canon(v, k, unordered) for k, v in sorted(value.items()) if k not in VOLATILE}
    if isinstance(value, list):
        items = [canon(v, "", unordered) for v in value]
        if key in unordered or all(not isinstance(v, dict | list) for v in items):
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return items
    return value


def run_case(driver: Driver, settings: Settings, name: str, params: dict[str, str]) -> list[Row]:
    query = Registry.load().get(name)
    return run_sync(driver, query, bind_text(query, params), database=settings.neo4j_database, timeout=30)


def test_every_canned_query_has_a_golden_case() -> None:
    covered = {name for name, _ in CASES.values()}
    missing = sorted(q.name for q in Registry.load() if q.name not in covered)
    assert not missing, f"canned queries without a golden case: {missing}"


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden(case: str, curated_graph: LoadResult, neo4j_driver: Driver, neo4j_settings: Settings) -> None:
    name, params = CASES[case]
    unordered = UNORDERED | UNORDERED_BY_QUERY.get(name, set())
    rows = canon(run_case(neo4j_driver, neo4j_settings, name, params), "", unordered)
    path = GOLDEN_DIR / f"{case}.json"
    if UPDATE:
        GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
        document = {"query": name, "params": params, "rows": rows}
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with RDKG_UPDATE_GOLDEN=1 and review it"
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert expected["query"] == name and expected["params"] == params, f"{path.name} was made for another case"
    assert rows == expected["rows"], f"{case}: rows differ from {path.name} (RDKG_UPDATE_GOLDEN=1 to regenerate)"


# ---- what the golden files must say, checked independently of them ---------------------------------------------


def _flows(driver: Driver, settings: Settings, **params: str) -> dict[str, Row]:
    public = {"from_state": "from", "to_state": "to"}  # the catalogue's names (`from` is a Python keyword)
    rows = run_case(driver, settings, "flows", {"limit": "200", **{public.get(k, k): v for k, v in params.items()}})
    return {item["id"]: item for item in rows[0]["items"]}


def _has(item: Row, unit: str, **expected: Any) -> bool:
    return any(e["unit"] == unit and all(e.get(k) == v for k, v in expected.items()) for e in item["estimates"])


def test_headline_flows_carry_the_msmt_figures_and_their_claims(
    curated_graph: LoadResult, neo4j_driver: Driver, neo4j_settings: Settings
) -> None:
    items = _flows(neo4j_driver, neo4j_settings, from_state="PRK", to_state="RUS", since="2023-01-01")
    containers = items["transfer-prk-rus-munitions-containers"]
    assert _has(containers, "container", min=20000, qualifier="more_than"), containers["quantities"]
    missiles = items["transfer-prk-rus-ballistic-missiles"]
    assert _has(missiles, "missile", min=100, qualifier="at_least"), missiles["quantities"]
    rounds = items["transfer-prk-rus-artillery-ammunition"]  # formerly transfer-prk-rus-artillery-rounds-2024
    assert any(e["unit"] == "round" and 9_000_000 in (e["min"], e["max"]) for e in rounds["estimates"]), rounds
    for item in (containers, missiles, rounds):
        assert item["claims"], item["id"]
        for claim in item["claims"]:
            assert claim["quote"] and claim["source"]["id"] and claim["stance"] and claim["confidence"], claim
    assert all(i["from"]["id"] == "PRK" and i["to"]["id"] == "RUS" for i in items.values())


def test_period_filter_is_an_overlap_with_open_ends(
    curated_graph: LoadResult, neo4j_driver: Driver, neo4j_settings: Settings
) -> None:
    before = _flows(neo4j_driver, neo4j_settings, from_state="PRK", to_state="RUS", until="2022")
    after = _flows(neo4j_driver, neo4j_settings, from_state="PRK", to_state="RUS", since="2030")
    for item in before.values():
        assert item["startDate"] is None or item["startDate"] <= "2022-12-31", item["id"]
    for item in after.values():
        assert item["endDate"] is None, f"{item['id']} ended before 2030 but was returned"
    assert "transfer-prk-rus-munitions-containers" in after, "an open-ended transfer overlaps any later period"


def test_both_directions_returns_the_reverse_flow_too(
    curated_graph: LoadResult, neo4j_driver: Driver, neo4j_settings: Settings
) -> None:
    one_way = _flows(neo4j_driver, neo4j_settings, from_state="RUS", to_state="PRK")
    both = _flows(neo4j_driver, neo4j_settings, from_state="RUS", to_state="PRK", both_directions="true")
    assert set(one_way) < set(both)
    assert {(i["from"]["id"], i["to"]["id"]) for i in both.values()} == {("RUS", "PRK"), ("PRK", "RUS")}


# ---- the same queries through `rdkg query` ----------------------------------------------------------------------


@pytest.fixture()
def cli_env(neo4j_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    user, password = auth(neo4j_settings)
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.bolt_uri)
    monkeypatch.setenv("NEO4J_USER", user)
    monkeypatch.setenv("NEO4J_PASSWORD", password)
    monkeypatch.setenv("NEO4J_DATABASE", neo4j_settings.neo4j_database)


def _cli() -> typer.Typer:
    app = typer.Typer()
    queries_cli.register(app)
    return app


def test_cli_json_equals_the_golden_rows(curated_graph: LoadResult, cli_env: None) -> None:
    result = CliRunner().invoke(_cli(), ["query", "resolve_state", "--param", "term=DPRK", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads((GOLDEN_DIR / "resolve_state_dprk.json").read_text())["rows"]


def test_cli_table_and_errors(curated_graph: LoadResult, cli_env: None) -> None:
    runner = CliRunner()
    table = runner.invoke(_cli(), ["query", "entity_search", "-p", "q=shulyka"], env={"COLUMNS": "200"})  # no wrap
    assert table.exit_code == 0 and "total: 1" in table.stdout and "vitaly-shulika" in table.stdout, table.output
    bad = runner.invoke(_cli(), ["query", "flows", "-p", "since=soon"])  # bad input: exit 2, as for every command
    assert bad.exit_code == 2 and "since: expected date" in bad.output, bad.output
    unknown = runner.invoke(_cli(), ["query", "nope"])
    assert unknown.exit_code == 2 and "no canned query named 'nope'" in unknown.output
    listing = runner.invoke(_cli(), ["queries", "--json"])
    assert {q["name"] for q in json.loads(listing.stdout)} >= {"flows", "shortest_paths"}
