"""``rdkg validate [PATH...]``: check curated Turtle against the ontology and its SHACL shapes.

Exit codes: 0 the data conforms, 1 violations were found, 2 a file could not be read or parsed.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from graph.errors import DataFileError
from loaders.report import ValidationReport
from loaders.validation import ENGINE_ENV, ENGINES, check_engine, default_engine, validate

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1] / "data"

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(help="Turtle files or directories (directories expand to *.ttl). Default: the repo's data/."),
]


def register(app: typer.Typer) -> None:
    """Add ``validate`` to the root ``rdkg`` app."""
    app.command("validate")(validate_command)


def validate_command(
    paths: PathsArg = None,
    limit: Annotated[int, typer.Option(help="Show at most this many rows (0 = all).")] = 0,
    engine: Annotated[
        str | None,
        typer.Option(
            help=f"SHACL engine: {' or '.join(ENGINES)} (the reference; slower). Default: ${ENGINE_ENV}, else turbo.",
        ),
    ] = None,
) -> None:
    """Validate curated Turtle against ontology/rdkg.ttl, categories.ttl and shapes.ttl."""
    try:
        chosen = check_engine(engine) if engine is not None else default_engine()
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint=f"--engine / ${ENGINE_ENV}") from None
    # rdflib logs ill-typed literals (e.g. "2024-13-01"^^xsd:date) with a traceback; SHACL reports them properly
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    console = Console(soft_wrap=False)
    try:
        report = validate(paths or [DEFAULT_DATA_DIR], engine=chosen)
    except DataFileError as e:
        Console(stderr=True, soft_wrap=True).print(f"error: {e}", style="bold red", highlight=False, markup=False)
        raise typer.Exit(2) from None
    if report.violations:
        console.print(_table(report, limit))
        console.print(_by_message(report))
    console.print(_summary(report), highlight=False, markup=False)
    raise typer.Exit(0 if report.conforms else 1)


def _table(report: ValidationReport, limit: int) -> Table:
    rows = report.violations[:limit] if limit else report.violations
    title = f"{len(report.violations)} result(s)" + (f", first {limit} shown" if limit else "")
    table = Table(title=title, expand=True)
    for column, ratio in (("file", 2), ("focus node", 3), ("path", 2), ("message", 5), ("value", 2)):
        table.add_column(column, overflow="fold", ratio=ratio)
    for v in rows:
        severity = "" if v.severity == "Violation" else f"[{v.severity}] "
        cells = (v.file or "", v.focus, v.path or "", severity + v.message, v.value or "")
        table.add_row(*(Text(c) for c in cells))
    return table


def _by_message(report: ValidationReport) -> Table:
    table = Table(title="By message")
    table.add_column("count", justify="right")
    table.add_column("message", overflow="fold")
    for message, count in report.counts_by_message.most_common():
        table.add_row(str(count), Text(message))
    return table


def _summary(report: ValidationReport) -> str:
    files = ", ".join(p.name for p in report.files) or "no files"
    verdict = "conforms" if report.conforms else f"does NOT conform ({len(report.errors)} violation(s))"
    return f"{len(report.files)} file(s) [{files}], {report.data_triples} data triples: {verdict}"
