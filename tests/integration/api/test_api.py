"""HTTP tests for every route against the real test Neo4j holding the curated graph (lifespan running).

The headline answer is pinned in tests/golden/api/ (regenerate with ``RDKG_UPDATE_GOLDEN=1``, then review);
the other routes are checked for what a dashboard relies on: status, shape, ids, errors and headers.
"""

from __future__ import annotations

import csv
import io
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver
from rdflib import Graph, URIRef

from api.app import create_app
from api.settings import ApiSettings
from graph.settings import Settings
from loaders.result import LoadResult

GOLDEN_API = Path(__file__).resolve().parents[2] / "golden" / "api"
UPDATE = os.environ.get("RDKG_UPDATE_GOLDEN") == "1"
HEADLINE = "/flows?from=PRK&to=RUS&since=2023-01-01"


def api_settings(settings: Settings, **overrides: object) -> ApiSettings:
    return ApiSettings(**{**settings.model_dump(), **overrides})


def wait_ready(client: TestClient, timeout: float = 120.0) -> None:
    """Until ``/ready`` says 200: Neo4j reachable and the canned queries planned (api/warmup.py) — what a load
    balancer waits for before it sends traffic. The bound is generous: on a busy 2-core machine the first plans
    after Neo4j starts take many seconds."""
    deadline = time.monotonic() + timeout
    while (r := client.get("/ready")).status_code != 200:
        assert r.json()["error"] in {"warming_up", "graph_unavailable"}, r.text
        assert time.monotonic() < deadline, f"/ready still answers {r.status_code} after {timeout} s: {r.text}"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def client(curated_graph: LoadResult, neo4j_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings(neo4j_settings))) as test_client:
        wait_ready(test_client)
        yield test_client


def get(client: TestClient, url: str, status: int = 200, **headers: str) -> dict:
    r = client.get(url, headers=headers)
    assert r.status_code == status, f"{url}: {r.status_code} {r.text[:500]}"
    return r.json()  # type: ignore[no-any-return]


def test_headline_flows_match_the_golden_answer(client: TestClient) -> None:
    body = get(client, HEADLINE)
    path = GOLDEN_API / "flows_prk_rus_since_2023.json"
    if UPDATE:
        GOLDEN_API.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert body == json.loads(path.read_text(encoding="utf-8")), "RDKG_UPDATE_GOLDEN=1 to regenerate, then review"


def test_headline_contract(client: TestClient) -> None:
    body = get(client, HEADLINE)
    assert set(body) == {"items", "limit", "offset", "total"} and body["total"] >= len(body["items"]) > 0
    item = next(i for i in body["items"] if i["id"] == "transfer-prk-rus-munitions-containers")
    assert item["from"] == {"id": "PRK", "name": "North Korea"} and item["to"]["id"] == "RUS"
    assert item["category"] == "munitions" and item["category_label"]
    containers = next(q for q in item["quantities"] if q["unit"] == "container")
    # the latest container figure is the ROK DIA's ~28,000 of July 2025 (L8; the MSMT's "more than 20,000" of May
    # 2025 is an earlier estimate of the same flow): tests/integration/test_acceptance_2025_2026.py
    assert {"min": 28000, "max": 28000, "qualifier": "approximately", "unit": "container"}.items() <= containers.items()
    assert containers["latest"]["estimate"] in {e["id"] for e in item["estimates"]}
    assert item["period"]["start"].startswith("2023") and item["period"]["precision"] in {"day", "month", "year"}
    claim = item["claims"][0]
    assert set(claim) >= {"source", "quote", "stance", "confidence"}
    assert set(claim["source"]) == {"id", "title", "publisher", "date", "url"}
    for estimate in item["estimates"]:
        assert set(estimate) == {"id", "min", "max", "qualifier", "unit", "measure", "scope", "as_of", "start", "end",
                                 "estimators", "claims", "note", "current"}
        assert set(estimate["claims"]) <= {c["id"] for c in item["claims"]}


@pytest.mark.parametrize("alias", ["DPRK", "North Korea", "KP", "north korea", "prk"])
def test_states_by_alias(client: TestClient, alias: str) -> None:
    assert get(client, f"/flows?from={alias}&to=Russia&since=2023-01-01") == get(client, HEADLINE)


def test_unknown_state_and_category_are_422(client: TestClient) -> None:
    assert get(client, "/flows?from=Atlantis", 422)["detail"].startswith("from:")
    assert get(client, "/flows?to=Narnia", 422)["detail"].startswith("to:")
    assert get(client, "/flows?category=kittens", 422)["detail"].startswith("category:")
    assert get(client, "/flows/summary?to=Narnia", 422)["detail"].startswith("to:")


def test_flow_states_resolve_like_every_entity_but_only_to_states(client: TestClient) -> None:
    """/flows and /flows/summary use the one resolver (api/resolve.py), kept to states (issue 19)."""
    person = get(client, "/flows?from=Shoigu&to=RUS", 422)
    assert person["error"] == "invalid_parameter" and person["detail"].startswith("from:"), person
    assert "sergei-shoigu" in person["detail"] and "not a state" in person["detail"], person
    body = get(client, "/flows/summary?from=sergei-shoigu", 422)
    assert body["detail"].startswith("from:") and "not a state" in body["detail"], body
    # accents and case, a name in another script, an ISO alpha-2 code from the common-name table
    assert get(client, "/flows?from=%EB%B6%81%ED%95%9C&to=ru&since=2023-01-01") == get(client, HEADLINE)
    assert get(client, "/flows/summary?from=DPRK&to=Russia") == get(client, "/flows/summary?from=PRK&to=RUS")


def test_flows_filters_and_pagination(client: TestClient) -> None:
    full = get(client, HEADLINE + "&limit=200")
    page = get(client, HEADLINE + "&limit=2&offset=1")
    assert page["total"] == full["total"] and [i["id"] for i in page["items"]] == [
        i["id"] for i in full["items"][1:3]]
    broader = {r["id"]: r["broader"] for r in get(client, "/queries/categories")["rows"]}

    def under_munitions(slug: str | None) -> bool:
        return slug == "munitions" or any(under_munitions(b) for b in broader.get(slug or "", []))

    munitions = get(client, HEADLINE + "&category=munitions&limit=200")["items"]
    assert munitions and all(under_munitions(i["category"]) for i in munitions)
    assert {i["category"] for i in munitions} > {"munitions"}, "narrower categories are included"
    high = get(client, HEADLINE + "&min_confidence=high&limit=200")["items"]
    assert all(any(c["confidence"] == "high" for c in i["claims"]) for i in high)
    both = get(client, "/flows?from=RUS&to=PRK&both_directions=true&limit=200")["items"]
    assert {(i["from"]["id"], i["to"]["id"]) for i in both} == {("RUS", "PRK"), ("PRK", "RUS")}


def test_flows_as_csv_by_accept_and_by_format(client: TestClient) -> None:
    by_accept = client.get(HEADLINE + "&limit=200", headers={"Accept": "text/csv"})
    by_format = client.get(HEADLINE + "&limit=200&format=csv")
    for r in (by_accept, by_format):
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), r.text[:300]
    assert by_accept.text == by_format.text
    rows = list(csv.DictReader(io.StringIO(by_format.text)))
    items = get(client, HEADLINE + "&limit=200")["items"]
    # tidy: one row per estimate (one for a flow without any), numbers in their own columns
    assert len(rows) == sum(max(1, len(i["estimates"])) for i in items)
    assert {r["id"] for r in rows} == {i["id"] for i in items}
    containers = [r for r in rows if r["id"] == "transfer-prk-rus-munitions-containers"]
    assert any(r["min"] == "20000" and r["qualifier"] == "more_than" and r["unit"] == "container"
               for r in containers) and all(r["from"] == "PRK" for r in containers)


def test_flows_summary(client: TestClient) -> None:
    items = get(client, "/flows/summary?from=DPRK&to=RUS")["items"]
    assert items and all(i["method"] in {"single_flow_latest", "sum_of_distinct_flows_latest", "no_figures"}
                         for i in items)
    for item in items:  # a flow is added at most once per row, and only flows with a figure are added
        assert len(item["flows"]) == len(set(item["flows"])) == len(item["estimates"])
        assert not set(item["flows"]) & {n["flow"] for n in item["not_combined"]}


def test_get_flow_and_its_estimates(client: TestClient) -> None:
    flow = get(client, "/flows/transfer-prk-rus-munitions-containers")
    listed = next(i for i in get(client, HEADLINE + "&limit=200")["items"] if i["id"] == flow["id"])
    assert {k: v for k, v in flow.items() if k != "resolved_from"} == listed and flow["resolved_from"] is None
    series = get(client, "/flows/transfer-prk-rus-munitions-containers/estimates")
    assert [r["estimate"] for r in series["items"]] == [e["id"] for e in flow["estimates"]]
    assert get(client, "/flows/transfer-nowhere", 404)["detail"] == "no flow with id 'transfer-nowhere'"


def test_entity_search_is_case_and_accent_insensitive(client: TestClient) -> None:
    hits = get(client, "/entities?q=SHULYKA")["items"]
    assert [h["id"] for h in hits] == ["vitaly-shulika"]
    assert get(client, "/entities?q=Shulyká")["items"] == hits
    states = get(client, "/entities?q=korea&type=State")["items"]
    assert {h["id"] for h in states} >= {"PRK", "KOR"} and all("State" in h["labels"] for h in states)


def test_entity_profile_and_404(client: TestClient) -> None:
    body = get(client, "/entities/ri-song-chol")
    assert [v["name"] for v in body["name_variants"]] == ["Ni Son-chol"]  # the seed's spelling (R9)
    posts = {p["post"]["id"] for p in body["posts"]}
    assert {"post-vice-minister-public-security-prk", "post-deputy-minister-state-security-prk"} <= posts
    assert any(e["id"] == "meeting-2025-05-28-shulika-ri-song-chol" for e in body["events"])
    treaty = get(client, "/entities/PRK")
    assert any(t["id"] == "treaty-comprehensive-strategic-partnership" for t in treaty["treaties"])
    assert get(client, "/entities/no-such-entity", 404) == {
        "error": "not_found", "detail": "id: no entity is known as 'no-such-entity' (give an id, a name or an alias)"}


def test_entity_as_rdf(client: TestClient) -> None:
    r = client.get("/entities/msmt", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=r.text, format="turtle")
    assert (URIRef("https://w3id.org/rdkg/id/msmt"), None, None) in graph


def test_neighbours_paginated_and_filtered(client: TestClient) -> None:
    body = get(client, "/entities/visit-2025-05-shulika-pyongyang/neighbors?type=VISITOR,PARTICIPANT&limit=100")
    assert body["items"] and {n["relation"] for n in body["items"]} <= {"VISITOR", "PARTICIPANT"}
    assert any(n["node"]["id"] == "vitaly-shulika" for n in body["items"])
    page = get(client, "/entities/PRK/neighbors?type=FROM&limit=3&offset=3")
    assert len(page["items"]) == 3 and page["total"] > 6
    assert get(client, "/entities/nobody/neighbors", 404)["error"] == "not_found"


def test_timeline(client: TestClient) -> None:
    body = get(client, "/timeline?since=2025-05&until=2025-05&kind=Meeting,Visit")
    ids = [e["id"] for e in body["items"]]
    assert "meeting-2025-05-28-shulika-ri-song-chol" in ids and "visit-2025-05-shulika-pyongyang" in ids
    assert all(e["kind"] in {"Meeting", "Visit"} for e in body["items"])
    starts = [e["period"]["start"] for e in body["items"] if e["period"]["start"]]
    assert starts == sorted(starts)


def test_claims_about_show_disagreement(client: TestClient) -> None:
    body = get(client, "/claims?about=ri-song-chol")
    sources = {g["source"]["id"] for g in body["groups"] if g["source"]}
    assert "source-seed" in sources and len(sources) > 2, sources
    claims = [c for g in body["groups"] for c in g["claims"]]
    assert any(c["disputes"] for c in claims), "the seed's title is disputed by other sources"
    assert sum(body["stances"].values()) == len(claims)
    assert get(client, "/claims?about=nobody", 422)["detail"].startswith("about:")
    assert get(client, "/claims?about=", 422)["detail"].startswith("about:")


def test_sources_list_and_detail(client: TestClient) -> None:
    page = get(client, "/sources?limit=10")
    assert page["total"] > 100 and len(page["items"]) == 10
    s01 = get(client, "/sources/source-s01")
    assert s01["source"]["fact_base_id"] == "S01" and s01["claims"]
    assert any(d["id"] == "source-reuters-2025-05-29-msmt" for d in s01["derived_from"])
    assert sum(bool(c["supports"]) for c in s01["claims"]) > len(s01["claims"]) / 2
    report = get(client, "/sources/source-msmt-report-2025-05-29")
    assert report["published_by"]["id"] == "msmt" and report["derivatives"]
    assert get(client, "/sources/source-s999", 404)["error"] == "not_found"


def test_paths(client: TestClient) -> None:
    body = get(client, "/paths?from=vitaly-shulika&to=kim-jong-un&max_depth=4")
    assert body["paths"] and all(len(p["nodes"]) == p["length"] + 1 <= 5 for p in body["paths"])
    for path in body["paths"]:
        assert path["nodes"][0]["id"] == "vitaly-shulika" and path["nodes"][-1]["id"] == "kim-jong-un"
        assert not any({"Claim", "SourceDocument"} & set(n["labels"]) for n in path["nodes"])
    assert get(client, "/paths?from=vitaly-shulika&to=kim-jong-un&max_depth=1")["paths"] == []
    assert get(client, "/paths?from=nobody&to=kim-jong-un", 422)["detail"].startswith("from:")


def test_meetings(client: TestClient) -> None:
    body = get(client, "/meetings?participant=vitaly-shulika")
    meeting = next(m for m in body["items"] if m["id"] == "meeting-2025-05-28-shulika-ri-song-chol")
    assert {p["id"] for p in meeting["participants"]} >= {"vitaly-shulika", "ri-song-chol"}
    assert meeting["period"]["start"] == "2025-05-28" and meeting["part_of"]["id"] == "visit-2025-05-shulika-pyongyang"
    pyongyang = get(client, "/meetings?place=pyongyang&since=2025-05&until=2025-05")["items"]
    assert {m["id"] for m in pyongyang} >= {"meeting-2025-05-28-shulika-ri-song-chol"}


def test_treaties(client: TestClient) -> None:
    items = get(client, "/treaties?signatory=RUS")["items"]
    treaty = next(t for t in items if t["id"] == "treaty-comprehensive-strategic-partnership")
    assert {s["id"] for s in treaty["signatories"]} == {"PRK", "RUS"}
    assert treaty["signed"] == "2024-06-19" and treaty["in_force"] == "2024-12-04"
    assert any(a["number"] == 4 for a in treaty["articles"]) and treaty["steps"]


def test_votes(client: TestClient) -> None:
    items = get(client, "/votes?choice=veto")["items"]
    draft = next(r for r in items if r["id"] == "resolution-draft-poe-2024-03-28")
    assert draft["outcome"] == "failed"
    assert {(v["voter"]["id"], v["choice"]) for v in draft["votes"]} >= {("RUS", "veto"), ("CHN", "abstention")}


def test_graph_for_widgets(client: TestClient) -> None:
    body = get(client, "/graph?ids=treaty-comprehensive-strategic-partnership,PRK,RUS")
    assert {n["id"] for n in body["nodes"]} == {"treaty-comprehensive-strategic-partnership", "PRK", "RUS"}
    assert {"relation": "SIGNATORY", "relation_label": "signatory",
            "source": "treaty-comprehensive-strategic-partnership", "target": "PRK"} in body["edges"]
    assert set(body) == {"nodes", "edges"}
    by_name = get(client, "/graph?ids=treaty-comprehensive-strategic-partnership,DPRK,Russia")
    assert by_name == body
    # an unknown id is a 422 naming it (every unknown one), never a partial 200 (issue 19)
    unknown = get(client, "/graph?ids=treaty-comprehensive-strategic-partnership,ghost,PRK,phantom", 422)
    assert unknown["error"] == "invalid_parameter" and unknown["detail"].startswith("ids:"), unknown
    assert "'ghost'" in unknown["detail"] and "'phantom'" in unknown["detail"] and "PRK" not in unknown["detail"]
    expanded = get(client, "/graph?ids=PRK&expand=true")
    assert len(expanded["nodes"]) > 10 and expanded["edges"]


def test_run_canned_query_by_name(client: TestClient) -> None:
    body = get(client, "/queries/resolve_state?term=North%20Korea")
    assert body == {"name": "resolve_state", "params": {"term": "North Korea"},
                    "rows": [{"id": "PRK", "name": "North Korea"}]}
    flows = get(client, "/queries/flows?from=PRK&to=RUS&since=2023&limit=5")
    assert flows["params"]["since"] == "2023-01-01" and flows["rows"][0]["total"] >= 5


def test_the_catalogue_takes_the_rest_names_and_resolves_entities(client: TestClient) -> None:
    """Issue 19: one set of names. `/queries/flows` takes `from`/`to` as `/flows` does — ids, names or aliases — and
    answers what the query bound, under the same names; the Cypher's own names are unknown parameters."""
    by_alias = get(client, "/queries/flows?from=DPRK&to=Russia&since=2023&limit=5")
    assert by_alias["params"]["from"] == "PRK" and by_alias["params"]["to"] == "RUS"
    assert by_alias["rows"] == get(client, "/queries/flows?from=PRK&to=RUS&since=2023&limit=5")["rows"]
    assert get(client, "/queries/flows?from_state=PRK", 422)["detail"].startswith("from_state:")
    assert get(client, "/queries/flows?from=Atlantis", 422)["detail"].startswith("from:")
    paths = get(client, "/queries/shortest_paths?from=Vitaly%20Shulyka&to=kim-jong-un")
    assert paths["params"]["from"] == "vitaly-shulika" and paths["rows"]
    profile = get(client, "/queries/entity_profile?id=Shoigu")
    assert profile["params"]["id"] == "sergei-shoigu"


def test_nodes_carry_their_own_class_as_kind(client: TestClient) -> None:
    """The loader writes each node's own class (`kind`); answers show it beside `labels`, and a class filter keeps
    its subclasses (issue 13)."""
    profile = get(client, "/entities/ministry-of-foreign-affairs-rus")
    assert profile["kind"] == "Ministry" and set(profile["labels"]) == {"Agent", "Ministry", "PublicBody"}
    assert "kind" not in profile["properties"]
    hits = get(client, "/entities?q=shulyka")["items"]
    assert hits[0]["kind"] == "Person"
    bodies = get(client, "/entities?type=PublicBody&limit=200")["items"]
    assert {"Ministry", "Agency", "MilitaryUnit"} <= {h["kind"] for h in bodies}
    assert all("PublicBody" in h["labels"] for h in bodies)
    memberships = get(client, "/entities?type=Membership&limit=5")
    assert memberships["total"] == 30 and all(h["kind"] == "Membership" for h in memberships["items"])
    assert get(client, "/entities?q=membership-sergei-shoigu")["items"] == [], "internal nodes are not searched"
    flows = get(client, "/flows?from=PRK&to=RUS&limit=200")["items"]
    assert {f["kind"] for f in flows} <= {"MaterielTransfer", "TechnologyTransfer", "PersonnelDeployment",
                                          "CommodityTransfer"}


def test_bodies_list_the_posts_held_in_them(client: TestClient) -> None:
    """Issue 19: a body's profile lists the posts held in it — person, post, dates, disputed marker — as a person's
    lists the posts they hold; relations name code and label (`relation`, `relation_label`)."""
    mfa = get(client, "/entities/ministry-of-foreign-affairs-rus")
    holders = {(h["person"]["id"], h["post"]["id"]) for h in mfa["post_holders"]}
    assert ("sergey-lavrov", "post-minister-foreign-affairs-rus") in holders, holders
    assert all({"id", "person", "post", "period", "claims", "disputed"} <= set(h) for h in mfa["post_holders"])
    ri = get(client, "/entities/ri-song-chol")
    assert ri["post_holders"] == []
    body = next(b for b in ri["bodies"] if b["id"] == "ministry-of-social-security-prk")
    assert (body["relation"], body["relation_label"], body["direction"]) == ("HOLDS_POST_IN", "holds a post in", "out")
    # the person's posts and the body's holders are the same memberships, seen from both ends
    for post in ri["posts"]:
        if post["body"]:
            there = get(client, f"/entities/{post['body']['id']}")["post_holders"]
            assert any(h["id"] == post["id"] and h["person"]["id"] == "ri-song-chol" and
                       h["disputed"] == post["disputed"] for h in there), post["id"]


def test_ready_and_health(client: TestClient) -> None:
    assert get(client, "/ready")["status"] == "ready"
    health = get(client, "/health")
    assert health["status"] == "ok" and health["release"] and health["data_fingerprint"]


def test_etag_304_on_data_routes(client: TestClient) -> None:
    first = client.get(HEADLINE)
    etag = first.headers["etag"]
    assert first.headers["cache-control"].startswith("public, max-age=")
    second = client.get(HEADLINE, headers={"If-None-Match": etag})
    assert second.status_code == 304 and not second.content
    other = client.get(HEADLINE + "&limit=1", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag


def test_export_holds_every_node_of_the_graph(
    client: TestClient, neo4j_driver: Driver, neo4j_settings: Settings
) -> None:
    r = client.get("/export?format=turtle")
    assert r.status_code == 200, r.text[:300]
    exported = {str(s) for s in Graph().parse(data=r.text, format="turtle").subjects()}
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (n:Rdkg) RETURN n.uri AS uri", database_=neo4j_settings.neo4j_database
    )
    missing = sorted({rec["uri"] for rec in records} - exported)
    assert not missing, f"in Neo4j but not in /export: {missing[:10]}"
