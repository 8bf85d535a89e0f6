"""Transient Neo4j errors are retried by the driver's managed transactions, never by hand-written loops.

Static check over the product code (``api/ graph/ loaders/ queries/``): no loop catches a driver error (or the
project's translated ``GraphUnavailable`` / ``QueryFailed``) to try again, and no code opens unmanaged
transactions (``begin_transaction``) or auto-commit ``session.run`` — statements go through ``execute_query`` /
``execute_read`` / ``execute_write``, whose retries are bounded by ``NEO4J_MAX_RETRY_TIME``.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.reliability.support import REPO_ROOT

PACKAGES = ("api", "graph", "loaders", "queries")
RETRYABLE = {"ServiceUnavailable", "SessionExpired", "TransientError", "Neo4jError", "DriverError",
             "GraphUnavailable", "QueryFailed", "GraphError"}
#: Waiting for a server the project itself starts is polling, not a retry of a statement.
ALLOWED = {"graph/server.py"}


def _sources() -> list[Path]:
    return [p for pkg in PACKAGES for p in sorted((REPO_ROOT / pkg).rglob("*.py"))
            if p.relative_to(REPO_ROOT).as_posix() not in ALLOWED]


def _names(node: ast.expr | None) -> set[str]:
    if node is None:
        return set()
    return {n.attr if isinstance(n, ast.Attribute) else n.id for n in ast.walk(node)
            if isinstance(n, ast.Attribute | ast.Name)}


def test_no_loop_retries_a_driver_error() -> None:
    offenders = []
    for path in _sources():
        tree = ast.parse(path.read_text(), filename=str(path))
        for loop in (n for n in ast.walk(tree) if isinstance(n, ast.For | ast.While | ast.AsyncFor)):
            for handler in (n for n in ast.walk(loop) if isinstance(n, ast.ExceptHandler)):
                caught = _names(handler.type) & RETRYABLE
                if caught:
                    offenders.append(f"{path.relative_to(REPO_ROOT)}:{handler.lineno} catches {sorted(caught)}")
    assert not offenders, offenders


def test_statements_run_in_managed_transactions() -> None:
    offenders = []
    for path in _sources():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if "begin_transaction(" in line or "session.run(" in line:
                offenders.append(f"{path.relative_to(REPO_ROOT)}:{number}: {line.strip()}")
    assert not offenders, offenders
