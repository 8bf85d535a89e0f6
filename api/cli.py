"""The one console command, ``rdkg``: Neo4j, schema, validate, load, query, serve, run.

Each layer defines its own commands in a small module exposing ``register(app)``; this module only composes
them (it is the top of the dependency graph, so it may import every layer).
"""

from __future__ import annotations

import typer

from api import serve_cmd
from graph import cli as graph_cli
from loaders import cli as loaders_cli
from loaders import rebuild_cmd, release_cmd, validate_cmd
from queries import cli as queries_cli

app = typer.Typer(
    name="rdkg",
    help="Russia–DPRK military knowledge graph: Neo4j, ontology validation, loading, canned queries and the API.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (graph_cli, validate_cmd, loaders_cli, release_cmd, rebuild_cmd, queries_cli, serve_cmd):
    module.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
