"""The naive baseline for the API benchmark (issue 8) — NOT product code.

What a first attempt at "Cypher behind HTTP" looks like: sync endpoints (FastAPI runs them in its thread pool),
one sync driver, no response models (the records' dicts go straight to FastAPI's ``jsonable_encoder``), no
neo4j-rust-ext (``bench.serve --no-rust`` hides it), no caching, no state-alias resolution. It serves the same
canned query text (from the registry) with the same parameters as the real routes, so the only differences are
the ones listed above. Run with ``python -m bench.serve naive --port 8102 --no-rust``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import FastAPI
from neo4j import Driver, Query
from neo4j import time as neo4j_time

from graph.contract import fold
from graph.db import driver as open_driver
from graph.settings import Settings
from queries.registry import Registry
from queries.runner import bind_values


def _plain(value: Any) -> Any:
    if isinstance(value, neo4j_time.Date | neo4j_time.DateTime):
        return value.iso_format()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def create_naive_app(settings: Settings) -> FastAPI:
    app = FastAPI(title="naive baseline")
    registry = Registry.load()
    state: dict[str, Driver] = {}

    def run(name: str, **values: Any) -> list[dict[str, Any]]:
        if "driver" not in state:
            state["driver"] = open_driver(settings)
        query = registry.get(name)
        with state["driver"].session(database=settings.neo4j_database) as session:
            result = session.run(Query(query.text), bind_values(query, values))  # type: ignore[arg-type]
            return [_plain(record.data()) for record in result]

    @app.get("/flows")
    def flows(from_state: str | None = None, to_state: str | None = None, since: dt.date | None = None,
              until: dt.date | None = None, limit: int = 50, offset: int = 0) -> Any:
        rows = run("flows", from_state=from_state, to_state=to_state, since=since, until=until,
                   limit=limit, offset=offset)
        return rows[0]

    @app.get("/entities/{id}")
    def entity(id: str) -> Any:  # noqa: A002 — the route's parameter name
        return run("entity_profile", id=id)

    @app.get("/entities")
    def search(q: str, limit: int = 20) -> Any:
        return run("entity_search", q=fold(q), limit=limit)

    @app.get("/timeline")
    def timeline(participant: str | None = None, since: dt.date | None = None, until: dt.date | None = None) -> Any:
        return run("timeline", participant=participant, since=since, until=until)

    return app
