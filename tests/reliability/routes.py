"""The API's routes as the reliability tests see them: which GETs touch Neo4j, with a valid sample URL each.

``DATA_ROUTES`` maps every OpenAPI path that reads the graph to a request that passes validation against the
curated data; ``NO_GRAPH_ROUTES`` are served without Neo4j (health, the registry's catalogue, exports from the
RDF files, the Browser style/guide). ``test_access`` checks that the two sets cover the whole schema, so a new
route cannot slip past the fault and injection tests.
"""

from __future__ import annotations

DATA_ROUTES: dict[str, str] = {
    "/flows": "/flows?from=PRK&to=RUS&since=2023-01-01",
    "/flows/summary": "/flows/summary?from=PRK&to=RUS",
    "/flows/{id}": "/flows/transfer-prk-rus-munitions-containers",
    "/flows/{id}/estimates": "/flows/transfer-prk-rus-munitions-containers/estimates",
    "/entities": "/entities?q=shoigu",
    "/entities/{id}": "/entities/PRK",
    "/entities/{id}/neighbors": "/entities/PRK/neighbors",
    "/timeline": "/timeline?since=2024",
    "/meetings": "/meetings",
    "/treaties": "/treaties",
    "/votes": "/votes",
    "/claims": "/claims?about=PRK",
    "/claims/{id}": "/claims/claim-seed-31",
    "/disputes": "/disputes",
    "/sources": "/sources",
    "/sources/{id}": "/sources/source-s01",
    "/paths": "/paths?from=PRK&to=RUS&max_depth=3",
    "/graph": "/graph?ids=PRK,RUS",
    "/queries/{name}": "/queries/node_ref?id=PRK",
    "/ready": "/ready",
}

NO_GRAPH_ROUTES = {"/health", "/queries", "/export", "/browser/style.grass", "/browser/guide", "/releases", "/changes"}
