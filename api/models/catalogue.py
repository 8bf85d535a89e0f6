"""Models of ``/queries`` and ``/queries/{name}`` (api/routes/catalogue.py)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from api.models.common import examples


class ParamInfo(BaseModel):
    name: str
    type: str
    required: bool
    default: Any = None
    description: str
    json_schema: dict[str, Any] = Field(alias="schema")


class QueryInfo(BaseModel):
    name: str
    description: str
    mode: str
    params: list[ParamInfo]
    url: str = Field(description="where to run it: GET /queries/{name}?param=value")


class Catalogue(BaseModel):
    model_config = examples({"items": [{"name": "node_ref", "description": "Id, display name and labels of one node",
                                         "mode": "read", "url": "/queries/node_ref",
                                         "params": [{"name": "id", "type": "str", "required": True, "default": None,
                                                     "description": "the node's id",
                                                     "schema": {"type": "string"}}]}]})
    items: list[QueryInfo]


class QueryResult(BaseModel):
    model_config = examples({"name": "node_ref", "params": {"id": "PRK"},
                              "rows": [{"id": "PRK", "name": "North Korea", "labels": ["Agent", "State"]}]})
    name: str
    params: dict[str, Any] = Field(description="the parameters as bound (defaults filled in)")
    rows: list[dict[str, Any]]

