"""The one diff rule: how the graph's ``:Rdkg`` nodes compare to the mapped rows. The dry run (:mod:`loaders.plan`)
and the writer (:mod:`loaders.writer`) both read the graph's state with :func:`read_state` and decide each node
with :func:`labels_to_drop`, so what a dry run announces is what a load does."""

from __future__ import annotations

from typing import Any

from neo4j import ManagedTransaction

from graph.contract import Mapping
from loaders import cypher
from loaders.rows import NodeRow

Stored = tuple[Any, list[str], str]  # a :Rdkg node's contentHash, labels and element id


def read_state(tx: ManagedTransaction) -> dict[str, Stored]:
    return {rec["uri"]: (rec["hash"], rec["labels"], rec["node"]) for rec in tx.run(cypher.READ_STATE)}


def labels_to_drop(row: NodeRow, old: Stored, mapping: Mapping) -> list[str] | None:
    """For a node already in the graph: None when the row is unchanged, else the labels an update must remove
    (the dry run and the writer decide alike)."""
    if old[0] == row.digest and set(old[1]) == set(row.labels):
        return None
    return cypher.check_labels(set(old[1]) - set(row.labels), mapping)

