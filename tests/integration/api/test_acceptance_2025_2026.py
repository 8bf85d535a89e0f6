"""Acceptance (issue 15): the 2025–2026 figures through the HTTP API on the curated data — latest + range, never a sum.

Every expected value is computed by hand from the fact bases (fact-base.md rows B/G/F/H, fact-base-2025-2026.md rows
K/L/N7) as curated in data/ (estimates: data/transfers.ttl, shipping.ttl, troops.ttl and flows-2025-2026.ttl); the
computation is in the comment above each assertion. The rules (api/combine.py): per flow and per (unit, measure,
scope) the *latest* current estimate is the one with the latest as_of; the *range* runs from the smallest lower bound
to the greatest upper bound among the current estimates (a "more than X" bound counts as X), each end keeping its
qualifier; an estimate whose claims are all superseded is not current. The 2023–mid-2025 acceptance figures are in
test_api.py / test_api_flows.py (h14api).
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
SHELLS = "transfer-prk-rus-artillery-ammunition"
TROOPS = "deployment-prk-rus-troops"
WAVE_2024 = "deployment-prk-rus-troops-2024"
WAVE_2025 = "deployment-prk-rus-troops-2025"
THIRD = "deployment-prk-rus-third-deployment-2025"
ENGINEERS = "deployment-prk-rus-military-engineers-2025"
BUILDERS = "deployment-prk-rus-military-construction-workers-2025"
MISSILES = "transfer-prk-rus-ballistic-missiles"
KN23 = "transfer-prk-rus-kn-23-missiles"


@pytest.fixture(scope="module")
def client(curated_graph: LoadResult, neo4j_settings: Settings) -> Iterator[TestClient]:
    settings = ApiSettings(**{**neo4j_settings.model_dump(), "query_timeout": 60.0})
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def flow(client: TestClient, flow_id: str) -> dict:
    r = client.get(f"/flows/{flow_id}")
    assert r.status_code == 200, f"{flow_id}: {r.status_code} {r.text[:300]}"
    return r.json()  # type: ignore[no-any-return]


def group(item: dict, unit: str, measure: str, scope: str) -> dict:
    found = [q for q in item["quantities"] if (q["unit"], q["measure"], q["scope"]) == (unit, measure, scope)]
    assert len(found) == 1, f"{item['id']}: {len(found)} groups for {unit}/{measure}/{scope}"
    return found[0]


def latest(q: dict) -> tuple:
    """(estimate id suffix after '-est-', min, max, qualifier, as_of, estimator ids)."""
    lt = q["latest"]
    return (lt["estimate"].split("-est-", 1)[1], lt["min"], lt["max"], lt["qualifier"], lt["as_of"],
            [e["id"] for e in lt["estimators"]])


def ends(q: dict) -> tuple:
    """((low value, qualifier, estimate suffix), (high value, qualifier, estimate suffix))."""
    return tuple((e["value"], e["qualifier"], e["estimate"].split("-est-", 1)[1])
                 for e in (q["range"]["low"], q["range"]["high"]))


def test_latest_container_figure_is_the_rok_dia_s_28000_with_the_range_of_all_estimators(client: TestClient) -> None:
    q = group(flow(client, CONTAINERS), "container", "supplied", "cumulative")
    # Ten current cumulative estimates (unit container, measure supplied), by as_of:
    #   White House >1,000 (2023-10-13, G1) · ROK MND ~5,000 (2023-12-29, G17) · State Dept >10,000 (2024-02, G6) ·
    #   ROK MND ~6,700 (2024-02-27, G18) · ROK DIA >13,000 (2024-08-27, G19) · KIDA 15,800 (2025-03, L4 notes) ·
    #   Ukraine ~16,000 (2025-04, G14) · UK ~20,000 (2025-05, N7) · MSMT >20,000 (2025-05-29, B1/B2) ·
    #   ROK DIA ~28,000 (2025-07, L8).
    # latest = the greatest as_of = 2025-07 → ROK DIA, approximately 28,000.
    assert latest(q) == ("defense-intelligence-agency-kor-2025-07", 28000, 28000, "approximately", "2025-07",
                         ["defense-intelligence-agency-kor"])
    # low = smallest lower bound = White House's "more than 1,000"; high = greatest upper bound = DIA's ~28,000
    # (MSMT's "more than 20,000" counts as 20,000 < 28,000).
    assert ends(q) == ((1000, "more_than", "white-house-2023-10"),
                       (28000, "approximately", "defense-intelligence-agency-kor-2025-07"))
    assert q["estimate_count"] == 10 and not q["not_current"]
    assert {e["id"] for e in q["estimators"]} == {
        "white-house", "ministry-of-national-defense-kor", "us-department-of-state", "defense-intelligence-agency-kor",
        "kida", "UKR", "GBR", "msmt"}
    # never a sum: the ten figures add up to 1,000+5,000+10,000+6,700+13,000+15,800+16,000+20,000+20,000+28,000
    # = 135,500; nothing in the answer is larger than the largest single estimate.
    assert max(v for v in (q["min"], q["max"], q["range"]["high"]["value"]) if v is not None) == 28000


def test_latest_shell_figure_is_the_rok_dia_s_12_million_and_rounds_stay_apart(client: TestClient) -> None:
    item = flow(client, SHELLS)
    shells = group(item, "shell", "supplied", "cumulative")
    # unit shell, measure supplied, counted from the flow's start (2023-08): C4ADS ~1.6 million (Aug 2023 – Jan
    # 2024, a running total from the start, as of 2024-06-23, G15) · NIS >10 million (2025-06-26, L7) · ROK DIA
    # >12 million 152-mm equivalent (2025-07, L8 notes). latest = 2025-07 → DIA "more than 12,000,000".
    assert latest(shells) == ("defense-intelligence-agency-kor-2025-07", 12_000_000, None, "more_than", "2025-07",
                              ["defense-intelligence-agency-kor"])
    # low = 1.6 million (C4ADS, approximately); high = 12 million (DIA, more than) — not 1.6 + 10 + 12 million.
    assert ends(shells) == ((1_600_000, "approximately", "c4ads-2024-06"),
                            (12_000_000, "more_than", "defense-intelligence-agency-kor-2025-07"))
    assert {e["id"] for e in shells["estimators"]} == {"c4ads", "national-intelligence-service-kor",
                                                       "defense-intelligence-agency-kor"}
    # the MSMT's 9 million *rounds* of 2024 (B4/B5/B7) are another unit and a period: their own group
    rounds = group(item, "round", "supplied", "period")
    assert rounds["window"] == {"start": "2024-01", "end": "2024-12"} and rounds["estimate_count"] == 2
    # Skibitskyi's "more than halved in 2025" (L19) and Budanov's 40% (L9) give no count: claims on the flow
    assert {"claim-l9", "claim-l19", "claim-l19-2"} <= {c["id"] for c in item["claims"]}


def test_troops_per_wave_against_casualties_each_its_own_measure(client: TestClient) -> None:
    # Wave 1 (2024): ROK military ~11,000 as of 2025-06-17 (F15) is the latest of Pentagon ~10,000 (2024-10-28),
    # US/ROK/UKR intel 10,000–12,000 (2025-04-28), MSMT >11,000 (2025-05-29) and it; range 10,000 – 12,000 (F13).
    w1 = group(flow(client, WAVE_2024), "person", "deployed", "cumulative")
    assert latest(w1)[1:5] == (11000, 11000, "approximately", "2025-06-17")
    assert (w1["range"]["low"]["value"], w1["range"]["high"]["value"]) == (10000, 12000)
    # Wave 2 (early 2025): MSMT ~3,000 (B15) and ROK military ~3,000 (F15, 2025-06-17, the later).
    w2 = group(flow(client, WAVE_2025), "person", "deployed", "cumulative")
    assert latest(w2)[1:5] == (3000, 3000, "approximately", "2025-06-17")
    # Wave 3 (2025, sappers and builders): planned 6,000 — NIS "third deployment plan of 6,000" (K8, 2025-09-02,
    # the latest) and HUR "about 6,000" (L13, 2025-08-14); pledged, never counted as deployed.
    third = flow(client, THIRD)
    assert [q["measure"] for q in third["quantities"]] == ["pledged"]
    assert latest(group(third, "person", "pledged", "cumulative"))[:5] == (
        "national-intelligence-service-kor-2025-09", 6000, 6000, "exact", "2025-09-02")
    # its parts: sappers — NIS ~1,000 arrived (K8, 2025-09-02), HUR >1,000 (K8 notes, 2025-09-07, latest);
    # builders — NIS ~5,000 (K12, 2025-11-04); each also pledged by the June 2025 decision (E24: 1,000 and 5,000).
    engineers = flow(client, ENGINEERS)
    assert latest(group(engineers, "person", "deployed", "cumulative"))[:5] == (
        "defence-intelligence-ukr-2025-09", 1000, None, "more_than", "2025-09-07")
    assert latest(group(engineers, "person", "pledged", "cumulative"))[1:3] == (1000, 1000)
    builders = flow(client, BUILDERS)
    assert latest(group(builders, "person", "deployed", "cumulative"))[1:5] == (5000, 5000, "approximately",
                                                                                 "2025-11-04")
    assert latest(group(builders, "person", "pledged", "cumulative"))[1:3] == (5000, 5000)

    # Casualties are estimates of the whole deployment, each measure its own group:
    troops = flow(client, TROOPS)
    measures = {(q["measure"], q["scope"]) for q in troops["quantities"]}
    assert measures == {("deployed", "cumulative"), ("deployed", "snapshot"), ("killed", "cumulative"),
                        ("wounded", "cumulative"), ("casualties", "cumulative"), ("returned", "period")}
    # killed: NIS ~600 (K1, 2025-04-30) is superseded by NIS ~2,000 (K7, 2025-09-02: "up from its April
    # estimate"), so the only current figure is ~2,000.
    killed = group(troops, "person", "killed", "cumulative")
    assert latest(killed)[:5] == ("national-intelligence-service-kor-2025-09", 2000, 2000, "approximately",
                                  "2025-09-02")
    assert killed["not_current"] == [f"{TROOPS}-est-national-intelligence-service-kor-2025-04-killed"]
    # casualties (killed + wounded together): UK >6,000 (K2, 2025-06-15), NIS ~6,000 (K19, 2026-02-12, latest);
    # range 6,000 – 6,000 (UK "more than 6,000" counts as 6,000).
    casualties = group(troops, "person", "casualties", "cumulative")
    assert latest(casualties)[:5] == ("national-intelligence-service-kor-2026-02-casualties", 6000, 6000,
                                      "approximately", "2026-02-12")
    assert (casualties["range"]["low"]["value"], casualties["range"]["high"]["value"]) == (6000, 6000)
    # wounded: the NIS's ~4,100 (K1) is the only figure and its claim is superseded: listed, not current.
    wounded = group(troops, "person", "wounded", "cumulative")
    assert wounded["latest"] is None and wounded["not_current"] == [
        f"{TROOPS}-est-national-intelligence-service-kor-2025-04-wounded"]
    # deployed in two deployments: NIS ~15,000 (K1) — not 11,000 + 3,000 + 6,000, and no casualty figure in it.
    deployed = group(troops, "person", "deployed", "cumulative")
    assert latest(deployed)[1:5] == (15000, 15000, "approximately", "2025-04-30")
    # in place later (snapshot): Politico ~11,000 (F6, 2025-04-26) · NIS ~10,000 (K13, 2025-11-04) · Zelensky
    # ~10,000 (K20 notes, 2026-02) · NIS ~10,000 in Kursk (K20, 2026-02-12, latest); range 10,000 – 11,000.
    in_place = group(troops, "person", "deployed", "snapshot")
    assert latest(in_place)[:5] == ("national-intelligence-service-kor-2026-02-deployed", 10000, 10000,
                                    "approximately", "2026-02-12")
    assert (in_place["range"]["low"]["value"], in_place["range"]["high"]["value"]) == (10000, 11000)
    casualty_ids = {e["id"] for e in troops["estimates"] if e["measure"] in {"killed", "wounded", "casualties"}}
    for q in troops["quantities"]:
        if q["measure"] == "deployed":
            assert not casualty_ids & set(q["estimates"] + q["not_current"]), "casualties mixed with deployed"


def test_kn_23_per_year_supplied_2024_and_pledged_2025_never_added_to_the_whole(client: TestClient) -> None:
    kn23 = flow(client, KN23)
    assert kn23["part_of"][0]["id"] == MISSILES and kn23["designation"] == "KN-23 (Hwasong-11)"
    # 2024: "the 148 already supplied in 2024" (HUR/Budanov, L1, 2025-01-23) — the flow starts in 2024, so the
    # 2024 count is its running total.
    supplied = group(kn23, "missile", "supplied", "cumulative")
    assert latest(supplied) == ("defence-intelligence-ukr-2025-01-supplied", 148, 148, "exact", "2025-01-23",
                                ["defence-intelligence-ukr"])
    # 2025: "expected to send 150" (same interview) — pledged, for the window 2025; no delivered 2025 figure exists.
    pledged = group(kn23, "missile", "pledged", "period")
    assert pledged["window"]["start"] == "2025"
    assert latest(pledged) == ("defence-intelligence-ukr-2025-01-pledged", 150, 150, "exact", "2025-01-23",
                               ["defence-intelligence-ukr"])
    # The whole ballistic-missile flow keeps its own estimates (MSMT at least 100, HUR ~100): the KN-23's 148 is
    # not added to it (100 + 148 = 248 appears nowhere), and the 24 fired stay "fired".
    whole = flow(client, MISSILES)
    bm = group(whole, "missile", "supplied", "cumulative")
    assert (bm["range"]["low"]["value"], bm["range"]["high"]["value"]) == (100, 100)
    assert KN23 in {p["id"] for p in whole["parts"]}
    summary = client.get("/flows/summary?from=PRK&to=RUS").json()["items"]
    supplied_rows = [r for r in summary if r["category"] == "ballistic-missiles" and r["measure"] == "supplied"]
    assert all(r["min"] in (100, 148) and r["max"] in (None, 148) for r in supplied_rows), supplied_rows


def test_estimates_series_of_the_containers_grows_to_the_2025_figures(client: TestClient) -> None:
    r = client.get(f"/flows/{CONTAINERS}/estimates")
    assert r.status_code == 200, r.text[:300]
    series = [(p["as_of"], p["estimators"][0]["id"], p["min"], p["max"])
              for p in r.json()["items"] if p["unit"] == "container"]
    # by as_of, the last five: KIDA 15,800 (2025-03), Ukraine ~16,000 (2025-04), UK ~20,000 (2025-05),
    # MSMT >20,000 (2025-05-29), ROK DIA ~28,000 (2025-07)
    assert series[-5:] == [("2025-03", "kida", 15800, 15800), ("2025-04", "UKR", 16000, 16000),
                           ("2025-05", "GBR", 20000, 20000), ("2025-05-29", "msmt", 20000, None),
                           ("2025-07", "defense-intelligence-agency-kor", 28000, 28000)]
    assert len(series) == 10
