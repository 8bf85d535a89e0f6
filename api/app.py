"""The FastAPI application factory: ``create_app(settings)``.

The lifespan opens the process's one AsyncDriver (and closes it on exit); the query registry is loaded when the app
is built, so a broken ``.cypher`` file stops start-up with its file name. Routes are thin: parse, call a canned
query by name, return a typed model.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api import browser_routes, dashboard, pages
from api.access import GraphAccess
from api.caching import CachingMiddleware, ResponseCache, code_token, versioned_prefixes
from api.errors import install_handlers
from api.params import document_page_cap
from api.rdf import FINGERPRINT_HEADER, KnowledgeBase
from api.releases import HEADER, ReleaseCatalogue, ReleaseHeaderMiddleware
from api.resolve import Resolver
from api.routes import catalogue, disputes, entities, events, flows, graph, releases, sources, system
from api.security_headers import SecurityHeadersMiddleware
from api.settings import ApiSettings
from api.strict import strict_query
from api.url_guard import UrlLengthGuard
from api.version import GraphLookups, GraphVersion
from api.warmup import PlanWarmup
from queries.registry import Registry

log = logging.getLogger(__name__)

#: The routers whose answers depend only on the graph, the request and the code: their paths get versioned ETags
#: and the response cache (api/caching.py); a route added to one of them is versioned with no other change.
GRAPH_ROUTERS = (flows, entities, sources, disputes, events, graph, catalogue)

DESCRIPTION = """Sourced facts about the Russia–DPRK military relationship, as typed JSON.

Every fact carries the **claims** that back it (source document, verbatim quote, stance, confidence). Errors are
`{"error": code, "detail": text}`: 404 unknown id, 422 bad parameter (named), 503 Neo4j unreachable.
GETs carry `ETag` and `Cache-Control`; send `If-None-Match` to get a 304 when nothing changed (the ETag follows
the graph version: a new load gives new ETags within a second). Every response says which published release the
graph holds in `X-Rdkg-Release` (`2026.12`, or `2026.12+` for data newer than it); `/releases` and `/changes` list
the releases and what changed.
"""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    access: GraphAccess = app.state.graph
    version: GraphVersion = app.state.version
    warmup: PlanWarmup = app.state.warmup
    await access.open()  # when Neo4j answers, the plan warm-up starts in the background (api/warmup.py)
    await version.start()
    try:
        yield
    finally:
        await warmup.stop()
        await version.stop()
        await access.close()


def create_app(settings: ApiSettings | None = None, registry: Registry | None = None) -> FastAPI:
    settings = settings or ApiSettings()
    # /docs is served by api.pages from the API's own origin (FastAPI's default loads Swagger UI from a CDN)
    # strict_query: an unknown query parameter is a 422 naming it, on every route (api/strict.py)
    app = FastAPI(title="rdkg API", version="0.1.0", description=DESCRIPTION, lifespan=lifespan, docs_url=None,
                  redoc_url=None, dependencies=[Depends(strict_query)])
    app.state.settings = settings
    registry = registry or Registry.load()
    # the app's parts, each built with what it uses (routes receive them through the Depends aliases of
    # api/access.py and api/resolve.py; the lifespan opens and closes them)
    access = GraphAccess(settings, registry)
    version = GraphVersion(access, settings.version_poll_seconds)
    cache = ResponseCache(settings.api_cache_bytes) if settings.api_cache and settings.api_cache_bytes else None
    if cache is not None:
        version.on_change(cache.clear)
    app.state.graph, app.state.version, app.state.response_cache = access, version, cache
    app.state.lookups = GraphLookups(access, version)  # category slugs per graph version (LookupsDep)
    app.state.warmup = warmup = PlanWarmup(access, settings.api_warmup_seconds)  # plans after each (re)connection
    access.on_reconnect(warmup.start)
    app.state.resolver = Resolver(access, version)  # entity references → ids, for every route (api/resolve.py)
    app.state.kb = KnowledgeBase(settings.data_dir)
    app.state.releases = ReleaseCatalogue(settings.data_dir / "releases")
    install_handlers(app)
    settings_text = settings.model_dump_json(exclude={"neo4j_password"}).encode()
    token = code_token([q.text.encode() for q in registry] + [settings_text])
    versioned = versioned_prefixes(route.path for module in GRAPH_ROUTERS for route in module.router.routes)
    app.add_middleware(CachingMiddleware, max_age=settings.cache_max_age, versioned=versioned, version=version,
                       cache=cache, token=token)
    app.add_middleware(UrlLengthGuard, max_request_bytes=settings.max_request_bytes)
    if settings.cors_origin_list:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origin_list, allow_methods=["GET", "HEAD"],
                           allow_headers=["*"], expose_headers=["ETag", HEADER, FINGERPRINT_HEADER])
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(ReleaseHeaderMiddleware,  # outermost: on every answer, cached and errors included
                       label=lambda: app.state.releases.label(version.release, version.data_fingerprint))
    for module in (*GRAPH_ROUTERS, releases, system):
        app.include_router(module.router)
    app.include_router(browser_routes.router)
    app.include_router(dashboard.router)
    pages.install_pages(app)
    document_page_cap(app, settings.max_page_size)
    return app
