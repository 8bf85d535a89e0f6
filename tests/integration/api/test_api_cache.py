"""The API's graph version, ETags, response cache and resolved names, through HTTP with the lifespan running.

What a dashboard notices: a matching ``If-None-Match`` gets a 304 without any query reaching Neo4j; a repeated
request is answered from the cache; a new load gives new answers and new ETags within the documented bound
(``RDKG_API_VERSION_POLL`` plus one version read); state names (aliases, ISO codes) resolve through the resolver,
whose answers are kept per graph version (a repeated name costs no query), so an alias removed by a load stops
resolving.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from neo4j import Driver

from api.access import GraphAccess
from api.app import create_app
from api.settings import ApiSettings
from graph.settings import Settings
from loaders.pipeline import load

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "loader"
DATA_DIR = Path(__file__).resolve().parents[3] / "data"
HEADLINE = "/flows?from=PRK&to=RUS&since=2023-01-01"
POLL = 0.2
#: The documented bound is the poll interval plus one version read; the slack absorbs a busy 2-core test machine.
SLACK = 3.0


def _settings(settings: Settings, **overrides: Any) -> ApiSettings:
    # A generous query timeout: the first request plans the queries, slow on a busy 2-core test machine.
    return ApiSettings(**{**settings.model_dump(), "version_poll_seconds": POLL, "query_timeout": 60.0, **overrides})


class QueryCounter:
    """Counts the canned queries the routes send (not the background version read)."""

    def __init__(self, access: GraphAccess) -> None:
        self.calls: Counter[str] = Counter()
        original = access.run_bound

        async def counted(name: str, params: dict[str, Any]) -> Any:
            self.calls[name] += 1
            return await original(name, params)

        access.run_bound = counted  # type: ignore[method-assign]

    def total(self) -> int:
        return sum(self.calls.values())


def _client(settings: ApiSettings) -> tuple[TestClient, QueryCounter]:
    app = create_app(settings)
    return TestClient(app), QueryCounter(app.state.graph)


def _headline_within_bound(client: TestClient, done: Callable[[Response], bool], failure: str) -> Response:
    """Poll the headline query right after a load until ``done`` holds; fail if that takes longer than the
    documented bound (the version poll interval plus slack)."""
    loaded = time.monotonic()
    while not done(response := client.get(HEADLINE)):
        assert time.monotonic() - loaded < POLL + SLACK, f"{failure} after the bound"
        time.sleep(0.05)
    return response


def _wait_for_version(client: TestClient, driver: Driver, database: str) -> None:
    """Until the app has read the version the graph has now."""
    record = driver.execute_query("MATCH (m:RdkgLoadState {key: 'state'}) RETURN m.fingerprint AS f",
                                  database_=database).records[0]
    deadline = time.monotonic() + POLL + SLACK
    while not (client.app.state.version.current or "").startswith(record["f"]):  # type: ignore[attr-defined]
        assert time.monotonic() < deadline, "the API did not pick up the graph version"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def graph_v1(loader_db: Driver, neo4j_settings: Settings) -> Iterator[Driver]:
    load(loader_db, neo4j_settings.neo4j_database, [FIXTURES / "v1.ttl"])
    yield loader_db


def test_if_none_match_gets_304_without_a_query_and_repeats_come_from_the_cache(
    graph_v1: Driver, neo4j_settings: Settings
) -> None:
    client, queries = _client(_settings(neo4j_settings))
    with client:
        _wait_for_version(client, graph_v1, neo4j_settings.neo4j_database)
        first = client.get(HEADLINE)
        assert first.status_code == 200 and first.json()["total"] > 0
        etag = first.headers["etag"]
        sent = queries.total()
        assert sent >= 1
        not_modified = client.get(HEADLINE, headers={"If-None-Match": etag})
        assert not_modified.status_code == 304 and not not_modified.content
        assert not_modified.headers["etag"] == etag
        again = client.get(HEADLINE)
        assert again.status_code == 200 and again.content == first.content and again.headers["etag"] == etag
        assert queries.total() == sent, f"304 and the cached answer must not query Neo4j: {queries.calls}"
        # Another page is another representation: other ETag, and the old one does not match it.
        other = client.get(HEADLINE + "&limit=1", headers={"If-None-Match": etag})
        assert other.status_code == 200 and other.headers["etag"] != etag
        # Parameter order does not matter; Accept does (CSV is another representation).
        reordered = client.get("/flows?since=2023-01-01&to=RUS&from=PRK", headers={"If-None-Match": etag})
        assert reordered.status_code == 304
        as_csv = client.get(HEADLINE, headers={"Accept": "text/csv", "If-None-Match": etag})
        assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
        assert as_csv.headers["etag"] != etag
        head = client.head(HEADLINE)
        assert head.status_code == 200 and head.headers["etag"] == etag and not head.content
        assert int(head.headers["content-length"]) == len(first.content)


def test_without_the_cache_every_request_queries_but_304_still_does_not(
    graph_v1: Driver, neo4j_settings: Settings
) -> None:
    client, queries = _client(_settings(neo4j_settings, api_cache=False))
    with client:
        _wait_for_version(client, graph_v1, neo4j_settings.neo4j_database)
        first = client.get(HEADLINE)
        sent = queries.total()
        assert client.get(HEADLINE).json() == first.json()
        assert queries.calls["flows"] == 2, queries.calls
        assert client.get(HEADLINE, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
        assert queries.total() == sent + 1


def test_state_names_resolve_once_per_graph_version(graph_v1: Driver, neo4j_settings: Settings) -> None:
    client, queries = _client(_settings(neo4j_settings, api_cache=False))
    with client:
        _wait_for_version(client, graph_v1, neo4j_settings.neo4j_database)
        expected = client.get(HEADLINE).json()
        # id, ISO code in another case, name, aliases in two languages, ISO alpha-2 / common names (the table)
        names = [(f, t) for f in ("prk", "North Korea", "DPRK", "Северная Корея", "KP", "north korea")
                 for t in ("RUS", "Russia", "russian federation", "RU")]
        for from_, to in names:
            r = client.get(f"/flows?from={from_}&to={to}&since=2023-01-01")
            assert r.status_code == 200 and r.json() == expected, (from_, to, r.text[:300])
        resolved = queries.calls["resolve_entity"]
        for from_, to in names:  # the same names again: the resolver's answers of this version, no query
            assert client.get(f"/flows?from={from_}&to={to}&since=2023-01-01").json() == expected
        assert queries.calls["resolve_entity"] == resolved, queries.calls
        bad = client.get("/flows?from=Atlantis&to=RUS")
        assert bad.status_code == 422 and bad.json()["detail"].startswith("from:")
        assert client.get("/flows?category=kittens").json()["detail"].startswith("category:")
        assert client.get("/flows/summary?from=DPRK&to=Russia").status_code == 200
        assert queries.calls["resolve_state"] == 0 and queries.calls["categories"] <= 1, queries.calls


def test_a_new_load_gives_new_answers_etags_and_state_names_within_the_bound(
    graph_v1: Driver, neo4j_settings: Settings
) -> None:
    database = neo4j_settings.neo4j_database
    client, _ = _client(_settings(neo4j_settings))
    with client:
        _wait_for_version(client, graph_v1, database)
        before = client.get(HEADLINE)
        alias = client.get("/flows?from=Северная Корея&to=RUS&since=2023-01-01")
        assert alias.status_code == 200 and alias.json() == before.json()
        etag = before.headers["etag"]
        load(graph_v1, database, [FIXTURES / "v2.ttl"])  # a transfer and an alias gone, a stance changed
        after = _headline_within_bound(client, lambda r: r.content != before.content, "still the old answer")
        assert after.status_code == 200 and after.headers["etag"] != etag
        assert {i["id"] for i in after.json()["items"]} < {i["id"] for i in before.json()["items"]}
        assert client.get(HEADLINE, headers={"If-None-Match": etag}).status_code == 200
        gone = client.get("/flows?from=Северная Корея&to=RUS")
        assert gone.status_code == 422 and gone.json()["detail"].startswith("from:")
        # Loading v1 again brings the first answer back, and its ETag then answers 304. (Usually the very first
        # ETag, too — same fingerprint and counts — unless the loader's code changed in between: the fingerprint
        # hashes it, so that is not asserted.)
        load(graph_v1, database, [FIXTURES / "v1.ttl"])
        back = _headline_within_bound(client, lambda r: r.content == before.content, "still the v2 answer")
        assert back.headers["etag"] != after.headers["etag"]
        assert client.get(HEADLINE, headers={"If-None-Match": back.headers["etag"]}).status_code == 304


def test_a_graph_changed_outside_the_loader_is_noticed_by_its_counts(
    graph_v1: Driver, neo4j_settings: Settings
) -> None:
    database = neo4j_settings.neo4j_database
    client, _ = _client(_settings(neo4j_settings))
    with client:
        _wait_for_version(client, graph_v1, database)
        before = client.get("/entities?q=zzqq-test-node")
        assert before.status_code == 200 and before.json()["total"] == 0
        graph_v1.execute_query("CREATE (:Rdkg:Person {id: 'zzqq-test-node', uri: 'urn:zzqq', name: 'Zzqq',"
                               " searchText: 'zzqq-test-node zzqq'})", database_=database)
        try:
            written = time.monotonic()
            while client.get("/entities?q=zzqq-test-node").json()["total"] == 0:
                assert time.monotonic() - written < POLL + SLACK, "a new node is not seen after the bound"
                time.sleep(0.05)
        finally:
            graph_v1.execute_query("MATCH (n:Rdkg {id: 'zzqq-test-node'}) DETACH DELETE n", database_=database)


def test_routes_outside_the_graph_keep_body_etags(graph_v1: Driver, neo4j_settings: Settings) -> None:
    client, _ = _client(_settings(neo4j_settings))
    with client:
        _wait_for_version(client, graph_v1, neo4j_settings.neo4j_database)
        health = client.get("/health")
        assert health.headers["cache-control"] == "no-store" and "etag" not in health.headers
        docs = client.get("/openapi.json")
        assert docs.status_code == 200 and docs.headers["etag"].startswith('W/"')
        assert client.get("/openapi.json", headers={"If-None-Match": docs.headers["etag"]}).status_code == 304
        error = client.get("/entities/no-such-thing")
        assert error.status_code == 404 and "etag" not in error.headers
        long = client.get("/entities?q=" + "x" * 9000)
        assert long.status_code == 414 and long.json()["error"] == "uri_too_long"
