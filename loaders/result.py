"""What a load did (or, for a dry run, would do): :class:`LoadResult`, shared by the dry-run plan, the writer and
``load()``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from graph.contract import OWNERSHIP_LABEL
from loaders.guard import Removal
from loaders.rows import NodeRow


@dataclass
class LoadResult:
    """What a load did (or, for a dry run, would do), and the resulting graph's counts."""

    labels: dict[str, int]
    relationships: dict[str, int]
    triples: int
    files: list[Path]
    nodes_created: int = 0
    nodes_updated: int = 0
    nodes_deleted: int = 0
    nodes_unchanged: int = 0
    relationships_created: int = 0
    relationships_deleted: int = 0
    seconds: float = 0.0
    dry_run: bool = False
    #: what the load deletes, counted for the removal guard (None when nothing was compared: an unchanged reload)
    removal: Removal | None = None

    @property
    def nodes(self) -> int:
        return self.labels.get(OWNERSHIP_LABEL, 0)

    @property
    def changed(self) -> bool:
        return bool(self.nodes_created or self.nodes_updated or self.nodes_deleted)



def counts(rows: list[NodeRow], triples: int, files: list[Path]) -> LoadResult:
    """The counts of mapped rows (labels, relationship types), nothing compared yet."""
    labels: Counter[str] = Counter(label for row in rows for label in row.labels)
    rels: Counter[str] = Counter(rel for row in rows for rel, _ in row.rels)
    return LoadResult(dict(sorted(labels.items())), dict(sorted(rels.items())), triples, list(files))
