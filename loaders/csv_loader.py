"""CSV transfer records → Turtle (placeholder; being written)."""

from pathlib import Path


def csv_to_turtle(path: Path) -> str:
    raise NotImplementedError(str(path))
