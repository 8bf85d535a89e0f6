"""Node rows → the CSV input files of Neo4j's offline importer (``neo4j-admin database import full``).

The rows are the transactional loader's (:mod:`loaders.rows`: same labels, properties, ids, captions, search text
and content hashes); only the way they reach the store differs. Files, all UTF-8 CSV with ``"``-quoted strings:

- **nodes**: one file set per *shape* — the label set plus the property keys and their types. Every node of a
  file has every column, so an empty field never has to mean "no property" and a typed header is exact:
  ``uri:ID,:LABEL,contentHash:long,id:string,name:string,aliases:string[],periodStart:date …``. The header is a
  file of its own; each writer (one per mapping process) writes headerless data files, and the importer reads
  ``--nodes=<header>,<data>,<data>…``.
- **relationships**: one file set per relationship type, ``:START_ID,:END_ID`` (node ids are the ``uri``s).
- the loader's bookkeeping node ``:RdkgLoadState`` (:mod:`loaders.loadstate`), written last with the counts.

Types: ``str`` → string, ``bool`` → boolean, ``int`` → long, ``float`` → double (``repr``: exact round trip),
``datetime.date`` → date; lists → ``type[]`` with :data:`ARRAY_DELIMITER` between elements. A string holding the
array delimiter, or a list mixing types (Neo4j refuses both in the transactional load too), raises
:class:`ImportFileError`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from graph.contract import OWNERSHIP_LABEL
from graph.errors import RdkgError
from loaders.rows import NodeRow

ARRAY_DELIMITER = "\x1f"  # ASCII unit separator: never in our data (checked); passed as --array-delimiter=U+001F
ARRAY_DELIMITER_ARG = "U+001F"
LOAD_STATE_LABEL = "RdkgLoadState"


class ImportFileError(RdkgError):
    """A value the importer's CSV cannot carry exactly."""

    code = "import_file_error"


def _scalar_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dt.datetime):
        raise ImportFileError(f"date-times are not produced by the mapping: {value!r}")
    if isinstance(value, dt.date):
        return "date"
    raise ImportFileError(f"unsupported property value {value!r}")


def value_type(value: object) -> str:
    """The importer's header type of a property value."""
    if isinstance(value, list):
        kinds = {_scalar_type(item) for item in value}
        if len(kinds) != 1:
            raise ImportFileError(f"a list must hold one type (Neo4j lists are homogeneous): {value!r}")
        return f"{kinds.pop()}[]"
    return _scalar_type(value)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if ARRAY_DELIMITER in text:
        raise ImportFileError(f"a value holds the control character U+001F: {text!r}")
    return text


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def field_text(value: object) -> str:
    """One CSV field: strings (and lists of strings) quoted, quotes doubled."""
    if isinstance(value, list):
        joined = ARRAY_DELIMITER.join(_text(item) for item in value)
        return _quote(joined) if value and isinstance(value[0], str) else joined
    text = _text(value)
    return _quote(text) if isinstance(value, str) else text


@dataclass
class FileSet:
    """What one writer wrote: node data files by header text, relationship files by type, and the counts."""

    nodes: dict[str, list[Path]] = field(default_factory=dict)
    relationships: dict[str, list[Path]] = field(default_factory=dict)
    labels: Counter[str] = field(default_factory=Counter)
    rel_counts: Counter[str] = field(default_factory=Counter)
    multiline: bool = False  # some value holds a line break (the importer then needs --multiline-fields)
    bytes: int = 0

    def merge(self, other: FileSet) -> None:
        for header, files in other.nodes.items():
            self.nodes.setdefault(header, []).extend(files)
        for rel, files in other.relationships.items():
            self.relationships.setdefault(rel, []).extend(files)
        self.labels.update(other.labels)
        self.rel_counts.update(other.rel_counts)
        self.multiline |= other.multiline
        self.bytes += other.bytes


class ImportWriter:
    """Writes rows to headerless CSV data files under ``directory`` (names prefixed with ``prefix``)."""

    def __init__(self, directory: Path, prefix: str) -> None:
        self.directory = directory
        self.prefix = prefix
        self.files = FileSet()
        self._nodes: dict[tuple[tuple[str, ...], tuple[tuple[str, str], ...]], tuple[IO[str], str]] = {}
        self._rels: dict[str, IO[str]] = {}
        directory.mkdir(parents=True, exist_ok=True)

    def add(self, row: NodeRow) -> None:
        props = row.props
        keys = tuple((key, value_type(value)) for key, value in sorted(props.items())
                     if key != "uri" and value is not None)
        shape = (row.labels, keys)
        entry = self._nodes.get(shape)
        if entry is None:
            entry = self._open_shape(shape)
        out = entry[0]
        parts = [_quote(_text(row.uri)), ARRAY_DELIMITER.join(row.labels)]
        parts += [field_text(props[key]) for key, _ in keys]
        line = ",".join(parts)
        if "\n" in line or "\r" in line:
            self.files.multiline = True
        out.write(line)
        out.write("\n")
        self.files.labels.update(row.labels)
        if row.rels:
            uri = _quote(row.uri)
            rels = self._rels
            for rel, target in row.rels:
                handle = rels.get(rel)
                if handle is None:
                    handle = self._open_rel(rel)
                handle.write(f"{uri},{_quote(target)}\n")
                self.files.rel_counts[rel] += 1

    def _open_shape(self, shape: tuple[tuple[str, ...], tuple[tuple[str, str], ...]]) -> tuple[IO[str], str]:
        labels, keys = shape
        header = ",".join(["uri:ID", ":LABEL", *(f"{key}:{kind}" for key, kind in keys)])
        name = hashlib.blake2b(header.encode(), digest_size=6).hexdigest()
        path = self.directory / f"{self.prefix}-nodes-{'_'.join(labels[1:]) or OWNERSHIP_LABEL}-{name}.csv"
        handle = path.open("w", encoding="utf-8", newline="")
        self._nodes[shape] = (handle, header)
        self.files.nodes.setdefault(header, []).append(path)
        return handle, header

    def _open_rel(self, rel: str) -> IO[str]:
        path = self.directory / f"{self.prefix}-rels-{rel}.csv"
        handle = self._rels[rel] = path.open("w", encoding="utf-8", newline="")
        self.files.relationships.setdefault(rel, []).append(path)
        return handle

    def close(self) -> FileSet:
        for handle, _ in self._nodes.values():
            handle.close()
        for handle in self._rels.values():
            handle.close()
        self.files.bytes = sum(path.stat().st_size for files in (*self.files.nodes.values(),
                                                                 *self.files.relationships.values())
                               for path in files)
        return self.files


def write_load_state(directory: Path, state: dict[str, object]) -> tuple[str, Path]:
    """The ``:RdkgLoadState`` node (:mod:`loaders.loadstate`'s properties) as (header, data file)."""
    keys = sorted(key for key, value in state.items() if value is not None)  # Neo4j stores no nulls
    header = ",".join([":LABEL", *(f"{key}:{value_type(state[key])}" for key in keys)])
    path = directory / "loadstate.csv"
    path.write_text(",".join([LOAD_STATE_LABEL, *(field_text(state[key]) for key in keys)]) + "\n",
                    encoding="utf-8")
    return header, path


def load_state_properties(fingerprint: str, labels: dict[str, int], relationships: dict[str, int],
                          triples: int) -> dict[str, object]:
    """The properties :func:`loaders.loadstate.write` gives the ``:RdkgLoadState`` node after a load."""
    return {"key": "state", "fingerprint": fingerprint, "labels": json.dumps(labels),
            "relationships": json.dumps(relationships), "triples": triples,
            "nodes": labels.get(OWNERSHIP_LABEL, 0), "rels": sum(relationships.values())}


def importer_arguments(directory: Path, files: FileSet, state_header: str, state_file: Path) -> list[str]:
    """``--nodes=…`` / ``--relationships=…`` arguments; header files are written to ``directory``."""
    args: list[str] = []
    for number, (header, paths) in enumerate(sorted(files.nodes.items())):
        head = directory / f"header-nodes-{number}.csv"
        head.write_text(header + "\n", encoding="utf-8")
        args.append("--nodes=" + ",".join(str(p) for p in (head, *paths)))
    rel_head = directory / "header-rels.csv"
    rel_head.write_text(":START_ID,:END_ID\n", encoding="utf-8")
    for rel, paths in sorted(files.relationships.items()):
        args.append(f"--relationships={rel}=" + ",".join(str(p) for p in (rel_head, *paths)))
    state_head = directory / "header-loadstate.csv"
    state_head.write_text(state_header + "\n", encoding="utf-8")
    args.append(f"--nodes={state_head},{state_file}")
    return args
