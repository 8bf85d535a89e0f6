"""Typed answers serialised once, by pydantic-core.

A route builds its response model (validated on construction: the answer is typed) and returns ``typed(model)``:
the model's own JSON serialiser writes the body in one pass. Returning the model itself would make FastAPI dump
it to a dict, validate that again against the ``response_model`` and encode it with ``json.dumps`` — the same
bytes (by alias, nulls kept), several times the CPU on a 50 KB ``/flows`` page (docs/benchmarks.md §3). The
route's ``response_model`` still documents the schema in OpenAPI.
"""

from __future__ import annotations

from pydantic import BaseModel
from starlette.responses import Response


def typed(model: BaseModel) -> Response:
    return Response(model.__pydantic_serializer__.to_json(model, by_alias=True), media_type="application/json")
