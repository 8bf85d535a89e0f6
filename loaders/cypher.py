"""The loader's Cypher. Labels and relationship types travel as parameters too (Neo4j 5.26's dynamic labels and
types, ``:$(row.labels)``), so one statement — one query plan — serves every batch whatever its labels.

Identifiers are accepted only from the ontology's whitelist (:class:`loaders.mapping.Mapping`): the writer checks
every label set and relationship type with :func:`check_row_labels` / :func:`check_rel_type` before it sends a
row. Everything is scoped to the ownership label ``:Rdkg`` — nodes without it, and relationships to or from them,
are never matched.
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.contract import OWNERSHIP_LABEL, Mapping
from graph.errors import RdkgError

READ_STATE = (f"MATCH (n:{OWNERSHIP_LABEL}) "
              "RETURN n.uri AS uri, n.contentHash AS hash, labels(n) AS labels, elementId(n) AS node")

# relationships a load would delete: outgoing ones of updated nodes, and every one of deleted nodes (distinct)
REMOVED_RELATIONSHIPS = (
    f"UNWIND $updated AS uri MATCH (:{OWNERSHIP_LABEL} {{uri: uri}})-[r]->(:{OWNERSHIP_LABEL}) "
    "RETURN elementId(r) AS rel "
    f"UNION UNWIND $deleted AS uri MATCH (:{OWNERSHIP_LABEL} {{uri: uri}})-[r]-() RETURN elementId(r) AS rel"
)

# Statements of a load address nodes by element id (``$nodes``, ``row.node``, ``row.s``/``row.o``): ids read from
# the graph (READ_STATE) or returned by CREATE_NODES in the same transaction, so every look-up is an id seek.
DELETE_NODES = "UNWIND $nodes AS node MATCH (n) WHERE elementId(n) = node DETACH DELETE n"

DELETE_OUTGOING = (
    f"UNWIND $nodes AS node MATCH (a)-[r]->(:{OWNERSHIP_LABEL}) WHERE elementId(a) = node DELETE r"
)


class IdentifierRefused(RdkgError):
    """A label or relationship type that the ontology does not define (never formatted into Cypher: a bug)."""

    code = "identifier_refused"


def _quote(name: str, allowed: frozenset[str]) -> str:
    if name not in allowed:
        raise IdentifierRefused(f"{name!r} is not a label/relationship type defined by the ontology")
    return f"`{name}`"


# rows: {labels: [...], props: {...}} — every label checked by check_row_labels; returns one record: the new nodes'
# element ids in the order of $rows (UNWIND → CREATE → collect is one streaming pipeline; the writer checks the
# count). One list, not a record per node: records cost the client ≈ 50 µs each to receive.
CREATE_NODES = "UNWIND $rows AS row CREATE (n:$(row.labels)) SET n = row.props RETURN collect(elementId(n))"
# rows: {node, labels, drop, props}; node = element id; drop = labels to remove (check_labels)
UPDATE_NODES = (
    "UNWIND $rows AS row MATCH (n) WHERE elementId(n) = row.node "
    "SET n = row.props SET n:$(row.labels) REMOVE n:$(row.drop)"
)
# rows: {s, t, o}: source and target element ids, relationship type (checked by check_rel_type)
CREATE_RELATIONSHIPS = (
    "UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.s MATCH (b) WHERE elementId(b) = row.o "
    "CREATE (a)-[:$(row.t)]->(b)"
)


def check_row_labels(labels: tuple[str, ...], mapping: Mapping) -> None:
    """Refuse a label set that is not the ownership label plus ontology labels."""
    if not labels or labels[0] != OWNERSHIP_LABEL:
        raise IdentifierRefused(f"{labels!r} does not start with the ownership label {OWNERSHIP_LABEL!r}")
    for label in labels:
        _quote(label, mapping.labels)


def check_rel_type(rel_type: str, mapping: Mapping) -> None:
    _quote(rel_type, mapping.relationship_types)


def check_labels(labels: Iterable[str], mapping: Mapping) -> list[str]:
    """``labels`` restricted to ontology labels other than the ownership label (what an update may remove)."""
    return [label for label in labels if label in mapping.labels and label != OWNERSHIP_LABEL]
