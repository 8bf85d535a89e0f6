"""The project's one error root, :class:`RdkgError`, the errors more than one layer raises, and the CLI's table.

Every error raised on purpose is an :class:`RdkgError` and knows its HTTP status (``status_code``: the API's one
handler table, ``api/errors.py``, answers with it) and its CLI exit code (``exit_code``: :func:`exit_on_error` is
the one place every ``rdkg`` command turns an error into a message and an exit code). Driver errors are translated
here, by class and by Neo4j status code, never by message text, and chained with ``from``.

Exit codes of every ``rdkg`` command: 0 done; 1 the data or the request was refused (SHACL violations, unknown
terms, not found) or the program failed (a bug); 2 bad input or arguments (an unreadable file, an invalid parameter,
an unknown release); 3 Neo4j unavailable or refusing a statement; 4 refused by the removal guard (``--prune``);
5 nothing to undo.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.markup import escape

if TYPE_CHECKING:  # typer and the driver are imported where they are used: `rdkg validate` needs neither
    from rich.console import Console

#: the exit codes (module docstring); each error class names one
EXIT_OK, EXIT_REFUSED, EXIT_BAD_INPUT, EXIT_GRAPH, EXIT_GUARD, EXIT_NO_UNDO = 0, 1, 2, 3, 4, 5


class RdkgError(Exception):
    """Root of every error this project raises on purpose."""

    status_code: ClassVar[int] = 500
    exit_code: ClassVar[int] = EXIT_REFUSED
    code: ClassVar[str] = "internal_error"

    def cli_lines(self) -> list[str]:
        """What a command prints on stderr for this error (rich markup; the text is escaped)."""
        return [f"[red]error:[/red] {escape(str(self))}"]


class InvalidParameter(RdkgError):
    """A parameter is missing, unknown, malformed or out of range; the message starts with its name."""

    status_code = 422
    exit_code = EXIT_BAD_INPUT
    code = "invalid_parameter"

    def __init__(self, param: str, detail: str) -> None:
        super().__init__(f"{param}: {detail}")
        self.param = param


class DataFileError(RdkgError):
    """A data file that cannot be read or parsed (raised by the loader's inputs stage, :mod:`loaders.inputs`, and met
    by the API's RDF views); ``line`` is 1-based, or None when unknown."""

    status_code = 422
    exit_code = EXIT_BAD_INPUT
    code = "unreadable_input"

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path = path
        self.line = line
        self.message = message


class GraphError(RdkgError):
    """Neo4j, or the managed local Neo4j, failed."""

    exit_code = EXIT_GRAPH
    code = "graph_error"


class GraphUnavailable(GraphError):
    """Neo4j cannot be reached (stopped, restarting, wrong address, auth refused)."""

    status_code = 503
    code = "graph_unavailable"


class QueryFailed(GraphError):
    """Neo4j refused or failed a statement for a reason that may pass (timeout, memory limit, a transient error)."""

    status_code = 503
    code = "query_failed"


class QueryTimeout(QueryFailed):
    """A statement ran past the configured transaction timeout."""

    code = "query_timeout"


class QueryBug(GraphError):
    """Neo4j refused a statement as written (a syntax, semantic or type error): a bug in our Cypher, not a reason
    for clients to retry — logged, and answered 500."""

    status_code = 500
    exit_code = EXIT_REFUSED
    code = "query_error"


class PrerequisiteMissing(GraphError):
    """A tool the managed local Neo4j needs (java, mvn) is not installed."""

    code = "prerequisite_missing"


class LocalServerError(GraphError):
    """The managed local Neo4j failed to start or stop."""

    code = "local_server_error"


@contextmanager
def exit_on_error(console: Console, after: str = "") -> Iterator[None]:
    """The CLI's handler table (the twin of ``api/errors.py``'s): an :class:`RdkgError` raised inside prints its
    :meth:`~RdkgError.cli_lines` on ``console`` (then ``after``, e.g. "nothing was written", unless they said so)
    and exits with its ``exit_code`` — no stack trace."""
    import typer

    try:
        yield
    except RdkgError as exc:
        lines = exc.cli_lines()
        for line in lines:
            console.print(line)
        if after and after.lower() not in " ".join(lines).lower():
            console.print(escape(after))
        raise typer.Exit(code=exc.exit_code) from None


#: Neo4j status codes that mean the statement itself is wrong (fixing the Cypher fixes them; retrying never does)
_STATEMENT_BUGS = frozenset({
    "Neo.ClientError.Statement.SyntaxError",
    "Neo.ClientError.Statement.SemanticError",
    "Neo.ClientError.Statement.ParameterMissing",
})


@contextmanager
def translate_driver_errors() -> Iterator[None]:
    """Re-raise driver errors as this project's errors, chained with ``from``."""
    from neo4j import exceptions as neo4j_exc

    unavailable = (neo4j_exc.ServiceUnavailable, neo4j_exc.SessionExpired, neo4j_exc.AuthError,
                   neo4j_exc.ConfigurationError, OSError)
    try:
        yield
    except RdkgError:
        raise
    except unavailable as exc:
        raise GraphUnavailable(f"Neo4j is unreachable: {type(exc).__name__}") from exc
    except neo4j_exc.ClientError as exc:
        if exc.code and exc.code.startswith("Neo.ClientError.Security."):  # e.g. AuthenticationRateLimit
            raise GraphUnavailable(f"Neo4j refused the credentials ({exc.code})") from exc
        if exc.code and "TransactionTimedOut" in exc.code:
            raise QueryTimeout("the query ran past the transaction timeout") from exc
        if exc.code in _STATEMENT_BUGS:
            raise QueryBug(f"Neo4j refused the statement as written ({exc.code})") from exc
        raise QueryFailed(f"Neo4j refused the statement ({exc.code})") from exc
    except (neo4j_exc.TransientError, neo4j_exc.DatabaseError) as exc:
        if exc.code and "TransactionTimedOut" in exc.code:
            raise QueryTimeout("the query ran past the transaction timeout") from exc
        raise QueryFailed(f"Neo4j failed the statement ({exc.code})") from exc
    except neo4j_exc.DriverError as exc:
        raise GraphUnavailable(f"Neo4j driver error: {type(exc).__name__}") from exc
