"""Constraints and indexes for the rdkg graph (``rdkg schema``), created idempotently (``IF NOT EXISTS``).

- unique ``uri`` and unique ``id`` on the ownership label ``:Rdkg`` (every node the loader writes has it);
- range indexes on ``:Rdkg(name)`` and ``:Rdkg(kind)`` (the node's own class, graph/contract.py: the queries
  filter on it, e.g. ``/entities?type=Vessel``);
- range indexes on ``periodStart`` / ``periodEnd`` for every top-level ontology class label (``Transfer``,
  ``Event``, ``Membership``, ``Claim`` …, the classes without an rdkg superclass — every dated node carries one of
  them, and the canned queries filter dates on these labels). Not on ``:Rdkg`` as well: that doubled every dated
  node's index entries (and the load's commit work) for no canned query;
- range indexes on every closed-value-set property on its domain's label (``Claim.stance``,
  ``Claim.confidence``, ``Transfer.status``, ``Vote.choice`` …), read from ``rdkg:allowedValues``;
- a text index on ``:Rdkg(searchText)`` for case/accent-insensitive ``CONTAINS`` search.

``apply_schema`` also drops ``rdkg_…`` constraints and indexes that are no longer declared (the schema converges
on the ontology's; others' constraints and indexes are never touched).

Labels and property keys come from the ontology and are checked as plain identifiers before they reach Cypher.
"""

from __future__ import annotations

from dataclasses import dataclass

from neo4j import Driver
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.collection import Collection

from graph.contract import IDENTIFIER, KIND, OWNERSHIP_LABEL
from graph.errors import translate_driver_errors
from ontology import RDKG, allowed_values, local_name, ontology_graph

PREFIX = "rdkg_"  # every constraint and index rdkg declares is named rdkg_…


@dataclass(frozen=True)
class Index:
    name: str
    label: str
    prop: str
    kind: str = "RANGE"  # RANGE, TEXT or UNIQUE (a uniqueness constraint)

    def statement(self) -> str:
        for ident in (self.name, self.label, self.prop):
            if not IDENTIFIER.match(ident):
                raise ValueError(f"unsafe identifier in schema: {ident!r}")
        if self.kind == "UNIQUE":
            return (f"CREATE CONSTRAINT {self.name} IF NOT EXISTS "
                    f"FOR (n:`{self.label}`) REQUIRE n.`{self.prop}` IS UNIQUE")
        prefix = "CREATE TEXT INDEX" if self.kind == "TEXT" else "CREATE INDEX"
        return f"{prefix} {self.name} IF NOT EXISTS FOR (n:`{self.label}`) ON (n.`{self.prop}`)"


def schema_items(graph: Graph | None = None) -> list[Index]:
    """Every constraint and index, derived from the ontology."""
    g = graph if graph is not None else ontology_graph()
    items = [
        Index("rdkg_uri_unique", OWNERSHIP_LABEL, "uri", "UNIQUE"),
        Index("rdkg_id_unique", OWNERSHIP_LABEL, "id", "UNIQUE"),
        Index("rdkg_name", OWNERSHIP_LABEL, "name"),
        Index("rdkg_kind", OWNERSHIP_LABEL, KIND),
        Index("rdkg_search_text", OWNERSHIP_LABEL, "searchText", "TEXT"),
    ]
    for label in _top_level_labels(g):
        for prop in ("periodStart", "periodEnd"):
            items.append(Index(f"rdkg_{label.lower()}_{prop.lower()}", label, prop))
    for prop_name in allowed_values(g):
        for label in _domain_labels(g, RDKG[prop_name]):
            items.append(Index(f"rdkg_{label.lower()}_{prop_name.lower()}", label, prop_name))
    return items


def _top_level_labels(g: Graph) -> list[str]:
    classes = {c for c in g.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef) and c.startswith(RDKG)}
    top = [c for c in classes if not any(str(p).startswith(str(RDKG)) for p in g.objects(c, RDFS.subClassOf))]
    return sorted(local_name(c) for c in top)


def _domain_labels(g: Graph, prop: URIRef) -> list[str]:
    domain = g.value(prop, RDFS.domain)
    if isinstance(domain, URIRef):
        return [local_name(domain)] if domain != OWL.Thing else [OWNERSHIP_LABEL]
    head = g.value(domain, OWL.unionOf) if domain is not None else None
    return [local_name(m) for m in Collection(g, head) if isinstance(m, URIRef)] if head is not None else []


def apply_schema(driver: Driver, database: str) -> list[str]:
    """Create every constraint and index that does not exist yet, drop the ``rdkg_`` ones the ontology no longer
    declares (e.g. after an upgrade), then wait until all are online. Returns the names dropped.

    Only names with the ``rdkg_`` prefix are ever dropped: constraints and indexes of other data stay.
    """
    items = schema_items()
    declared = {item.name for item in items}
    dropped: list[str] = []
    with translate_driver_errors():
        for item in items:
            driver.execute_query(item.statement(), database_=database)
        for kind, listing in (("CONSTRAINT", "SHOW CONSTRAINTS YIELD name RETURN name"),
                              ("INDEX", "SHOW INDEXES YIELD name, owningConstraint "
                                        "WHERE owningConstraint IS NULL RETURN name")):
            for record in driver.execute_query(listing, database_=database).records:
                name = record["name"]
                if name.startswith(PREFIX) and name not in declared and IDENTIFIER.match(name):
                    driver.execute_query(f"DROP {kind} `{name}` IF EXISTS", database_=database)
                    dropped.append(name)
        driver.execute_query("CALL db.awaitIndexes(300)", database_=database)
    return dropped
