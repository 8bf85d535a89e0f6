"""Captions: what Neo4j Browser shows on a transfer or a quantity instead of a long name."""

from __future__ import annotations

from rdflib import Graph

from graph.contract import default_mapping
from loaders.captions import quantity_caption
from loaders.rows import build_rows
from ontology import ontology_graph

TURTLE = """
@prefix id: <https://w3id.org/rdkg/id/> .
@prefix rdkg: <https://w3id.org/rdkg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
id:PRK a rdkg:State ; rdkg:name "North Korea" .
id:RUS a rdkg:State ; rdkg:name "Russia" .
id:t1 a rdkg:MaterielTransfer ; rdkg:name "DPRK to Russia: munitions" ; rdkg:from id:PRK ; rdkg:to id:RUS ;
  rdkg:ofCategory id:munitions ; rdkg:hasQuantity id:t1-q2, id:t1-q1 ; rdkg:startDate "2023-09"^^xsd:gYearMonth .
id:t1-q1 a rdkg:Quantity ; rdkg:min 20000 ; rdkg:qualifier "more_than" ; rdkg:unit "container" .
id:t1-q2 a rdkg:Quantity ; rdkg:max 9000000 ; rdkg:qualifier "up_to" ; rdkg:unit "round" .
id:t1-e1 a rdkg:Estimate ; rdkg:estimateOf id:t1 ; rdkg:min 20000 ; rdkg:qualifier "more_than" ;
  rdkg:unit "container" ; rdkg:asOf "2025-05-29"^^xsd:date .
id:t1-e2 a rdkg:Estimate ; rdkg:estimateOf id:t1 ; rdkg:max 50 ; rdkg:qualifier "nearly" ; rdkg:unit "piece" ;
  rdkg:asOf "2024-10"^^xsd:gYearMonth .
"""


def rows_by_id() -> dict[str, dict[str, object]]:
    data = Graph().parse(data=TURTLE, format="turtle")
    individuals = [t for t in ontology_graph() if str(t[0]).startswith("https://w3id.org/rdkg/id/")]
    rows = build_rows([*data, *individuals], default_mapping())  # captions and hashes set by the row builder
    return {str(row.props["id"]): row.props for row in rows}


def test_transfer_is_captioned_by_category_and_its_first_quantity() -> None:
    props = rows_by_id()
    assert props["t1"]["caption"] == "Munitions · more than 20,000 containers"
    assert props["t1-q2"]["caption"] == "up to 9,000,000 rounds"


def test_an_estimate_is_captioned_by_its_figure_and_as_of_date() -> None:
    props = rows_by_id()
    assert props["t1-e1"]["caption"] == "more than 20,000 containers · 2025-05-29"
    assert props["t1-e2"]["caption"] == "nearly 50 pieces · 2024-10"  # the date at its precision


def test_caption_is_part_of_the_content_hash() -> None:
    props = rows_by_id()["t1"]
    assert props["contentHash"]  # recomputed after the caption was set
    data = Graph().parse(data=TURTLE.replace('"more_than"', '"at_least"'), format="turtle")
    individuals = [t for t in ontology_graph() if str(t[0]).startswith("https://w3id.org/rdkg/id/")]
    rows = build_rows([*data, *individuals], default_mapping())
    changed = next(row.props for row in rows if row.props["id"] == "t1")
    assert changed["caption"] == "Munitions · at least 20,000 containers"
    assert changed["contentHash"] != props["contentHash"]


def test_quantity_wording() -> None:
    assert quantity_caption({"min": 100, "max": 200, "unit": "piece", "qualifier": "exact"}) == "100–200 pieces"
    assert quantity_caption({"min": 1, "max": 1, "unit": "system", "qualifier": "exact"}) == "1 system"
    assert quantity_caption({"min": 11000.0, "unit": "person", "qualifier": "approximately"}) == "about 11,000 people"
    assert quantity_caption({"unit": "round"}) is None
