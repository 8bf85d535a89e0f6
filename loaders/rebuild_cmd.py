"""``rdkg rebuild``: build the graph from scratch with Neo4j's offline importer and swap it in (docs/rebuild.md).

Exit codes (every command's, ``graph/errors.py``): 0 rebuilt (or files written); 1 SHACL violations or terms the
ontology does not define; 2 unreadable input; 3 a stage failed (the previous graph still serves) or the server is
not one rdkg manages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from graph.errors import exit_on_error
from graph.settings import Settings
from loaders.rebuild import RebuildResult, rebuild

console = Console()
err = Console(stderr=True, soft_wrap=True)

FILES_HELP = ("Only validate and map: write the importer's input files (and import-args.txt) to this directory, "
              "for running neo4j-admin elsewhere (e.g. the Docker service); the graph is not touched")


def rebuild_cmd(
    paths: Annotated[list[Path] | None, typer.Argument(help="Turtle/CSV files or directories (default: data/)")] = None,
    csv: Annotated[list[Path] | None, typer.Option("--csv", help="Also this CSV of transfers")] = None,
    no_validate: Annotated[bool, typer.Option("--no-validate", help="Skip SHACL (unknown terms are still refused)")]
    = False,
    workers: Annotated[int, typer.Option("--workers", help="Mapping processes (0: one per core)")] = 0,
    files_only: Annotated[Path | None, typer.Option("--files-only", help=FILES_HELP)] = None,
) -> None:
    """Rebuild the managed Neo4j's graph from scratch with the offline importer; swap it in once checked."""
    settings = Settings()
    inputs = [*(paths or [settings.data_dir]), *(csv or [])]

    def progress(stage: str, detail: str) -> None:
        if detail:
            err.print(f"  [green]{stage}[/green]: {detail}")
        else:
            err.print(f"[bold]{stage}[/bold] …")

    with exit_on_error(err, "nothing was changed"):
        result = rebuild(settings, inputs, validate_first=not no_validate, workers=workers or None,
                         progress=progress, files_only=files_only)
    _print_result(result, files_only)


def _print_result(result: RebuildResult, files_only: Path | None) -> None:
    table = Table(title=f"{result.nodes} nodes, {sum(result.relationships.values())} relationships from "
                        f"{result.triples} triples")
    table.add_column("label / relationship type")
    table.add_column("count", justify="right")
    for label, count in result.labels.items():
        table.add_row(f":{label}", str(count))
    for rel, count in result.relationships.items():
        table.add_row(f"[{rel}]", str(count))
    console.print(table)
    stages = ", ".join(f"{stage} {secs:.1f}s" for stage, secs in result.seconds.items() if stage != "total")
    if files_only is not None:
        console.print(f"importer input written to {files_only} (arguments in {files_only / 'import-args.txt'}); "
                      f"{stages}")
        return
    console.print(f"rebuilt in {result.seconds.get('total', 0):.1f}s ({stages}); the server was down for "
                  f"{result.down_seconds:.1f}s while it restarted on the new store, then answered on it for "
                  f"{result.swap_seconds.get('check', 0):.1f}s while its indexes came online and it was checked")


def register(app: typer.Typer) -> None:
    app.command(name="rebuild")(rebuild_cmd)
