"""The loader's Cypher: the only statements whose *shape* varies (labels, relationship types).

Identifiers are accepted only from the ontology's whitelist (:class:`loaders.mapping.Mapping`) and are
backtick-quoted anyway; every value travels as a ``$parameter``. Everything is scoped to the ownership label
``:Rdkg`` — nodes without it, and relationships to or from them, are never matched.
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


def create_relationships(rel_type: str, mapping: Mapping) -> str:
    """``UNWIND $rows`` creating ``rel_type`` relationships between owned nodes; rows are ``{s, o}``."""
    rel = _quote(rel_type, mapping.relationship_types)
    return (
        f"UNWIND $rows AS row MATCH (a:{OWNERSHIP_LABEL} {{uri: row.s}}) MATCH (b:{OWNERSHIP_LABEL} {{uri: row.o}}) "
        f"CREATE (a)-[:{rel}]->(b)"
    )


def check_labels(labels: Iterable[str], mapping: Mapping) -> list[str]:
    """``labels`` restricted to ontology labels other than the ownership label (what an update may remove)."""
    return [label for label in labels if label in mapping.labels and label != OWNERSHIP_LABEL]
