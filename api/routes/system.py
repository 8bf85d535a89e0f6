"""``GET /health`` (process up), ``GET /ready`` (Neo4j answers), ``GET /export`` (the whole knowledge base)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.access import Graph, VersionDep
from api.errors import NotAcceptable
from api.models import ErrorBody, Health, Ready
from api.rdf import FINGERPRINT_HEADER, KnowledgeBase, RdfFormat, negotiate
from api.warmup import WarmingUp, WarmupDep

router = APIRouter(tags=["system"])


@router.get("/health", response_model=Health, summary="The API process is up (does not touch Neo4j)")
async def health(request: Request) -> Health:
    """Also which release the graph holds (from the graph version the API polls, not a query of its own)."""
    version = request.app.state.version
    return Health(status="ok", release=request.app.state.releases.label(version.release, version.data_fingerprint),
                  data_fingerprint=version.data_fingerprint)


@router.get("/ready", response_model=Ready, responses={503: {"model": ErrorBody}},
            summary="Neo4j is reachable and the canned queries are planned (503 if not)")
async def ready(graph: Graph, warmup: WarmupDep) -> Ready:
    """503 `graph_unavailable` while Neo4j cannot be reached; 503 `warming_up` for the few seconds after the API
    (re)connects, while it plans the canned queries in the background (bounded by `RDKG_API_WARMUP_SECONDS`;
    data routes answer meanwhile)."""
    await graph.ping()
    if not warmup.ready:
        raise WarmingUp(warmup.describe())
    return Ready(status="ready", neo4j=graph.settings.display_uri, database=graph.settings.neo4j_database)


@router.get(
    "/export",
    responses={200: {"content": {"text/turtle": {}, "application/ld+json": {}}}, 406: {"model": ErrorBody},
               409: {"model": ErrorBody, "description": "data/ is not the data the graph holds (run `rdkg load`)"},
               422: {"model": ErrorBody}, 503: {"model": ErrorBody}},
    summary="The whole knowledge base (data + ontology) as Turtle or JSON-LD",
    response_class=Response,
)
async def export(
    request: Request,
    version: VersionDep,
    format: Annotated[Literal["turtle", "jsonld"] | None, Query(description="override Accept")] = None,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    """Straight from the RDF files (`data/*.ttl` and `ontology/*.ttl`), not from Neo4j; Turtle by default. Only while
    they are the data the graph holds: otherwise 409 `data_differs_from_graph` (load them with `rdkg load`). With
    Neo4j unreachable the files are served as they are; `X-Rdkg-Data-Fingerprint` says which data it is."""
    fmt = negotiate(accept, format)
    if fmt is None:
        if accept and not any(t in accept for t in ("*/*", "text/*", "application/*")):
            raise NotAcceptable(f"cannot produce {accept!r}; ask for text/turtle or application/ld+json")
        fmt = RdfFormat.turtle
    kb: KnowledgeBase = request.app.state.kb
    rdf = await run_in_threadpool(kb.dump, fmt, version.data_fingerprint)
    filename = "rdkg.ttl" if fmt is RdfFormat.turtle else "rdkg.jsonld"
    return Response(rdf.body, media_type=fmt.media_type, headers={
        "Content-Disposition": f'inline; filename="{filename}"', FINGERPRINT_HEADER: rdf.fingerprint})
