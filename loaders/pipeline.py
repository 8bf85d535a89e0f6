"""``load()``: validate → map → diff against the graph → write, all in one transaction.

1. The input (Turtle files, directories, CSV files converted to Turtle) is validated with SHACL
   (:func:`loaders.validation.validate`); violations raise :class:`ValidationFailed`, nothing is written.
2. In **one** write transaction (a managed one: retried on transient errors) the loader reads the ``:Rdkg``
   nodes' content hashes, then streams the data: the parser's triples become node rows by the ontology-derived
   mapping (:mod:`loaders.rows`) one subject block at a time, and every batch of rows is written as soon as it is
   complete — new nodes created, changed ones rewritten (properties, labels, outgoing relationships), unchanged
   ones (same hash) skipped — with one ``UNWIND $rows`` statement per batch (labels and relationship types are
   parameters: one query plan for all batches). Relationships are created with their batch when the target node
   is already written, otherwise after the last batch. Nodes that left the data are deleted at the end.
   Input whose subjects are not in contiguous blocks is mapped in memory first (the transaction is restarted).
3. Unknown terms and dangling references raise :class:`loaders.rows.UnknownTermsError` at the end of the stream;
   a failure anywhere rolls the whole load back: queries see the old graph until the commit, and a reload of
   unchanged data writes nothing.
"""

from __future__ import annotations

import logging
import queue
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from neo4j import Driver, ManagedTransaction
from rdflib import URIRef

from graph.errors import translate_driver_errors
from loaders import cypher, guard, loadstate
from loaders.fastparse import iter_plain
from loaders.guard import Removal
from loaders.mapping import Mapping, default_mapping
from loaders.rows import (
    NodeRow,
    NotContiguous,
    RowBuilder,
    UnknownTermsError,
    build_rows,
    dangling_message,
    stream_rows,
)
from loaders.terms import PlainTriple, plain
from loaders.validation import ValidationReport, expand_paths, validate
from ontology import ID, ontology_graph

log = logging.getLogger(__name__)

BATCH_SIZE = 5000
#: inputs at least this large are streamed (constant memory); smaller ones are mapped in memory first, which gives
#: the progress bar exact totals and needs no contiguous subject blocks (data/ is ~0.8 MB)
STREAM_MIN_BYTES = 4 * 1024 * 1024
#: progress(step description, batches done, batches in total)
Progress = Callable[[str, int, int], None]


class ValidationFailed(Exception):
    """SHACL found violations; ``report`` holds them. Nothing was written."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(f"{len(report.errors)} SHACL violation(s)")
        self.report = report


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
        return self.labels.get("Rdkg", 0)

    @property
    def changed(self) -> bool:
        return bool(self.nodes_created or self.nodes_updated or self.nodes_deleted)


@dataclass
class Plan:
    """The difference between the data and the graph."""

    create: list[NodeRow] = field(default_factory=list)
    update: list[tuple[NodeRow, list[str]]] = field(default_factory=list)  # (row, labels to drop)
    delete: list[str] = field(default_factory=list)
    delete_labels: list[list[str]] = field(default_factory=list)
    existing: int = 0
    unchanged: int = 0


def load(
    driver: Driver,
    database: str,
    paths: list[Path],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    validate_first: bool = True,
    force: bool = False,
    batch_size: int = BATCH_SIZE,
    streaming: bool | None = None,
    prune: bool = True,
    release: str | None = None,
    store: Path | None = None,
) -> LoadResult:
    """Make the ``:Rdkg`` part of the graph equal to the data in ``paths`` (see the module docstring).

    ``validate_first=False`` skips SHACL (unknown terms are still refused); ``force=True`` ignores the stored
    fingerprint of the last load (:mod:`loaders.loadstate`) and always compares node by node. ``streaming``:
    map and write one subject block at a time (True), map everything in memory first (False), or decide by the
    input's size (None: streaming from :data:`STREAM_MIN_BYTES` on). ``prune=False`` turns on the removal guard
    (:mod:`loaders.guard`, what ``rdkg load`` does without ``--prune``): a load that would delete more than 5 % of
    the ``:Rdkg`` nodes or any source document raises :class:`loaders.guard.RemovalRefused`, nothing written.

    Every load that writes records its inputs (content hashes) and what it replaced (:mod:`loaders.loadstate`);
    ``release`` names the published release the inputs are (default: found by their hashes in
    ``data/releases/``), and ``store`` is a directory where the inputs are kept by content so that
    ``rdkg rollback`` can load them again (:mod:`loaders.history`).
    """
    began = time.monotonic()
    ttl, csvs = expand_inputs(paths)
    print_, inputs = loadstate.fingerprint_inputs([*ttl, *csvs], validate_first)
    with translate_driver_errors(), driver.session(database=database, notifications_min_severity="OFF") as session:
        stored = None if force else session.execute_read(loadstate.read_unchanged, print_)
    if release is None:
        from loaders.release import release_of_inputs

        release = release_of_inputs(inputs)
    if stored is not None:
        result = LoadResult(stored.labels, stored.relationships, stored.triples, ttl + csvs)
        result.nodes_unchanged = result.nodes
        if stored.release != release and not dry_run:  # published since the graph was loaded
            with translate_driver_errors(), driver.session(database=database) as session:
                session.execute_write(loadstate.set_release, release)
    else:
        provenance = loadstate.Provenance(tuple(inputs), release)
        if store is not None and not dry_run:
            from loaders.history import keep_inputs

            keep_inputs(store, [*ttl, *csvs])
        result = _load_changed(driver, database, paths, dry_run, progress, validate_first, print_, batch_size,
                               streaming, prune, provenance)
    result.dry_run = dry_run
    result.seconds = time.monotonic() - began
    return result


def _load_changed(driver: Driver, database: str, paths: list[Path], dry_run: bool, progress: Progress | None,
                  validate_first: bool, print_: str, batch_size: int, streaming: bool | None,
                  prune: bool = True, provenance: loadstate.Provenance | None = None) -> LoadResult:
    mapping = default_mapping()
    with turtle_inputs(paths) as files:
        if validate_first:
            report = validate(files)
            if not report.conforms and report.errors:
                raise ValidationFailed(report)
            del report  # its graph holds every triple: free it before the write phase
        with translate_driver_errors(), driver.session(database=database,
                                                       notifications_min_severity="OFF") as session:
            if dry_run:
                rows, triples = map_files(files, mapping)
                result = _counts(rows, triples, files)
                plan = session.execute_read(_read_plan, rows, mapping)
                _plan_counts(result, plan, session.execute_read(_count_removed_relationships, plan))
                result.removal = guard.removal(plan.delete_labels, plan.existing, mapping)
                return result
            if streaming is None:
                streaming = sum(path.stat().st_size for path in files) >= STREAM_MIN_BYTES
            if streaming:
                try:
                    return session.execute_write(_write, files, mapping, progress, print_, batch_size, True, prune,
                                                 provenance)
                except NotContiguous as exc:
                    log.info("%s: mapping in memory instead of streaming", exc)
            return session.execute_write(_write, files, mapping, progress, print_, batch_size, False, prune,
                                         provenance)


def map_files(files: Sequence[Path], mapping: Mapping | None = None) -> tuple[list[NodeRow], int]:
    """Node rows for the data files plus the ontology's own individuals (in memory, sorted by uri); also the
    number of distinct data triples."""
    mapping = mapping or default_mapping()
    builder = RowBuilder(mapping)
    rows = build_rows([*ontology_individuals(), *iter_plain(files)], mapping, builder)
    return rows, _data_triples(builder)


def _data_triples(builder: RowBuilder) -> int:
    """Distinct triples mapped, without the ontology's own individuals (which every load adds)."""
    return builder.triples - len(ontology_individuals())


@cache
def ontology_individuals() -> tuple[PlainTriple, ...]:
    """The triples about the ``id:`` individuals the ontology files define (the category scheme)."""
    return tuple((plain(s), str(p), plain(o)) for s, p, o in ontology_graph()
                 if isinstance(s, URIRef) and s.startswith(ID))


class turtle_inputs:  # noqa: N801 — used as a context manager
    """Expand paths to Turtle files; CSV files are converted to temporary Turtle files (removed on exit)."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = list(paths)
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> list[Path]:
        from loaders.csv_loader import csv_to_turtle

        ttl, csvs = expand_inputs(self.paths)
        if csvs:
            self._tmp = tempfile.TemporaryDirectory(prefix="rdkg-csv-")
            for path in csvs:
                target = Path(self._tmp.name) / f"{path.stem}-{len(ttl)}.ttl"
                target.write_text(csv_to_turtle(path), encoding="utf-8")
                ttl.append(target)
        return ttl

    def __exit__(self, *exc: object) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()


def expand_inputs(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """(Turtle files, CSV files): a directory gives its ``*.ttl`` and the ``*.csv`` in it and in its ``csv/``."""
    ttl: list[Path] = []
    csvs: list[Path] = []
    for path in paths:
        if path.is_dir():
            ttl += expand_paths([path])
            csvs += sorted(path.glob("*.csv")) + sorted(path.glob("csv/*.csv"))
        elif path.suffix.lower() == ".csv" and path.is_file():
            csvs.append(path)
        else:
            ttl += expand_paths([path])
    return ttl, csvs


def _counts(rows: list[NodeRow], triples: int, files: list[Path]) -> LoadResult:
    labels: Counter[str] = Counter(label for row in rows for label in row.labels)
    rels: Counter[str] = Counter(rel for row in rows for rel, _ in row.rels)
    return LoadResult(dict(sorted(labels.items())), dict(sorted(rels.items())), triples, list(files))


# ---- inside the transaction ---------------------------------------------------------------------------------------

Stored = tuple[Any, list[str], str]  # a :Rdkg node's contentHash, labels and element id


def _read_state(tx: ManagedTransaction) -> dict[str, Stored]:
    return {rec["uri"]: (rec["hash"], rec["labels"], rec["node"]) for rec in tx.run(cypher.READ_STATE)}


def _labels_to_drop(row: NodeRow, old: Stored, mapping: Mapping) -> list[str] | None:
    """For a node already in the graph: None when the row is unchanged, else the labels an update must remove
    (the dry run and the writer decide alike)."""
    if old[0] == row.digest and set(old[1]) == set(row.labels):
        return None
    return cypher.check_labels(set(old[1]) - set(row.labels), mapping)


def _read_plan(tx: ManagedTransaction, rows: list[NodeRow], mapping: Mapping) -> Plan:
    existing = _read_state(tx)
    plan = Plan(existing=len(existing))
    for row in rows:
        old = existing.pop(row.uri, None)
        if old is None:
            plan.create.append(row)
        elif (drop := _labels_to_drop(row, old, mapping)) is not None:
            plan.update.append((row, drop))
        else:
            plan.unchanged += 1
    plan.delete = sorted(existing)
    plan.delete_labels = [existing[uri][1] for uri in plan.delete]
    return plan


def _count_removed_relationships(tx: ManagedTransaction, plan: Plan) -> int:
    updated = [row.uri for row, _ in plan.update]
    return len(list(tx.run(cypher.REMOVED_RELATIONSHIPS, updated=updated, deleted=plan.delete)))


def _plan_counts(result: LoadResult, plan: Plan, removed_relationships: int) -> None:
    result.nodes_created = len(plan.create)
    result.nodes_updated = len(plan.update)
    result.nodes_deleted = len(plan.delete)
    result.nodes_unchanged = plan.unchanged
    result.relationships_created = sum(len(r.rels) for r in plan.create) + sum(len(r.rels) for r, _ in plan.update)
    result.relationships_deleted = removed_relationships


def _write(tx: ManagedTransaction, files: list[Path], mapping: Mapping, progress: Progress | None, print_: str,
           batch_size: int, streaming: bool, prune: bool = True,
           provenance: loadstate.Provenance | None = None) -> LoadResult:
    existing = _read_state(tx)
    builder = RowBuilder(mapping)
    if streaming:
        rows: Iterable[NodeRow] = stream_rows(builder, ontology_individuals(), iter_plain(files))
        estimate = _estimate_steps(files, batch_size, len(existing))
    else:
        rows = build_rows([*ontology_individuals(), *iter_plain(files)], mapping, builder)
        estimate = 2 * (len(rows) // batch_size + 1) + len(existing) // batch_size + 2
        if not prune and not builder.problems:  # the deletions are known before the first statement: check now
            kept = {row.uri for row in rows}
            guard.check((old[1] for uri, old in existing.items() if uri not in kept), len(existing), mapping)
    writer = _Writer(tx, mapping, existing, progress, estimate)
    writer.guarded = not prune
    batches = _prefetched(_batched(rows, batch_size)) if streaming else _batched(rows, batch_size)
    try:
        for batch in batches:
            writer.write(batch)
    finally:
        if isinstance(batches, Generator):
            batches.close()  # stops the mapping thread now, also when a write failed
    if builder.problems:
        raise UnknownTermsError(sorted(set(builder.problems)))
    writer.finish(batch_size)
    result = writer.result(_data_triples(builder), files)
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
            if (drop := _labels_to_drop(row, old, self.mapping)) is not None:
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


def _estimate_steps(files: Sequence[Path], batch_size: int, existing: int) -> int:
    """Statements a load will run, for the progress bar: ≈ 2 per batch of subject blocks (a block ends " .\n")."""
    blocks = sum(_count_in(path, b" .\n") for path in files) + len(ontology_individuals()) // 4
    return 2 * (blocks // batch_size + 1) + existing // batch_size + 2


def _count_in(path: Path, needle: bytes) -> int:
    count, tail = 0, b""
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            block = tail + chunk
            count += block.count(needle)
            tail = block[-(len(needle) - 1):]  # shorter than the needle: one split across chunks is found next time
    return count


def _batched(rows: Iterable[NodeRow], size: int) -> Iterator[list[NodeRow]]:
    batch: list[NodeRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()


def _prefetched(batches: Iterator[list[NodeRow]], depth: int = 1) -> Generator[list[NodeRow], None, None]:
    """``batches``, produced by a background thread: parsing and mapping the next batches (Python) overlaps with
    Neo4j writing the current one (the driver releases the GIL while it waits for the server)."""
    buffer: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                buffer.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for batch in batches:
                if not put(batch):
                    return
            put(_END)
        except BaseException as exc:  # noqa: BLE001 — handed to the consuming thread, which raises it
            put(_Failed(exc))

    worker = threading.Thread(target=produce, name="rdkg-load-mapper", daemon=True)
    worker.start()
    try:
        while True:
            item = buffer.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()
