"""The loader's bookkeeping: a fingerprint of the last successful load, so an unchanged reload is instant.

The fingerprint hashes everything a load's result depends on: the input files' bytes, the ontology, its SHACL
shapes, the loader's mapping code and whether validation ran. It is written with the counts, in the same
transaction as the data, to one node ``(:RdkgLoadState {key: "state"})`` — the only node the loader owns besides
the ``:Rdkg`` graph (it has no ``:Rdkg`` label, so queries over the knowledge graph never see it). A reload whose
fingerprint and ``:Rdkg`` node/relationship counts match skips validation, mapping and writing; ``force=True``
(``rdkg load --force``) always does the full diff.

For undo (``rdkg rollback``, :mod:`loaders.history`) the node also says what the graph holds and what it replaced:
``inputs`` (JSON: each input file's name, SHA-256 and size), ``inputFingerprint`` (SHA-256 of the inputs' hashes,
in order), ``release`` (the published release whose data files these are, or null), ``loadedAt`` (UTC), and
``previous`` (JSON: the same four of the load this one replaced; kept as it was when a load re-writes the same
inputs, so undoing twice redoes).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from neo4j import ManagedTransaction

from ontology import ONTOLOGY_FILES, SHAPES_TTL

LOADER_DIR = Path(__file__).resolve().parent
CODE_FILES = ("mapping.py", "rows.py", "values.py", "captions.py", "cypher.py", "csv_loader.py", "fastparse.py",
              "terms.py", "inputs.py", "diff.py", "writer.py", "pipeline.py")

READ = (
    "OPTIONAL MATCH (m:RdkgLoadState {key: 'state'}) "
    "CALL () { MATCH (n:Rdkg) RETURN count(n) AS nodes } "
    "CALL () { MATCH (:Rdkg)-[r]->() RETURN count(r) AS rels } "
    "RETURN m {.*} AS state, nodes, rels"
)
WRITE = (
    "MERGE (m:RdkgLoadState {key: 'state'}) SET m += $state "
    "WITH m CALL () { MATCH (n:Rdkg) RETURN count(n) AS nodes } "
    "CALL () { MATCH (:Rdkg)-[r]->() RETURN count(r) AS rels } "
    "SET m.nodes = nodes, m.rels = rels"
)


@dataclass(frozen=True)
class InputFile:
    """One input file of a load, by content."""

    name: str
    sha256: str
    bytes: int

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "sha256": self.sha256, "bytes": self.bytes}


def input_fingerprint(files: Sequence[InputFile]) -> str:
    """What the data of a load is, independent of file names and of the ontology/loader version."""
    return hashlib.sha256("".join(f"{f.sha256}\n" for f in sorted(files, key=lambda f: f.sha256)).encode()).hexdigest()


@dataclass(frozen=True)
class Provenance:
    """What a load reads (its input files by content) and which published release they are, if any."""

    inputs: tuple[InputFile, ...]
    release: str | None = None

    @property
    def input_fingerprint(self) -> str:
        return input_fingerprint(self.inputs)

    def as_state(self) -> dict[str, object]:
        return {"inputs": json.dumps([f.as_dict() for f in self.inputs]), "inputFingerprint": self.input_fingerprint,
                "release": self.release}


@dataclass(frozen=True)
class StoredLoad:
    labels: dict[str, int]
    relationships: dict[str, int]
    triples: int
    release: str | None = None


def fingerprint(inputs: Sequence[Path], validated: bool) -> str:
    return fingerprint_inputs(inputs, validated)[0]


def fingerprint_inputs(inputs: Sequence[Path], validated: bool) -> tuple[str, list[InputFile]]:
    """The load fingerprint, and each input file's content hash (one read of every file)."""
    digest = hashlib.blake2b(digest_size=20)
    files_out: list[InputFile] = []
    input_set = set(inputs)
    digest.update(b"validated" if validated else b"unvalidated")
    files = [*sorted(inputs), *ONTOLOGY_FILES, SHAPES_TTL, *(LOADER_DIR / name for name in CODE_FILES)]
    for path in files:
        digest.update(str(path.name).encode() + b"\0")
        if not path.exists():
            digest.update(b"(missing)")
            continue
        own = hashlib.sha256() if path in input_set else None
        size = 0
        with path.open("rb") as handle:  # in chunks: a 10^6-triple file is ~100 MB
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
                if own is not None:
                    own.update(chunk)
                    size += len(chunk)
        if own is not None:
            files_out.append(InputFile(path.name, own.hexdigest(), size))
    return digest.hexdigest(), files_out


def read_unchanged(tx: ManagedTransaction, print_: str) -> StoredLoad | None:
    """The stored counts if the graph was loaded from exactly this fingerprint and looks untouched since."""
    record = tx.run(READ).single(strict=True)
    state = record["state"]
    if not state or state.get("fingerprint") != print_:
        return None
    if (state.get("nodes"), state.get("rels")) != (record["nodes"], record["rels"]):
        return None
    return StoredLoad(json.loads(state["labels"]), json.loads(state["relationships"]), int(state["triples"]),
                      state.get("release"))


def set_release(tx: ManagedTransaction, release: str | None) -> None:
    """Name the release the graph holds (an unchanged reload after the release was published)."""
    tx.run("MATCH (m:RdkgLoadState {key: 'state'}) SET m.release = $release", release=release).consume()


def read_state(tx: ManagedTransaction) -> dict[str, object] | None:
    """The load state node's properties (None before the first load)."""
    record = tx.run("MATCH (m:RdkgLoadState {key: 'state'}) RETURN m {.*} AS state").single()
    return dict(record["state"]) if record is not None else None


def write(tx: ManagedTransaction, print_: str, labels: dict[str, int], relationships: dict[str, int],
          triples: int, provenance: Provenance | None = None) -> None:
    state: dict[str, object] = {"fingerprint": print_, "labels": json.dumps(labels),
                                "relationships": json.dumps(relationships), "triples": triples}
    if provenance is not None:
        old = read_state(tx) or {}
        state.update(provenance.as_state())
        state["loadedAt"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        if old.get("inputFingerprint") == provenance.input_fingerprint and "previous" in old:
            state["previous"] = old["previous"]  # the same inputs again: what they replaced stays the undo target
        elif old:
            state["previous"] = json.dumps({key: old.get(key) for key in PREVIOUS_KEYS})
        else:
            state["previous"] = None
    tx.run(WRITE, state=state).consume()


#: what ``previous`` keeps of the replaced load (``inputs`` is itself JSON text, nested as text)
PREVIOUS_KEYS = ("inputs", "inputFingerprint", "release", "loadedAt", "fingerprint")
