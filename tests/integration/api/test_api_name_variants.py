"""Name variants (data audit R9) over HTTP on the curated graph: the seed article's spellings ("Vitaly Shulyka",
"Ni Son-chol", "Ban Du-sol") are ``rdkg:NameVariant`` nodes, not plain aliases. Search and every entity parameter
still find the person by them; the person's profile says whose spelling each is (the claims' source); the variant
node is a search hit of its own only when its type is asked for."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.settings import Settings
from loaders.result import LoadResult
from tests.integration.api.test_api import api_settings, get

#: the seed article's spellings and names → (the entity, a part of the spelling no other name has — in another case,
#: to check folding — and whether its claims dispute another source's)
SEED_SPELLINGS = {
    "Vitaly Shulyka": ("vitaly-shulika", "SHULYKA", True),
    "Ni Son-chol": ("ri-song-chol", "Son-Chol", True),
    "Ban Du-sol": ("pang-tu-sop", "DU-SOL", True),
    "UN Monitoring Group": ("msmt", "un monitoring", True),  # A5: the MSMT is no UN body
    "Group for Monitoring Compliance with International Sanctions Imposed on North Korea": (
        "msmt", "MONITORING COMPLIANCE", False),
}
CASES = sorted((spelling, entity) for spelling, (entity, _, _) in SEED_SPELLINGS.items())

def search(client: TestClient, **params: str) -> dict:
    r = client.get("/entities", params=params)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def client(curated_graph: LoadResult, neo4j_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings(neo4j_settings))) as test_client:
        yield test_client


@pytest.mark.parametrize(("spelling", "person"), CASES)
def test_search_answers_a_seed_spelling_with_the_person(client: TestClient, spelling: str, person: str) -> None:
    for q in (spelling, SEED_SPELLINGS[spelling][1]):
        hits = search(client, q=q)["items"]
        assert hits and hits[0]["id"] == person, (q, hits[:3])
        assert all("NameVariant" not in h["labels"] for h in hits), f"{q}: a name variant is a hit of its own"
    exact = search(client, q=spelling)["items"][0]
    assert exact["rank"] == 0, exact  # the variant's text equals the query: as good as the person's own name
    assert spelling not in exact["aliases"], "the seed's spelling is a name variant, not a plain alias"


def test_shulyka_finds_vitaly_shulika_once(client: TestClient) -> None:
    body = search(client, q="shulyka")
    assert [h["id"] for h in body["items"]] == ["vitaly-shulika"] and body["total"] == 1, body


def test_a_name_variant_is_a_hit_only_when_its_type_is_asked_for(client: TestClient) -> None:
    variants = get(client, "/entities?type=NameVariant")["items"]
    assert sorted(h["name"] for h in variants) == sorted(SEED_SPELLINGS)
    hits = search(client, q="shulyka", type="NameVariant")["items"]
    assert [h["id"] for h in hits] == ["vitaly-shulyka"], hits
    people = get(client, "/entities?type=Person&limit=200")
    assert len({h["id"] for h in people["items"]}) == people["total"], "a person with a variant is listed once"


@pytest.mark.parametrize(("spelling", "person"), CASES)
def test_every_entity_parameter_resolves_a_seed_spelling(client: TestClient, spelling: str, person: str) -> None:
    profile = get(client, f"/entities/{quote(spelling)}")
    assert profile["id"] == person, profile["id"]
    meetings = client.get("/meetings", params={"participant": spelling, "limit": "200"})
    assert meetings.status_code == 200, meetings.text
    assert meetings.json()["items"] == get(client, f"/meetings?participant={person}&limit=200")["items"]


@pytest.mark.parametrize(("spelling", "person"), CASES)
def test_the_profile_says_whose_spelling_each_variant_is(client: TestClient, spelling: str, person: str) -> None:
    profile = get(client, f"/entities/{person}")
    assert spelling not in profile["aliases"]
    (variant,) = [v for v in profile["name_variants"] if v["name"] == spelling]
    assert variant["claims"], variant
    for claim in variant["claims"]:
        assert claim["source"]["id"] == "source-seed", claim  # only the seed article uses these spellings
        assert spelling in claim["quote"], claim  # its verbatim quote has the spelling
    # where the seed's spelling disagrees with what the other sources say, /disputes lists it
    disputed = {f["id"] for f in get(client, "/disputes?limit=200")["items"]}
    assert variant["disputed"] is SEED_SPELLINGS[spelling][2] is (variant["id"] in disputed), variant


def test_an_entity_without_variants_has_an_empty_list(client: TestClient) -> None:
    assert get(client, "/entities/sergei-shoigu")["name_variants"] == []
