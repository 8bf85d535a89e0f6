"""``rebuild()``: a graph built from scratch by Neo4j's offline importer, checked, then swapped in (issue 17).

The transactional loader (:mod:`loaders.pipeline`) updates a live graph in one transaction; this builds a **new**
store and replaces the old one, which is several times faster for a whole graph. Stages (each says what went
wrong; none touches the served graph before the swap):

1. **validate** — the loader's SHACL validation (:func:`loaders.validation.validate`), unless switched off;
2. **map** — the loader's mapping (:mod:`loaders.rows`: same rows, captions, search text, content hashes) into
   the importer's CSV files (:mod:`loaders.importfiles`). Large Turtle files are cut at subject-block boundaries
   into parts mapped by a process pool (both cores); transfers are captioned once every part is done (their
   caption needs other nodes). Small inputs, or input whose subjects are not in one block, are mapped in memory,
   as the loader does;
3. **import** — ``neo4j-admin database import full`` (``org.neo4j.cli.AdminTool``, from the managed server's jars)
   into a staging directory; a relationship to a missing node or a duplicate id fails it;
4. **swap** — :mod:`graph.storeswap`, in a detached process (:mod:`loaders.swapper`): the managed server stops, the
   store directories are renamed, the server starts on the new store (the only Neo4j start of a rebuild);
5. **schema** — on that server, still inside the swap: constraints and indexes (:func:`graph.schema.apply_schema`)
   are created and brought online, then the **check**: the loader's fingerprint and counts (:mod:`loaders.loadstate`)
   and the label and relationship-type counts of the mapping. Only then is the swap final and the old store
   deleted; any failure before — or this process dying — puts the old store back and serves it again.

Only a server the project manages can be rebuilt: with ``NEO4J_URI`` set, :class:`UnmanagedServer` names the
alternatives. See docs/rebuild.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import IO, Any, Literal

from neo4j.exceptions import DriverError, Neo4jError

from graph.contract import OWNERSHIP_LABEL, default_mapping
from graph.db import driver as open_driver
from graph.db import local_server
from graph.errors import DataFileError, GraphError, translate_driver_errors
from graph.server import JVM_FLAGS, LocalNeo4j
from graph.settings import Settings
from graph.storeswap import journal_path, recover, work_dir
from loaders import loadstate
from loaders.batching import STREAM_MIN_BYTES
from loaders.fastparse import iter_plain
from loaders.importfiles import (
    ARRAY_DELIMITER_ARG,
    FileSet,
    ImportFileError,
    ImportWriter,
    importer_arguments,
    load_state_properties,
    write_load_state,
)
from loaders.inputs import expand_inputs, ontology_individuals, turtle_inputs
from loaders.rows import (
    NotContiguous,
    RowBuilder,
    UnknownTermsError,
    build_rows,
    dangling_message,
    stream_rows,
)
from loaders.spill import CaptionLookup, SpillingCaptioner
from loaders.terms import Blank, Lit, PlainTriple
from loaders.validation import ValidationFailed, validate

log = logging.getLogger(__name__)

DATABASE = "neo4j"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
PART_BYTES = 16 << 20  # Turtle bytes per mapping task: memory per worker stays flat whatever the input size
#: stage(name, detail): called when a stage begins (detail "") and ends (detail: what it did)
Progress = Callable[[str, str], None]
STAGES = ("validate", "map", "import", "swap", "schema")


class UnmanagedServer(GraphError):
    """``NEO4J_URI`` points at a server rdkg does not manage: its store cannot be replaced from here."""

    code = "unmanaged_server"

    def __init__(self, uri: str) -> None:
        super().__init__(
            f"`rdkg rebuild` replaces the store of the Neo4j that rdkg manages, but NEO4J_URI={uri} points at "
            "a server rdkg does not manage. Use `rdkg load` (transactional: works on any server, updates in "
            "place), or run Neo4j's importer next to that server — for the Docker service see the compose recipe "
            "in docs/rebuild.md (`rdkg rebuild --files-only DIR`, then `neo4j-admin database import full`)."
        )


class RebuildFailed(GraphError):
    """A stage failed; the graph that was served before still is (``stage`` names where it stopped)."""

    code = "rebuild_failed"

    def __init__(self, stage: str, message: str) -> None:
        super().__init__(f"rebuild failed at stage '{stage}': {message}; the previous graph is unchanged")
        self.stage = stage
        self.message = message


@dataclass
class RebuildResult:
    labels: dict[str, int]
    relationships: dict[str, int]
    triples: int
    files: list[Path]
    seconds: dict[str, float] = field(default_factory=dict)  # per stage, and "total"
    down_seconds: float = 0.0  # the managed server stopped → answering on the new store (before its indexes)
    swap_seconds: dict[str, float] = field(default_factory=dict)  # the swapper's timings (graph.storeswap.swap)
    workers: int = 1
    parts: int = 1

    @property
    def nodes(self) -> int:
        return self.labels.get(OWNERSHIP_LABEL, 0)


# ---- the pipeline -------------------------------------------------------------------------------------------------

def rebuild(settings: Settings, paths: list[Path], *, validate_first: bool = True, workers: int | None = None,
            progress: Progress | None = None, files_only: Path | None = None,
            pause_at: str | None = None) -> RebuildResult:
    """Build a new store from ``paths`` and swap it into the managed server (see the module docstring).

    ``files_only``: stop after the map stage, leaving the importer's input files (and ``import-args.txt``) in that
    directory — for running the importer elsewhere (the Docker service). ``pause_at`` (tests): sleep at the start
    of that stage until killed (``RDKG_REBUILD_PAUSE_AT`` sets it too, and ``RDKG_REBUILD_PAUSE_FILE`` names a file
    the pause writes "stage pid" to).
    """
    if files_only is None and not settings.uses_managed_server:
        raise UnmanagedServer(settings.display_uri)
    pause_at = pause_at or settings.rebuild_pause_at or None
    stage_log = progress or (lambda stage, detail: None)
    began = time.monotonic()
    server = local_server(settings)
    work = files_only.parent / f".{files_only.name}-work" if files_only else work_dir(server.home)
    work.mkdir(parents=True, exist_ok=True)
    with open(work / ".lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RebuildFailed("start", f"another rebuild of {server.home} is running") from None
        if files_only is None:
            _clean_up(server, work)
        return _rebuild(settings, server, work, paths, validate_first, workers, stage_log, files_only, pause_at,
                        began)


def _rebuild(settings: Settings, server: LocalNeo4j, work: Path, paths: list[Path], validate_first: bool,
             workers: int | None, stage_log: Progress, files_only: Path | None, pause_at: str | None,
             began: float) -> RebuildResult:
    # the schema stage runs in the detached swapper, which holds it itself (loaders.swapper._hold)
    timer = _Stages(stage_log, pause_at if pause_at != "schema" else None, settings.rebuild_pause_file)
    ttl, csvs = expand_inputs(paths)
    print_, inputs = loadstate.fingerprint_inputs([*ttl, *csvs], validate_first)
    from loaders.release import release_of_inputs  # the same release detection as `rdkg load`

    provenance = loadstate.Provenance(tuple(inputs), release_of_inputs(inputs))
    previous = None if files_only else _previous_state(settings, provenance)
    import_dir = files_only or work / "import"
    shutil.rmtree(import_dir, ignore_errors=True)
    with turtle_inputs(paths) as files:
        if validate_first:
            with timer("validate"):
                report = validate(files)
                if not report.conforms and report.errors:
                    raise ValidationFailed(report)
                detail = f"{report.data_triples} triples conform"
                del report
                timer.detail(detail)
        with timer("map"):
            mapped = map_to_files(files, import_dir, workers)
            nodes, rels = mapped.labels.get(OWNERSHIP_LABEL, 0), sum(mapped.rel_counts.values())
            timer.detail(f"{nodes} nodes, {rels} relationships from {mapped.triples} triples; {mapped.parts} part(s) "
                         f"on {mapped.workers} process(es)")
    labels = dict(sorted(mapped.labels.items()))
    relationships = dict(sorted(mapped.rel_counts.items()))
    state = load_state_properties(print_, labels, relationships, mapped.triples)
    state.update(provenance.as_state(), loadedAt=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                 previous=previous)
    header, state_file = write_load_state(import_dir, state)
    arguments = importer_arguments(import_dir, mapped, header, state_file)
    result = RebuildResult(labels, relationships, mapped.triples, [*ttl, *csvs], workers=mapped.workers,
                           parts=mapped.parts)
    if files_only is not None:
        (import_dir / "import-args.txt").write_text("\n".join(_importer_options(mapped)
                                                              + arguments) + "\n", encoding="utf-8")
        result.seconds = {**timer.seconds, "total": time.monotonic() - began}
        return result
    staging = work / "staging"
    with timer("import"):
        _check_disk_space(work, server.home, mapped.bytes)
        import_log = run_importer(server.lib_dir, staging, _importer_options(mapped) + arguments, mapped)
        timer.detail(f"store written ({import_log})")
    shutil.rmtree(import_dir, ignore_errors=True)
    expect = {"fingerprint": print_, "labels": labels, "relationships": relationships,
              "nodes": labels.get(OWNERSHIP_LABEL, 0) + 1, "total_relationships": sum(relationships.values())}
    swapper = _Swapper(settings, staging / "data", expect, work)
    with timer("swap"):
        swapper.until_checking()
        timer.detail("the server was stopped and started on the new store")
    with timer("schema"):
        timings = swapper.finish()
        timer.detail(f"constraints and indexes online; fingerprint and counts match ({timings['check']:.1f}s); the "
                     f"server did not answer for {timings['unreachable']:.1f}s")
    result.down_seconds = timings["unreachable"]
    result.swap_seconds = timings
    shutil.rmtree(staging, ignore_errors=True)
    result.seconds = {**timer.seconds, "total": time.monotonic() - began}
    return result


def _previous_state(settings: Settings, provenance: loadstate.Provenance) -> str | None:
    """The ``previous`` of the new load state, as :func:`loaders.loadstate.write` sets it (``rdkg rollback``
    can then undo a rebuild like a load); None when the served graph has no load state or cannot be read."""
    if not local_server(settings).status().running:
        return None
    try:
        with translate_driver_errors(), open_driver(settings) as drv, drv.session(database=DATABASE) as session:
            old = session.execute_read(loadstate.read_state) or {}
    except GraphError:
        return None
    if old.get("inputFingerprint") == provenance.input_fingerprint and "previous" in old:
        return old["previous"]  # type: ignore[return-value]
    return json.dumps({key: old.get(key) for key in loadstate.PREVIOUS_KEYS}) if old else None


class _Stages:
    """Times the stages, reports them, and turns unexpected errors into :class:`RebuildFailed`."""

    def __init__(self, progress: Progress, pause_at: str | None, pause_file: Path | None = None) -> None:
        self.progress, self.pause_at, self.pause_file = progress, pause_at, pause_file
        self.seconds: dict[str, float] = {}
        self._stage = ""
        self._detail = ""

    def __call__(self, stage: str) -> _Stages:
        self._stage, self._detail = stage, ""
        return self

    def detail(self, text: str) -> None:
        self._detail = text

    def __enter__(self) -> None:
        self.progress(self._stage, "")
        if self.pause_at == self._stage:
            _pause(self._stage, self.pause_file)
        self._began = time.monotonic()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: object) -> Literal[False]:
        self.seconds[self._stage] = time.monotonic() - self._began
        if exc is None:
            self.progress(self._stage, self._detail or "done")
            return False
        if isinstance(exc, RebuildFailed | ValidationFailed | UnknownTermsError | DataFileError | KeyboardInterrupt):
            return False
        if isinstance(exc, GraphError | OSError | ImportFileError | RuntimeError | DriverError | Neo4jError):
            raise RebuildFailed(self._stage, f"{type(exc).__name__}: {exc}") from exc
        return False


def _pause(stage: str, marker: Path | None) -> None:
    if marker:
        Path(marker).write_text(f"{stage} {os.getpid()}\n")
    while True:  # until killed (tests)
        time.sleep(0.1)


def _clean_up(server: LocalNeo4j, work: Path) -> None:
    """Leftovers of a rebuild that was killed: an unfinished swap, an importer, files (and a staging server, which
    rebuilds before the schema moved into the swap started)."""
    if not server.status().running:
        recover(server.home)
    elif journal_path(server.home).exists():
        server.stop()  # running on a store whose swap never finished: put the old one back
        recover(server.home)
        server.start()
    staging = work / "staging"
    stray = LocalNeo4j(cache_dir=server.lib_dir.parents[1], home=staging)
    if stray.status().running:
        stray.stop()
    _kill_recorded(work / "importer.pid", ADMIN_TOOL)
    for name in ("staging", "import", "old", "failed"):
        shutil.rmtree(work / name, ignore_errors=True)


def _kill_recorded(pid_file: Path, marker: str) -> None:
    try:
        pid = int(pid_file.read_text().strip())
        if marker.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
            os.kill(pid, signal.SIGKILL)
    except (OSError, ValueError):
        pass
    pid_file.unlink(missing_ok=True)


# ---- map: rows → CSV files, in parallel parts -----------------------------------------------------------------------

@dataclass
class Mapped(FileSet):
    triples: int = 0
    workers: int = 1
    parts: int = 1


@dataclass(frozen=True)
class Part:
    """A byte range of one Turtle file (whole subject blocks) plus the file's prefix directives."""

    index: int
    path: Path
    start: int
    end: int
    header: bytes = b""

    @property
    def whole(self) -> bool:
        return self.start == 0 and not self.header and self.end == self.path.stat().st_size


@dataclass
class PartResult:
    files: FileSet
    problems: list[str]
    triples: int
    transfers: Path  # the part's transfers, spilled (loaders.spill)
    lookup: Path  # the part's category names and quantity captions
    failure: str | None = None  # "not-contiguous" or a DataFileError's text (the part is then re-read serially)


def map_to_files(files: list[Path], directory: Path, workers: int | None = None) -> Mapped:
    """Map the Turtle files (plus the ontology's individuals) to importer input files in ``directory``; raises
    :class:`UnknownTermsError` (unknown terms; dangling targets when mapped in memory) or :class:`DataFileError`."""
    directory.mkdir(parents=True, exist_ok=True)
    workers = max(1, workers or os.cpu_count() or 1)
    if sum(path.stat().st_size for path in files) < STREAM_MIN_BYTES:
        return _map_in_memory(files, directory)
    parts = [part for path in files for part in split(path, PART_BYTES)]
    parts = [Part(i, p.path, p.start, p.end, p.header) for i, p in enumerate(parts)]
    default_mapping()  # built once here; forked workers inherit it
    ontology_individuals()
    if workers == 1 or len(parts) == 1:
        results: Iterator[PartResult] = map(lambda part: _map_part(part, directory), parts)
        return _merge(results, files, directory, 1, len(parts))
    with ProcessPoolExecutor(max_workers=min(workers, len(parts)), mp_context=get_context("fork")) as pool:
        results = pool.map(_map_part, parts, [directory] * len(parts))
        return _merge(results, files, directory, min(workers, len(parts)), len(parts))


def _merge(results: Iterator[PartResult], files: list[Path], directory: Path, workers: int, parts: int) -> Mapped:
    """The parts' files and counts; then the transfers, captioned from an on-disk lookup (:mod:`loaders.spill`):
    nothing whole-graph is held here."""
    merged = Mapped(workers=workers, parts=parts)
    problems: list[str] = []
    lookup = CaptionLookup(_spill_dir(directory) / "captions.sqlite")
    spills: list[Path] = []
    triples = 0
    try:
        for result in results:
            if result.failure is not None:
                log.info("a part could not be mapped on its own (%s): mapping in memory", result.failure)
                for path in directory.glob("p*-*.csv"):
                    path.unlink()
                return _map_in_memory(files, directory)
            merged.merge(result.files)
            problems += result.problems
            triples += result.triples
            lookup.add(result.lookup)
            spills.append(result.transfers)
        if problems:
            raise UnknownTermsError(sorted(set(problems)))
        writer = ImportWriter(directory, "transfers")
        for spill in spills:
            for row in lookup.transfers(spill):
                writer.add(row)
        merged.merge(writer.close())
    finally:
        lookup.close()
        shutil.rmtree(_spill_dir(directory), ignore_errors=True)
    merged.triples = triples - len(ontology_individuals())
    return merged


def _spill_dir(directory: Path) -> Path:
    return directory / ".spill"


def _map_in_memory(files: list[Path], directory: Path) -> Mapped:
    mapping = default_mapping()
    builder = RowBuilder(mapping)
    rows = build_rows([*ontology_individuals(), *iter_plain(files)], mapping, builder)
    writer = ImportWriter(directory, "all")
    for row in rows:
        writer.add(row)
    mapped = Mapped()
    mapped.merge(writer.close())
    mapped.triples = builder.triples - len(ontology_individuals())
    return mapped


def _map_part(part: Part, directory: Path) -> PartResult:
    builder = RowBuilder(default_mapping())
    captioner = SpillingCaptioner(_spill_dir(directory) / f"p{part.index:04d}")
    writer = ImportWriter(directory, f"p{part.index:04d}")
    first = ontology_individuals() if part.index == 0 else ()
    failure = None
    try:
        for row in stream_rows(builder, first, _part_triples(part), captioner):
            writer.add(row)
    except NotContiguous:
        failure = "not-contiguous"
    except DataFileError as exc:
        if part.whole:
            raise
        failure = str(exc)
    finally:
        captioner.close()
    return PartResult(writer.close(), builder.problems, builder.triples, captioner.transfers_path,
                      captioner.lookup_path, failure)


def _part_triples(part: Part) -> Iterator[PlainTriple]:
    if part.whole:
        yield from iter_plain([part.path])
        return
    import pyoxigraph as ox

    with part.path.open("rb") as handle:
        handle.seek(part.start)
        data = part.header + handle.read(part.end - part.start)
    named, literal = ox.NamedNode, ox.Literal
    try:
        quads = ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=part.path.resolve().as_uri(),
                         rename_blank_nodes=True)
        for quad in quads:
            s, o = quad.subject, quad.object
            obj: object
            if type(o) is literal:
                obj = Lit(o.value, o.language, o.datatype.value)
            elif type(o) is named:
                obj = o.value
            else:
                obj = Blank(o.value)  # type: ignore[union-attr]
            yield (s.value if type(s) is named else Blank(s.value)), quad.predicate.value, obj  # type: ignore[misc, union-attr]
    except (SyntaxError, ValueError) as exc:
        raise DataFileError(part.path, None, f"part {part.index} ({part.start}–{part.end}): {exc}") from None


_DIRECTIVE = re.compile(rb"^[ \t]*(?:@prefix|@base|prefix|base)\b", re.IGNORECASE | re.MULTILINE)
_STATEMENT_END = b" .\n"


def split(path: Path, size: int) -> list[Part]:
    """``path`` cut into parts of about ``size`` bytes, each ending where a statement ends (`` .`` at the end of
    a line, outside long strings, followed by a line that starts at column 0), each carrying the file's prefix
    directives. One part (the whole file) if the file is small or has directives after its first cut. Reads the
    file in windows (no mapping of the whole file: this process's memory stays flat)."""
    total = path.stat().st_size
    if total <= size:
        return [Part(0, path, 0, total)]
    with path.open("rb") as handle:
        fd = handle.fileno()
        cuts = [0]
        while cuts[-1] + size < total:
            cut = _next_cut(fd, cuts[-1], cuts[-1] + size)
            if cut is None:
                break
            cuts.append(cut)
        if len(cuts) == 1:
            return [Part(0, path, 0, total)]
        directives = _directives(handle)
    if directives and max(at for at, _ in directives) >= cuts[1]:
        return [Part(0, path, 0, total)]
    header = b"".join(line for _, line in directives)
    cuts.append(total)
    return [Part(0, path, start, end, header if start else b"") for start, end in zip(cuts, cuts[1:], strict=False)]


_WINDOW = 1 << 20


def _find(fd: int, needle: bytes, position: int) -> int:
    """The offset of ``needle`` at or after ``position`` in the file, or -1."""
    while True:
        block = os.pread(fd, _WINDOW, position)
        if not block:
            return -1
        found = block.find(needle)
        if found >= 0:
            return position + found
        if len(block) < _WINDOW:
            return -1
        position += len(block) - len(needle) + 1


def _next_cut(fd: int, previous: int, position: int) -> int | None:
    while True:
        found = _find(fd, _STATEMENT_END, position)
        if found < 0:
            return None
        cut = found + len(_STATEMENT_END)
        start = cut
        while (byte := os.pread(fd, 1, start)) in (b"\n", b"\r"):  # blank lines between blocks
            start += 1
        if byte and byte not in b" \t\r\n#" and _outside_long_strings(fd, previous, cut):
            return cut
        position = cut


def _outside_long_strings(fd: int, start: int, end: int) -> bool:
    """An even number of triple double quotes and of triple single quotes between ``start`` and ``end``, counted
    in windows that never end inside a run of quotes (a run is counted as a whole, as one ``bytes.count`` would)."""
    doubles = singles = 0
    while start < end:
        block = os.pread(fd, min(_WINDOW, end - start), start)
        while block[-1:] in (b'"', b"'") and start + len(block) < end:
            block += os.pread(fd, 1, start + len(block))
        doubles += block.count(b'"""')
        singles += block.count(b"'''")
        start += len(block)
    return doubles % 2 == 0 and singles % 2 == 0


def _directives(handle: IO[bytes]) -> list[tuple[int, bytes]]:
    """(offset, line) of every prefix/base directive, reading the file in line-aligned chunks."""
    found: list[tuple[int, bytes]] = []
    handle.seek(0)
    offset, rest = 0, b""
    while True:
        chunk = handle.read(_WINDOW)
        data = rest + chunk
        end = data.rfind(b"\n") + 1 if chunk else len(data)
        for match in _DIRECTIVE.finditer(data, 0, end):
            line_end = data.find(b"\n", match.start())
            found.append((offset + match.start(), data[match.start(): line_end + 1 if line_end >= 0 else end]))
        if not chunk:
            return found
        offset, rest = offset + end, data[end:]


# ---- import ------------------------------------------------------------------------------------------------------

def _importer_options(files: FileSet) -> list[str]:
    return [f"--array-delimiter={ARRAY_DELIMITER_ARG}", f"--multiline-fields={str(files.multiline).lower()}",
            "--id-type=string", "--skip-bad-relationships=false", "--skip-duplicate-nodes=false",
            "--bad-tolerance=0", "--overwrite-destination=true", "--input-encoding=UTF-8"]


IMPORTER_HEAP = "1g"  # 512m, 1g, 2g measured alike at 10^6 triples (docs/benchmarks.md §5)
IMPORTER_THREADS = 0  # 0: one per core
IMPORTER_TUNING: list[str] = []  # --high-parallel-io=on: no gain (auto already detects it)
#: the importer is a short-lived JVM: the C1 compiler alone (no C2) saves about a third of its CPU at 10^6 triples
IMPORTER_JVM = ["-XX:TieredStopAtLevel=1"]


def run_importer(lib_dir: Path, home: Path, arguments: list[str], files: FileSet) -> str:
    """``neo4j-admin database import full`` into ``home``'s ``data/`` (a fresh staging directory)."""
    if not (lib_dir / ".complete").exists() and not any(lib_dir.glob("neo4j-*.jar")):
        raise RebuildFailed("import", f"the Neo4j jars are not in {lib_dir}: run `rdkg neo4j start` once")
    shutil.rmtree(home, ignore_errors=True)
    for sub in ("conf", "data", "logs", "run"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    (home / "conf" / "neo4j.conf").write_text(
        f"server.directories.data={home / 'data'}\nserver.directories.logs={home / 'logs'}\n"
        f"server.directories.run={home / 'run'}\n", encoding="utf-8")
    report = home / "logs" / "import-report.txt"
    log_file = home / "logs" / "import.log"
    threads = IMPORTER_THREADS or max(1, os.cpu_count() or 1)
    cmd = ["java", "-Xms512m", f"-Xmx{IMPORTER_HEAP}", *IMPORTER_JVM, *JVM_FLAGS, "-cp", f"{lib_dir}/*", ADMIN_TOOL,
           "database", "import", "full", DATABASE, f"--threads={threads}", f"--report-file={report}", "--verbose",
           *IMPORTER_TUNING, *arguments]
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    began = time.monotonic()
    with open(log_file, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                                cwd=home, preexec_fn=_die_with_parent)
        (home.parent / "importer.pid").write_text(f"{proc.pid}\n")
        code = proc.wait()
    (home.parent / "importer.pid").unlink(missing_ok=True)
    text = log_file.read_text(errors="replace")
    if code != 0:
        raise _importer_failure(code, text, report, home)
    return f"{time.monotonic() - began:.1f}s"


def _die_with_parent() -> None:
    """In the importer's child process: SIGKILL when the rebuild dies (Linux prctl PR_SET_PDEATHSIG)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)
    except OSError:
        pass


_MISSING = re.compile(r"(\S+) \(global id space\)-\[(\w+)\]->(\S+) \(global id space\) referring to missing node")


DISK_FULL_BYTES = 16 << 20  # after a failed import, less free space than this is reported as the cause


def _importer_failure(code: int, text: str, report: Path, home: Path) -> Exception:
    bad = report.read_text(errors="replace") if report.exists() else ""
    dangling = [dangling_message(m.group(1), m.group(2), m.group(3)) for m in _MISSING.finditer(bad + text)]
    if dangling:
        return UnknownTermsError(sorted(set(dangling)))
    if code < 0 or code in (137, 143):
        return RebuildFailed("import", f"the importer was killed (signal {-code if code < 0 else code - 128})")
    free = shutil.disk_usage(home).free
    if free < DISK_FULL_BYTES or "No space left on device" in text:  # the importer does not always say so
        return RebuildFailed("import", f"the disk is full: the importer stopped with {free >> 20} MiB left in {home}"
                                       f" (code {code}; its log: {home / 'logs' / 'import.log'})")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("WARN")]
    errors = [line for line in lines if "rror" in line or "xception" in line or "uplicate" in line]
    tail = "\n".join((errors or lines)[-8:])
    return RebuildFailed("import", f"neo4j-admin database import exited with code {code}:\n{tail}")


def _check_disk_space(work: Path, home: Path, input_bytes: int) -> None:
    """The new store needs about as much as its input files, plus room for the old store while both exist."""
    need = 2 * input_bytes + (256 << 20)
    free = shutil.disk_usage(work).free
    if free < need:
        raise RebuildFailed("import", f"not enough disk space in {work}: about {need >> 20} MiB needed, "
                                      f"{free >> 20} MiB free")


# ---- swap --------------------------------------------------------------------------------------------------------

class _Swapper:
    """The detached swapper (:mod:`loaders.swapper`), watched from here: its journal's phase ``checking`` ends the
    swap stage (the server answers on the new store) and begins the schema stage; its result file says how it
    ended. If it dies half-way (its journal left behind) the roll-back is finished here."""

    def __init__(self, settings: Settings, new_data: Path, expect: dict[str, Any], work: Path) -> None:
        self.settings, self.work = settings, work
        self.home = local_server(settings).home
        self.result_file = work / "swap-result.json"
        self.result_file.unlink(missing_ok=True)
        expect_file = work / "swap-expect.json"
        expect_file.write_text(json.dumps(expect))
        cmd = [sys.executable, "-m", "loaders.swapper", "--settings",
               settings.model_dump_json(exclude={"neo4j_password"}), "--new", str(new_data),
               "--expect", str(expect_file), "--parent", str(os.getpid()), "--result", str(self.result_file)]
        with open(work / "swap.log", "ab") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True, cwd=Path(__file__).resolve().parents[1])
        self.phase = "moving"

    def _journal_phase(self) -> str | None:
        try:
            return str(json.loads(journal_path(self.home).read_text()).get("phase"))
        except (OSError, ValueError, AttributeError):
            return None

    def until_checking(self) -> None:
        """Wait until the server answers on the new store (raises :class:`RebuildFailed` if the swap failed)."""
        while self.proc.poll() is None:
            self.phase = self._journal_phase() or self.phase
            if self.phase == "checking":
                return
            time.sleep(0.1)
        self._outcome()

    def finish(self) -> dict[str, float]:
        """Wait for the swapper; its timings, or :class:`RebuildFailed` naming the stage it failed in."""
        while self.proc.poll() is None:
            self.phase = self._journal_phase() or self.phase
            time.sleep(0.1)
        return self._outcome()

    def _outcome(self) -> dict[str, float]:
        code = self.proc.wait()
        try:
            outcome = json.loads(self.result_file.read_text())
        except (OSError, ValueError):
            how = f"was killed (signal {-code})" if code < 0 else f"exited with code {code}"
            outcome = {"ok": False, "error": f"the swap process {how} (see {self.work / 'swap.log'})",
                       "phase": self._journal_phase() or self.phase}
        if outcome.get("ok"):
            return {k: float(v) for k, v in outcome.items() if k != "ok"}
        if journal_path(self.home).exists():  # the swapper died half-way: finish its roll-back
            _roll_back_swap(local_server(self.settings))
            outcome["error"] = f"{outcome.get('error')}; the previous store was put back and restarted"
        raise RebuildFailed("schema" if outcome.get("phase") == "checking" else "swap", str(outcome.get("error")))


def _roll_back_swap(server: LocalNeo4j) -> None:
    """After the swapper died (its journal is left): stop whatever it started, put the old store back, serve it."""
    server.stop()
    _stop_strays(server.home)  # a server the swapper spawned just before it died, before it wrote its pid file
    recover(server.home)
    server.start()


def _stop_strays(home: Path, timeout: float = 60.0) -> None:
    """Stop any Neo4j running on ``home`` that the pid file does not know (SIGTERM, then SIGKILL)."""
    marker = f"--home-dir={home}\0".encode()
    strays = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker in (entry / "cmdline").read_bytes():
                strays.append(int(entry.name))
        except OSError:
            continue
    for pid in strays:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while strays and time.monotonic() < deadline:
        strays = [pid for pid in strays if Path(f"/proc/{pid}").exists() and not _zombie(pid)]
        time.sleep(0.2)
    for pid in strays:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


__all__ = ["RebuildFailed", "RebuildResult", "UnmanagedServer", "map_to_files", "rebuild", "split"]
