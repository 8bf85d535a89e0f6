"""The API layer's command: ``rdkg serve`` (the API on 127.0.0.1:8000 by default).

Logging is configured here (``configure_logging``, also used by ``rdkg run``), in the entry point, and nowhere else.
"""

from __future__ import annotations

import logging
from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from api.settings import ApiSettings

console = Console(stderr=True)

HostOption = Annotated[str | None, typer.Option(help="Interface to bind (default RDKG_API_HOST or 127.0.0.1).")]
PortOption = Annotated[int | None, typer.Option(help="Port (default RDKG_API_PORT or 8000).")]


def configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("neo4j").setLevel(logging.WARNING)
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)  # "unknown label" hints on an empty graph


def serve_app(settings: ApiSettings, host: str | None, port: int | None) -> None:
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
    configure_logging()
    serve_app(ApiSettings(), host, port)


def register(app: typer.Typer) -> None:
    """Add ``rdkg serve`` to the root app (``rdkg run``, which also loads, is the root's own: ``rdkg/cli.py``)."""
    app.command("serve")(serve)
