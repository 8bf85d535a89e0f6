"""``GET /disputes`` on the curated graph: where sources disagree, with the claims on each side (issue 16)."""

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


def test_disputed_facts_carry_both_sides(client: TestClient) -> None:
    body = get(client, "/disputes?limit=200")
    assert body["total"] == len(body["items"]) > 0
    for fact in body["items"]:
        assert fact["reasons"], fact["id"]
        assert fact["claims"] or fact["status"] == "disputed", fact["id"]
        if "claims_disagree" in fact["reasons"]:
            ids = {c["id"] for c in fact["claims"] + fact["counterclaims"]}
            assert all(set(c["disputes"]) <= ids for c in fact["claims"]), f"{fact['id']}: a side is missing"
        for claim in fact["claims"] + fact["counterclaims"]:
            assert claim["quote"] and claim["source"], claim["id"]
    marked = {f["id"] for f in body["items"] if f["status"] == "disputed"}
    assert marked == {f["id"] for f in body["items"] if "marked_disputed" in f["reasons"]}


def test_disputes_about_a_person_include_the_offices_held(client: TestClient) -> None:
    body = get(client, "/disputes?about=vitaly-shulika")
    ids = {f["id"] for f in body["items"]}
    assert ids, "the spelling and the post of Vitaly Shulika are disputed between sources"
    posts = {p["id"] for p in get(client, "/entities/vitaly-shulika")["posts"]}
    for fact in body["items"]:
        assert fact["id"] == "vitaly-shulika" or fact["about"]["id"] == "vitaly-shulika", fact["id"]
    assert ids & posts
    everything = {f["id"] for f in get(client, "/disputes?limit=200")["items"]}
    assert ids <= everything


def test_disputes_errors_name_the_parameter(client: TestClient) -> None:
    assert get(client, "/disputes?about=nobody", 422)["detail"].startswith("about:")
    assert get(client, "/disputes?limit=0", 422)["detail"].startswith("limit")
    page = get(client, "/disputes?limit=2&offset=1")
    assert len(page["items"]) == 2 and page["offset"] == 1
