"""The ontology-derived mapping, without a database: names, types, dates, languages, refusals, docs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Graph

from graph.contract import default_mapping, fold, rel_type
from loaders import cypher
from loaders.mapping import DOC_BEGIN, DOC_END, mapping_table
from loaders.rows import NodeRow, UnknownTermsError, build_rows, map_files
from loaders.values import period_end, period_start

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures" / "loader"


def rows_of(path: Path) -> dict[str, NodeRow]:
    rows, _ = map_files([path])
    return {str(row.props["id"]): row for row in rows}


def test_rel_type_upper_snake() -> None:
    assert [rel_type(x) for x in ("supportedBy", "from", "ofCategory", "partOfState")] == [
        "SUPPORTED_BY", "FROM", "OF_CATEGORY", "PART_OF_STATE"]


def test_labels_and_types_come_from_the_ontology() -> None:
    m = default_mapping()
    assert {"Rdkg", "State", "Transfer", "MaterielTransfer", "Claim", "Category", "ConceptScheme"} <= m.labels
    assert {"FROM", "TO", "OF_CATEGORY", "SUPPORTED_BY", "SOURCE", "IN_SCHEME", "BROADER"} <= m.relationship_types


def test_periods_and_precision() -> None:
    assert period_start("2023-09", "month") == dt.date(2023, 9, 1)
    assert period_end(dt.date(2024, 2, 1), "month") == dt.date(2024, 2, 29)
    assert period_end(dt.date(2024, 1, 1), "year") == dt.date(2024, 12, 31)
    assert fold("Ri Sŏng-chŏl") == "ri song-chol"


def test_node_rows_from_fixture() -> None:
    rows = rows_of(FIXTURES / "v1.ttl")
    prk = rows["PRK"]
    assert prk.labels == ("Rdkg", "Agent", "State")
    assert prk.props["name_ru"] == "КНДР" and prk.props["aliases_ru"] == ["Северная Корея"]
    rounds = rows["transfer-prk-rus-artillery-rounds-2024"].props
    assert (rounds["periodStart"], rounds["periodEnd"]) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert "periodEnd" not in rows["transfer-prk-rus-munitions-containers"].props


def test_unknown_terms_are_refused_by_name() -> None:
    graph = Graph().parse(FIXTURES / "unknown_terms.ttl")
    with pytest.raises(UnknownTermsError) as info:
        build_rows(list(graph), default_mapping())
    text = " ".join(info.value.problems)
    assert "nickname" in text and "Gadget" in text and "example.org/colour" in text


def test_writer_checks_refuse_unknown_identifiers() -> None:
    with pytest.raises(cypher.IdentifierRefused):
        cypher.check_rel_type("DROP_ALL", default_mapping())
    with pytest.raises(cypher.IdentifierRefused):
        cypher.check_row_labels(("Rdkg", "State`) DETACH DELETE n //"), default_mapping())
    with pytest.raises(cypher.IdentifierRefused):
        cypher.check_row_labels(("State",), default_mapping())  # without the ownership label
    cypher.check_row_labels(("Rdkg", "Agent", "State"), default_mapping())
    cypher.check_rel_type("SUPPORTED_BY", default_mapping())


def test_docs_mapping_tables_are_current() -> None:
    text = (REPO / "docs" / "mapping.md").read_text(encoding="utf-8")
    section = text.split(DOC_BEGIN, 1)[1].split(DOC_END, 1)[0]
    assert section.strip() == mapping_table().strip(), "docs/mapping.md is stale: run python -m loaders.mapping"


def test_streamed_rows_equal_in_memory_rows(tmp_path: Path) -> None:
    from bench.generate import generate
    from loaders.fastparse import iter_plain
    from loaders.inputs import ontology_individuals
    from loaders.rows import RowBuilder, stream_rows

    data = tmp_path / "two.ttl"
    generate(data, 2, seed=5)
    builder = RowBuilder(default_mapping())
    streamed = sorted(stream_rows(builder, ontology_individuals(), iter_plain([data])), key=lambda row: row.uri)
    in_memory, triples = map_files([data])
    assert not builder.problems
    assert streamed == in_memory and len(streamed) > 1500
    assert builder.triples - len(ontology_individuals()) == triples
    captions = [row.props.get("caption") for row in streamed if "Transfer" in row.labels]
    assert captions and all(captions), "every transfer is captioned after its quantities were seen"


def test_split_subject_stops_the_stream() -> None:
    from loaders.inputs import ontology_individuals
    from loaders.rows import NotContiguous, RowBuilder, stream_rows
    from loaders.terms import Lit

    prk, name = "https://w3id.org/rdkg/id/PRK", "https://w3id.org/rdkg/ontology#name"
    state = "https://w3id.org/rdkg/ontology#State"
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    rus = "https://w3id.org/rdkg/id/RUS"
    xsd_string = "http://www.w3.org/2001/XMLSchema#string"
    triples = [(prk, rdf_type, state), (rus, rdf_type, state), (prk, name, Lit("North Korea", None, xsd_string))]
    with pytest.raises(NotContiguous, match="PRK"):
        list(stream_rows(RowBuilder(default_mapping()), ontology_individuals(), triples))


def data_rows() -> dict[str, NodeRow]:
    rows, _ = map_files(sorted((REPO / "data").glob("*.ttl")))
    return {str(row.props["id"]): row for row in rows}


def test_search_text_only_on_searchable_classes() -> None:
    rows = data_rows()
    internal = ("Claim", "Estimate", "Membership", "Quantity")
    assert default_mapping().unsearchable == set(internal)  # rdkg:searchable false in the ontology
    kinds = {label for row in rows.values() for label in row.labels if label in internal}
    assert kinds == set(internal)
    for row in rows.values():
        unsearchable = any(label in row.labels for label in internal)
        assert ("searchText" in row.props) is not unsearchable, row.uri
    assert "russia" in str(rows["RUS"].props["searchText"])


def test_content_hash_is_a_stable_64_bit_integer() -> None:
    first, second = data_rows(), data_rows()
    for key, row in first.items():
        value = row.props["contentHash"]
        assert isinstance(value, int) and -(2**63) <= value < 2**63
        assert value == second[key].props["contentHash"]
    assert len({row.props["contentHash"] for row in first.values()}) == len(first)


def test_every_node_carries_its_own_class_as_kind() -> None:
    """``kind`` is the most specific label (graph/contract.py): what the queries filter and answer by."""
    rows = data_rows()
    mapping = default_mapping()
    assert rows["transfer-prk-rus-munitions-containers"].props["kind"] == "MaterielTransfer"
    assert rows["ministry-of-defence-rus"].props["kind"] == "Ministry"
    assert rows["PRK"].props["kind"] == "State"
    assert rows["ballistic-missiles"].props["kind"] == "Category"
    assert rows["item-categories"].props["kind"] == "ConceptScheme"
    supers = {names[0]: set(names[1:]) for names in mapping.class_labels.values()}
    for row in rows.values():
        kind = row.props["kind"]
        assert kind in row.labels, row.uri
        assert set(row.labels) - {kind, "Rdkg"} == supers.get(kind, set()), row.uri  # the rest: its superclasses


def test_kinds_within_keeps_subclasses() -> None:
    mapping = default_mapping()
    assert mapping.kinds_within(["Transfer"]) == ["CommodityTransfer", "MaterielTransfer", "PersonnelDeployment",
                                                  "TechnologyTransfer", "Transfer"]
    assert mapping.kinds_within(["Visit", "State"]) == ["State", "Visit"]
    assert "Ministry" in mapping.kinds_within(["Agent"]) and "Person" in mapping.kinds_within(["Agent"])
    assert mapping.kinds_within(["ConceptScheme"]) == ["ConceptScheme"]
    assert mapping.kinds_within([]) == []


def test_a_node_with_two_unrelated_classes_is_refused() -> None:
    """A node has one own class: typed both Person and Vessel it has none, and the whole set is refused."""
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    ont = "https://w3id.org/rdkg/ontology#"
    odd = "https://w3id.org/rdkg/id/odd"
    triples = [(odd, rdf_type, ont + "Person"), (odd, rdf_type, ont + "Vessel"), (odd, rdf_type, ont + "Agent")]
    with pytest.raises(UnknownTermsError, match="Person and Vessel, neither a subclass of the other"):
        build_rows(triples, default_mapping())
    assert default_mapping().kind_of(("Rdkg", "Agent", "Person")) == "Person"
