"""``rdkg release list|publish|build|changes`` and ``rdkg rollback`` (releases: :mod:`loaders.release`; undo:
:mod:`loaders.history`).

Exit codes (every command's, ``graph/errors.py``): 0 done; 2 unknown release or bad arguments; 3 Neo4j
unreachable; 5 nothing to undo, or the files to undo with are not kept on this machine (the message says which
release to load instead). ``rdkg rollback`` loads through ``rdkg load``'s path and shares its other exit codes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from graph.db import driver as open_driver
from graph.db import ensure_neo4j
from graph.errors import exit_on_error
from graph.settings import Settings
from loaders import history
from loaders import release as releases
from loaders.load_cmd import load_or_exit, print_result

console = Console()
err = Console(stderr=True, soft_wrap=True)
release_app = typer.Typer(help="Published releases of the knowledge base (data/releases/).", no_args_is_help=True)


@release_app.command("list")
def list_cmd() -> None:
    """The published releases, oldest first, with their dates and counts."""
    with exit_on_error(err):
        found = releases.list_releases(releases.releases_dir())
    table = Table(title=f"{len(found)} release(s) in {releases.releases_dir()}")
    for column in ("version", "date", "title", "coverage", "claims", "flows", "estimates", "sources",
                   "input fingerprint"):
        table.add_column(column, no_wrap=column in ("version", "date"))
    for rel in found:
        c = rel.manifest.get("counts", {})
        coverage = "; ".join(f.get("coverage", f["file"]) for f in rel.manifest.get("fact_bases", []))
        table.add_row(rel.version, rel.date, str(rel.manifest.get("title") or ""), coverage, str(c.get("claims")),
                      str(c.get("flows")), str(c.get("estimates")), str(c.get("sources")), rel.input_fingerprint[:16])
    console.print(table)


@release_app.command("publish")
def publish_cmd(
    version: Annotated[str, typer.Argument(help="YYYY.MM of the publication date, e.g. 2026.12")],
    date: Annotated[str, typer.Option("--date", help="publication date YYYY-MM-DD")],
    title: Annotated[str, typer.Option("--title", help="one line: what this release is")],
    data: Annotated[Path | None, typer.Option("--data", help="data directory (default: data/)")] = None,
    ontology: Annotated[Path | None, typer.Option("--ontology", help="ontology directory (default: ontology/)")] = None,
    fact_base: Annotated[list[Path] | None, typer.Option("--fact-base", help="fact base the release carries "
                                                                             "(repeatable)")] = None,
    note: Annotated[str | None, typer.Option("--note", help="longer description")] = None,
) -> None:
    """Archive the data and ontology as release VERSION in data/releases/ (manifest, files, changelog).

    Publishing again from unchanged files rewrites identical bytes.
    """
    from ontology import ONTOLOGY_DIR

    settings = Settings()
    with exit_on_error(err):
        try:
            rel = releases.publish(version, date, title, data or settings.data_dir, ontology or ONTOLOGY_DIR,
                                   fact_base or [], releases.releases_dir(settings), note)
        except OSError as exc:
            raise releases.ReleaseError(str(exc)) from exc
    log = rel.changelog()
    console.print(f"published {rel.version} ({rel.date}) in {rel.path}: {rel.manifest['counts']}")
    console.print(f"changes since {log['from']}: " + ", ".join(f"{k} {v}" for k, v in log["counts"].items() if v))


@release_app.command("build")
def build_cmd(
    version: Annotated[str | None, typer.Argument(help="release (default: the newest)")] = None,
    out: Annotated[Path, typer.Option("--out", help="output directory")] = releases.BUILD_DIR,
) -> None:
    """Write the release's artefacts — canonical Turtle, JSON-LD, flows CSV (one row per estimate), changelog,
    manifest, SHA256SUMS — to build/releases/VERSION/ (byte-identical on every run), checked against the hashes
    recorded when the release was published (exit 2 naming the files that differ)."""
    with exit_on_error(err):
        path = releases.build(version, out, releases.releases_dir())
    console.print(f"built {path} (the same bytes as when the release was published):")
    console.print((path / "SHA256SUMS").read_text(encoding="utf-8").rstrip())


@release_app.command("changes")
def changes_cmd(
    version: Annotated[str | None, typer.Argument(help="release (default: the newest)")] = None,
) -> None:
    """The release's changelog (vs the release before it) as JSON."""
    with exit_on_error(err):
        found = releases.list_releases(releases.releases_dir())
        rel = releases.get_release(version, releases.releases_dir()) if version else (found[-1] if found else None)
        if rel is None:
            raise releases.ReleaseError("no releases published")
        print(json.dumps(rel.changelog(), indent=2, ensure_ascii=False))


def rollback(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report what the undo would change")] = False,
) -> None:
    """Undo the last load: load again what the graph held before it (one atomic load; undoing twice redoes)."""

    settings = Settings()
    with exit_on_error(err):
        ensure_neo4j(settings)
        with open_driver(settings) as drv:
            current, previous = history.current_and_previous(drv, settings.neo4j_database)
        if current is None or previous is None:
            raise history.UndoUnavailable("nothing to undo: the graph has no record of a load before the current one")
        if previous.inputs is None:
            raise history.UndoUnavailable(
                "the load before the current one recorded no input files (it predates undo); "
                "load a release instead: `rdkg load --release VERSION` (`rdkg release list`)")
    console.print(f"undoing {current.describe()}: back to {previous.describe()}")
    if previous.release:
        try:
            published = releases.get_release(previous.release, releases.releases_dir(settings))
        except releases.ReleaseError:
            published = None
        if published is not None and published.input_fingerprint == previous.input_fingerprint:
            with releases.extracted(published) as root:
                print_result(load_or_exit(settings, [root / "data"], dry_run, False, True, published.version))
            return
    with exit_on_error(err):
        files = history.kept_files(history.store_dir(settings), previous.inputs)
    print_result(load_or_exit(settings, files, dry_run, False, True, previous.release))


def register(app: typer.Typer) -> None:
    app.add_typer(release_app, name="release")
    app.command(name="rollback")(rollback)
