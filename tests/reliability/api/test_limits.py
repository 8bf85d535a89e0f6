"""Limits: one request cannot exhaust the server. Page size, path depth, ids per /graph request, URL size and
query time are capped by settings; a request over a cap gets a JSON 4xx whose detail names the limit, and a
query that runs too long is cut by Neo4j's transaction timeout and answered with a JSON 503 ``query_timeout``
(not a hang). Each cap is tested at its default and with a custom setting, so the setting really drives it.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings
from queries.registry import QUERY_DIR, Registry
from tests.integration.api.test_api import wait_ready

pytestmark = pytest.mark.integration

PAGED = ["/flows?", "/entities?q=kim&", "/entities/PRK/neighbors?", "/sources?", "/timeline?", "/meetings?",
         "/queries/flows?", "/queries/entity_search?q=kim&"]
SLOW = """// name: reliability_slow
// description: A deliberately slow read (the limits test): counts to ten billion.
// mode: read
UNWIND range(1, 10000000000) AS x
WITH x WHERE x % 7 = 3
RETURN count(x) AS n
"""


TIGHT_PAGE_SIZE = 7


@pytest.fixture(scope="module")
def tight(api_settings: ApiSettings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app with small custom caps and, besides the real canned queries, one deliberately slow one."""
    directory = tmp_path_factory.mktemp("queries")
    for path in QUERY_DIR.glob("*.cypher"):
        shutil.copy(path, directory)
    (directory / "reliability_slow.cypher").write_text(SLOW)
    caps = {"max_page_size": TIGHT_PAGE_SIZE, "max_path_depth": 2, "max_graph_ids": 3, "query_timeout": 1.0,
            "max_request_bytes": 300}
    settings = api_settings.model_copy(update=caps)
    with TestClient(create_app(settings, Registry.load(Path(directory))), raise_server_exceptions=False) as client:
        wait_ready(client)  # the plan warm-up (api/warmup.py) has run, as a load balancer would wait for
        yield client


def _limit_error(r: httpx.Response, status: int, *words: str) -> None:
    assert r.status_code == status, (r.status_code, r.text)
    body = r.json()
    assert set(body) == {"error", "detail"}, body
    for word in words:
        assert word in body["detail"], (word, body)


@pytest.mark.parametrize("prefix", PAGED)
def test_page_size_is_capped(client: TestClient, tight: TestClient, api_settings: ApiSettings, prefix: str) -> None:
    cap = api_settings.max_page_size
    assert client.get(f"{prefix}limit={cap}").status_code == 200
    _limit_error(client.get(f"{prefix}limit={cap + 1}"), 422, "limit", str(cap))
    assert tight.get(f"{prefix}limit=7").status_code == 200
    _limit_error(tight.get(f"{prefix}limit=8"), 422, "limit", "7")


def test_path_depth_is_capped(client: TestClient, tight: TestClient, api_settings: ApiSettings) -> None:
    cap = api_settings.max_path_depth
    assert client.get(f"/paths?from=PRK&to=RUS&max_depth={cap}").status_code == 200
    _limit_error(client.get(f"/paths?from=PRK&to=RUS&max_depth={cap + 1}"), 422, "max_depth", str(cap))
    _limit_error(tight.get("/paths?from=PRK&to=RUS&max_depth=3"), 422, "max_depth", "2")


def test_ids_per_graph_request_are_capped(client: TestClient, tight: TestClient, api_settings: ApiSettings) -> None:
    cap = api_settings.max_graph_ids
    ids = ",".join(f"id{i}" for i in range(cap + 1))
    _limit_error(client.get(f"/graph?ids={ids}"), 413, "ids", str(cap))
    _limit_error(tight.get("/graph?ids=a,b,c,d"), 413, "ids", "3")
    assert tight.get("/graph?ids=PRK,RUS,UKR").status_code == 200, "3 ids is within the cap"


def test_request_size_is_capped(client: TestClient, tight: TestClient, api_settings: ApiSettings) -> None:
    cap = api_settings.max_request_bytes
    _limit_error(client.get("/entities?q=" + "k" * cap), 414, "limit", str(cap))
    _limit_error(tight.get("/entities?q=" + "k" * 300), 414, "limit", "300")
    assert tight.get("/entities?q=kim&limit=5").status_code == 200


def test_a_cap_below_the_default_page_size_still_serves_requests_without_limit(tight: TestClient) -> None:
    r = tight.get("/flows")
    assert r.status_code == 200, r.text
    assert r.json()["limit"] <= TIGHT_PAGE_SIZE, r.json()["limit"]
    r = tight.get("/queries/flows", params={"from": "PRK", "to": "RUS"})
    assert r.status_code == 200, r.text
    assert r.json()["params"]["limit"] <= TIGHT_PAGE_SIZE, r.json()["params"]


def test_a_request_body_is_never_read(client: TestClient) -> None:
    """The API is read-only: a large body on any method is refused (405) without being processed."""
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        r = client.request(method, "/flows", content=b"x" * 5_000_000)
        assert r.status_code == 405, (method, r.status_code, r.text[:200])


@pytest.mark.timeout(120)
def test_a_slow_query_is_cut_by_the_transaction_timeout(tight: TestClient) -> None:
    began = time.monotonic()
    r = tight.get("/queries/reliability_slow")
    elapsed = time.monotonic() - began
    _limit_error(r, 503, "timeout")
    assert r.json()["error"] == "query_timeout", r.text
    assert elapsed < 1.0 + 5.0, f"the timed-out query took {elapsed:.1f}s to answer"
    assert tight.get("/queries/node_ref?id=PRK").status_code == 200, "the server is still serving"
