"""RDF views and /export answer from the same data as the JSON routes, or refuse clearly (issue 13), over HTTP.

The graph is the curated one (data/ loaded by the loader); the API reads its RDF from a temporary copy of data/'s
input files. While the copy is byte-identical the fingerprints agree and RDF is served; after a file of the copy is
edited (the graph unchanged) every RDF answer is a 409 ``data_differs_from_graph`` saying what to do, while the
JSON routes keep answering; putting the file back serves RDF again.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from api.app import create_app
from graph.settings import Settings
from loaders.release import data_files
from loaders.result import LoadResult
from tests.integration.api.test_api import api_settings, get

DATA = Path(__file__).resolve().parents[3] / "data"
RDF_URLS = ("/export", "/export?format=jsonld", "/entities/PRK?format=turtle", "/entities/DPRK",)
#: the knowledge base looks at the files again after RECHECK_SECONDS (1 s); the slack absorbs a busy machine
BOUND = 6.0


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("data-copy")
    for path in data_files(DATA):
        target = root / path.relative_to(DATA)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return root


@pytest.fixture(scope="module")
def client(curated_graph: LoadResult, neo4j_settings: Settings, data_copy: Path) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings(neo4j_settings, data_dir=data_copy))) as test_client:
        yield test_client


def _rdf(client: TestClient, url: str) -> Response:
    headers = {"Accept": "text/turtle"} if "format=" not in url and url.startswith("/entities") else {}
    return client.get(url, headers=headers)


def _until(client: TestClient, status: int) -> None:
    deadline = time.monotonic() + BOUND
    while (r := _rdf(client, "/export")).status_code != status:
        assert time.monotonic() < deadline, f"/export still answers {r.status_code}: {r.text[:300]}"
        time.sleep(0.2)


def test_rdf_is_served_while_the_files_are_the_loaded_data_and_refused_after_an_edit(
    client: TestClient, data_copy: Path
) -> None:
    loaded = get(client, "/health")["data_fingerprint"]
    assert loaded, "the curated graph was loaded by the loader: it has an input fingerprint"
    for url in RDF_URLS:
        r = _rdf(client, url)
        assert r.status_code == 200, f"{url}: {r.status_code} {r.text[:300]}"
        assert r.headers["x-rdkg-data-fingerprint"] == loaded, url

    path = data_copy / "entities.ttl"
    original = path.read_bytes()
    try:
        path.write_bytes(original + b"\n# edited after the load\n")
        _until(client, 409)
        for url in RDF_URLS:
            r = _rdf(client, url)
            body = r.json()
            assert r.status_code == 409 and body["error"] == "data_differs_from_graph", (url, r.text[:300])
            assert "rdkg load" in body["detail"] and str(data_copy) in body["detail"], body
        # the JSON routes answer from the graph as before
        assert get(client, "/entities/DPRK")["id"] == "PRK"
        assert get(client, "/flows?from=PRK&to=RUS&since=2023-01-01")["items"]
    finally:
        path.write_bytes(original)
    _until(client, 200)
    assert _rdf(client, "/entities/PRK?format=turtle").headers["x-rdkg-data-fingerprint"] == loaded
