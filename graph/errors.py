"""One exception root for the graph layer; driver errors are translated here, by class, never by message."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from neo4j import exceptions as neo4j_exc


class GraphError(Exception):
    """Root of every error this project raises on purpose."""

    status_code = 500
    code = "graph_error"


class GraphUnavailable(GraphError):
    """Neo4j cannot be reached (stopped, restarting, wrong address, auth refused)."""

    status_code = 503
    code = "graph_unavailable"


class QueryFailed(GraphError):
    """Neo4j refused a statement (timeout, memory limit, constraint, bad query)."""

    status_code = 503
    code = "query_failed"


class QueryTimeout(QueryFailed):
    """A statement ran past the configured transaction timeout."""

    code = "query_timeout"


class PrerequisiteMissing(GraphError):
    """A tool the managed local Neo4j needs (java, mvn) is not installed."""

    code = "prerequisite_missing"


class LocalServerError(GraphError):
    """The managed local Neo4j failed to start or stop."""

    code = "local_server_error"


_UNAVAILABLE = (
    neo4j_exc.ServiceUnavailable,
    neo4j_exc.SessionExpired,
    neo4j_exc.AuthError,
    neo4j_exc.ConfigurationError,
    OSError,
)


@contextmanager
def translate_driver_errors() -> Iterator[None]:
    """Re-raise driver errors as this project's errors, chained with ``from``."""
    try:
        yield
    except GraphError:
        raise
    except _UNAVAILABLE as exc:
        raise GraphUnavailable(f"Neo4j is unreachable: {type(exc).__name__}") from exc
    except neo4j_exc.ClientError as exc:
        if exc.code and exc.code.startswith("Neo.ClientError.Security."):  # e.g. AuthenticationRateLimit
            raise GraphUnavailable(f"Neo4j refused the credentials ({exc.code})") from exc
        if exc.code and "TransactionTimedOut" in exc.code:
            raise QueryTimeout("the query ran past the transaction timeout") from exc
        raise QueryFailed(f"Neo4j refused the statement ({exc.code})") from exc
    except (neo4j_exc.TransientError, neo4j_exc.DatabaseError) as exc:
        if exc.code and "TransactionTimedOut" in exc.code:
            raise QueryTimeout("the query ran past the transaction timeout") from exc
        raise QueryFailed(f"Neo4j failed the statement ({exc.code})") from exc
    except neo4j_exc.DriverError as exc:
        raise GraphUnavailable(f"Neo4j driver error: {type(exc).__name__}") from exc
