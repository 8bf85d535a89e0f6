"""The loader layer's commands, registered on the root ``rdkg`` app (``rdkg/cli.py``): validate
(``validate_cmd.py``), schema and load (``load_cmd.py``), release and rollback (``release_cmd.py``), rebuild
(``rebuild_cmd.py``). Their exit codes are every command's (``graph/errors.py``)."""

from __future__ import annotations

import typer

from loaders import load_cmd, rebuild_cmd, release_cmd, validate_cmd


def register(app: typer.Typer) -> None:
    """Add validate, schema, load, release, rollback and rebuild, in that order (``rdkg --help`` lists them so)."""
    validate_cmd.register(app)
    app.command(name="schema")(load_cmd.schema)
    app.command(name="load")(load_cmd.load_command)
    release_cmd.register(app)
    rebuild_cmd.register(app)
