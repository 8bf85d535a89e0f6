"""Models of ``/paths`` and ``/graph`` (api/routes/graph.py)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.models.common import NodeRef, Related, examples


class Edge(Related):
    model_config = examples({"relation": "PARTICIPANT", "relation_label": "participant",
                             "source": "visit-2025-05-shulika-pyongyang", "target": "vitaly-shulika"})
    source: str
    target: str


class Path(BaseModel):
    length: int
    nodes: list[NodeRef]
    edges: list[Edge]


class PathsOut(BaseModel):
    model_config = examples({"from": {"id": "vitaly-shulika", "name": "Vitaly Shulika", "labels": ["Person"]},
                              "to": {"id": "kim-jong-un", "name": "Kim Jong Un", "labels": ["Person"]},
                              "max_depth": 4, "paths": []})
    from_: NodeRef = Field(alias="from")
    to: NodeRef
    max_depth: int
    paths: list[Path]


class GraphOut(BaseModel):
    model_config = examples({"nodes": [{"id": "PRK", "name": "North Korea", "labels": ["Agent", "State"]}],
                              "edges": []})
    nodes: list[NodeRef]
    edges: list[Edge]

