"""``load()``: validate → map → diff against the graph → write, all in one transaction — the loader's stages put
together. Each stage has its own module:

- inputs and parsing: :mod:`loaders.inputs` (paths → Turtle files, CSV converted; :mod:`loaders.fastparse` for
  the load path's plain terms);
- SHACL validation: :mod:`loaders.validation`, with :mod:`loaders.modelchecks` and :mod:`loaders.report`;
- mapping triples to node rows: :mod:`loaders.rows` (by the ontology-derived :mod:`loaders.mapping`);
- batching: :mod:`loaders.batching`;
- the diff rule: :mod:`loaders.diff`, shared by the dry-run plan (:mod:`loaders.plan`) and the writer
  (:mod:`loaders.writer`); the outcome: :mod:`loaders.result`.

Step by step:

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
import time
from pathlib import Path

from neo4j import Driver

from graph.contract import default_mapping
from graph.errors import translate_driver_errors
from loaders import loadstate, writer
from loaders.batching import BATCH_SIZE, STREAM_MIN_BYTES, Progress
from loaders.inputs import expand_inputs, turtle_inputs
from loaders.plan import dry_run as plan_dry_run
from loaders.result import LoadResult
from loaders.rows import NotContiguous
from loaders.validation import ValidationFailed, validate

log = logging.getLogger(__name__)


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
                return plan_dry_run(session, files, mapping)
            if streaming is None:
                streaming = sum(path.stat().st_size for path in files) >= STREAM_MIN_BYTES
            args = (files, mapping, progress, print_, batch_size)
            if streaming:
                try:
                    return session.execute_write(writer.write, *args, True, prune, provenance)
                except NotContiguous as exc:
                    log.info("%s: mapping in memory instead of streaming", exc)
            return session.execute_write(writer.write, *args, False, prune, provenance)

