"""The composition root: the one console command, ``rdkg`` (``python -m rdkg``).

Each layer keeps its commands in its own ``cli.py`` exposing ``register(app)`` — ``graph/cli.py`` (the managed
Neo4j), ``loaders/cli.py`` (schema, validate, load, release, rollback, rebuild), ``queries/cli.py`` (query,
queries), ``api/cli.py`` (serve). This module only composes them, plus ``rdkg run``, the one command that spans
layers (Neo4j → schema → load data/ → serve). It is the top of the dependency graph: it may import every layer,
and nothing imports it (docs/architecture.md).
"""

from __future__ import annotations

import time

import typer

from api import cli as api_cli
from api.cli import HostOption, PortOption, configure_logging, console, serve_app
from api.settings import ApiSettings
from graph import cli as graph_cli
from graph.db import driver, ensure_neo4j
from graph.errors import exit_on_error
from graph.schema import apply_schema
from loaders import cli as loaders_cli
from loaders.history import store_dir
from loaders.pipeline import load
from queries import cli as queries_cli

app = typer.Typer(
    name="rdkg",
    help="Russia–DPRK military knowledge graph: Neo4j, ontology validation, loading, canned queries and the API.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def run(host: HostOption = None, port: PortOption = None) -> None:
    """Start Neo4j if needed, apply the schema, load the curated data, then serve the API (Ctrl-C stops it)."""
    configure_logging()
    settings = ApiSettings()
    began = time.monotonic()
    with exit_on_error(console, f"nothing was loaded from {settings.data_dir}; the API was not started"):
        ensure_neo4j(settings)
        with driver(settings) as drv:
            apply_schema(drv, settings.neo4j_database)
            result = load(drv, settings.neo4j_database, [settings.data_dir], store=store_dir(settings))
    console.print(f"graph ready in {time.monotonic() - began:.1f}s: {result.nodes} nodes "
                  f"({result.nodes_created} created, {result.nodes_updated} updated, {result.nodes_deleted} deleted)")
    serve_app(settings, host, port)


for layer in (graph_cli, loaders_cli, queries_cli, api_cli):
    layer.register(app)
app.command("run")(run)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
