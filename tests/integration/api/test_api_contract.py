"""The API's contract, walked over every route in its OpenAPI document (issue 19), against the curated graph.

- an unknown query parameter is a 422 naming it (``api/strict.py``);
- every parameter or path segment that names an entity (its OpenAPI description says "an id, ISO code, name or
  alias", as ``api/resolve.py`` writes it) gives the same answer for an alias as for the id, and a 404 (path) or
  422 (query) naming it for an unknown name;
- a route whose ``200`` offers ``text/csv`` answers CSV to ``Accept: text/csv``; any other refuses it with 406.

A new route is covered without touching this file: it needs a sample request in ``tests/reliability/routes.py``
(``test_access`` insists on that) and, for an entity parameter that is neither a state nor a person, a pair below.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.settings import Settings
from loaders.result import LoadResult
from tests.integration.api.test_api import api_settings, get, wait_ready
from tests.reliability.routes import DATA_ROUTES, NO_GRAPH_ROUTES

ENTITY_MARK = "an id, ISO code, name or alias"
#: (id, another way to name it) per entity parameter; the default is the state pair.
STATE = ("PRK", "north korea")
PAIRS: dict[tuple[str, str], tuple[str, str]] = {
    ("/entities/{id}", "id"): ("sergei-shoigu", "Shoigu"),
    ("/entities/{id}/neighbors", "id"): ("vitaly-shulika", "Vitaly Shulyka"),
    ("/sources/{id}", "id"): ("source-s01", "SOURCE-S01"),
    ("/timeline", "participant"): ("sergei-shoigu", "sergey shoigu"),
    ("/meetings", "participant"): ("vitaly-shulika", "shulika"),
    ("/meetings", "place"): ("pyongyang", "Пхеньян"),
    ("/votes", "voter"): ("RUS", "Russia"),
    ("/votes", "resolution"): ("resolution-draft-poe-2024-03-28", "RESOLUTION-DRAFT-POE-2024-03-28"),
    ("/claims", "about"): ("kim-jong-un", "Kim Jong-un"),
    ("/claims", "source"): ("source-msmt-report-2025-05-29", "SOURCE-MSMT-REPORT-2025-05-29"),
    ("/claims", "estimator"): ("msmt", "Multilateral Sanctions Monitoring Team"),
    ("/disputes", "about"): ("vitaly-shulika", "Shulika"),
    ("/paths", "from"): ("kim-jong-un", "김정은"),
    ("/paths", "to"): ("sergei-shoigu", "Сергей Шойгу"),
}


@pytest.fixture(scope="module")
def client(curated_graph: LoadResult, neo4j_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings(neo4j_settings))) as test_client:
        wait_ready(test_client)
        yield test_client


@pytest.fixture(scope="module")
def spec(client: TestClient) -> dict:
    return get(client, "/openapi.json")


def _sample(path: str) -> str:
    return DATA_ROUTES.get(path) or path


def _with(url: str, **params: str) -> str:
    return url + ("&" if "?" in url else "?") + urlencode(params)


def _entity_params(spec: dict) -> list[tuple[str, str, str]]:
    found = []
    for path, ops in spec["paths"].items():
        for param in ops.get("get", {}).get("parameters", []):
            if ENTITY_MARK in param.get("description", ""):
                found.append((path, param["name"], param["in"]))
    return found


def test_every_route_has_a_sample(spec: dict) -> None:
    assert set(spec["paths"]) == set(DATA_ROUTES) | NO_GRAPH_ROUTES


def test_an_unknown_parameter_is_a_422_naming_it(client: TestClient, spec: dict) -> None:
    for path in spec["paths"]:
        url = _with(_sample(path), colour="blue")
        body = get(client, url, 422)
        assert body["error"] == "invalid_parameter" and body["detail"].startswith("colour:"), (url, body)


def test_entity_parameters_take_aliases_and_name_the_unknown(client: TestClient, spec: dict) -> None:
    params = _entity_params(spec)
    named = {(p, n) for p, n, _ in params}
    assert {("/entities/{id}", "id"), ("/treaties", "signatory"), ("/votes", "voter"), ("/meetings", "participant"),
            ("/timeline", "participant"), ("/claims", "about"), ("/paths", "from"), ("/disputes", "about"),
            ("/entities/{id}/neighbors", "id"), ("/sources/{id}", "id")} <= named, named
    for path, name, where in params:
        node_id, alias = PAIRS.get((path, name), STATE)
        if where == "path":
            by_id, by_alias = (path.replace("{" + name + "}", value) for value in (node_id, alias))
            unknown, status = path.replace("{" + name + "}", "no-such-thing-anywhere"), 404
        else:
            base = _sample(path)
            base_params = dict(p.split("=", 1) for p in base.partition("?")[2].split("&") if p)
            base_params.pop(name, None)
            stem = base.partition("?")[0]
            if path == "/paths":  # the other end must differ from this one
                base_params = {"from": "kim-jong-un", "to": "sergei-shoigu", "max_depth": "3"}
            by_id, by_alias, unknown = (f"{stem}?{urlencode({**base_params, name: v})}"
                                        for v in (node_id, alias, "no-such-thing-anywhere"))
            status = 422
        answer = get(client, by_id)
        assert answer == get(client, by_alias), f"{by_alias} differs from {by_id}"
        error = get(client, unknown, status)
        assert error["detail"].startswith(f"{name}:") and "no-such-thing-anywhere" in error["detail"], (unknown, error)


def test_entity_answers_are_not_empty_for_a_known_name(client: TestClient) -> None:
    """The analyst's empty 200s (issue 19): names that resolve now find the rows the id finds."""
    assert get(client, "/treaties?signatory=DPRK")["items"]
    assert get(client, "/votes?voter=Russia")["items"]
    assert get(client, "/meetings?participant=Shoigu")["items"]
    assert get(client, "/entities/DPRK")["id"] == "PRK"
    paths = get(client, "/paths?from=DPRK&to=Russia&max_depth=2")
    assert paths["from"]["id"] == "PRK" and paths["to"]["id"] == "RUS" and paths["paths"]


def test_an_ambiguous_name_lists_the_candidates(client: TestClient) -> None:
    body = get(client, "/entities/Kim", 404)  # a part of a name is not a name
    assert body["detail"].startswith("id:")
    # four fact-base rows whose source title the fact base does not give share this placeholder title
    ambiguous = get(client, "/claims?" + urlencode({"about": "(title not in excerpt)"}), 422)
    assert ambiguous["detail"].startswith("about:") and "source-s05" in ambiguous["detail"], ambiguous
    assert "source-s10" in ambiguous["detail"]


def test_csv_where_offered_406_elsewhere(client: TestClient, spec: dict) -> None:
    for path, ops in spec["paths"].items():
        content = ops["get"]["responses"].get("200", {}).get("content", {})
        r = client.get(_sample(path), headers={"Accept": "text/csv"})
        if "text/csv" in content:
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), (path, r.text[:200])
        else:
            assert r.status_code == 406 and r.json()["error"] == "not_acceptable", (path, r.status_code, r.text[:200])
