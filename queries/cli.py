"""Placeholder: this layer's CLI commands are added by its owner."""

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root ``rdkg`` app."""
