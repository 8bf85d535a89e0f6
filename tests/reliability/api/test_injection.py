"""Hostile input in every parameter of every route: Cypher injection, path traversal, huge values, odd unicode
and nulls. Each request gets a JSON 4xx (or a 200 where the parameter is free text or an optional filter that
simply matches nothing), never a 5xx, never a file from disk — and the graph is unchanged afterwards (node and
relationship counts and a SHA-256 over a full dump, taken before and after).

The routes and their parameters come from the app's own OpenAPI schema, and ``/queries/{name}`` is exercised
with every parameter of every canned query, so a new route or query is covered without editing this file.
Canned queries run in read mode: a write statement pushed through the read path is refused by Neo4j itself.
``RDKG_RELIABILITY_LONG=1`` uses the full corpus; ``make test`` a representative part of it.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from api.settings import ApiSettings
from graph.errors import QueryFailed
from graph.settings import Settings
from queries.registry import CannedQuery, Mode, QueryFileError, Registry, parse_file
from queries.runner import run_sync
from tests.reliability.routes import DATA_ROUTES
from tests.reliability.support import fingerprint, report

pytestmark = pytest.mark.integration

LONG = bool(os.environ.get("RDKG_RELIABILITY_LONG"))

CYPHER = [
    "' OR 1=1 //",
    "PRK' }) MATCH (n) DETACH DELETE n //",
    "\"}) MATCH (n) DETACH DELETE n RETURN 1 //",
    "x` ) DETACH DELETE n //",
    "PRK\\' OR \\'1\\'=\\'1",
    "1 UNION MATCH (n) RETURN n",
    "$limit",
    "{id: 'PRK'}",
    "PRK; CALL dbms.killTransactions([]) //",
    "*/ MATCH (n) SET n.pwned = true /*",
    "CREATE (:Injected {x: 1})",
    "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
]
TRAVERSAL = [
    "../../../../etc/passwd",
    "..%2f..%2f..%2fetc%2fpasswd",
    "/etc/passwd",
    "....//....//etc/passwd",
    "..\\..\\..\\windows\\win.ini",
    "file:///etc/passwd",
    "%2e%2e/%2e%2e/data/sources.ttl",
]
HUGE = ["A" * 4000, "9" * 400, "-1", "-9223372036854775809", "9223372036854775808", "1e308", "NaN", "0x7fffffff"]
UNICODE = ["\u202eKRP", "P\u200bRK", "\U0001f4a3", "e\u0301\u0301\u0301", "조선", "\ufeffPRK", "Ｐ Ｒ Ｋ", "ß" * 50]
NULLS = ["\x00", "PRK\x00", "null", "None", "", " ", "\t\n"]
DATES = ["2023-02-30", "0000", "9999-12-31", "2023-13", "-2023", "2023-1-1", "20230101", "2023-09-01T00:00:00Z"]

FAST = [CYPHER[1], CYPHER[2], CYPHER[4], CYPHER[9], TRAVERSAL[0], TRAVERSAL[1], HUGE[0], HUGE[1], HUGE[3],
        UNICODE[0], UNICODE[2], NULLS[0], NULLS[4], DATES[0]]
CORPUS = CYPHER + TRAVERSAL + HUGE + UNICODE + NULLS + DATES if LONG else FAST

#: A valid text value per canned-query parameter type, so each request exercises exactly one hostile parameter.
VALID_BY_TYPE = {"str": "PRK", "entity": "PRK", "int": "1", "float": "1", "bool": "false", "date": "2024",
                 "date_end": "2024", "list[str]": "PRK", "kinds": "State"}
FILE_MARKERS = ("root:x:0:0", "@prefix", "[extensions]", "rdkg:quote")


def _operations(spec: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    return [(path, ops["get"].get("parameters", [])) for path, ops in spec["paths"].items() if "get" in ops]


def _sample_values(path: str) -> dict[str, str]:
    """Valid values for the parameters of ``path``, taken from its sample URL in DATA_ROUTES."""
    sample = DATA_ROUTES.get(path, path)
    query = sample.split("?", 1)[1] if "?" in sample else ""
    values = dict(part.split("=", 1) for part in query.split("&") if part)
    if "{id}" in path:
        values["id"] = sample.split("/")[2]
    if "{name}" in path:
        values["name"] = "node_ref"
    return values


def _url(path: str, params: list[dict[str, Any]], target: str, payload: str) -> str:
    values = _sample_values(path)
    values[target] = payload
    for p in params:
        if p["in"] == "path":
            path = path.replace("{" + p["name"] + "}", quote(values.pop(p["name"]), safe=""))
    query = {p["name"]: values[p["name"]] for p in params if p["in"] == "query" and p["name"] in values}
    return path + ("?" + urlencode(query) if query else "")


def _check(client: TestClient, url: str, statuses: Counter[int]) -> str | None:
    r = client.get(url)
    statuses[r.status_code] += 1
    if r.status_code >= 500:
        return f"{url[:200]} -> {r.status_code} {r.text[:300]}"
    if r.status_code >= 400 and set(r.json()) != {"error", "detail"}:
        return f"{url[:200]} -> {r.status_code} without a JSON error body: {r.text[:300]}"
    if r.status_code == 200 and any(marker in r.text for marker in FILE_MARKERS[:1]):
        return f"{url[:200]} -> 200 with a file's content"
    return None


@pytest.fixture(scope="module")
def graph_before(neo4j_driver: Driver, neo4j_settings: Settings, api_settings: ApiSettings) -> Any:
    return fingerprint(neo4j_driver, neo4j_settings.neo4j_database)


@pytest.mark.timeout(1800)
def test_hostile_values_in_every_route_parameter(client: TestClient, graph_before: Any) -> None:
    statuses: Counter[int] = Counter()
    problems: list[str] = []
    began = time.monotonic()
    spec = client.get("/openapi.json").json()
    for path, params in _operations(spec):
        for param in params:
            for payload in CORPUS:
                if (problem := _check(client, _url(path, params, param["name"], payload), statuses)) is not None:
                    problems.append(problem)
    report(f"injection (routes): {sum(statuses.values())} requests, {len(CORPUS)} payloads, "
           f"{time.monotonic() - began:.0f}s, statuses {dict(sorted(statuses.items()))}")
    assert not problems, "\n".join(problems[:30])


@pytest.mark.timeout(1800)
def test_hostile_values_in_every_canned_query_parameter(client: TestClient, graph_before: Any) -> None:
    statuses: Counter[int] = Counter()
    problems: list[str] = []
    for query in Registry.load():
        valid = {p.public: VALID_BY_TYPE.get(p.type, "PRK") for p in query.params}  # the catalogue's names
        for param in query.params:
            for payload in CORPUS:
                url = f"/queries/{query.name}?" + urlencode({**valid, param.public: payload})
                if (problem := _check(client, url, statuses)) is not None:
                    problems.append(problem)
        for payload in CORPUS[:4]:  # hostile query names and undeclared parameters
            for url in (f"/queries/{quote(payload, safe='')}", f"/queries/{query.name}?" + urlencode({payload: 1})):
                if (problem := _check(client, url, statuses)) is not None:
                    problems.append(problem)
    report(f"injection (canned queries): {sum(statuses.values())} requests, statuses {dict(sorted(statuses.items()))}")
    assert not problems, "\n".join(problems[:30])


@pytest.mark.parametrize("payload", TRAVERSAL + ["data/sources.ttl", "../pyproject.toml"])
def test_path_traversal_in_ids_is_a_404_not_a_file(client: TestClient, payload: str) -> None:
    for template in ("/entities/{}", "/sources/{}", "/entities/{}/neighbors", "/queries/{}"):
        for accept in ("application/json", "text/turtle"):
            r = client.get(template.format(quote(payload, safe="")), headers={"Accept": accept})
            assert r.status_code in (404, 422), (template, payload, accept, r.status_code, r.text[:300])
            assert not any(marker in r.text for marker in FILE_MARKERS), (template, payload, r.text[:300])


def test_the_graph_is_unchanged_after_the_hostile_requests(
    neo4j_driver: Driver, neo4j_settings: Settings, graph_before: Any
) -> None:
    after = fingerprint(neo4j_driver, neo4j_settings.neo4j_database)
    assert after == graph_before, f"the graph changed: before {graph_before}, after {after}"
    report(f"graph fingerprint unchanged: {after.nodes} nodes, {after.relationships} relationships, "
           f"sha256 {after.sha256[:16]}…")


WRITES = [
    "CREATE (n:ReliabilityProbe {at: datetime()}) RETURN n",
    "MATCH (n:Rdkg {id: 'PRK'}) SET n.pwned = true RETURN n",
    "MATCH (n:Rdkg {id: 'PRK'}) DETACH DELETE n",
    "MERGE (n:ReliabilityProbe {id: 1}) RETURN n",
]


@pytest.mark.parametrize("statement", WRITES)
def test_a_write_statement_on_the_read_path_is_refused_by_neo4j(
    neo4j_driver: Driver, neo4j_settings: Settings, graph_before: Any, statement: str
) -> None:
    """Bypass the registry's own write check: the runner's read routing alone makes Neo4j refuse the write."""
    sneaky = CannedQuery("sneaky", "a write disguised as a canned query", Mode.READ, (), statement, Path("x.cypher"))
    with pytest.raises(QueryFailed) as caught:
        run_sync(neo4j_driver, sneaky, {}, database=neo4j_settings.neo4j_database, timeout=10)
    assert "AccessMode" in str(caught.value) or "Forbidden" in str(caught.value), caught.value
    after = fingerprint(neo4j_driver, neo4j_settings.neo4j_database)
    assert after == graph_before, "the refused write changed the graph"


def test_the_registry_refuses_write_statements(tmp_path: Path) -> None:
    for number, statement in enumerate(WRITES):
        path = tmp_path / f"w{number}.cypher"
        path.write_text(f"// name: w{number}\n// description: a write\n// mode: read\n{statement}\n")
        with pytest.raises(QueryFileError, match="write query"):
            parse_file(path)
