"""Fixtures shared by the unit tests."""

from __future__ import annotations

import pytest
import typer

from loaders import validate_cmd


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    app = typer.Typer()
    validate_cmd.register(app)

    @app.callback()
    def _root() -> None:  # keeps "validate" a sub-command, as in the real rdkg app
        pass

    return app
