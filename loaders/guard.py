"""Guarded removal: a load that would delete much of the knowledge graph stops unless it is asked to prune.

``rdkg load PATH`` makes the graph's ``:Rdkg`` part equal to PATH ("update with removal"), so loading one file
that validates on its own would otherwise wipe everything else. The guard refuses a load that would delete

- more than :data:`MAX_DELETED_SHARE` (5 %) of the ``:Rdkg`` nodes in the graph, or
- any source document (``:SourceDocument``: what every claim cites),

before anything is committed, and names how many nodes of which kinds would go (the dry run's numbers).
``rdkg load --prune`` (``load(..., prune=True)``) lets such a load through; ``rdkg rollback`` undoes it.

The check runs where the loader knows the deletions: in memory before the first statement (inputs under
``STREAM_MIN_BYTES``, which is every curated set), or — for streamed inputs — after the last batch and before the
deleting statements, so the refusal rolls the load's transaction back. Either way the graph is left as it was.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rich.markup import escape

from graph.contract import OWNERSHIP_LABEL, Mapping
from graph.errors import EXIT_GUARD, RdkgError

#: a load may delete at most this share of the :Rdkg nodes without --prune
MAX_DELETED_SHARE = 0.05
#: deleting any node with this label needs --prune
PROTECTED_LABEL = "SourceDocument"

ADD_HINT = ("To add a file to the knowledge base, load it together with data/: `rdkg load data/ FILE` "
            "(a load makes the graph equal to its inputs). To make the graph equal to these inputs anyway, "
            "add --prune; `rdkg rollback` undoes a load.")


@dataclass(frozen=True)
class Removal:
    """What a load would delete: node counts by kind (each node under its kind, graph/contract.py)."""

    deleted: int
    existing: int
    kinds: dict[str, int]
    source_documents: int

    @property
    def share(self) -> float:
        return self.deleted / self.existing if self.existing else 0.0

    @property
    def refused(self) -> bool:
        return self.source_documents > 0 or self.share > MAX_DELETED_SHARE

    def summary(self) -> str:
        kinds = ", ".join(f"{count} {label}" for label, count in self.kinds.items())
        text = (f"{self.deleted} of the graph's {self.existing} :Rdkg nodes ({100 * self.share:.1f} %)"
                f"{': ' + kinds if kinds else ''}")
        if self.source_documents:
            text += f"; {self.source_documents} of them are source documents"
        return text


class RemovalRefused(RdkgError):
    """The load would delete more than the guard allows; nothing was written."""

    status_code = 409
    exit_code = EXIT_GUARD
    code = "removal_refused"

    def __init__(self, removal: Removal) -> None:
        self.removal = removal
        reasons = []
        if removal.share > MAX_DELETED_SHARE:
            reasons.append(f"more than {100 * MAX_DELETED_SHARE:g} % of the nodes")
        if removal.source_documents:
            reasons.append("source documents")
        super().__init__(
            f"refused: this load would delete {removal.summary()} — {' and '.join(reasons)}. "
            f"Nothing was written. {ADD_HINT}")

    def cli_lines(self) -> list[str]:
        return [f"[red]{escape(str(self))}[/red]"]


def removal(deleted_labels: Iterable[Iterable[str]], existing: int, mapping: Mapping) -> Removal:
    """Count the nodes a load would delete (``deleted_labels``: each one's Neo4j labels)."""
    kinds: Counter[str] = Counter()
    sources = deleted = 0
    for labels in deleted_labels:
        deleted += 1
        own = sorted(label for label in labels if label != OWNERSHIP_LABEL)
        try:
            kinds[mapping.kind_of(own)] += 1
        except ValueError:  # unrelated classes: not written by this loader, counted under all of them
            kinds["+".join(own)] += 1
        sources += PROTECTED_LABEL in own
    ordered = dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    return Removal(deleted, existing, ordered, sources)


def check(deleted_labels: Iterable[Iterable[str]], existing: int, mapping: Mapping) -> Removal:
    """Raise :class:`RemovalRefused` if the deletion is more than the guard allows; else return its counts."""
    found = removal(deleted_labels, existing, mapping)
    if found.refused:
        raise RemovalRefused(found)
    return found
