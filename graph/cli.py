"""``rdkg neo4j start|stop|status``: the managed local Neo4j server."""

from __future__ import annotations

import time

import typer
from rich.console import Console

from graph.db import local_server
from graph.errors import exit_on_error
from graph.server import NEO4J_VERSION
from graph.settings import Settings

console = Console()
err = Console(stderr=True)
neo4j_app = typer.Typer(help="Run a real Neo4j Community server locally (no Docker needed).", no_args_is_help=True)


@neo4j_app.command()
def start() -> None:
    """Download (first time), start Neo4j on 127.0.0.1 and wait until Bolt answers."""
    server = local_server(Settings())
    began = time.monotonic()
    with exit_on_error(err):
        started = server.start()
    if not started:
        console.print(f"Neo4j is already running (pid {server.status().pid}) at {server.bolt_uri}")
        return
    console.print(f"Neo4j {NEO4J_VERSION} started in {time.monotonic() - began:.1f}s at {server.bolt_uri}")
    console.print(f"Neo4j Browser: {server.browser_url}  (user neo4j, password in {server.password_file})")


@neo4j_app.command()
def stop() -> None:
    """Stop the local Neo4j cleanly; its data stays for the next start."""
    server = local_server(Settings())
    if server.stop():
        console.print("Neo4j stopped")
    else:
        console.print("Neo4j was not running")


@neo4j_app.command()
def status() -> None:
    """Say whether the local Neo4j runs, where, and where its files are (exit 3 when stopped)."""
    state = local_server(Settings()).status()
    if state.running:
        console.print(f"Neo4j {state.version} running (pid {state.pid}) at {state.bolt_uri}; "
                      f"Browser {state.browser_url}; home {state.home}")
        return
    console.print(f"Neo4j is not running (home {state.home})")
    raise typer.Exit(code=3)


def register(app: typer.Typer) -> None:
    app.add_typer(neo4j_app, name="neo4j")
