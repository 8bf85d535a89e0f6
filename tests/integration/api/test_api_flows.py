"""The flows API on a fixture of flows with several estimates each (tests/fixtures/flows/estimates.ttl), through HTTP.

Every expected figure below is computed by hand from the fixture: latest estimate, range across current estimates,
totals of distinct flows — and never a sum of alternative estimates of one flow. The curated data's answers are
tested in test_api.py (acceptance figures from the fact base).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from api.app import create_app
from api.settings import ApiSettings
from graph.settings import Settings
from loaders.pipeline import load

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "flows"
SHELLS = "fx-flow-shells"


@pytest.fixture(scope="module")
def client(loader_db: Driver, neo4j_settings: Settings) -> Iterator[TestClient]:
    load(loader_db, neo4j_settings.neo4j_database, [FIXTURE])
    # a generous query timeout: the first request plans the flows query, which takes seconds on a loaded machine
    settings = ApiSettings(**{**neo4j_settings.model_dump(), "query_timeout": 60.0})
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def get(client: TestClient, url: str, status: int = 200) -> dict:
    r = client.get(url)
    assert r.status_code == status, f"{url}: {r.status_code} {r.text[:500]}"
    return r.json()  # type: ignore[no-any-return]


def flows(client: TestClient, query: str) -> dict[str, dict]:
    return {item["id"]: item for item in get(client, f"/flows?{query}&limit=200")["items"]}


def quantity(flow: dict, unit: str, measure: str, scope: str = "cumulative") -> dict:
    (q,) = [q for q in flow["quantities"] if (q["unit"], q["measure"], q["scope"]) == (unit, measure, scope)]
    return q


def test_one_item_per_flow_with_latest_and_range_never_a_sum(client: TestClient) -> None:
    items = flows(client, "from=PRK&to=RUS")
    assert set(items) == {SHELLS, "fx-flow-missiles", "fx-flow-missiles-b", "fx-flow-troops",
                          "fx-flow-troops-kursk"}
    containers = quantity(items[SHELLS], "container", "supplied")
    # latest current estimate: the coalition's "more than 20,000" (2025-05-29); the retracted 30,000 of
    # 2025-06-01 is later but not current
    assert {k: containers[k] for k in ("min", "max", "qualifier", "unit")} == {
        "min": 20000, "max": None, "qualifier": "more_than", "unit": "container"}
    assert containers["latest"]["estimate"] == "fx-shells-est-coalition-2025-05"
    assert containers["latest"]["as_of"] == "2025-05-29"
    assert containers["latest"]["estimators"] == [{"id": "fx-coalition", "name": "Fixture Coalition"}]
    # range: more than 1,000 (Oct 2023) … more than 20,000 — not 1,000 + 12,000 + 20,000 = 33,000
    assert containers["range"] == {
        "low": {"value": 1000, "qualifier": "more_than", "estimate": "fx-shells-est-agency-2023-10"},
        "high": {"value": 20000, "qualifier": "more_than", "estimate": "fx-shells-est-coalition-2025-05"}}
    assert [e["id"] for e in containers["estimators"]] == ["fx-agency", "fx-coalition", "fx-ministry"]
    assert containers["estimate_count"] == 3
    assert containers["not_current"] == ["fx-shells-est-ministry-2025-06"]
    rounds = quantity(items[SHELLS], "round", "supplied")
    assert (rounds["min"], rounds["qualifier"]) == (9000000, "approximately")
    assert [e["id"] for e in rounds["estimators"]] == ["fx-coalition", "fx-ministry"]  # a joint estimate


def test_missiles_fired_are_never_counted_as_supplied(client: TestClient) -> None:
    missiles = flows(client, "from=PRK&to=RUS")["fx-flow-missiles"]
    supplied = quantity(missiles, "missile", "supplied")
    assert (supplied["min"], supplied["qualifier"], supplied["latest"]["as_of"]) == (100, "at_least", "2025-05-29")
    # "about 100" and "at least 100": the range is about 100 … at least 100, never 24–100
    assert supplied["range"] == {
        "low": {"value": 100, "qualifier": "approximately", "estimate": "fx-missiles-est-agency"},
        "high": {"value": 100, "qualifier": "at_least", "estimate": "fx-missiles-est-coalition"}}
    fired = quantity(missiles, "missile", "fired")
    assert (fired["min"], fired["qualifier"], fired["estimate_count"]) == (24, "at_least", 1)


def test_a_period_from_the_flows_start_is_a_running_total_a_later_one_stays_apart(client: TestClient) -> None:
    oil = flows(client, "from=RUS&to=PRK")["fx-flow-oil"]
    running = quantity(oil, "barrel", "supplied")
    # "in March 2024 alone" and "March-October 2024" of a flow that began in March 2024 are totals by their ends:
    # latest more than 1,000,000 (2025-05-29), range more than 165,000 ... more than 1,000,000 — never 1,165,000
    assert (running["min"], running["qualifier"], running["latest"]["as_of"]) == (1000000, "more_than", "2025-05-29")
    assert running["range"] == {
        "low": {"value": 165000, "qualifier": "more_than", "estimate": "fx-oil-est-march"},
        "high": {"value": 1000000, "qualifier": "more_than", "estimate": "fx-oil-est-coalition"}}
    later = quantity(oil, "barrel", "supplied", "period")
    assert later["window"] == {"start": "2025-01", "end": "2025-06"} and later["min"] == 300000


def test_the_flow_lists_every_estimate_with_its_claims_and_notes(client: TestClient) -> None:
    shells = flows(client, "from=PRK&to=RUS")[SHELLS]
    assert [e["id"] for e in shells["estimates"]] == [
        "fx-shells-est-agency-2023-10", "fx-shells-est-ministry-2024-08", "fx-shells-est-coalition-2025-05",
        "fx-shells-est-coalition-2025-05-round", "fx-shells-est-ministry-2025-06"]
    month = shells["estimates"][1]
    assert month == {"id": "fx-shells-est-ministry-2024-08", "min": 12000, "max": 12000,
                     "qualifier": "approximately", "unit": "container", "measure": "supplied",
                     "scope": "cumulative", "as_of": "2024-08", "start": None, "end": None,
                     "estimators": [{"id": "fx-ministry", "name": "Fixture Ministry"}], "claims": ["claim-fx-2"],
                     "note": "fixture: a month-precision estimate", "current": True}
    assert shells["estimates"][-1]["current"] is False
    assert [c["id"] for c in shells["claims"]] == ["claim-fx-1", "claim-fx-2", "claim-fx-3", "claim-fx-4"]
    assert shells["claim_count"] == 4
    assert shells["note"] == "fixture: the estimates grow over time; they are never added"
    assert shells["period"] == {"start": "2023-08", "end": None, "precision": "month", "one_off": False,
                                "ongoing": False} and shells["ongoing"] is False
    assert shells["former_ids"] == ["fx-old-shells-a", "fx-old-shells-b"]
    kursk = flows(client, "from=PRK&to=RUS")["fx-flow-troops-kursk"]
    assert kursk["part_of"] == [{"id": "fx-flow-troops", "name": "fx-flow-troops"}]
    b = flows(client, "from=PRK&to=RUS")["fx-flow-missiles-b"]
    assert [r["id"] for r in b["distinct_from"]] == ["fx-flow-missiles"] and b["distinction"]


def test_an_estimates_as_of_never_extends_its_flow(client: TestClient) -> None:
    # fx-flow-missiles-b ended in January 2024; its estimate as of February 2024 does not keep it in later periods
    assert "fx-flow-missiles-b" in flows(client, "from=PRK&to=RUS&since=2024-01")
    assert "fx-flow-missiles-b" not in flows(client, "from=PRK&to=RUS&since=2024-02")


def test_get_flow_by_id_and_by_former_id(client: TestClient) -> None:
    flow = get(client, f"/flows/{SHELLS}")
    assert flow["id"] == SHELLS and flow["resolved_from"] is None and len(flow["estimates"]) == 5
    old = get(client, "/flows/fx-old-shells-b")
    assert old["id"] == SHELLS and old["resolved_from"] == "fx-old-shells-b"
    assert {k: v for k, v in old.items() if k != "resolved_from"} == {
        k: v for k, v in flow.items() if k != "resolved_from"}
    assert get(client, "/flows/no-such-flow", 404)["error"]
    assert get(client, "/flows/PRK", 404)["detail"] == "no flow with id 'PRK'"  # a node, but not a flow


def test_entities_resolve_former_ids_too(client: TestClient) -> None:
    profile = get(client, "/entities/fx-old-shells-a")
    assert profile["id"] == SHELLS and profile["resolved_from"] == "fx-old-shells-a"
    assert get(client, f"/entities/{SHELLS}")["resolved_from"] is None
    estimate = get(client, "/entities/fx-old-rounds-q1")
    assert estimate["id"] == "fx-shells-est-coalition-2025-05-round" and "Estimate" in estimate["labels"]


def test_estimate_series_is_ordered_by_as_of_and_has_a_csv(client: TestClient) -> None:
    series = get(client, "/flows/fx-old-shells-a/estimates")
    assert series["flow"]["id"] == SHELLS and series["resolved_from"] == "fx-old-shells-a"
    assert [(r["as_of"], r["min"], r["qualifier"]) for r in series["items"]] == [
        ("2023-10-13", 1000, "more_than"), ("2024-08", 12000, "approximately"), ("2025-05-29", 20000, "more_than"),
        ("2025-05-29", 9000000, "approximately"), ("2025-06-01", 30000, "exact")]
    assert series["items"][0]["estimators"] == [{"id": "fx-agency", "name": "Fixture Agency"}]
    assert series["items"][0]["claims"] == ["claim-fx-1"] and series["items"][-1]["current"] is False
    r = client.get(f"/flows/{SHELLS}/estimates?format=csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["estimate_id"] for row in rows] == [i["estimate"] for i in series["items"]]
    assert rows[2]["min"] == "20000" and rows[2]["max"] == "" and rows[2]["estimator_ids"] == "fx-coalition"
    assert get(client, "/flows/nothing/estimates", 404)["error"]


def test_flows_csv_is_tidy_one_row_per_estimate(client: TestClient) -> None:
    r = client.get("/flows?from=RUS&to=PRK&format=csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    by_flow: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_flow.setdefault(row["id"], []).append(row)
    assert {k: len(v) for k, v in by_flow.items()} == {"fx-flow-oil": 3, "fx-flow-training": 1}
    assert by_flow["fx-flow-training"][0]["estimate_id"] == ""  # a flow without estimates still has its row
    march = next(row for row in by_flow["fx-flow-oil"] if row["estimate_id"] == "fx-oil-est-march")
    assert (march["min"], march["unit"], march["scope"], march["estimate_start"]) == (
        "165000", "barrel", "period", "2024-03")


def test_summary_adds_distinct_flows_only_and_says_how(client: TestClient) -> None:
    items = get(client, "/flows/summary?from=PRK&to=RUS")["items"]
    rows = {(i["year"], i["category"], i["unit"], i["measure"]): i for i in items}
    assert set(rows) == {(2023, "munitions", "container", "supplied"), (2023, "munitions", "round", "supplied"),
                         (2023, "ballistic-missiles", "missile", "supplied"),
                         (2023, "ballistic-missiles", "missile", "fired"), (2024, "troops", "person", "deployed")}
    containers = rows[(2023, "munitions", "container", "supplied")]
    assert {k: containers[k] for k in ("method", "min", "max", "qualifier", "flows", "estimates")} == {
        "method": "single_flow_latest", "min": 20000, "max": None, "qualifier": "more_than", "flows": [SHELLS],
        "estimates": ["fx-shells-est-coalition-2025-05"]}
    # two distinct flows: at least 100 + about 10-12 (its cumulative estimate, not its consignment) = at least 110
    missiles = rows[(2023, "ballistic-missiles", "missile", "supplied")]
    assert {k: missiles[k] for k in ("method", "min", "max", "qualifier", "flows", "estimates")} == {
        "method": "sum_of_distinct_flows_latest", "min": 110, "max": None, "qualifier": "at_least",
        "flows": ["fx-flow-missiles", "fx-flow-missiles-b"],
        "estimates": ["fx-missiles-est-coalition", "fx-missiles-b-est-total"]}
    assert rows[(2023, "ballistic-missiles", "missile", "fired")]["min"] == 24
    troops = rows[(2024, "troops", "person", "deployed")]
    assert (troops["method"], troops["min"], troops["flows"]) == ("single_flow_latest", 11000, ["fx-flow-troops"])
    assert troops["not_combined"] == [{"flow": "fx-flow-troops-kursk",
                                       "reason": "part of fx-flow-troops, which already counts it"}]


def test_summary_lists_flows_without_figures(client: TestClient) -> None:
    items = get(client, "/flows/summary?from=RUS&to=PRK")["items"]
    oil = next(i for i in items if i["category"] == "refined-petroleum")
    # the flow's running total, not the newer figure for the first half of 2025
    assert (oil["method"], oil["min"], oil["qualifier"], oil["estimates"]) == (
        "single_flow_latest", 1000000, "more_than", ["fx-oil-est-coalition"])
    training = next(i for i in items if i["category"] == "military-training")
    assert training["method"] == "no_figures" and training["unit"] is None
    assert training["not_combined"] == [{"flow": "fx-flow-training", "reason": "no estimate"}]


def test_operation_ids_read_well(client: TestClient) -> None:
    paths = get(client, "/openapi.json")["paths"]
    assert paths["/flows"]["get"]["operationId"] == "list_flows"
    assert paths["/flows/{id}"]["get"]["operationId"] == "get_flow"
    assert paths["/flows/{id}/estimates"]["get"]["operationId"] == "get_flow_estimates"
    assert paths["/flows/summary"]["get"]["operationId"] == "summarize_flows"
