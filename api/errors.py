"""API errors under the one root (``graph.errors.RdkgError``) and the one handler table.

Every error answers ``{"error": code, "detail": text}`` with the class's status: 404 unknown id, 422 bad parameter
(naming it), 409 the RDF files differ from the loaded graph, 413 request too large, 414 URL too long, 406
unsupported format, 503 Neo4j unreachable or timed out (retry later), 500 a bug (a canned query Neo4j refuses as
written; logged with its stack trace).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.errors import InvalidParameter, RdkgError

__all__ = ["HANDLERS", "DataDiffersFromGraph", "KnowledgeBaseUnavailable", "LimitExceeded", "NotAcceptable",
           "NotFound", "UriTooLong", "error_response", "install_handlers"]

log = logging.getLogger(__name__)


class NotFound(RdkgError):
    status_code = 404
    code = "not_found"


class LimitExceeded(RdkgError):
    status_code = 413
    code = "request_too_large"


class UriTooLong(RdkgError):
    """The request's path and query string exceed ``RDKG_MAX_REQUEST_BYTES`` (answered by ``api/url_guard.py``)."""

    status_code = 414
    code = "uri_too_long"


class NotAcceptable(RdkgError):
    status_code = 406
    code = "not_acceptable"


class KnowledgeBaseUnavailable(RdkgError):
    """The RDF files behind the exports cannot be read."""

    status_code = 503
    code = "knowledge_base_unavailable"


class DataDiffersFromGraph(RdkgError):
    """The RDF files in ``data/`` are not the data the graph holds (their input fingerprints differ): the RDF views
    and ``/export`` refuse rather than answer from other data than the JSON routes (``api/rdf.py``)."""

    status_code = 409
    code = "data_differs_from_graph"


def error_response(status: int, code: str, detail: str) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail}, status_code=status)


async def _rdkg_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RdkgError)
    if exc.status_code == 500:  # a bug (e.g. a canned query Neo4j refuses as written): the trace goes to the log
        log.error("%s %s -> %s: %s", request.method, request.url.path, exc.code, exc, exc_info=exc)
    elif exc.status_code > 500:
        log.warning("%s %s -> %s: %s", request.method, request.url.path, exc.code, exc)
    return error_response(exc.status_code, exc.code, str(exc))


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {}
    name = str(first.get("loc", ["", "request"])[-1])
    return error_response(422, InvalidParameter.code, f"{name}: {first.get('msg', 'invalid value')}")


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    codes = {404: "not_found", 405: "method_not_allowed", 406: "not_acceptable"}
    return error_response(exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "the server failed unexpectedly; see its log")


HANDLERS = {
    RdkgError: _rdkg_error,
    RequestValidationError: _validation_error,
    StarletteHTTPException: _http_error,
    Exception: _unexpected,
}


def install_handlers(app: FastAPI) -> None:
    for exc_class, handler in HANDLERS.items():
        app.add_exception_handler(exc_class, handler)
