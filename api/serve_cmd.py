"""``rdkg serve`` (the API on 127.0.0.1:8000 by default) and ``rdkg run`` (Neo4j → schema → load data/ → serve).

Logging is configured here, in the entry point, and nowhere else.
"""

from __future__ import annotations

import logging
import time
from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from api.settings import ApiSettings

console = Console(stderr=True)

HostOption = Annotated[str | None, typer.Option(help="Interface to bind (default RDKG_API_HOST or 127.0.0.1).")]
PortOption = Annotated[int | None, typer.Option(help="Port (default RDKG_API_PORT or 8000).")]


def _configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("neo4j").setLevel(logging.WARNING)
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)  # "unknown label" hints on an empty graph


def _serve(settings: ApiSettings, host: str | None, port: int | None) -> None:
    from api.app import create_app  # imported late: building the app loads the query registry

    host, port = host or settings.api_host, port or settings.api_port
    console.print(f"rdkg API on http://{host}:{port}  (OpenAPI docs: http://{host}:{port}/docs)"
                  + (f", {settings.api_workers} workers" if settings.api_workers > 1 else ""))
    if settings.api_workers > 1:
        # Worker processes import the factory and read the same environment (RDKG_*, NEO4J_*).
        create_app(settings)  # fail here, once, on a broken query file rather than in every worker
        uvicorn.run("api.app:create_app", factory=True, workers=settings.api_workers, host=host, port=port,
                    log_config=None, proxy_headers=False)
        return
    uvicorn.run(create_app(settings), host=host, port=port, log_config=None, proxy_headers=False)


def serve(host: HostOption = None, port: PortOption = None) -> None:
    """Serve the REST API (Neo4j may be down: /health answers, data routes say 503 until it is up)."""
    _configure_logging()
    _serve(ApiSettings(), host, port)


def run(host: HostOption = None, port: PortOption = None) -> None:
    """Start Neo4j if needed, apply the schema, load the curated data, then serve the API (Ctrl-C stops it)."""
    from graph.db import driver, ensure_neo4j
    from graph.errors import GraphError
    from graph.schema import apply_schema
    from loaders.history import store_dir
    from loaders.pipeline import load
    from loaders.validation import ValidationFailed

    _configure_logging()
    settings = ApiSettings()
    began = time.monotonic()
    try:
        ensure_neo4j(settings)
        with driver(settings) as drv:
            apply_schema(drv, settings.neo4j_database)
            result = load(drv, settings.neo4j_database, [settings.data_dir], store=store_dir(settings))
    except GraphError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(code=3) from None
    except ValidationFailed as exc:
        for violation in exc.report.errors:
            console.print(f"[red]invalid:[/red] {violation}")
        console.print(f"[red]error:[/red] {exc}; nothing was loaded (run `rdkg validate` for the full report)")
        raise typer.Exit(code=1) from None
    except Exception as exc:  # the loader's own errors (validation, unreadable files) carry their message
        console.print(f"[red]error:[/red] loading {settings.data_dir} failed: {exc}")
        raise typer.Exit(code=1) from None
    console.print(f"graph ready in {time.monotonic() - began:.1f}s: {result.nodes} nodes "
                  f"({result.nodes_created} created, {result.nodes_updated} updated, {result.nodes_deleted} deleted)")
    _serve(settings, host, port)


def register(app: typer.Typer) -> None:
    """Add ``rdkg serve`` and ``rdkg run`` to the root app."""
    app.command("serve")(serve)
    app.command("run")(run)
