"""Models of ``/health`` and ``/ready`` (api/routes/system.py)."""

from __future__ import annotations

from pydantic import BaseModel

from api.models.common import examples


class Health(BaseModel):
    model_config = examples({"status": "ok"})
    status: str


class Ready(BaseModel):
    model_config = examples({"status": "ready", "neo4j": "bolt://127.0.0.1:7687", "database": "neo4j"})
    status: str
    neo4j: str
    database: str

