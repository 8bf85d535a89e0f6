"""Placeholder: ``rdkg serve`` and ``rdkg run`` are added by the API layer."""

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root ``rdkg`` app."""
