"""``rdkg query NAME --param k=v [--json]`` and ``rdkg queries``: the canned query catalogue from the shell."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from graph.db import driver as open_driver
from graph.errors import exit_on_error
from graph.settings import Settings
from queries.registry import Registry
from queries.runner import Row, bind_text, run_sync

console = Console()
err = Console(stderr=True)

ParamOption = Annotated[
    list[str] | None, typer.Option("--param", "-p", help="A parameter as NAME=VALUE (repeat for several).")
]


def _parse_pairs(pairs: list[str]) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise typer.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint="--param")
        values.setdefault(name.strip(), []).append(value)
    return values


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _print_table(title: str, rows: list[Row]) -> None:
    if len(rows) == 1 and isinstance(rows[0].get("items"), list):  # a paginated answer: show the page
        console.print(f"total: {rows[0].get('total')}")
        rows = rows[0]["items"]
    if not rows:
        console.print("(no rows)")
        return
    table = Table(title=title, show_lines=True)
    for column in rows[0]:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(column)) for column in rows[0]))
    console.print(table)


def query(
    name: Annotated[str, typer.Argument(help="The canned query's name (see `rdkg queries`).")],
    param: ParamOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as JSON instead of a table.")] = False,
    timeout: Annotated[float, typer.Option(help="Transaction timeout in seconds.")] = 30.0,
) -> None:
    """Run one canned query by name (reads only) and print its rows."""
    settings = Settings()
    with exit_on_error(err):
        canned = Registry.load().get(name)
        raw = _parse_pairs(param or [])
        params = bind_text(canned, raw)
        with open_driver(settings) as drv:
            rows = run_sync(drv, canned, params, database=settings.neo4j_database, timeout=timeout)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        _print_table(name, rows)


def queries(
    as_json: Annotated[bool, typer.Option("--json", help="Print the catalogue as JSON.")] = False,
) -> None:
    """List the canned queries with their parameters."""
    with exit_on_error(err):
        registry = Registry.load()
    if as_json:
        catalogue = [
            {"name": q.name, "description": q.description, "mode": q.mode.value,
             "params": [{"name": p.public, "type": p.type, "required": p.required, "default": _cell(p.default),
                         "help": p.help} for p in q.params]}
            for q in registry
        ]
        typer.echo(json.dumps(catalogue, ensure_ascii=False, indent=2))
        return
    table = Table(title="canned queries", show_lines=True)
    for column in ("name", "description", "parameters"):
        table.add_column(column, overflow="fold")
    for q in registry:
        params = "\n".join(
            f"{p.public}: {p.type}" + ("" if p.required else f" = {_cell(p.default) or 'null'}") for p in q.params
        )
        table.add_row(q.name, q.description, params)
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``rdkg query`` and ``rdkg queries`` to the root app."""
    app.command("query")(query)
    app.command("queries")(queries)
