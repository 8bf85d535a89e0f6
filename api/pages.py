"""The API's own HTML pages, served with nothing from another origin: ``/`` (landing) and ``/docs`` (Swagger UI).

- ``GET /``: a small landing page linking the dashboard, the API docs, the OpenAPI document, Neo4j Browser and the
  Browser guide.
- ``GET /docs``: Swagger UI. Its script, stylesheet and favicon are the files the PyPI package ``fastapi-offline``
  ships (pinned in ``requirements.lock``, installed by ``make install`` and the Docker image), served at
  ``/docs/assets/``; the page starts Swagger UI from ``/site/docs-init.js`` (no inline script, so the page's CSP
  can forbid them). ReDoc is not offered (its styling needs inline styles): ``/redoc`` redirects to ``/docs``.
- ``/site/``: this module's own stylesheet and script (``api/static/site/``).

Every HTML answer gets its Content-Security-Policy and hardening headers from ``api.security_headers``.
"""

from __future__ import annotations

import html
from importlib import resources
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from api.settings import ApiSettings
from graph.browser import GUIDE_PATH

SITE_DIR = Path(__file__).resolve().parent / "static" / "site"
DOCS_ASSETS = "/docs/assets"
SITE_ASSETS = "/site"
#: Neo4j's default HTTP port, where Browser is when the API uses a Neo4j it did not start (e.g. docker compose).
NEO4J_HTTP_PORT = 7474

router = APIRouter(include_in_schema=False)


def swagger_assets_dir() -> Path:
    """Swagger UI's files as the installed ``fastapi-offline`` package ships them."""
    path = Path(str(resources.files("fastapi_offline") / "static"))
    if not (path / "swagger-ui-bundle.js").is_file():
        raise FileNotFoundError(f"{path}: fastapi-offline ships no swagger-ui-bundle.js (reinstall: make install)")
    return path


def install_pages(app: FastAPI) -> None:
    """The landing page, /docs, and the static files they load (call with ``docs_url=None, redoc_url=None``)."""
    app.mount(DOCS_ASSETS, StaticFiles(directory=swagger_assets_dir()), name="docs-assets")
    app.mount(SITE_ASSETS, StaticFiles(directory=SITE_DIR), name="site-assets")
    app.include_router(router)


def neo4j_browser_url(request: Request) -> str:
    """Browser on the managed Neo4j's HTTP port, or on 7474 of the host the user reached the API at."""
    settings: ApiSettings = request.app.state.settings
    port = settings.local_http_port if settings.uses_managed_server else NEO4J_HTTP_PORT
    host = request.url.hostname or "127.0.0.1"
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{port}/browser/"


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


@router.get("/", response_class=HTMLResponse)
async def landing(request: Request) -> HTMLResponse:
    root = _root(request)
    title = html.escape(request.app.title)
    links = [
        (f"{root}/dashboard", "Dashboard", "charts and tables built only on the public JSON routes"),
        (f"{root}/docs", "API documentation", "every route with its parameters and models; try them here"),
        (f"{root}/openapi.json", "OpenAPI document", "the machine-readable description of the API"),
        (neo4j_browser_url(request), "Neo4j Browser",
         "the graph itself; on connect it applies the project's style and opens the guide"),
        (f"{root}{GUIDE_PATH}", "Investigation guide",
         "the Browser guide's steps (in Browser: <code>:guide</code> with this address)"),
    ]
    items = "\n".join(
        f'<li><a href="{html.escape(href)}">{label}</a><span>{text}</span></li>' for href, label, text in links
    )
    body = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{root}{SITE_ASSETS}/site.css">
<link rel="icon" href="{root}{DOCS_ASSETS}/favicon.png">
</head>
<body>
<h1>{title}</h1>
<p class="lead">Sourced facts about the Russia–DPRK military relationship; every fact carries the claims behind it.</p>
<ul class="links">
{items}
</ul>
<footer>Version {html.escape(request.app.version)}. Every page here loads only from this address.</footer>
</body>
</html>
"""
    return HTMLResponse(body)


@router.get("/docs", response_class=HTMLResponse)
async def swagger_ui(request: Request) -> HTMLResponse:
    root = _root(request)
    title = html.escape(f"{request.app.title} - Swagger UI")
    openapi_url = html.escape(f"{root}{request.app.openapi_url}")
    body = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="{root}{DOCS_ASSETS}/swagger-ui.css">
<link rel="icon" href="{root}{DOCS_ASSETS}/favicon.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
<script src="{root}{DOCS_ASSETS}/swagger-ui-bundle.js"></script>
<script src="{root}{SITE_ASSETS}/docs-init.js"></script>
</body>
</html>
"""
    return HTMLResponse(body)


@router.get("/redoc")
async def redoc(request: Request) -> RedirectResponse:
    return RedirectResponse(f"{_root(request)}/docs", status_code=307)
