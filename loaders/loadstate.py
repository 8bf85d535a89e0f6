"""The loader's bookkeeping: a fingerprint of the last successful load, so an unchanged reload is instant.

The fingerprint hashes everything a load's result depends on: the input files' bytes, the ontology, its SHACL
shapes, the loader's mapping code and whether validation ran. It is written with the counts, in the same
transaction as the data, to one node ``(:RdkgLoadState {key: "state"})`` — the only node the loader owns besides
the ``:Rdkg`` graph (it has no ``:Rdkg`` label, so queries over the knowledge graph never see it). A reload whose
fingerprint and ``:Rdkg`` node/relationship counts match skips validation, mapping and writing; ``force=True``
(``rdkg load --force``) always does the full diff.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from neo4j import ManagedTransaction

from ontology import ONTOLOGY_FILES, SHAPES_TTL

LOADER_DIR = Path(__file__).resolve().parent
CODE_FILES = ("mapping.py", "rows.py", "values.py", "captions.py", "cypher.py", "csv_loader.py", "fastparse.py",
              "terms.py", "pipeline.py")

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
class StoredLoad:
    labels: dict[str, int]
    relationships: dict[str, int]
    triples: int


def fingerprint(inputs: Sequence[Path], validated: bool) -> str:
    digest = hashlib.blake2b(digest_size=20)
    digest.update(b"validated" if validated else b"unvalidated")
    files = [*sorted(inputs), *ONTOLOGY_FILES, SHAPES_TTL, *(LOADER_DIR / name for name in CODE_FILES)]
    for path in files:
        digest.update(str(path.name).encode() + b"\0")
        if not path.exists():
            digest.update(b"(missing)")
            continue
        with path.open("rb") as handle:  # in chunks: a 10^6-triple file is ~100 MB
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def read_unchanged(tx: ManagedTransaction, print_: str) -> StoredLoad | None:
    """The stored counts if the graph was loaded from exactly this fingerprint and looks untouched since."""
    record = tx.run(READ).single(strict=True)
    state = record["state"]
    if not state or state.get("fingerprint") != print_:
        return None
    if (state.get("nodes"), state.get("rels")) != (record["nodes"], record["rels"]):
        return None
    return StoredLoad(json.loads(state["labels"]), json.loads(state["relationships"]), int(state["triples"]))


def write(tx: ManagedTransaction, print_: str, labels: dict[str, int], relationships: dict[str, int],
          triples: int) -> None:
    state = {"fingerprint": print_, "labels": json.dumps(labels), "relationships": json.dumps(relationships),
             "triples": triples}
    tx.run(WRITE, state=state).consume()
