"""Neo4j faults: with Neo4j stopped every data route answers a JSON 503 within 2 seconds, ``/ready`` says
not-ready and ``/health`` stays up; when Neo4j is back, the *same* app (same process, same driver object)
answers again without a restart. A wrong password gives 503s whose bodies and logs never contain it.

Runs on the separate fault instance (``fault_settings``), with the API's default timeouts and retry settings:
what is measured is what a deployment gets.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from api.app import create_app
from graph.db import local_server
from graph.settings import Settings
from loaders.pipeline import load
from tests.reliability.routes import DATA_ROUTES
from tests.reliability.support import REPO_ROOT, api_settings_for, report

pytestmark = pytest.mark.integration

BUDGET_SECONDS = 2.0
DATA_URLS = sorted(DATA_ROUTES.values())


@pytest.fixture(scope="module")
def fault_graph(fault_settings: Settings, fault_driver: Driver) -> None:
    load(fault_driver, fault_settings.neo4j_database, [REPO_ROOT / "data"])


@pytest.fixture(scope="module")
def fault_client(fault_settings: Settings, fault_graph: None) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings_for(fault_settings)), raise_server_exceptions=False) as client:
        yield client


def _all_ok(client: TestClient) -> dict[str, str]:
    return {url: f"{r.status_code} {r.text[:300]}" for url in DATA_URLS if (r := client.get(url)).status_code != 200}


def test_wrong_password_gives_503_and_never_shows_the_secret(
    fault_settings: Settings, fault_graph: None, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "not-the-password-5f3a9c1e"
    settings = api_settings_for(fault_settings, neo4j_password=secret)
    caplog.set_level(logging.DEBUG)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        for url in ("/ready", *DATA_URLS):
            r = client.get(url)
            assert r.status_code == 503, (url, r.status_code, r.text)
            # After 3 failures Neo4j rate-limits logins (AuthenticationRateLimit) (see the rate-limit test below).
            assert r.json()["error"] in {"graph_unavailable", "query_failed"}, r.text
            assert secret not in r.text and secret not in str(r.headers), url
    assert caplog.records, "the failures are logged"
    assert secret not in caplog.text, "the password appears in the logs"
    time.sleep(6)  # Neo4j locks the user for 5 s after repeated failed logins (dbms.security.auth_lock_time)


def test_login_rate_limit_is_reported_as_graph_unavailable(fault_settings: Settings, fault_graph: None) -> None:
    settings = api_settings_for(fault_settings, neo4j_password="not-the-password-5f3a9c1e")
    try:
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            codes = {client.get("/ready").json()["error"] for _ in range(6)}
    finally:
        time.sleep(6)
    assert codes == {"graph_unavailable"}, codes


#: Worst 503 latency per settings profile, measured while Neo4j is down (read by the budget tests below).
MEASURED: dict[str, float] = {}
#: Bounded retries for the API (proposed defaults, Finding F2): the driver's managed transactions still retry
#: transient errors, but give up after one back-off (~1 s: the driver sleeps before it checks the budget).
FAST_FAIL = {"api_neo4j_max_retry_time": 0.5, "api_neo4j_connection_timeout": 1.0}


def _fault_replies(client: TestClient) -> float:
    """Every data route must answer a JSON 503 while Neo4j is down; returns the slowest answer in seconds."""
    worst = 0.0
    for url in DATA_URLS:
        began = time.monotonic()
        r = client.get(url)
        worst = max(worst, time.monotonic() - began)
        assert r.status_code == 503, (url, r.status_code, r.text)
        assert r.headers["content-type"].startswith("application/json"), url
        assert r.json()["error"] == "graph_unavailable", (url, r.text)
    return worst


@pytest.mark.timeout(900)
def test_stopped_neo4j_gives_503s_and_the_same_app_recovers(fault_settings: Settings, fault_client: TestClient) -> None:
    _wait_until_ready(fault_client)  # /ready waits for the plan warm-up after start-up (api/warmup.py)
    assert _all_ok(fault_client) == {}, "every data route answers before the fault"
    fast_app = create_app(api_settings_for(fault_settings, **FAST_FAIL))
    server = local_server(fault_settings)
    with TestClient(fast_app, raise_server_exceptions=False) as fast_client:
        server.stop()
        try:
            MEASURED["defaults"] = _fault_replies(fault_client)
            MEASURED["fast_fail"] = _fault_replies(fast_client)
            health = fault_client.get("/health")
            assert health.status_code == 200 and health.json()["status"] == "ok", health.text
        finally:
            server.start()
    report(f"neo4j stopped: {len(DATA_URLS)} data routes answered JSON 503; slowest "
           f"{MEASURED['defaults']:.2f}s with default settings, {MEASURED['fast_fail']:.2f}s with {FAST_FAIL}")
    _wait_until_ready(fault_client)
    _wait_until_all_ok(fault_client)


def test_503_within_two_seconds_with_bounded_retries() -> None:
    if "fast_fail" not in MEASURED:
        pytest.skip("the fault test did not run")
    assert MEASURED["fast_fail"] <= BUDGET_SECONDS, MEASURED


def test_503_within_two_seconds_with_default_settings() -> None:
    if "defaults" not in MEASURED:
        pytest.skip("the fault test did not run")
    assert MEASURED["defaults"] <= BUDGET_SECONDS, MEASURED


def _wait_until_all_ok(client: TestClient, timeout: float = 120) -> None:
    """Every data route answers 200 again (a freshly restarted Neo4j on a busy machine may need a few tries: its
    caches are cold and the first queries can run into the transaction timeout)."""
    deadline = time.monotonic() + timeout
    while failing := _all_ok(client):
        assert time.monotonic() < deadline, f"routes still failing {timeout:.0f}s after Neo4j came back: {failing}"
        time.sleep(2)


def _wait_until_ready(client: TestClient, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while (r := client.get("/ready")).status_code != 200:
        assert time.monotonic() < deadline, f"/ready still answers {r.status_code}: {r.text}"
        time.sleep(0.5)
