"""The dashboard's files without a database: the page, its modules and the pinned plotly.js, all from this origin."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.dashboard import STATIC_DIR, plotly_js_version
from tests.unit.api.test_api_offline import offline_settings


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(offline_settings())) as test_client:
        yield test_client


def test_the_page_and_every_module_it_imports_are_served(client: TestClient) -> None:
    page = client.get("/dashboard")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "etag" in page.headers
    modules = {"app.js"}
    seen: set[str] = set()
    while modules - seen:
        name = sorted(modules - seen)[0]
        seen.add(name)
        r = client.get(f"/dashboard/static/{name}")
        assert r.status_code == 200, name
        assert r.headers["content-type"].startswith("text/javascript")
        modules |= set(re.findall(r'from "\./([\w-]+\.js)"', r.text))
    assert seen == {p.name for p in STATIC_DIR.glob("*.js")}, "every module is reachable from app.js"
    css = client.get("/dashboard/static/dashboard.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


def test_plotly_js_comes_from_the_pinned_package_on_this_origin(client: TestClient) -> None:
    r = client.get("/dashboard/vendor/plotly.min.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert f"v{plotly_js_version()}" in r.text[:2000]
    assert len(r.content) > 1_000_000


def test_the_page_code_names_no_other_host() -> None:
    for path in STATIC_DIR.iterdir():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(src|href)=\"(https?:)?//", text), f"{path.name} loads from another host"


@pytest.mark.parametrize("url", ["/dashboard/static/nothing.js", "/dashboard/static/..%2Fdashboard.py",
                                 "/dashboard/static/app.py", "/dashboard/static/.hidden.js"])
def test_unknown_or_bad_file_names_are_clear_errors(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code in (404, 422), r.text
    assert r.json()["error"] and r.json()["detail"]
