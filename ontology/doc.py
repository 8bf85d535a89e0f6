"""Generate the model section of ``docs/ontology.md`` from ``rdkg.ttl``: a Mermaid class diagram and the closed
value sets. ``python -m ontology.doc`` rewrites the section between the markers; ``--print`` writes it to stdout.
A unit test fails when the committed section differs from what this produces.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ontology import RDKG, allowed_values, local_name, ontology_graph, rdkg_classes, rdkg_properties, replace_section

DOC = Path(__file__).resolve().parents[1] / "docs" / "ontology.md"
BEGIN = "<!-- BEGIN GENERATED model (python -m ontology.doc) -->"
END = "<!-- END GENERATED model -->"

TYPE_NAMES = {
    RDKG.IsoDatePrefix: "date",
    RDKG.Number: "number",
    RDFS.Literal: "text",
    XSD.string: "string",
    XSD.integer: "int",
    XSD.anyURI: "uri",
}


def _members(g: Graph, node: Node | None) -> list[URIRef]:
    """A named class as [cls]; an owl:unionOf as its members; owl:Thing / nothing as []."""
    if node is None or node == OWL.Thing:
        return []
    if isinstance(node, URIRef):
        return [node]
    head = g.value(node, OWL.unionOf)
    return [m for m in Collection(g, head) if isinstance(m, URIRef)] if head is not None else []


def _attribute_type(g: Graph, prop: URIRef) -> str:
    if g.value(prop, RDKG.allowedValues) is not None:
        return "enum"
    rng = g.value(prop, RDFS.range)
    return TYPE_NAMES.get(rng, local_name(rng)) if isinstance(rng, URIRef) else "literal"


def _attributes(g: Graph) -> dict[URIRef, list[str]]:
    attrs: dict[URIRef, list[str]] = {}
    for prop in sorted(rdkg_properties(g, OWL.DatatypeProperty), key=local_name):
        for cls in _members(g, g.value(prop, RDFS.domain)):
            attrs.setdefault(cls, []).append(f"{local_name(prop)} : {_attribute_type(g, prop)}")
    return attrs


def mermaid(graph: Graph | None = None) -> str:
    """The Mermaid classDiagram: classes with their own datatype properties, subclassing, object properties."""
    g = graph if graph is not None else ontology_graph()
    classes = sorted(rdkg_classes(g), key=local_name)
    attrs = _attributes(g)
    lines = ["```mermaid", "classDiagram", "  direction LR"]
    for cls in classes:
        body = attrs.get(cls, [])
        lines.append(f"  class {local_name(cls)}" + (" {" if body else ""))
        if body:
            lines += [f"    {a}" for a in body] + ["  }"]
    for cls in classes:
        for parent in sorted(p for p in g.objects(cls, RDFS.subClassOf) if isinstance(p, URIRef)):
            if parent in classes:
                lines.append(f"  {local_name(parent)} <|-- {local_name(cls)}")
    for prop in sorted(rdkg_properties(g, OWL.ObjectProperty), key=local_name):
        for dom in _members(g, g.value(prop, RDFS.domain)):
            for rng in _members(g, g.value(prop, RDFS.range)):
                lines.append(f"  {local_name(dom)} --> {local_name(rng)} : {local_name(prop)}")
    lines.append("```")
    return "\n".join(lines)


def _anywhere(g: Graph) -> str:
    props = [
        p
        for p in rdkg_properties(g)
        if g.value(p, RDFS.domain) == OWL.Thing and (p, RDF.type, OWL.AnnotationProperty) not in g
    ]
    return ", ".join(f"`{local_name(p)}`" for p in sorted(props, key=local_name))


def section(graph: Graph | None = None) -> str:
    """The generated Markdown: diagram, properties usable on any node, closed value sets."""
    g = graph if graph is not None else ontology_graph()
    value_sets = "\n".join(
        f"- `{name}`: " + ", ".join(f"`{v}`" for v in values) for name, values in allowed_values(g).items()
    )
    unsearchable = sorted(local_name(c) for c in rdkg_classes(g) if (c, RDKG.searchable, Literal(False)) in g)
    return "\n\n".join(
        [
            mermaid(g),
            f"Usable on any node (domain `owl:Thing`, not drawn): {_anywhere(g)}.",
            f"Closed value sets (`rdkg:allowedValues`):\n\n{value_sets}",
            "Not looked up by name (`rdkg:searchable false`: no `searchText`, never found by a search text alone; "
            "`/entities?type=` finds them): "
            + ", ".join(f"`{name}`" for name in unsearchable) + ".",
        ]
    )


def main(argv: list[str]) -> None:
    if "--print" in argv:
        sys.stdout.write(section() + "\n")
        return
    DOC.write_text(replace_section(DOC.read_text(encoding="utf-8"), BEGIN, END, section()), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
