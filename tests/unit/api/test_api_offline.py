"""The API without a database: start-up, OpenAPI, errors, caching, exports from the RDF files, and 503s.

The app is pointed at a closed local port, so every route that needs Neo4j must answer 503 (never 500) while
/health, /queries, /export and RDF content negotiation keep working from the files.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from api.app import create_app
from api.settings import ApiSettings
from loaders.release import data_files, data_fingerprint


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def offline_settings(**overrides: object) -> ApiSettings:
    values: dict[str, object] = {
        "neo4j_uri": f"bolt://127.0.0.1:{closed_port()}", "neo4j_password": "unused",
        "api_neo4j_connection_timeout": 0.5, "api_neo4j_max_retry_time": 0.2, "max_page_size": 100,
    }
    values.update(overrides)
    return ApiSettings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(offline_settings())) as test_client:
        yield test_client


def test_health_answers_without_neo4j(client: TestClient) -> None:
    r = client.get("/health")
    assert r.status_code == 200 and r.json() == {"status": "ok", "release": "unknown", "data_fingerprint": None}, r.text
    assert r.headers["x-rdkg-release"] == "unknown"  # Neo4j never answered: no load state read
    assert r.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    "url",
    ["/ready", "/flows?from=PRK&to=RUS", "/flows/summary", "/entities?q=kim", "/entities/PRK",
     "/entities/PRK/neighbors", "/timeline", "/claims?about=PRK", "/sources", "/sources/source-s01",
     "/paths?from=PRK&to=RUS", "/meetings", "/treaties", "/votes", "/graph?ids=PRK", "/queries/node_ref?id=PRK",
     "/disputes"],
)
def test_data_routes_say_503_when_neo4j_is_unreachable(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 503, r.text
    assert r.json()["error"] == "graph_unavailable" and "unreachable" in r.json()["detail"]


DATA_ROUTES = ("/flows", "/flows/summary", "/entities", "/entities/{id}", "/entities/{id}/neighbors", "/timeline",
               "/claims", "/sources", "/sources/{id}", "/paths", "/meetings", "/treaties", "/votes", "/queries",
               "/queries/{name}", "/graph", "/health", "/ready", "/export", "/disputes")


def test_openapi_describes_every_route_with_typed_models(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in DATA_ROUTES:
        assert path in spec["paths"], path
    flow = spec["components"]["schemas"]["Flow"]
    assert {"id", "from", "to", "category", "category_label", "designation", "quantities", "period", "status",
            "claims"} <= set(flow["properties"])
    assert flow["examples"], "the headline model carries an example"
    assert "text/csv" in spec["paths"]["/flows"]["get"]["responses"]["200"]["content"]


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/flows?since=yesterday", "since"),
        ("/flows?until=2023-13", "until"),
        ("/flows?since=2024&until=2023", "until"),
        ("/flows?limit=101", "limit"),
        ("/flows?limit=0", "limit"),
        ("/flows?min_confidence=certain", "min_confidence"),
        ("/flows?format=xml", "format"),
        ("/entities", "q"),
        ("/entities?q=kim&type=Dragon", "type"),
        ("/entities/PRK/neighbors?type=LIKES", "type"),
        ("/timeline?kind=Party", "kind"),
        ("/votes?choice=maybe", "choice"),
        ("/paths?from=PRK&to=RUS&max_depth=7", "max_depth"),
        ("/paths?from=PRK&to=PRK", "to"),
        ("/paths?to=RUS", "from"),
        ("/graph", "ids"),
        ("/queries/flows?colour=red", "colour"),
        ("/queries/flows?since=soon", "since"),
        ("/queries/neighbours", "id"),
        ("/queries/flows?limit=1000", "limit"),
        ("/queries/flows?limit=-5", "limit"),
        ("/queries/neighbours?id=PRK&offset=99999999999999999999999", "offset"),
        ("/queries/shortest_paths?from=a&to=b&max_depth=7", "max_depth"),
        ("/flows?offset=99999999999999999999999", "offset"),
        ("/entities/PRK/neighbors?offset=-1", "offset"),
    ],
)
def test_bad_parameters_are_422_naming_the_parameter(client: TestClient, url: str, param: str) -> None:
    r = client.get(url)
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"] == "invalid_parameter" and body["detail"].startswith(f"{param}:"), body


def test_unknown_query_and_unknown_route_are_json_404(client: TestClient) -> None:
    r = client.get("/queries/nope")
    assert r.status_code == 404 and r.json()["error"] == "not_found", r.text
    r = client.get("/no/such/route")
    assert r.status_code == 404 and set(r.json()) == {"error", "detail"}, r.text


def test_post_is_405_in_the_error_shape(client: TestClient) -> None:
    r = client.post("/flows")
    assert r.status_code == 405 and r.json()["error"] == "method_not_allowed", r.text


def test_too_many_graph_ids_are_413_and_long_urls_414(client: TestClient) -> None:
    ids = ",".join(f"n{i}" for i in range(201))
    r = client.get(f"/graph?ids={ids}")
    assert r.status_code == 413 and r.json()["detail"].startswith("ids:"), r.text
    r = client.get("/entities?q=" + "x" * 9000)
    assert r.status_code == 414 and r.json()["error"] == "uri_too_long", r.text
    assert "limit is 8192" in r.json()["detail"] and r.headers["x-content-type-options"] == "nosniff"


def test_versioned_routes_are_derived_from_the_graph_backed_routers() -> None:
    """Every path of a graph-backed router gets the versioned ETag and cache; system and static routes do not."""
    from api.app import GRAPH_ROUTERS
    from api.caching import _versioned, versioned_prefixes

    prefixes = versioned_prefixes(route.path for module in GRAPH_ROUTERS for route in module.router.routes)
    for module in GRAPH_ROUTERS:
        for route in module.router.routes:
            path = route.path.replace("{id}", "PRK").replace("{name}", "flows")  # type: ignore[attr-defined]
            assert _versioned(path, b"", "application/json", prefixes), path
    for path in ("/health", "/ready", "/export", "/docs", "/openapi.json", "/dashboard", "/browser/guide"):
        assert not _versioned(path, b"", None, prefixes), path


def test_catalogue_lists_queries_with_parameter_schemas(client: TestClient) -> None:
    r = client.get("/queries")
    assert r.status_code == 200, r.text
    by_name = {q["name"]: q for q in r.json()["items"]}
    flows = {p["name"]: p for p in by_name["flows"]["params"]}
    assert flows["since"]["schema"]["format"] == "date" and flows["limit"]["default"] == 50
    assert by_name["neighbours"]["params"][0] == {
        "name": "id", "type": "entity", "required": True, "default": None, "description": "the node's id",
        "schema": {"type": "string", "description": "an id, ISO code, name or alias (resolved as on the REST routes)"}}
    # the REST routes' names: `from` and `to`, not the Cypher's from_state / from_id
    assert {"from", "to"} <= set(flows) and not {"from_state", "to_state"} & set(flows)
    paths = {p["name"]: p for p in by_name["shortest_paths"]["params"]}
    assert paths["from"]["type"] == "entity" and "from_id" not in paths


def test_etag_and_304(client: TestClient) -> None:
    first = client.get("/queries")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=60"
    again = client.get("/queries", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert client.get("/queries", headers={"If-None-Match": 'W/"other"'}).status_code == 200


def test_export_turtle_and_jsonld_from_the_files(client: TestClient) -> None:
    turtle = client.get("/export")
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle"), turtle.text[:200]
    graph = Graph().parse(data=turtle.text, format="turtle")
    msmt = URIRef("https://w3id.org/rdkg/id/msmt")
    assert (msmt, None, None) in graph and len(graph) > 1000
    jsonld = client.get("/export", headers={"Accept": "application/ld+json"})
    assert jsonld.status_code == 200 and jsonld.headers["content-type"] == "application/ld+json"
    assert len(Graph().parse(data=jsonld.text, format="json-ld")) == len(graph)
    assert client.get("/export?format=jsonld").headers["content-type"] == "application/ld+json"
    assert client.get("/export", headers={"Accept": "image/png"}).status_code == 406
    # Neo4j unreachable: no graph fingerprint to compare with, so the files are served as they are, saying which
    # data they are (the fingerprint `rdkg load data/` would record; api/rdf.py)
    assert turtle.headers["x-rdkg-data-fingerprint"] == data_fingerprint(data_files(ApiSettings().data_dir))


def test_entity_as_rdf_by_content_negotiation(client: TestClient) -> None:
    r = client.get("/entities/vitaly-shulika", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle"), r.text[:300]
    graph = Graph().parse(data=r.text, format="turtle")
    subject = URIRef("https://w3id.org/rdkg/id/vitaly-shulika")
    names = {str(o) for o in graph.objects(subject, URIRef("https://w3id.org/rdkg/ontology#alias"))}
    assert "Shulika" in names and "Vitaly Shulyka" not in names  # the seed's spelling is a name variant (R9)
    # the name variant comes with the entity, and so do its claims: whose spelling it is
    variant = URIRef("https://w3id.org/rdkg/id/vitaly-shulyka")
    assert (variant, URIRef("https://w3id.org/rdkg/ontology#variantOf"), subject) in graph
    assert {str(o) for o in graph.objects(variant, URIRef("https://w3id.org/rdkg/ontology#name"))} == {"Vitaly Shulyka"}
    claim = URIRef("https://w3id.org/rdkg/id/claim-seed-10")
    assert "Vitaly Shulyka" in str(graph.value(claim, URIRef("https://w3id.org/rdkg/ontology#quote")))
    r = client.get("/entities/vitaly-shulika", headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and "vitaly-shulika" in r.text
    r = client.get("/entities/no-such-thing?format=turtle")
    assert r.status_code == 404 and r.json()["error"] == "not_found", r.text


def test_cors_only_when_configured() -> None:
    with TestClient(create_app(offline_settings(cors_origins="https://dash.example.org"))) as c:
        r = c.get("/health", headers={"Origin": "https://dash.example.org"})
        assert r.headers["access-control-allow-origin"] == "https://dash.example.org"
    with TestClient(create_app(offline_settings())) as c:
        assert "access-control-allow-origin" not in c.get("/health", headers={"Origin": "https://x.org"}).headers


def test_every_json_route_documents_a_typed_model_with_an_example(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    for path in DATA_ROUTES:
        operations = spec["paths"][path]
        content = operations["get"]["responses"]["200"]["content"]
        if path == "/export":
            assert {"text/turtle", "application/ld+json"} <= set(content)
        else:
            ref = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
            assert schemas[ref].get("examples"), f"{path}: model {ref} has no example"
        for status in ("404", "406", "422", "503"):
            if status in operations["get"]["responses"]:
                error = operations["get"]["responses"][status]["content"]["application/json"]["schema"]["$ref"]
                assert error.endswith("/ErrorBody"), (path, status, error)
    assert "HTTPValidationError" not in schemas, "every 422 is documented with the API's error body"
