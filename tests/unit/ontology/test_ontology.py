"""The ontology, category scheme and shapes are consistent with each other and with their generated artefacts."""

from __future__ import annotations

import re

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from ontology import (
    CATEGORIES_TTL,
    ITEM_SCHEME,
    ONTOLOGY_TTL,
    RDKG,
    SHAPES_TTL,
    allowed_values,
    doc,
    local_name,
    ontology_graph,
    rdkg_classes,
    rdkg_properties,
    shapegen,
    superclasses,
)

SH = Namespace("http://www.w3.org/ns/shacl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DESIGN_CATEGORIES = {
    "ballistic-missiles",
    "artillery-ammunition",
    "self-propelled-artillery",
    "multiple-rocket-launchers",
    "air-defence-systems",
    "anti-aircraft-missiles",
    "electronic-warfare-systems",
    "missile-technology",
    "troops",
    "refined-petroleum",
}
CONVENTIONS_CLASSES = [
    "State",
    "PublicBody",
    "Ministry",
    "Agency",
    "MilitaryUnit",
    "Legislature",
    "Organization",
    "Coalition",
    "MonitoringBody",
    "MediaOrganization",
    "InternationalOrganization",
    "Person",
    "Post",
    "Membership",
    "Place",
    "Port",
    "City",
    "Facility",
    "Treaty",
    "TreatyArticle",
    "Ratification",
    "Resolution",
    "Vote",
    "Transfer",
    "MaterielTransfer",
    "TechnologyTransfer",
    "PersonnelDeployment",
    "CommodityTransfer",
    "Quantity",
    "Shipment",
    "Vessel",
    "Event",
    "Meeting",
    "Visit",
    "Announcement",
    "Attack",
    "Category",
    "Claim",
    "SourceDocument",
    "Report",
    "NewsArticle",
    "Statement",
    "WireStory",
    "ReferencePage",
]
CONVENTIONS_PROPERTIES = [
    "name",
    "alias",
    "isoCode",
    "wikidata",
    "partOfState",
    "subOrganizationOf",
    "memberState",
    "nationality",
    "postIn",
    "member",
    "post",
    "startDate",
    "endDate",
    "supportedBy",
    "locatedIn",
    "signatory",
    "signedBy",
    "date",
    "location",
    "inForceDate",
    "hasArticle",
    "articleNumber",
    "summary",
    "partOf",
    "state",
    "treaty",
    "symbol",
    "outcome",
    "sponsor",
    "concerns",
    "voter",
    "resolution",
    "choice",
    "from",
    "to",
    "ofCategory",
    "designation",
    "hasQuantity",
    "status",
    "via",
    "underTreaty",
    "min",
    "max",
    "qualifier",
    "unit",
    "vessel",
    "origin",
    "destination",
    "imo",
    "flag",
    "participant",
    "source",
    "quote",
    "translation",
    "stance",
    "confidence",
    "claimant",
    "disputes",
    "note",
    "title",
    "publisher",
    "publishedBy",
    "url",
    "language",
    "factBaseId",
    "derivedFrom",
]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return ontology_graph()


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_TTL, format="turtle")


def test_files_parse() -> None:
    for path in (ONTOLOGY_TTL, CATEGORIES_TTL, SHAPES_TTL):
        assert len(Graph().parse(path, format="turtle")) > 100, path


def test_conventions_terms_exist(ontology: Graph) -> None:
    classes = {local_name(c) for c in rdkg_classes(ontology)}
    properties = {local_name(p) for p in rdkg_properties(ontology)}
    assert set(CONVENTIONS_CLASSES) - classes == set()
    assert set(CONVENTIONS_PROPERTIES) - properties == set()


def test_every_term_has_label_and_comment(ontology: Graph) -> None:
    terms = rdkg_classes(ontology) | rdkg_properties(ontology)
    missing = [
        local_name(t)
        for t in terms
        if not ontology.value(t, RDFS.label) or len(str(ontology.value(t, RDFS.comment) or "")) < 15
    ]
    assert missing == []


def test_every_property_has_domain_and_range(ontology: Graph) -> None:
    for prop in rdkg_properties(ontology):
        assert ontology.value(prop, RDFS.domain) is not None, prop
        assert ontology.value(prop, RDFS.range) is not None, prop


def test_property_kinds_are_disjoint_and_ranges_fit(ontology: Graph) -> None:
    objects = rdkg_properties(ontology, OWL.ObjectProperty)
    datatypes = rdkg_properties(ontology, OWL.DatatypeProperty)
    assert objects & datatypes == set()
    classes = rdkg_classes(ontology) | {OWL.Thing}
    for prop in objects:
        rng = ontology.value(prop, RDFS.range)
        assert not isinstance(rng, URIRef) or rng in classes, f"{prop} range {rng} is not an rdkg class"


def test_object_property_names_make_relationship_types(ontology: Graph) -> None:
    for prop in rdkg_properties(ontology, OWL.ObjectProperty):
        assert re.fullmatch(r"[a-z][A-Za-z]*", local_name(prop)), prop


def test_hierarchy_and_alignments(ontology: Graph) -> None:
    assert RDKG.Transfer in superclasses(RDKG.MaterielTransfer, ontology)
    assert RDKG.PublicBody in superclasses(RDKG.Ministry, ontology)
    assert RDKG.Event in superclasses(RDKG.Meeting, ontology)
    assert RDKG.SourceDocument in superclasses(RDKG.Report, ontology)
    prov = Namespace("http://www.w3.org/ns/prov#")
    org = Namespace("http://www.w3.org/ns/org#")
    assert (RDKG.Transfer, RDFS.subClassOf, prov.Activity) in ontology
    assert (RDKG.Membership, RDFS.subClassOf, org.Membership) in ontology
    assert (RDKG.Category, RDFS.subClassOf, SKOS.Concept) in ontology


def test_closed_value_sets(ontology: Graph) -> None:
    sets = allowed_values(ontology)
    assert sets["stance"] == ["asserts", "reports", "confirms", "denies", "declines_to_confirm"]
    assert sets["confidence"] == ["high", "medium", "low"]
    assert sets["qualifier"] == ["exact", "at_least", "more_than", "up_to", "nearly", "approximately"]
    assert sets["status"] == ["reported", "confirmed", "disputed"]
    assert sets["choice"] == ["in_favour", "against", "abstention", "veto"]
    assert {"missile", "round", "container", "system", "person", "barrel"} <= set(sets["unit"])


def test_categories(ontology: Graph) -> None:
    concepts = set(ontology.subjects(SKOS.inScheme, ITEM_SCHEME))
    slugs = {str(ontology.value(c, SKOS.notation)) for c in concepts}
    assert slugs >= DESIGN_CATEGORIES
    for concept in concepts:
        slug = str(ontology.value(concept, SKOS.notation))
        assert str(concept).endswith("/" + slug)
        assert (concept, RDF.type, RDKG.Category) in ontology
        assert Literal(ontology.value(concept, SKOS.prefLabel)).language == "en"
        assert ontology.value(concept, SKOS.definition) is not None, slug
        for broader in ontology.objects(concept, SKOS.broader):
            assert broader in concepts, (slug, broader)


def _targets(shapes: Graph) -> set[URIRef]:
    return {t for t in shapes.objects(None, SH.targetClass) if isinstance(t, URIRef)}


def test_every_shape_targets_a_declared_class(ontology: Graph, shapes: Graph) -> None:
    assert _targets(shapes) - rdkg_classes(ontology) == set()


def test_every_class_has_a_shape(ontology: Graph, shapes: Graph) -> None:
    assert rdkg_classes(ontology) - _targets(shapes) == set()


def test_every_property_has_a_usage_shape(ontology: Graph, shapes: Graph) -> None:
    targeted = set(shapes.objects(None, SH.targetSubjectsOf))
    assert rdkg_properties(ontology) - targeted == set()


def test_targeted_shapes_have_messages(shapes: Graph) -> None:
    """Every constraint a curator can trip over carries a curator-readable sh:message."""
    targeted = {s for p in (SH.targetClass, SH.targetSubjectsOf, SH.target) for s in shapes.subjects(p, None)}
    for node_shape in targeted:
        constraints = [*shapes.objects(node_shape, SH.property), *shapes.objects(node_shape, SH.sparql)]
        own = shapes.value(node_shape, SH.message) is not None
        assert own or constraints, node_shape
        for part in constraints:
            assert own or shapes.value(part, SH.message) is not None, (node_shape, part)


def test_sh_in_matches_allowed_values(ontology: Graph, shapes: Graph) -> None:
    sets = allowed_values(ontology)
    range_shapes = [s for s in shapes.subjects(SH["in"], None) if str(s).endswith("-range")]
    assert len(range_shapes) == len(sets)
    for prop_shape in range_shapes:
        path = shapes.value(prop_shape, SH.path)
        values = [str(v) for v in Collection(shapes, shapes.value(prop_shape, SH["in"]))]
        assert values == sets[local_name(path)], path


def test_generated_shapes_are_current() -> None:
    text = SHAPES_TTL.read_text(encoding="utf-8")
    committed = text.split(shapegen.BEGIN, 1)[1].split(shapegen.END, 1)[0].strip()
    assert committed == shapegen.render().strip(), "run: python -m ontology.shapegen"


def test_generated_doc_is_current() -> None:
    text = doc.DOC.read_text(encoding="utf-8")
    committed = text.split(doc.BEGIN, 1)[1].split(doc.END, 1)[0].strip()
    assert committed == doc.section().strip(), "run: python -m ontology.doc"


def test_diagram_shows_hierarchy_and_relations() -> None:
    diagram = doc.mermaid()
    assert diagram.startswith("```mermaid\nclassDiagram")
    assert "Transfer <|-- MaterielTransfer" in diagram
    assert "Transfer --> State : from" in diagram
    assert "Claim --> SourceDocument : source" in diagram
