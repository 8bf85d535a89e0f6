"""The writer: inside the load's one write transaction, batches of rows become nodes and relationships — new nodes
created, changed ones rewritten (properties, labels, outgoing relationships), unchanged ones (same hash, by
:mod:`loaders.diff`'s rule) skipped, nodes that left the data deleted — and the load state is recorded."""

from __future__ import annotations

from collections import Counter
from collections.abc import Generator, Iterable
from pathlib import Path
from typing import Any

from neo4j import ManagedTransaction

from graph.contract import Mapping
from loaders import cypher, guard, loadstate
from loaders.batching import Progress, batched, estimate_steps, prefetched
from loaders.diff import Stored, labels_to_drop, read_state
from loaders.fastparse import iter_plain
from loaders.guard import Removal
from loaders.inputs import ontology_individuals
from loaders.result import LoadResult
from loaders.rows import NodeRow, RowBuilder, UnknownTermsError, build_rows, dangling_message, data_triples, stream_rows


def write(tx: ManagedTransaction, files: list[Path], mapping: Mapping, progress: Progress | None, print_: str,
           batch_size: int, streaming: bool, prune: bool = True,
           provenance: loadstate.Provenance | None = None) -> LoadResult:
    existing = read_state(tx)
    builder = RowBuilder(mapping)
    if streaming:
        rows: Iterable[NodeRow] = stream_rows(builder, ontology_individuals(), iter_plain(files))
        estimate = estimate_steps(files, batch_size, len(existing))
    else:
        rows = build_rows([*ontology_individuals(), *iter_plain(files)], mapping, builder)
        estimate = 2 * (len(rows) // batch_size + 1) + len(existing) // batch_size + 2
        if not prune and not builder.problems:  # the deletions are known before the first statement: check now
            kept = {row.uri for row in rows}
            guard.check((old[1] for uri, old in existing.items() if uri not in kept), len(existing), mapping)
    writer = _Writer(tx, mapping, existing, progress, estimate)
    writer.guarded = not prune
    batches = prefetched(batched(rows, batch_size)) if streaming else batched(rows, batch_size)
    try:
        for batch in batches:
            writer.write(batch)
    finally:
        if isinstance(batches, Generator):
            batches.close()  # stops the mapping thread now, also when a write failed
    if builder.problems:
        raise UnknownTermsError(sorted(set(builder.problems)))
    writer.finish(batch_size)
    result = writer.result(data_triples(builder), files)
    loadstate.write(tx, print_, result.labels, result.relationships, result.triples, provenance)
    writer.step("commit", final=True)
    return result


class _Writer:
    """Writes batches of rows inside the load transaction and keeps the counts.

    Nodes are addressed by their element ids once they exist (``known``: uri → element id, from the read of the
    graph's state and from each create statement's result): relationships are created with element-id seeks, not
    with two ``uri`` index look-ups each (which inside a large transaction also consult its uncommitted index state).
    """

    def __init__(self, tx: ManagedTransaction, mapping: Mapping, existing: dict[str, Stored],
                 progress: Progress | None, estimate: int) -> None:
        self.tx, self.mapping, self.existing, self.progress, self.estimate = tx, mapping, existing, progress, estimate
        self.total = len(existing)  # :Rdkg nodes in the graph before the load
        self.guarded = False  # refuse (loaders.guard) a deletion beyond the guard's limits
        self.removal: Removal | None = None
        self.known: dict[str, str] = {}  # uri → element id, of the nodes this load has written or kept
        self.pending: list[tuple[str, str, str]] = []  # (source uri, type, target uri) whose target is not written yet
        self.labels: Counter[str] = Counter()
        self.rels: Counter[str] = Counter()
        self.checked: set[tuple[str, ...]] = set()
        self.rel_types = mapping.relationship_types
        self.created = self.updated = self.unchanged = self.deleted = 0
        self.rels_created = self.rels_deleted = 0
        self.steps = 0

    def write(self, batch: list[NodeRow]) -> None:
        create: list[NodeRow] = []
        update: list[tuple[NodeRow, list[str]]] = []
        known, existing = self.known, self.existing
        for row in batch:
            self._check(row)
            self.labels.update(row.labels)
            self.rels.update(rel for rel, _ in row.rels)
            old = existing.pop(row.uri, None) if existing else None
            if old is None:
                create.append(row)
                continue
            known[row.uri] = old[2]
            if (drop := labels_to_drop(row, old, self.mapping)) is not None:
                update.append((row, drop))
            else:
                self.unchanged += 1
        if update:
            self._run("drop changed relationships", cypher.DELETE_OUTGOING, nodes=[known[row.uri] for row, _ in update])
            self._run("update nodes", cypher.UPDATE_NODES, rows=[
                {"node": known[row.uri], "labels": list(row.labels), "drop": drop, "props": row.props}
                for row, drop in update])
            self.updated += len(update)
        if create:
            (created,) = self._run("create nodes", cypher.CREATE_NODES,
                                   rows=[{"labels": list(row.labels), "props": row.props} for row in create])
            if len(created) != len(create):
                raise RuntimeError(f"Neo4j returned {len(created)} element ids for {len(create)} created nodes")
            for row, element_id in zip(create, created, strict=True):
                known[row.uri] = element_id
            self.created += len(create)
        links = []
        for row in [*create, *(row for row, _ in update)]:
            source = known[row.uri]
            for rel, target in row.rels:
                node = known.get(target)
                if node is not None:
                    links.append({"s": source, "t": rel, "o": node})
                else:
                    self.pending.append((row.uri, rel, target))
        if links:
            self._run("link", cypher.CREATE_RELATIONSHIPS, rows=links)

    def finish(self, batch_size: int) -> None:
        """Forward links, the dangling check, and the nodes that left the data."""
        known = self.known
        dangling = [dangling_message(s, t, o) for s, t, o in self.pending if o not in known]
        if dangling:
            raise UnknownTermsError(sorted(set(dangling)))
        for start in range(0, len(self.pending), batch_size):
            part = self.pending[start:start + batch_size]
            self._run("link (forward references)", cypher.CREATE_RELATIONSHIPS,
                      rows=[{"s": known[s], "t": t, "o": known[o]} for s, t, o in part])
        self.pending = []
        # streamed input: the deletions are known only now, before they are made (a refusal rolls the load back)
        count = guard.check if self.guarded else guard.removal
        self.removal = count((labels for _, labels, _ in self.existing.values()), self.total, self.mapping)
        gone = [node for _, _, node in self.existing.values()]
        for start in range(0, len(gone), batch_size):
            self._run("delete removed nodes", cypher.DELETE_NODES, nodes=gone[start:start + batch_size])
        self.deleted = len(gone)

    def result(self, triples: int, files: list[Path]) -> LoadResult:
        result = LoadResult(dict(sorted(self.labels.items())), dict(sorted(self.rels.items())), triples, list(files))
        result.nodes_created, result.nodes_updated = self.created, self.updated
        result.nodes_deleted, result.nodes_unchanged = self.deleted, self.unchanged
        result.relationships_created, result.relationships_deleted = self.rels_created, self.rels_deleted
        result.removal = self.removal
        return result

    def _check(self, row: NodeRow) -> None:
        if row.labels not in self.checked:
            cypher.check_row_labels(row.labels, self.mapping)
            self.checked.add(row.labels)
        for rel, _ in row.rels:
            if rel not in self.rel_types:
                cypher.check_rel_type(rel, self.mapping)

    def _run(self, label: str, statement: str, **params: object) -> list[Any]:
        """Run one statement; its single column's values (one list of the created nodes' element ids, or none)."""
        result = self.tx.run(statement, params)
        values = result.value()
        counters = result.consume().counters
        for value in params.values():  # the driver keeps every result's parameters until the transaction ends:
            if isinstance(value, list):  # emptying our lists frees the batch now (memory stays flat)
                value.clear()
        self.rels_created += counters.relationships_created
        self.rels_deleted += counters.relationships_deleted
        self.step(label)
        return values

    def step(self, label: str, final: bool = False) -> None:
        self.steps += 1
        if self.progress is not None:
            total = self.steps if final else max(self.estimate, self.steps + 1)
            self.progress(label, self.steps, total)
