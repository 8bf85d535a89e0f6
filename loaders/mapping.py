"""The generated tables of docs/mapping.md (``python -m loaders.mapping``), from the RDF↔graph contract.

The contract itself — labels, relationship types, property keys, the identifier whitelist, text folding — lives in
:mod:`graph.contract`, beneath the loader and the readers: import its names from there.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef

from graph.contract import OWNERSHIP_LABEL, DatatypeSpec, Mapping, default_mapping
from ontology import RDKG, local_name, replace_section


def mapping_table(mapping: Mapping | None = None) -> str:
    """The Markdown tables of docs/mapping.md's generated section (labels, relationship types, properties)."""
    m = mapping or default_mapping()
    lines = ["| class | Neo4j labels |", "|---|---|"]
    for cls, labels in sorted(m.class_labels.items(), key=lambda kv: local_name(kv[0])):
        lines.append(f"| `rdkg:{local_name(cls)}` | `:{':'.join((OWNERSHIP_LABEL, *labels))}` |")
    for foreign, label in sorted(m.foreign_types.items()):
        lines.append(f"| `<{foreign}>` (ontology individuals only) | `:{OWNERSHIP_LABEL}:{label}` |")
    lines += ["", "| object property | relationship type |", "|---|---|"]
    for prop, rel in sorted(m.relationships.items(), key=lambda kv: kv[1]):
        lines.append(f"| `{_curie(prop)}` | `{rel}` |")
    lines += ["", "| datatype property | node property | Neo4j type |", "|---|---|---|"]
    for prop, spec in sorted(m.datatypes.items(), key=lambda kv: kv[1].key):
        lines.append(f"| `{_curie(prop)}` | `{spec.key}` | {_type_text(spec)} |")
    return "\n".join(lines) + "\n"


def _curie(iri: URIRef) -> str:
    return f"rdkg:{local_name(iri)}" if iri.startswith(RDKG) else f"<{iri}>"


def _type_text(spec: DatatypeSpec) -> str:
    from loaders.values import neo4j_type_name

    base = neo4j_type_name(spec.range)
    return f"list of {base}" if spec.is_list else base


DOC_BEGIN = "<!-- BEGIN GENERATED mapping tables (python -m loaders.mapping) -->"
DOC_END = "<!-- END GENERATED mapping tables -->"


def write_docs(path: Path) -> None:
    """Rewrite the generated section of docs/mapping.md from the ontology."""
    path.write_text(replace_section(path.read_text(encoding="utf-8"), DOC_BEGIN, DOC_END, mapping_table()),
                    encoding="utf-8")


if __name__ == "__main__":
    write_docs(Path(__file__).resolve().parents[1] / "docs" / "mapping.md")
