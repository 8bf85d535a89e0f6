"""Models of ``/health`` and ``/ready`` (api/routes/system.py)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.models.common import examples


class Health(BaseModel):
    model_config = examples({"status": "ok", "release": "2026.12", "data_fingerprint": "5f0c…"})
    status: str
    release: str = Field(description="the release the graph answers from, as in the X-Rdkg-Release header: VERSION "
                                     "(exactly that release), VERSION+ (data newer than the newest release), "
                                     "unreleased (none published) or unknown (no load state / Neo4j not read yet)")
    data_fingerprint: str | None = Field(None, description="input fingerprint of the loaded data (SHA-256 over its "
                                                           "files' hashes; a release's input_fingerprint)")


class Ready(BaseModel):
    model_config = examples({"status": "ready", "neo4j": "bolt://127.0.0.1:7687", "database": "neo4j"})
    status: str
    neo4j: str
    database: str

