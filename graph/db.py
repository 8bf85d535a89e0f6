"""Neo4j access: which server, with which credentials, and one driver per process.

- ``local_server(settings)`` is the managed instance described by the settings.
- ``ensure_neo4j(settings)`` makes sure a server answers: an explicit ``NEO4J_URI`` must be reachable; without one
  the managed local server is started (if it is not running yet).
- ``driver(settings)`` / ``async_driver(settings)`` open drivers with the right auth. Callers own and close them.
"""

from __future__ import annotations

import logging
from typing import Any

from neo4j import AsyncDriver, AsyncGraphDatabase, Driver, GraphDatabase

from graph.browser import browser_conf
from graph.errors import GraphUnavailable, translate_driver_errors
from graph.server import LocalNeo4j
from graph.settings import Settings

log = logging.getLogger(__name__)


def local_server(settings: Settings) -> LocalNeo4j:
    initial = settings.local_initial_password
    return LocalNeo4j(
        cache_dir=settings.cache_dir,
        home=settings.state_dir / f"neo4j-{settings.local_instance}",
        bolt_port=settings.local_bolt_port,
        http_port=settings.local_http_port,
        heap=settings.local_heap,
        pagecache=settings.local_pagecache,
        tx_memory=settings.local_tx_memory,
        extra_conf=browser_conf(settings),
        initial_password=initial.get_secret_value() if initial is not None else None,
    )


def auth(settings: Settings) -> tuple[str, str]:
    if settings.neo4j_password is not None:
        return settings.neo4j_user, settings.neo4j_password.get_secret_value()
    if settings.uses_managed_server:
        return "neo4j", local_server(settings).password()
    raise GraphUnavailable("NEO4J_PASSWORD is not set for NEO4J_URI")


def _driver_options(connection_timeout: float, max_retry_time: float) -> dict[str, Any]:
    return {
        "connection_timeout": connection_timeout,
        "max_transaction_retry_time": max_retry_time,
        "connection_acquisition_timeout": connection_timeout,
    }


def driver(settings: Settings) -> Driver:
    options = _driver_options(settings.neo4j_connection_timeout, settings.neo4j_max_retry_time)
    return GraphDatabase.driver(settings.bolt_uri, auth=auth(settings), **options)


def async_driver(settings: Settings, *, connection_timeout: float | None = None,
                 max_retry_time: float | None = None) -> AsyncDriver:
    """The API's driver: the same server and credentials, with the request path's own (shorter) budgets."""
    connect = settings.neo4j_connection_timeout if connection_timeout is None else connection_timeout
    retry = settings.neo4j_max_retry_time if max_retry_time is None else max_retry_time
    options = _driver_options(connect, retry)
    return AsyncGraphDatabase.driver(settings.bolt_uri, auth=auth(settings), **options)


def reachable(settings: Settings) -> bool:
    try:
        with driver(settings) as drv, translate_driver_errors():
            drv.verify_connectivity()
        return True
    except GraphUnavailable:
        return False


def ensure_neo4j(settings: Settings) -> bool:
    """Make sure Neo4j answers. Returns True if this call started the managed local server."""
    if not settings.uses_managed_server:
        if not reachable(settings):
            raise GraphUnavailable(f"NEO4J_URI={settings.neo4j_uri} is not reachable (or refused the credentials)")
        return False
    started = local_server(settings).start()
    if not started:
        log.info("the local Neo4j is already running")
    return started
