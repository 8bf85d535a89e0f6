"""The API's HTML pages without a database: the landing page, /docs from the API's own origin, and the headers.

Every GET route without path parameters is requested; each one that answers HTML must carry the page CSP and the
hardening headers, and the pages must reference nothing on another origin. (tests/browser/api/test_offline_pages.py
opens the same pages in Chromium with every non-loopback request aborted.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from starlette.routing import BaseRoute, Route

from api.app import create_app
from api.security_headers import PAGE_CSP
from tests.unit.api.test_api_offline import offline_settings

EXPECTED_HTML = {"/", "/docs", "/browser/guide"}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(offline_settings())) as test_client:
        yield test_client


class _Refs(HTMLParser):
    """Every URL a page loads or links to (src, href)."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.links: list[str] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        elif values.get("src") or (tag == "link" and values.get("href")):
            self.loads.append(str(values.get("src") or values.get("href")))
        assert "style" not in values, f"<{tag} style=…>: the CSP forbids inline style"
        self._in_script = tag == "script" and not values.get("src")

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


def refs(text: str) -> _Refs:
    parser = _Refs()
    parser.feed(text)
    return parser


def get_paths(routes: Iterable[BaseRoute], prefix: str = "") -> Iterator[str]:
    """Every GET route's path, through included routers (FastAPI wraps each in an object of its own)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from get_paths(inner.routes, prefix + getattr(getattr(route, "include_context", None), "prefix", ""))
        elif isinstance(route, Route) and "GET" in (route.methods or ()):
            yield prefix + route.path


def has_dashboard(client: TestClient) -> bool:
    return "/dashboard" in set(get_paths(client.app.routes))  # type: ignore[attr-defined]


def html_routes(client: TestClient) -> dict[str, Response]:
    """path → response, for every GET route without path parameters that answers text/html."""
    found = {}
    for path in get_paths(client.app.routes):  # type: ignore[attr-defined]
        if "{" not in path:
            response = client.get(path, follow_redirects=False)
            if response.headers.get("content-type", "").startswith("text/html"):
                found[path] = response
    return found


def test_every_html_route_sends_the_csp_and_hardening_headers(client: TestClient) -> None:
    pages = html_routes(client)
    expected = EXPECTED_HTML | ({"/dashboard"} if has_dashboard(client) else set())
    assert expected <= set(pages), f"HTML routes found: {sorted(pages)}"
    for path, response in pages.items():
        headers = response.headers
        assert response.status_code == 200, (path, response.status_code)
        csp = headers.get("content-security-policy", "")
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
        assert directives.get("default-src") == "'self'", (path, csp)
        assert directives.get("script-src") == "'self'", (path, csp)
        assert directives.get("frame-ancestors") == "'none'", (path, csp)
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp, (path, csp)
        assert headers.get("x-content-type-options") == "nosniff", path
        assert headers.get("referrer-policy") == "no-referrer", path
        assert headers.get("x-frame-options") == "DENY", path


def test_json_and_static_answers_get_nosniff_but_no_page_csp(client: TestClient) -> None:
    for url in ("/health", "/openapi.json", "/docs/assets/swagger-ui.css", "/no/such/route"):
        r = client.get(url)
        assert r.headers["x-content-type-options"] == "nosniff", url
        assert r.headers["referrer-policy"] == "no-referrer", url
        assert "content-security-policy" not in r.headers, url


@pytest.mark.parametrize("path", sorted(EXPECTED_HTML - {"/browser/guide"}))
def test_pages_load_only_from_their_own_origin_without_inline_script(client: TestClient, path: str) -> None:
    page = refs(client.get(path).text)
    assert page.loads, f"{path} loads no asset?"
    for url in page.loads:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"{path} loads {url} from another origin"
        r = client.get(url)
        assert r.status_code == 200 and r.content, (path, url, r.status_code)
    assert page.inline_scripts == 0, f"{path} has inline <script> (the CSP forbids it)"


def test_docs_serve_swagger_ui_from_the_installed_package(client: TestClient) -> None:
    from importlib.metadata import version

    page = client.get("/docs").text
    assert re.search(r'data-openapi-url="/openapi.json"', page)
    bundle = client.get("/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and bundle.headers["content-type"].startswith("text/javascript")
    assert b"SwaggerUIBundle" in bundle.content[:2000]
    assert version("fastapi-offline"), "fastapi-offline ships the assets"
    init = client.get("/site/docs-init.js").text
    assert "validatorUrl: null" in init, "Swagger UI must not call the public validator"


def test_landing_links_the_dashboard_docs_openapi_browser_and_guide(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200, r.text
    links = refs(r.text).links
    assert {"/dashboard", "/docs", "/openapi.json", "/browser/guide"} <= set(links), links
    browser = [link for link in links if link.endswith("/browser/")]
    assert browser and urlsplit(browser[0]).port == offline_settings().local_http_port, browser
    dashboard = has_dashboard(client)
    for link in links:
        if urlsplit(link).netloc or (link == "/dashboard" and not dashboard):
            continue
        assert client.get(link).status_code == 200, link


def test_redoc_redirects_to_swagger_ui(client: TestClient) -> None:
    r = client.get("/redoc", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/docs"


def test_pages_are_not_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not {"/", "/docs", "/redoc"} & set(paths)


def test_cors_still_answers_json_routes_for_a_configured_origin() -> None:
    with TestClient(create_app(offline_settings(cors_origins="https://dash.example.org"))) as c:
        r = c.get("/health", headers={"Origin": "https://dash.example.org"})
        assert r.headers["access-control-allow-origin"] == "https://dash.example.org"
        assert r.headers["x-content-type-options"] == "nosniff"
        preflight = {"Origin": "https://dash.example.org", "Access-Control-Request-Method": "GET"}
        pre = c.options("/flows", headers=preflight)
        assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == "https://dash.example.org"


def test_page_csp_constant_is_what_pages_get(client: TestClient) -> None:
    assert client.get("/").headers["content-security-policy"] == PAGE_CSP
