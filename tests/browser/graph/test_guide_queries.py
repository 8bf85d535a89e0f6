"""Every runnable block of the Browser guide works on the curated graph (real test Neo4j, no Chromium needed).

Each step's canned query runs with the step's parameters (as its ``:param`` lines set them) and returns rows; each
graph view (the canned query inside ``CALL () { … }`` plus the step's tail) returns nodes for Browser to draw.
"""

from __future__ import annotations

import pytest
from neo4j import Driver
from neo4j.graph import Node, Path, Relationship

from api.browser_routes import graph_view, load_guide, param_values
from graph.settings import Settings
from queries.registry import Registry

STEPS = [(slide.title, step) for slide in load_guide().slides for step in slide.steps]


def _nodes(value: object) -> set[str]:
    if isinstance(value, Node):
        return {value.element_id}
    if isinstance(value, Relationship):
        return {n.element_id for n in value.nodes if n is not None}
    if isinstance(value, Path):
        return {n.element_id for n in value.nodes}
    if isinstance(value, list):
        return {i for v in value for i in _nodes(v)}
    return set()


@pytest.mark.parametrize(("slide", "step"), STEPS, ids=[f"{s.query}-{i}" for i, (_, s) in enumerate(STEPS)])
def test_guide_step_runs_and_draws(
    slide: str, step, neo4j_settings: Settings, neo4j_driver: Driver, curated_graph: object  # type: ignore[no-untyped-def]
) -> None:
    query = Registry.load().get(step.query)
    params = param_values(query, step.params)
    rows, _, _ = neo4j_driver.execute_query(query.text, params, database_=neo4j_settings.neo4j_database)
    assert rows, f"{slide}: {step.query} returned no rows"
    if step.draw:
        drawn, _, _ = neo4j_driver.execute_query(graph_view(query, step.draw), params,
                                                 database_=neo4j_settings.neo4j_database)
        nodes = {i for record in drawn for value in record.values() for i in _nodes(value)}
        assert len(nodes) >= 2, f"{slide}: the graph view of {step.query} draws {len(nodes)} node(s)"


@pytest.mark.parametrize("text", [t for slide in load_guide().slides for t in slide.cypher])
def test_guide_plain_cypher_runs(text: str, neo4j_settings: Settings, neo4j_driver: Driver,
                                 curated_graph: object) -> None:
    rows, _, _ = neo4j_driver.execute_query(text, database_=neo4j_settings.neo4j_database)
    assert rows
