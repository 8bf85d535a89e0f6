"""Claims as first-class answers, and finding things (issue 19), on the curated graph through HTTP.

``/claims/{id}``, symmetric disputes, distinct stance counts and the ``/claims`` filters (the stance review is
tests/unit/loaders/test_stance_review.py); a report's relayed claims, shipments and disputed marks on profiles;
``/entities?type=`` without a search text, search ranking, distinct paths and paths avoiding hubs.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.settings import Settings
from loaders.result import LoadResult
from tests.integration.api.test_api import api_settings, get


@pytest.fixture(scope="module")
def client(curated_graph: LoadResult, neo4j_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings(neo4j_settings))) as test_client:
        yield test_client


def all_claims(client: TestClient, query: str = "") -> list[dict]:
    first = get(client, f"/claims?limit=200{query}")
    items = [c for g in first["groups"] for c in g["claims"]]
    for offset in range(200, first["total"], 200):
        page = get(client, f"/claims?limit=200&offset={offset}{query}")
        items += [c for g in page["groups"] for c in g["claims"]]
    assert len(items) == first["total"] == len({c["id"] for c in items})
    return items


def test_a_claim_opens_by_id_with_its_source_chain(client: TestClient) -> None:
    relayed = next(c for c in all_claims(client, "&source=source-msmt-report-2025-05-29")
                   if c["id"].startswith("claim-"))
    body = get(client, f"/claims/{relayed['id']}")
    assert body["id"] == relayed["id"] and body["quote"] and body["stance"] and body["confidence"]
    assert body["source"]["id"] and body["supports"], body
    chain = [link["id"] for link in body["chain"]]
    assert "source-msmt-report-2025-05-29" in chain, chain  # outlet → (wire →) report
    assert [link["hops"] for link in body["chain"]] == sorted(link["hops"] for link in body["chain"])
    assert get(client, "/claims/claim-none-such", 404)["detail"].startswith("id:")
    assert get(client, "/claims/PRK", 404)["detail"].startswith("id:")  # a state is not a claim
    assert get(client, f"/claims/{relayed['id'].upper()}") == body  # the id in any case (issue 19)
    assert get(client, "/claims/Claim-Seed-31")["id"] == "claim-seed-31"
    assert get(client, "/claims/CLAIM-NONE-SUCH", 404)["detail"].startswith("id:")


def test_disputes_are_symmetric_in_every_answer(client: TestClient) -> None:
    disputed = all_claims(client, "&disputed=true")
    assert disputed, "the curated data has claims that dispute each other"
    listed = {c["id"]: set(c["disputes"]) for c in disputed}
    for claim_id, others in listed.items():
        assert others, claim_id
        for other in others:
            assert claim_id in listed.get(other, set()), f"{other} does not list {claim_id}"
        full = get(client, f"/claims/{claim_id}")
        both = {d["id"] for d in full["disputes"]} | {d["id"] for d in full["disputed_by"]}
        assert both == others, claim_id
        for d in full["disputes"]:
            assert claim_id in {x["id"] for x in get(client, f"/claims/{d['id']}")["disputed_by"]}


def test_stance_counts_count_distinct_claims(client: TestClient) -> None:
    body = get(client, "/claims?about=deployment-prk-rus-troops&limit=200")
    ids = [c["id"] for g in body["groups"] for c in g["claims"]]
    assert len(ids) == len(set(ids)) == body["total"] == sum(body["stances"].values())
    for group in body["groups"]:
        assert body["stances"][group["stance"]] >= len(group["claims"])


def test_claim_filters(client: TestClient) -> None:
    everything = get(client, "/claims?limit=1")
    assert everything["about"] is None and everything["total"] > 100
    for stance, count in get(client, "/claims?limit=1")["stances"].items():
        only = get(client, f"/claims?stance={stance}&limit=200")
        assert only["total"] == count and set(only["stances"]) == {stance}
    high = all_claims(client, "&confidence=high")
    assert high and all(get(client, f"/claims/{c['id']}")["confidence"] == "high" for c in high[:5])
    # the MSMT report: its claims come through the outlets that relayed it
    by_source = all_claims(client, "&source=source-msmt-report-2025-05-29")
    assert len({get(client, f"/claims/{c['id']}")["source"]["id"] for c in by_source[:20]}) > 1
    by_estimator = get(client, "/claims?estimator=msmt&limit=200")
    assert by_estimator["total"] > 0
    assert get(client, "/claims?stance=rumour", 422)["detail"].startswith("stance:")
    assert get(client, "/claims?source=PRK", 422)["detail"].startswith("source:")


def test_list_a_type_without_a_search_text(client: TestClient) -> None:
    vessels = get(client, "/entities?type=Vessel&limit=200")
    assert vessels["total"] == len(vessels["items"]) > 3
    assert all("Vessel" in hit["labels"] for hit in vessels["items"])
    names = [hit["name"].lower() for hit in vessels["items"]]
    assert names == sorted(names)
    assert get(client, "/entities", 422)["detail"].startswith("q:")


@pytest.mark.parametrize(("text", "first"), [("shoigu", "sergei-shoigu"), ("kim jong", "kim-jong-un"),
                                             ("shulyka", "vitaly-shulika"), ("Шойгу", "sergei-shoigu")])
def test_search_ranks_names_and_aliases_first(client: TestClient, text: str, first: str) -> None:
    hits = get(client, f"/entities?q={text}")["items"]
    assert hits and hits[0]["id"] == first, [h["id"] for h in hits[:5]]


def test_search_never_returns_internal_nodes_by_their_id(client: TestClient) -> None:
    for text in ("shoigu", "shulika", "membership", "quantity", "estimate"):
        hits = get(client, f"/entities?q={text}&limit=200")["items"]
        internal = [h["id"] for h in hits if {"Membership", "Quantity", "Estimate", "Claim"} & set(h["labels"])]
        assert not internal, (text, internal)
    offices = get(client, "/entities?q=shoigu&type=Membership")["items"]
    assert offices and all("Membership" in h["labels"] for h in offices)


def test_paths_are_distinct_and_can_avoid_hubs(client: TestClient) -> None:
    body = get(client, "/paths?from=kim-jong-un&to=sergei-shoigu&max_depth=4&limit=50")
    sequences = [tuple(n["id"] for n in p["nodes"]) for p in body["paths"]]
    assert sequences and len(sequences) == len(set(sequences))
    hubs = {"State", "Treaty", "Agreement"}
    avoiding = get(client, "/paths?from=kim-jong-un&to=sergei-shoigu&max_depth=6&limit=50&avoid_hubs=true")
    for path in avoiding["paths"]:
        assert not any(hubs & set(n["labels"]) for n in path["nodes"][1:-1]), path
    through = get(client, "/paths?from=vitaly-shulika&to=ri-song-chol&max_depth=6&limit=50")
    assert through["paths"]


def test_a_report_lists_the_claims_relayed_from_it(client: TestClient) -> None:
    report = get(client, "/sources/source-msmt-report-2025-05-29")
    assert report["relayed"], "the MSMT's first report reaches the graph through the outlets that relayed it"
    vias = {c["via"]["id"] for c in report["relayed"]}
    assert len(vias) > 1 and {d["id"] for d in report["derivatives"]} & vias
    assert all(c["quote"] and c["supports"] is not None for c in report["relayed"])
    # the same claims through /claims?source= (the document or any relay of it)
    listed = {c["id"] for c in all_claims(client, "&source=source-msmt-report-2025-05-29")}
    assert {c["id"] for c in report["relayed"]} | {c["id"] for c in report["claims"]} == listed


def test_ports_and_vessels_list_their_shipments_and_profiles_mark_disputes(client: TestClient) -> None:
    port = get(client, "/entities/port-rajin")
    assert port["shipments"] and all("origin" in s["roles"] or "destination" in s["roles"] or "waypoint" in s["roles"]
                                     for s in port["shipments"])
    vessel = next(h["id"] for h in get(client, "/entities?type=Vessel&limit=200")["items"]
                  if get(client, f"/entities/{h['id']}")["shipments"])
    assert all("vessel" in s["roles"] for s in get(client, f"/entities/{vessel}")["shipments"])
    disputed = {f["id"] for f in get(client, "/disputes?about=vitaly-shulika&limit=200")["items"]}
    posts = get(client, "/entities/vitaly-shulika")["posts"]
    assert any(p["disputed"] for p in posts)
    assert {p["id"] for p in posts if p["disputed"]} == {p["id"] for p in posts} & disputed


def test_an_open_end_is_ongoing_only_where_a_source_says_so(client: TestClient) -> None:
    """The analyst's September 2025 timeline showed a ship docking of 9 February 2024 (start date, no end)."""
    september = get(client, "/timeline?since=2025-09-01&until=2025-09-30&limit=200")["items"]
    assert "event-2024-02-angara-zhoushan-xinya-shipyard" not in {e["id"] for e in september}
    for event in september:
        period = event["period"]
        assert period["one_off"] or period["end"] is None or period["end"] >= "2025-09", event
        if period["end"] is None and not period["one_off"] and period["start"] and period["start"] < "2025-09":
            assert period["ongoing"], event
    february = get(client, "/timeline?since=2024-02&until=2024-02&limit=200")["items"]
    docking = next(e for e in february if e["id"] == "event-2024-02-angara-zhoushan-xinya-shipyard")
    assert docking["period"] == {"start": "2024-02-09", "end": None, "precision": "day", "one_off": False,
                                 "ongoing": False}
    meeting = next(m for m in get(client, "/meetings?participant=vitaly-shulika")["items"]
                   if m["id"] == "meeting-2025-05-28-shulika-ri-song-chol")
    assert meeting["period"]["one_off"] and not meeting["period"]["ongoing"]


def test_a_superseded_claim_stays_and_says_by_which_claim(client: TestClient) -> None:
    """Nothing deleted silently (issue 15): the NIS raised its death toll (row K7 replaces K1) — the earlier claim
    still opens, says which claim replaced it and when, and the later one says what it replaced."""
    old = get(client, "/claims/claim-k1")
    assert old["quote"] and [x["id"] for x in old["superseded_by"]] == ["claim-k7"]
    assert old["superseded_by"][0]["date"], "the superseding claim's date says when"
    new = get(client, "/claims/claim-k7")
    assert [x["id"] for x in new["supersedes"]] == ["claim-k1"] and new["superseded_by"] == []
    assert old["retracted_by"] == [] and new["retracted_by"] == []
