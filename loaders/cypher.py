"""The loader's Cypher. Labels and relationship types travel as parameters too (Neo4j 5.26's dynamic labels and
types, ``:$(row.labels)``), so one statement — one query plan — serves every batch whatever its labels.

Identifiers are accepted only from the ontology's whitelist (:class:`loaders.mapping.Mapping`): the writer checks
every label set and relationship type with :func:`check_row_labels` / :func:`check_rel_type` before it sends a
row. Everything is scoped to the ownership label ``:Rdkg`` — nodes without it, and relationships to or from them,
are never matched.
"""

from __future__ import annotations

from collections.abc import Iterable

from loaders.mapping import OWNERSHIP_LABEL, Mapping

READ_STATE = f"MATCH (n:{OWNERSHIP_LABEL}) RETURN n.uri AS uri, n.contentHash AS hash, labels(n) AS labels"

# relationships a load would delete: outgoing ones of updated nodes, and every one of deleted nodes (distinct)
REMOVED_RELATIONSHIPS = (
    f"UNWIND $updated AS uri MATCH (:{OWNERSHIP_LABEL} {{uri: uri}})-[r]->(:{OWNERSHIP_LABEL}) "
    "RETURN elementId(r) AS rel "
    f"UNION UNWIND $deleted AS uri MATCH (:{OWNERSHIP_LABEL} {{uri: uri}})-[r]-() RETURN elementId(r) AS rel"
)

DELETE_NODES = f"UNWIND $uris AS uri MATCH (n:{OWNERSHIP_LABEL} {{uri: uri}}) DETACH DELETE n"

DELETE_OUTGOING = (
    f"UNWIND $uris AS uri MATCH (:{OWNERSHIP_LABEL} {{uri: uri}})-[r]->(:{OWNERSHIP_LABEL}) DELETE r"
)


class IdentifierRefused(ValueError):
    """A label or relationship type that the ontology does not define."""


def _quote(name: str, allowed: frozenset[str]) -> str:
    if name not in allowed:
        raise IdentifierRefused(f"{name!r} is not a label/relationship type defined by the ontology")
    return f"`{name}`"


def _label_expr(labels: Iterable[str], mapping: Mapping) -> str:
    return "".join(f":{_quote(label, mapping.labels)}" for label in labels)


# rows: {labels: [...], props: {...}} — every label checked by check_row_labels
CREATE_NODES = "UNWIND $rows AS row CREATE (n:$(row.labels)) SET n = row.props"
# rows: {uri, labels, drop, props}; drop = labels to remove (check_labels)
UPDATE_NODES = (
    f"UNWIND $rows AS row MATCH (n:{OWNERSHIP_LABEL} {{uri: row.uri}}) "
    "SET n = row.props SET n:$(row.labels) REMOVE n:$(row.drop)"
)


def check_row_labels(labels: tuple[str, ...], mapping: Mapping) -> None:
    """Refuse a label set that is not the ownership label plus ontology labels."""
    if not labels or labels[0] != OWNERSHIP_LABEL:
        raise IdentifierRefused(f"{labels!r} does not start with the ownership label {OWNERSHIP_LABEL!r}")
    for label in labels:
        _quote(label, mapping.labels)


def check_rel_type(rel_type: str, mapping: Mapping) -> None:
    _quote(rel_type, mapping.relationship_types)


def create_nodes(labels: tuple[str, ...], mapping: Mapping) -> str:
    """``UNWIND $rows`` creating nodes with exactly ``labels``; rows are ``{props}``."""
    return f"UNWIND $rows AS row CREATE (n{_label_expr(labels, mapping)}) SET n = row.props"


def update_nodes(labels: tuple[str, ...], mapping: Mapping) -> str:
    """Replace all properties of existing nodes and set their labels; rows are ``{uri, props, drop}``.

    ``drop`` lists the labels to remove (each checked against the whitelist by the caller via
    :func:`check_labels`); ``REMOVE n:$(…)`` is Neo4j 5.26's dynamic-label syntax.
    """
    return (
        f"UNWIND $rows AS row MATCH (n:{OWNERSHIP_LABEL} {{uri: row.uri}}) "
        f"SET n = row.props SET n{_label_expr(labels, mapping)} REMOVE n:$(row.drop)"
    )


def create_relationships(rel_type: str | None, mapping: Mapping) -> str:
    """``UNWIND $rows`` creating relationships between owned nodes; rows are ``{s, t, o}`` (``t`` checked by
    :func:`check_rel_type`). With a ``rel_type``, a statement for that one type and rows ``{s, o}``."""
    rel = ":$(row.t)" if rel_type is None else f":{_quote(rel_type, mapping.relationship_types)}"
    return (
        f"UNWIND $rows AS row MATCH (a:{OWNERSHIP_LABEL} {{uri: row.s}}) MATCH (b:{OWNERSHIP_LABEL} {{uri: row.o}}) "
        f"CREATE (a)-[{rel}]->(b)"
    )


def check_labels(labels: Iterable[str], mapping: Mapping) -> list[str]:
    """``labels`` restricted to ontology labels other than the ownership label (what an update may remove)."""
    return [label for label in labels if label in mapping.labels and label != OWNERSHIP_LABEL]
