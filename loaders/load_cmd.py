"""``rdkg schema`` and ``rdkg load``: constraints/indexes, and RDF/CSV → Neo4j (registered by ``loaders/cli.py``).

Exit codes of ``rdkg load`` (every command's, ``graph/errors.py``): 0 loaded (or dry run done); 1 SHACL violations
or terms the ontology does not define (the report is printed); 2 unreadable input (``file:line: message`` for Turtle
and CSV), or an unknown release; 3 Neo4j unreachable or refusing a statement; 4 refused by the removal guard
(``loaders/guard.py``: the load would delete more than 5 % of the nodes or a source document; ``--prune`` lets it
through). In every failing case nothing is written. Every load keeps its input files in the load store and records
what it replaced, so ``rdkg rollback`` (``loaders/release_cmd.py``) can undo it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph.db import driver as open_driver
from graph.db import ensure_neo4j
from graph.errors import exit_on_error
from graph.schema import apply_schema, schema_items
from graph.settings import Settings
from loaders import release as releases
from loaders.guard import MAX_DELETED_SHARE
from loaders.history import store_dir
from loaders.pipeline import load
from loaders.result import LoadResult
from loaders.validation import ENGINE_ENV, ValidationFailed, default_engine, validate

console = Console()
err = Console(stderr=True, soft_wrap=True)


def schema() -> None:
    """Create the graph's constraints and indexes (idempotent: existing ones are kept, obsolete rdkg_ ones dropped)."""
    settings = Settings()
    with exit_on_error(err):
        ensure_neo4j(settings)
        with open_driver(settings) as drv:
            dropped = apply_schema(drv, settings.neo4j_database)
    if dropped:
        console.print(f"dropped {len(dropped)} obsolete: {', '.join(dropped)}")
    console.print(f"schema ready: {len(schema_items())} constraints and indexes on {settings.neo4j_database}")


FORCE_HELP = "Compare node by node even if the inputs are unchanged since the last load"
CSV_HELP = "Also load this CSV file of transfer records (repeatable; added to the default data/)"
PRUNE_HELP = (f"Let the load delete more than {100 * MAX_DELETED_SHARE:g} % of the graph's nodes or any source "
              "document (refused otherwise; `rdkg rollback` undoes a load)")
RELEASE_HELP = "Load this published release (data/releases/VERSION) instead of PATHs, whatever it deletes"


def load_command(
    paths: Annotated[list[Path] | None, typer.Argument(help="Turtle/CSV files or directories (default: data/)")] = None,
    csv: Annotated[list[Path] | None, typer.Option("--csv", help=CSV_HELP)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and report changes; write nothing")] = False,
    force: Annotated[bool, typer.Option("--force", help=FORCE_HELP)] = False,
    prune: Annotated[bool, typer.Option("--prune", help=PRUNE_HELP)] = False,
    release: Annotated[str | None, typer.Option("--release", metavar="VERSION", help=RELEASE_HELP)] = None,
) -> None:
    """Validate, then make the graph's :Rdkg part equal to the data (default: data/*.ttl and data/csv/*.csv).

    To add a file to the knowledge base, load it together with data/: `rdkg load data/ FILE`.
    """
    settings = Settings()
    inputs = [*(paths or [settings.data_dir]), *(csv or [])]
    try:
        default_engine()
    except ValueError as exc:
        err.print(f"[red]error:[/red] {ENGINE_ENV}: {exc}")
        raise typer.Exit(code=2) from None
    if release is not None:
        if paths or csv:
            err.print("[red]error:[/red] --release loads a whole release: give no PATH or --csv with it")
            raise typer.Exit(code=2)
        with exit_on_error(err):
            published = releases.get_release(release, releases.releases_dir(settings))
        with releases.extracted(published) as root:
            # a release is validated against the ontology and shapes it was published with (today's shapes may
            # refuse an older model), then loaded with today's mapping
            with exit_on_error(err, "nothing was written"):
                report = validate([root / "data"], ontology_dir=root / "ontology")
                if not report.conforms and report.errors:
                    raise ValidationFailed(report)
            result = load_or_exit(settings, [root / "data"], dry_run, force, True, published.version,
                                  validate_first=False)
        print_result(result)
        if not dry_run:
            console.print(f"the graph holds release {published.version} ({published.date})")
        return
    print_result(load_or_exit(settings, inputs, dry_run, force, prune, None))


def load_or_exit(settings: Settings, inputs: list[Path], dry_run: bool, force: bool, prune: bool,
                 release: str | None, validate_first: bool = True) -> LoadResult:
    """A load with the CLI's messages and exit codes (also ``rdkg rollback``'s)."""
    with exit_on_error(err, "nothing was written"):
        result = _run_load(settings, inputs, dry_run, force, prune, release, validate_first)
    return result


def _run_load(settings: Settings, inputs: list[Path], dry_run: bool, force: bool, prune: bool = True,
              release: str | None = None, validate_first: bool = True) -> LoadResult:
    ensure_neo4j(settings)
    columns = (TextColumn("{task.description:<40}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with open_driver(settings) as drv, Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("validating and mapping", total=None)

        def progress(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total)

        return load(drv, settings.neo4j_database, inputs, dry_run=dry_run, progress=progress, force=force,
                    prune=prune, release=release, store=store_dir(settings), validate_first=validate_first)


def print_result(result: LoadResult) -> None:
    verb = "would be" if result.dry_run else "were"
    table = Table(title=f"{'Dry run: ' if result.dry_run else ''}{result.nodes} nodes, "
                        f"{sum(result.relationships.values())} relationships from {result.triples} triples")
    table.add_column("label / relationship type")
    table.add_column("count", justify="right")
    for label, count in result.labels.items():
        table.add_row(f":{label}", str(count))
    for rel, count in result.relationships.items():
        table.add_row(f"[{rel}]", str(count))
    console.print(table)
    console.print(
        f"nodes: {result.nodes_created} {verb} created, {result.nodes_updated} updated, "
        f"{result.nodes_deleted} deleted, {result.nodes_unchanged} unchanged; relationships: "
        f"{result.relationships_created} created, {result.relationships_deleted} deleted "
        f"({result.seconds:.1f}s)"
    )
    removal = result.removal
    if result.dry_run and removal is not None and removal.deleted:
        console.print(f"would delete {removal.summary()}")
        if removal.refused:
            console.print("[yellow]a load of these inputs would be refused without --prune[/yellow]")
