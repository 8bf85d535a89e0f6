"""Generate the per-property SHACL shapes of ``shapes.ttl`` from the ontology.

Every rdkg property gets one node shape that targets the subjects using it and checks each value against the
property's declared range (``sh:class`` / ``sh:datatype`` / ``sh:in`` from ``rdkg:allowedValues``), plus
``sh:maxCount 1`` for ``owl:FunctionalProperty``. The class shapes in ``shapes.ttl`` (hand-written) add what is
*required* per class. Run ``python -m ontology.shapegen`` after changing ``rdkg.ttl``; a unit test fails when the
committed section is stale.
"""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ontology import RDKG, SHAPES_TTL, local_name, ontology_graph, rdkg_properties, replace_section

BEGIN = "# BEGIN GENERATED property shapes (python -m ontology.shapegen)"
END = "# END GENERATED property shapes"

DATE_TYPES = (XSD.date, XSD.gYearMonth, XSD.gYear)
NUMBER_TYPES = (XSD.integer, XSD.decimal)
DATATYPE_TEXT = {
    XSD.string: "a plain string (no language tag)",
    XSD.integer: "an integer",
    XSD.anyURI: "an xsd:anyURI literal",
}


def _curie(iri: Node) -> str:
    text = str(iri)
    for prefix, ns in (("rdkg", str(RDKG)), ("xsd", str(XSD)), ("rdf", str(RDF))):
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns) :]}"
    return f"<{text}>"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _union(g: Graph, node: Node) -> list[URIRef]:
    head = g.value(node, OWL.unionOf)
    return [m for m in Collection(g, head) if isinstance(m, URIRef)] if head is not None else []


def _label(g: Graph, cls: Node) -> str:
    return str(g.value(cls, RDFS.label) or local_name(cls))


def _or_datatypes(types: tuple[URIRef, ...]) -> str:
    return "sh:or ( " + " ".join(f"[ sh:datatype {_curie(t)} ]" for t in types) + " )"


def _object_range(g: Graph, prop: URIRef, rng: Node | None) -> tuple[list[str], str]:
    name = _curie(prop)
    if rng is None or rng == OWL.Thing:
        return ["sh:nodeKind sh:IRI"], f"{name} must point to a node with an id: IRI (no literal, no blank node)"
    members = _union(g, rng) if not isinstance(rng, URIRef) else []
    if members:
        ors = "sh:or ( " + " ".join(f"[ sh:class {_curie(m)} ]" for m in members) + " )"
        labels = " or ".join(_label(g, m) for m in members)
        return ["sh:nodeKind sh:IRI", ors], f"{name} must point to a {labels} defined in data/ (an id: IRI)"
    where = "ontology/categories.ttl" if rng == RDKG.Category else "data/"
    return ["sh:nodeKind sh:IRI", f"sh:class {_curie(rng)}"], (
        f"{name} must point to a {_label(g, rng)} defined in {where} (an id: IRI typed {_curie(rng)} or a subclass)"
    )


def _datatype_range(g: Graph, prop: URIRef, rng: Node | None) -> tuple[list[str], str]:
    name = _curie(prop)
    allowed = g.value(prop, RDKG.allowedValues)
    if allowed is not None:
        values = [str(v) for v in Collection(g, allowed) if isinstance(v, Literal)]
        listed = " ".join(_quote(v) for v in values)
        return [f"sh:in ( {listed} )"], f"{name} must be one of: {', '.join(values)}"
    if rng == RDKG.IsoDatePrefix:
        text = "typed xsd:date (YYYY-MM-DD), xsd:gYearMonth (YYYY-MM) or xsd:gYear (YYYY), and valid"
        return [_or_datatypes(DATE_TYPES)], f"{name} must be a date {text}"
    if rng == RDKG.Number:
        return [_or_datatypes(NUMBER_TYPES)], f"{name} must be a number (xsd:integer or xsd:decimal)"
    if rng == RDFS.Literal:
        # sh:nodeKind rather than sh:or of datatypes: sh:or costs a nested shape evaluation per value
        return ["sh:nodeKind sh:Literal"], f"{name} must be a text literal (plain or language-tagged)"
    if not isinstance(rng, URIRef):
        return ["sh:nodeKind sh:Literal"], f"{name} must be a literal"
    return [f"sh:datatype {_curie(rng)}"], f"{name} must be {DATATYPE_TEXT.get(rng, _curie(rng))}"


def property_shape(g: Graph, prop: URIRef) -> str:
    """The Turtle of one property's usage shape."""
    local = local_name(prop)
    rng = g.value(prop, RDFS.range)
    is_object = (prop, RDF.type, OWL.ObjectProperty) in g
    constraints, message = (_object_range if is_object else _datatype_range)(g, prop, rng)
    functional = (prop, RDF.type, OWL.FunctionalProperty) in g
    refs = f"rdkgsh:{local}-range" + (f", rdkgsh:{local}-count" if functional else "")
    lines = [
        f"rdkgsh:{local}-usage a sh:NodeShape ;",
        f"    sh:targetSubjectsOf {_curie(prop)} ;",
        f"    sh:property {refs} .",
        f"rdkgsh:{local}-range a sh:PropertyShape ;",
        f"    sh:path {_curie(prop)} ;",
        *(f"    {c} ;" for c in constraints),
        f"    sh:message {_quote(message)} .",
    ]
    if functional:
        lines += [
            f"rdkgsh:{local}-count a sh:PropertyShape ;",
            f"    sh:path {_curie(prop)} ;",
            "    sh:maxCount 1 ;",
            f"    sh:message {_quote(f'{_curie(prop)} takes at most one value per node')} .",
        ]
    return "\n".join(lines)


def render(graph: Graph | None = None) -> str:
    """All generated property shapes, sorted by property name."""
    g = graph if graph is not None else ontology_graph()
    return "\n\n".join(property_shape(g, p) for p in sorted(rdkg_properties(g), key=local_name)) + "\n"


def main() -> None:
    text = SHAPES_TTL.read_text(encoding="utf-8")
    SHAPES_TTL.write_text(replace_section(text, BEGIN, END, render()), encoding="utf-8")


if __name__ == "__main__":
    main()
