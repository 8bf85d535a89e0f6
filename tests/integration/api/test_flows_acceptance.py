"""Acceptance (issue 14): the flows API's answers on the curated data, each computed by hand from the fact base.

Every figure here comes from a fact-base row (`../shared/sources/fact-base.md`, cited per test) and the ids from
docs/flows-and-estimates.md. Each answer is a latest estimate plus the range across the current estimates, with
who made them — never a sum of alternative estimates of one flow.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings
from graph.settings import Settings
from loaders.result import LoadResult

CONTAINERS = "transfer-prk-rus-munitions-containers"
MISSILES = "transfer-prk-rus-ballistic-missiles"
TROOPS_2024 = "deployment-prk-rus-troops-2024"
TROOPS_2025 = "deployment-prk-rus-troops-2025"
OIL = "transfer-rus-prk-refined-petroleum"


@pytest.fixture(scope="module")
def client(curated_graph: LoadResult, neo4j_settings: Settings) -> Iterator[TestClient]:
    # a generous query timeout: the first request plans the flows query, which takes seconds on a loaded machine
    settings = ApiSettings(**{**neo4j_settings.model_dump(), "query_timeout": 60.0})
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def get(client: TestClient, url: str) -> dict:
    r = client.get(url)
    assert r.status_code == 200, f"{url}: {r.status_code} {r.text[:300]}"
    return r.json()  # type: ignore[no-any-return]


def headline(client: TestClient, query: str = "from=PRK&to=RUS&since=2023-01-01") -> dict[str, dict]:
    return {i["id"]: i for i in get(client, f"/flows?{query}&limit=200")["items"]}


def quantity(flow: dict, unit: str, measure: str, scope: str = "cumulative") -> dict:
    (q,) = [q for q in flow["quantities"] if (q["unit"], q["measure"], q["scope"]) == (unit, measure, scope)]
    return q


def figure(q: dict) -> tuple:
    return (q["min"], q["max"], q["qualifier"], q["latest"]["as_of"], [e["id"] for e in q["latest"]["estimators"]])


def ends(q: dict) -> tuple:
    low, high = q["range"]["low"], q["range"]["high"]
    return (low["value"], low["qualifier"]), (high["value"], high["qualifier"])


def test_munitions_containers_since_2023_latest_and_range_never_a_sum(client: TestClient) -> None:
    # fact-base.md B1/B2 (MSMT, 29 May 2025): "more than 20,000 containers" since Sept 2023; G1 (White House,
    # 13 Oct 2023): "more than 1,000" — the lowest. The seven container estimates of the May-2025 fact base add up
    # to 71,700; no source says more than 20,000. fact-base-2025-2026.md L8 (ROK DIA, July 2025): "an estimated
    # 28,000" — once that file's estimates are loaded, the latest.
    containers = headline(client)[CONTAINERS]
    q = quantity(containers, "container", "supplied")
    msmt = next(e for e in containers["estimates"] if e["id"] == f"{CONTAINERS}-est-msmt-2025-05")
    assert (msmt["min"], msmt["max"], msmt["qualifier"], msmt["as_of"], msmt["current"]) == (
        20000, None, "more_than", "2025-05-29", True)
    if f"{CONTAINERS}-est-defense-intelligence-agency-kor-2025-07" in q["estimates"]:
        latest, high = (28000, 28000, "approximately", "2025-07", ["defense-intelligence-agency-kor"]), (
            28000, "approximately")
    else:
        latest, high = (20000, None, "more_than", "2025-05-29", ["msmt"]), (20000, "more_than")
    assert figure(q) == latest
    assert ends(q) == ((1000, "more_than"), high)
    assert q["range"]["low"]["estimate"] == f"{CONTAINERS}-est-white-house-2023-10"
    assert {"msmt", "white-house", "ministry-of-national-defense-kor", "defense-intelligence-agency-kor",
            "us-department-of-state"} <= {e["id"] for e in q["estimators"]}
    assert q["estimate_count"] >= 7
    summary = get(client, "/flows/summary?from=PRK&to=RUS")["items"]
    row = next(r for r in summary if r["category"] == "munitions" and r["unit"] == "container")
    assert (row["method"], row["min"], row["max"], row["flows"]) == (
        "single_flow_latest", latest[0], latest[1], [CONTAINERS])
    # the old per-estimate transfers answer the flow they became
    old = get(client, "/flows/transfer-prk-rus-containers-white-house-2023-10")
    assert old["id"] == CONTAINERS and old["resolved_from"] == "transfer-prk-rus-containers-white-house-2023-10"


def test_ballistic_missiles_supplied_at_least_100_and_the_24_fired_apart(client: TestClient) -> None:
    # B8 (MSMT): "at least 100 ballistic missiles" (another outlet: "more than 100"); H3 (Ukraine DIU, 25 Nov 2024):
    # "about 100"; H2: "at least 24" launched at Ukraine — missiles fired, not a count supplied.
    missiles = headline(client)[MISSILES]
    supplied = quantity(missiles, "missile", "supplied")
    assert figure(supplied) == (100, None, "at_least", "2025-05-29", ["msmt"])
    assert supplied["latest"]["tied_with"] == [f"{MISSILES}-est-msmt-2025-05-2"]  # the same figure, reworded
    assert ends(supplied) == ((100, "approximately"), (100, "more_than"))  # about 100 … more than 100, not 24–100
    assert {e["id"] for e in supplied["estimators"]} == {"msmt", "defence-intelligence-ukr"}
    fired = quantity(missiles, "missile", "fired")
    assert figure(fired) == (24, None, "at_least", "2024-02-16", ["prosecutor-general-ukr"])
    summary = get(client, "/flows/summary?from=PRK&to=RUS")["items"]
    row = next(r for r in summary if r["category"] == "ballistic-missiles" and r["measure"] == "supplied")
    assert (row["min"], row["qualifier"], row["flows"]) == (100, "at_least", [MISSILES])
    # the row sits under the flow's start year, but its figure is the MSMT's running total of May 2025 — and says so
    assert (row["year"], row["as_of_from"], row["as_of_to"]) == (2023, "2025-05-29", "2025-05-29")


def test_troops_deployed_in_2024_and_in_2025(client: TestClient) -> None:
    # 2024: F15 (ROK military, 17 Jun 2025): "some 11,000" — the latest; B15 (MSMT): "over 11,000"; US/ROK/Ukraine
    # intelligence (Apr 2025): 10,000–12,000; Pentagon (28 Oct 2024): about 10,000. Kursk snapshots (F4, F5) and
    # the first group of 1,500 (NIS) answer other questions and stay apart.
    flows = headline(client, "from=PRK&to=RUS&since=2024-01-01")
    troops_2024 = quantity(flows[TROOPS_2024], "person", "deployed")
    assert figure(troops_2024) == (11000, 11000, "approximately", "2025-06-17", ["KOR"])
    assert ends(troops_2024) == ((10000, "approximately"), (12000, "approximately"))
    assert {"KOR", "msmt", "us-department-of-defense"} <= {e["id"] for e in troops_2024["estimators"]}
    snapshot = quantity(flows[TROOPS_2024], "person", "deployed", "snapshot")
    assert ends(snapshot) == ((8000, "approximately"), (10000, "up_to"))
    first = quantity(flows[TROOPS_2024], "person", "deployed", "consignment")
    assert (first["min"], first["qualifier"]) == (1500, "more_than")
    # 2025: F15 "3,000 more" (17 Jun 2025) and B15 (MSMT) "another 3,000"
    troops_2025 = quantity(flows[TROOPS_2025], "person", "deployed")
    assert figure(troops_2025) == (3000, 3000, "approximately", "2025-06-17", ["KOR"])
    assert ends(troops_2025) == ((3000, "approximately"), (3000, "approximately"))
    assert {e["id"] for e in troops_2025["estimators"]} == {"KOR", "msmt"}
    assert [w["id"] for w in flows[TROOPS_2025]["part_of"]] == ["deployment-prk-rus-troops"]


def test_refined_petroleum_to_the_dprk_in_2024(client: TestClient) -> None:
    # B24 (MSMT): "over 1 million barrels" March–October 2024 — the latest; G22 (OSC/BBC, Nov 2024): likely more
    # than 1 million; G24 (US official, 2 May 2024): more than 165,000 in March alone — the total by the end of
    # March of a flow that began then, never added to the others (not 1,165,000, not 2 million).
    oil = headline(client, "from=RUS&to=PRK&since=2024-01-01&until=2024-12-31")[OIL]
    q = quantity(oil, "barrel", "supplied")
    assert figure(q) == (1000000, None, "more_than", "2025-05-29", ["msmt"])
    assert ends(q) == ((165000, "more_than"), (1000000, "more_than"))
    assert {e["id"] for e in q["estimators"]} >= {"msmt", "open-source-centre", "USA"}
    summary = get(client, "/flows/summary?from=RUS&to=PRK&since=2024&until=2024")["items"]
    row = next(r for r in summary if r["category"] == "refined-petroleum" and r["unit"] == "barrel")
    assert (row["method"], row["min"], row["max"], row["qualifier"]) == ("single_flow_latest", 1000000, None,
                                                                         "more_than")


def test_no_headline_figure_is_a_sum_of_alternatives(client: TestClient) -> None:
    """Every quantity's latest figure is one of its flow's estimates, and both ends of every range are too."""
    for flow in get(client, "/flows?limit=200")["items"]:
        estimates = {e["id"]: e for e in flow["estimates"]}
        for q in flow["quantities"]:
            if q["latest"] is None:  # every estimate of this group superseded or retracted: no figure, no range
                assert q["estimate_count"] == 0 and q["range"] == {"low": None, "high": None} and q["not_current"]
                assert q["min"] is None and all(not estimates[i]["current"] for i in q["not_current"])
                continue
            latest = estimates[q["latest"]["estimate"]]
            assert (q["min"], q["max"], q["qualifier"]) == (latest["min"], latest["max"], latest["qualifier"])
            for end in (q["range"]["low"], q["range"]["high"]):
                e = estimates[end["estimate"]]
                assert end["value"] in (e["min"], e["max"]) and end["qualifier"] == e["qualifier"], flow["id"]
