"""``load()``: validate → map → diff against the graph → write, all in one transaction.

1. The input (Turtle files, directories, CSV files converted to Turtle) is validated with SHACL
   (:func:`loaders.validation.validate`); violations raise :class:`ValidationFailed`, nothing is written.
2. The data plus the individuals of the ontology files (the category scheme) are mapped to node rows by the
   ontology-derived mapping; unknown terms raise :class:`loaders.rows.UnknownTermsError`.
3. In **one** write transaction (a managed one: retried on transient errors) the loader reads the ``:Rdkg``
   nodes' content hashes, then deletes nodes that left the data, rewrites changed ones (properties, labels,
   outgoing relationships) and creates new ones — one ``UNWIND $rows`` statement per label set / relationship
   type and batch. A failure anywhere rolls the whole load back: queries see the old graph until the commit.
   Unchanged nodes (same hash) are skipped, so reloading the same data writes nothing.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from neo4j import Driver, ManagedTransaction
from rdflib import URIRef

from graph.errors import translate_driver_errors
from loaders import cypher, loadstate
from loaders.captions import add_captions
from loaders.fastparse import read_triples
from loaders.mapping import Mapping, default_mapping
from loaders.rows import NodeRow, build_rows
from loaders.validation import ValidationReport, expand_paths, validate
from ontology import ID, ontology_graph

log = logging.getLogger(__name__)

BATCH_SIZE = 5000
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
) -> LoadResult:
    """Make the ``:Rdkg`` part of the graph equal to the data in ``paths`` (see the module docstring).

    ``validate_first=False`` skips SHACL (unknown terms are still refused); ``force=True`` ignores the stored
    fingerprint of the last load (:mod:`loaders.loadstate`) and always compares node by node.
    """
    began = time.monotonic()
    ttl, csvs = expand_inputs(paths)
    print_ = loadstate.fingerprint([*ttl, *csvs], validate_first)
    with translate_driver_errors(), driver.session(database=database, notifications_min_severity="OFF") as session:
        stored = None if force else session.execute_read(loadstate.read_unchanged, print_)
    if stored is not None:
        result = LoadResult(stored.labels, stored.relationships, stored.triples, ttl + csvs)
        result.nodes_unchanged = result.nodes
    else:
        result = _load_changed(driver, database, paths, dry_run, progress, validate_first, print_)
    result.dry_run = dry_run
    result.seconds = time.monotonic() - began
    return result


def _load_changed(driver: Driver, database: str, paths: list[Path], dry_run: bool, progress: Progress | None,
                  validate_first: bool, print_: str) -> LoadResult:
    with turtle_inputs(paths) as files:
        if validate_first:
            report = validate(files)
            if not report.conforms and report.errors:
                raise ValidationFailed(report)
        rows, triples = map_files(files)
    mapping = default_mapping()
    result = _counts(rows, triples, files)
    with translate_driver_errors(), driver.session(database=database, notifications_min_severity="OFF") as session:
        if dry_run:
            plan = session.execute_read(_read_plan, rows, mapping)
            _plan_counts(result, plan, session.execute_read(_count_removed_relationships, plan))
        else:
            session.execute_write(_write, rows, mapping, result, progress, print_)
    return result


def map_files(files: Sequence[Path], mapping: Mapping | None = None) -> tuple[list[NodeRow], int]:
    """Node rows for the data files plus the ontology's own individuals; also the number of data triples."""
    data = read_triples(files)
    individuals = [t for t in ontology_graph() if isinstance(t[0], URIRef) and t[0].startswith(ID)]
    rows = build_rows([*data, *individuals], mapping or default_mapping())
    add_captions(rows)
    return rows, len(data)


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

def _read_plan(tx: ManagedTransaction, rows: list[NodeRow], mapping: Mapping) -> Plan:
    existing = {rec["uri"]: (rec["hash"], rec["labels"]) for rec in tx.run(cypher.READ_STATE)}
    plan = Plan()
    for row in rows:
        old = existing.pop(row.uri, None)
        if old is None:
            plan.create.append(row)
        elif old[0] != row.digest or set(old[1]) != set(row.labels):
            plan.update.append((row, cypher.check_labels(set(old[1]) - set(row.labels), mapping)))
        else:
            plan.unchanged += 1
    plan.delete = sorted(existing)
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


def _write(tx: ManagedTransaction, rows: list[NodeRow], mapping: Mapping, result: LoadResult,
           progress: Progress | None, print_: str) -> None:
    plan = _read_plan(tx, rows, mapping)
    _plan_counts(result, plan, 0)
    steps = list(_steps(plan, mapping))
    created = deleted = 0
    for done, (label, statement, params) in enumerate(steps, start=1):
        counters = tx.run(statement, params).consume().counters
        created += counters.relationships_created
        deleted += counters.relationships_deleted
        if progress is not None:
            progress(label, done, len(steps))
    result.relationships_created, result.relationships_deleted = created, deleted
    loadstate.write(tx, print_, result.labels, result.relationships, result.triples)


Step = tuple[str, str, dict[str, object]]


def _steps(plan: Plan, mapping: Mapping) -> Iterator[Step]:
    for batch in _batches(plan.delete):
        yield "delete removed nodes", cypher.DELETE_NODES, {"uris": batch}
    updated = [row for row, _ in plan.update]
    for batch in _batches([row.uri for row in updated]):
        yield "drop changed relationships", cypher.DELETE_OUTGOING, {"uris": batch}
    for labels, group in _by_labels(plan.update).items():
        for batch in _batches(group):
            rows = [{"uri": row.uri, "props": row.props, "drop": drop} for row, drop in batch]
            yield f"update :{':'.join(labels[1:])}", cypher.update_nodes(labels, mapping), {"rows": rows}
    for labels, new in _by_labels([(row, []) for row in plan.create]).items():
        for batch in _batches(new):
            rows = [{"props": row.props} for row, _ in batch]
            yield f"create :{':'.join(labels[1:])}", cypher.create_nodes(labels, mapping), {"rows": rows}
    links: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in [*plan.create, *updated]:
        for rel, target in row.rels:
            links[rel].append({"s": row.uri, "o": target})
    for rel, pairs in sorted(links.items()):
        for batch in _batches(pairs):
            yield f"link {rel}", cypher.create_relationships(rel, mapping), {"rows": batch}


def _by_labels(items: list[tuple[NodeRow, list[str]]]) -> dict[tuple[str, ...], list[tuple[NodeRow, list[str]]]]:
    groups: dict[tuple[str, ...], list[tuple[NodeRow, list[str]]]] = defaultdict(list)
    for row, drop in items:
        groups[row.labels].append((row, drop))
    return dict(sorted(groups.items()))


def _batches(items: list, size: int = BATCH_SIZE) -> Iterator[list]:  # type: ignore[type-arg]
    for start in range(0, len(items), size):
        yield items[start:start + size]
