"""``GET /releases``, ``GET /changes`` and the release every answer says it comes from (issue 15).

The curated graph (all of ``data/``) is loaded; the API reads its releases from a temporary directory holding two
fixture releases (``tests/fixtures/releases``), so the expected answers do not move when a real release is
published. The committed releases are checked in ``tests/unit/loaders/test_releases.py`` and at the end here.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from api.app import create_app
from api.releases import RECHECK_SECONDS
from graph.settings import Settings
from loaders import release as releases
from loaders.coverage import fact_base_rows
from loaders.loadstate import InputFile, input_fingerprint
from loaders.pipeline import load
from loaders.result import LoadResult
from tests.integration.api.test_api import api_settings, get, wait_ready
from tests.unit.loaders.test_releases import EXPECTED_ITEMS, FIXTURES

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / "data"


def data_fingerprint() -> str:
    """The input fingerprint of data/ as the loader records it (the files `rdkg load data/` reads)."""
    files = releases._data_files(DATA)  # the same file list publish() archives
    return input_fingerprint([InputFile(p.name, hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_size)
                              for _, p in files])


@pytest.fixture(scope="module")
def api_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory for the API: data/'s Turtle (for /export) and two fixture releases."""
    root = tmp_path_factory.mktemp("api-data")
    for path in DATA.glob("*.ttl"):
        shutil.copy(path, root / path.name)
    releases.publish("2001.01", "2001-01-15", "fixture v1", FIXTURES / "v1", root=root / "releases",
                     fact_bases=[FIXTURES / "fact-base-fixture.md"])
    releases.publish("2001.02", "2001-02-15", "fixture v2", FIXTURES / "v2", root=root / "releases")
    return root


@pytest.fixture(scope="module")
def client(curated_graph: LoadResult, neo4j_settings: Settings, api_data: Path) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings(neo4j_settings, data_dir=api_data))) as test_client:
        wait_ready(test_client)
        yield test_client


def test_releases_lists_versions_dates_coverage_counts(client: TestClient) -> None:
    body = get(client, "/releases")
    assert [(r["version"], r["date"], r["title"], r["previous"]) for r in body["items"]] == [
        ("2001.01", "2001-01-15", "fixture v1", None), ("2001.02", "2001-02-15", "fixture v2", "2001.01")]
    first, second = body["items"]
    assert first["coverage"] == ["fact-base-fixture.md X1–X4"] and second["coverage"] == []
    assert first["counts"]["claims"] == 4 and first["counts"]["flows"] == 4 and first["counts"]["estimates"] == 0
    assert second["counts"] | {"triples": 0} == {"triples": 0, "claims": 7, "superseded_claims": 1,
                                                 "retracted_claims": 1, "flows": 3, "estimates": 6, "sources": 3}
    assert second["changes"] == {"claim_added": 4, "claim_superseded": 1, "claim_retracted": 1, "claim_removed": 1,
                                 "flow_created": 1, "flow_changed": 2, "flow_removed": 1}
    assert body["graph_release"] == "2001.02+"  # the graph holds data/, which is neither fixture release


def test_changes_since_a_release_is_its_successors_changelog(client: TestClient) -> None:
    body = get(client, "/changes?since=2001.01&limit=100")
    assert body["releases"] == ["2001.02"] and body["since"] == "2001.01"
    assert body["total"] == len(EXPECTED_ITEMS)
    expected = [{**item, "release_date": "2001-02-15"} for item in EXPECTED_ITEMS]
    assert [{k: v for k, v in item.items()} for item in body["items"]] == expected
    assert get(client, "/changes?since=2001.02")["total"] == 0
    assert get(client, "/changes?since=2001.01%2B&limit=100")["items"] == body["items"]  # an X-Rdkg-Release value


def test_changes_since_a_date_and_everything(client: TestClient) -> None:
    assert get(client, "/changes?since=2001-02-15&limit=100")["releases"] == ["2001.02"]  # on or after the date
    assert get(client, "/changes?since=2001-02-16")["releases"] == []
    assert get(client, "/changes?since=2001-01")["releases"] == ["2001.01", "2001.02"]
    everything = get(client, "/changes?limit=100")
    assert everything["releases"] == ["2001.01", "2001.02"] and everything["total"] == 8 + len(EXPECTED_ITEMS)
    assert [i["release"] for i in everything["items"]] == ["2001.01"] * 8 + ["2001.02"] * len(EXPECTED_ITEMS)


def test_changes_kind_filter_and_pages(client: TestClient) -> None:
    changed = get(client, "/changes?since=2001.01&kind=flow_changed")
    assert [(i["id"], i["measure"]) for i in changed["items"]] == [("transfer-a", "supplied"), ("transfer-c", "killed")]
    item = changed["items"][0]
    assert (item["id"], item["old"]["min"], item["new"]["min"], item["claims"]) == ("transfer-a", 6700, 20000,
                                                                                    ["claim-x5"])
    page = get(client, "/changes?since=2001.01&limit=2&offset=1")
    assert [i["id"] for i in page["items"]] == ["claim-x6", "claim-x7"]
    assert (page["limit"], page["offset"], page["total"]) == (2, 1, len(EXPECTED_ITEMS))


def test_changes_as_csv(client: TestClient) -> None:
    r = client.get("/changes?since=2001.01&format=csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == len(EXPECTED_ITEMS)
    changed = next(row for row in rows if row["kind"] == "flow_changed")
    assert (changed["id"], changed["old_min"], changed["new_min"], changed["new_estimator"], changed["former_ids"],
            changed["old_range_max"], changed["claims"]) == ("transfer-a", "6700", "20000", "msmt", "transfer-b",
                                                             "10000", "claim-x5")
    superseded = next(row for row in rows if row["kind"] == "claim_superseded")
    assert (superseded["id"], superseded["by"], superseded["date"]) == ("claim-x1", "claim-x5", "2025-05-29")
    assert client.get("/changes?since=2001.01", headers={"Accept": "text/csv"}).text == r.text


def test_changes_bad_parameters_name_the_parameter(client: TestClient) -> None:
    body = get(client, "/changes?since=1999.12", 422)
    assert body["detail"].startswith("since") and "2001.01, 2001.02" in body["detail"]
    assert get(client, "/changes?since=yesterday", 422)["detail"].startswith("since")
    assert get(client, "/changes?kind=flow_deleted", 422)["error"] == "invalid_parameter"
    assert get(client, "/changes?limit=0", 422)["detail"].startswith("limit")


def test_every_answer_says_which_release(client: TestClient) -> None:
    for url, status in (("/sources/source-s01", 200), ("/releases", 200), ("/health", 200), ("/ready", 200),
                        ("/entities/nobody-at-all", 404), ("/changes?since=x", 422), ("/dashboard", 200)):
        r = client.get(url)
        assert r.status_code == status, url
        assert r.headers["x-rdkg-release"] == "2001.02+", url
    etag = client.get("/sources/source-s01").headers["etag"]
    r = client.get("/sources/source-s01", headers={"If-None-Match": etag})
    assert r.status_code == 304 and r.headers["x-rdkg-release"] == "2001.02+"


def test_health_names_the_release_and_the_data(client: TestClient) -> None:
    body = get(client, "/health")
    assert body["status"] == "ok" and body["release"] == "2001.02+"
    assert body["data_fingerprint"] == data_fingerprint()


def test_publishing_the_graphs_data_makes_it_that_release(client: TestClient, api_data: Path) -> None:
    """A release whose data files are the graph's (same input fingerprint) is what the graph holds — at once,
    without a reload: the catalogue is read again when a manifest changes."""
    target = api_data / "releases" / "2001.03"
    target.mkdir()
    manifest = json.loads((api_data / "releases" / "2001.02" / "manifest.json").read_text(encoding="utf-8"))
    manifest.update(version="2001.03", date="2001-03-15", title="data/ as published", previous="2001.02",
                    input_fingerprint=data_fingerprint())
    (target / "changelog.json").write_text(json.dumps({"from": "2001.02", "to": "2001.03", "counts": {},
                                                       "items": []}), encoding="utf-8")
    (target / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    try:
        assert header_becomes(client, "2001.03"), "the catalogue is read again within RECHECK_SECONDS"
        assert get(client, "/health")["release"] == "2001.03"
        assert get(client, "/releases")["graph_release"] == "2001.03"
    finally:
        shutil.rmtree(target)
    assert header_becomes(client, "2001.02+")


def header_becomes(client: TestClient, label: str, within: float = 2 + RECHECK_SECONDS) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if client.get("/health").headers["x-rdkg-release"] == label:
            return True
        time.sleep(0.1)
    return False


def test_the_committed_releases_answer(curated_graph: LoadResult, neo4j_settings: Settings) -> None:
    """With data/releases: the first release is the May-2025 knowledge base, and every release's changes are
    listed after the release before it."""
    with TestClient(create_app(api_settings(neo4j_settings))) as client:
        body = get(client, "/releases")
        versions = [r["version"] for r in body["items"]]
        assert versions[0] == "2026.11" and body["items"][0]["coverage"] == ["fact-base.md A1–I9"]
        assert body["items"][0]["counts"]["claims"] == 195
        assert body["graph_release"] in (*versions, f"{versions[-1]}+")
        assert client.get("/health").headers["x-rdkg-release"] == body["graph_release"]
        first = get(client, "/changes?since=2026.11&limit=1")
        assert first["releases"] == versions[1:]


def test_a_loaded_release_is_named_exactly(loader_db: Driver, neo4j_settings: Settings) -> None:
    """Load release 2026.11 from its archive (the May-2025 knowledge base, the old model, with today's loader): the
    loader records it by its files' hashes, and every answer names it. ``loader_db`` loads data/ back afterwards.

    Without SHACL: the old model's data break today's shapes (the flows-and-estimates overlap check, 26
    violations) — they conformed to the shapes archived with the release (docs/releases.md, "Known limits")."""
    published = releases.get_release("2026.11", DATA / "releases")
    with releases.extracted(published) as root:
        load(loader_db, neo4j_settings.neo4j_database, [root / "data"], validate_first=False)
    record = loader_db.execute_query(
        "MATCH (m:RdkgLoadState {key: 'state'}) RETURN m.release AS release, m.inputFingerprint AS fingerprint",
        database_=neo4j_settings.neo4j_database).records[0]
    assert (record["release"], record["fingerprint"]) == ("2026.11", published.input_fingerprint)
    with TestClient(create_app(api_settings(neo4j_settings))) as client:
        assert get(client, "/health")["release"] == "2026.11"
        assert get(client, "/releases")["graph_release"] == "2026.11"
        r = client.get("/sources/source-s01")
        assert r.status_code == 200 and r.headers["x-rdkg-release"] == "2026.11"
        assert get(client, "/sources/source-s201", 404)["error"] == "not_found"  # a 2025–2026 source: not in it


def _all_changes(client: TestClient, url: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = get(client, f"{url}&limit=200&offset={len(items)}")
        items += page["items"]
        if len(items) >= page["total"]:
            return items


def test_changes_since_the_may_2025_release(curated_graph: LoadResult, neo4j_settings: Settings) -> None:
    """Release 2026.12 (both fact bases, main at 1c287d5) against 2026.11 (the May-2025 knowledge base): every
    2025–2026 row's claim is added, no claim is removed, the re-model's and the 2025–2026 flows are created, two
    claims are superseded, and the latest figures that moved are listed old → new with the claims behind them —
    checked by hand against the two releases' files and the fact bases (rows L2, L8, K7, K19, K20, H6)."""
    with TestClient(create_app(api_settings(neo4j_settings))) as client:
        release = next(r for r in get(client, "/releases")["items"] if r["version"] == "2026.12")
        assert release["coverage"] == ["fact-base.md A1–I9", "fact-base-2025-2026.md J1–N11"]
        assert release["previous"] == "2026.11" and release["counts"]["claims"] == 195 + 141
        changes = _all_changes(client, "/changes?since=2026.11")
        assert {c["release"] for c in changes} == {"2026.12"}
        added = {c["id"] for c in changes if c["kind"] == "claim_added"}
        new_rows = {r.claim_id for r in fact_base_rows() if r.fact_base == "fact-base-2025-2026.md"}
        assert len(added) == 141 and len(new_rows) == 79 and new_rows <= added
        assert not [c for c in changes if c["kind"] in ("claim_removed", "flow_removed")], "nothing deleted"
        assert sorted(c["id"] for c in changes if c["kind"] == "flow_created") == [
            "deployment-prk-rus-military-construction-workers-2025", "deployment-prk-rus-military-engineers-2025",
            "deployment-prk-rus-third-deployment-2025", "deployment-prk-rus-troops-2024",
            "deployment-prk-rus-troops-2025", "deployment-prk-rus-workers",
            "deployment-prk-rus-workers-military-production", "transfer-prk-rus-ballistic-missile-launchers",
            "transfer-prk-rus-kn-23-missiles"]
        # the NIS raised its death toll (K7 replaces K1); L3's second wording is replaced by L3 itself
        assert sorted(c["id"] for c in changes if c["kind"] == "claim_superseded") == ["claim-k1", "claim-l3-2"]
        changed = {(c["id"], c["unit"], c["measure"]): c for c in changes if c["kind"] == "flow_changed"}
        assert sorted(changed) == [
            ("deployment-prk-rus-troops", "person", "casualties"), ("deployment-prk-rus-troops", "person", "deployed"),
            ("deployment-prk-rus-troops", "person", "killed"), ("deployment-prk-rus-troops", "person", "returned"),
            ("transfer-prk-rus-artillery-ammunition", "shell", "supplied"),
            ("transfer-prk-rus-heavy-artillery", "system", "supplied"),
            ("transfer-prk-rus-multiple-rocket-launchers", "launcher", "supplied"),
            ("transfer-prk-rus-munitions-containers", "container", "supplied"),
            ("transfer-prk-rus-self-propelled-artillery", "piece", "supplied")]

        def old_new(key: tuple[str, str, str]) -> tuple[object, ...]:
            c = changed[key]
            old = c["old"] or {}  # None: the flow had no figure of this unit and measure before
            return (old.get("qualifier"), old.get("min"), c["new"]["qualifier"], c["new"]["min"],
                    c["new"]["estimator"], c["claims"])

        # containers: the MSMT's "more than 20,000" (May 2025) → the ROK DIA's "about 28,000" (July 2025)
        assert old_new(("transfer-prk-rus-munitions-containers", "container", "supplied")) == (
            "more_than", 20000, "approximately", 28000, "defense-intelligence-agency-kor", ["claim-l8"])
        # shells: C4ADS's ~1.6 million → the ROK DIA's "more than 12 million"
        assert old_new(("transfer-prk-rus-artillery-ammunition", "shell", "supplied")) == (
            "approximately", 1600000, "more_than", 12000000, "defense-intelligence-agency-kor", ["claim-l8-2"])
        # Koksan guns: the FT's ~50 → Ukraine's HUR: 120
        assert old_new(("transfer-prk-rus-self-propelled-artillery", "piece", "supplied")) == (
            "approximately", 50, "exact", 120, "defence-intelligence-ukr", ["claim-l2"])
        # heavy artillery: ROK MND "about 200" (the old data had it exact)
        assert old_new(("transfer-prk-rus-heavy-artillery", "system", "supplied"))[:4] == (
            "exact", 200, "approximately", 200)
        # casualties are their own measures, never mixed with deployed: the deployed figure stays a deployed one
        assert old_new(("deployment-prk-rus-troops", "person", "killed"))[:4] == (None, None, "approximately", 2000)
