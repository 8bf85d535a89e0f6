"""HTTP caching and request-size guard for GETs: ``ETag`` + ``Cache-Control``, ``If-None-Match`` → 304.

The ETag is a hash of the response body (weak: equal JSON means equal meaning), so a dashboard polling an
unchanged answer gets an empty 304. Health probes are never cached.
"""

from __future__ import annotations

import hashlib

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp

from api.errors import LimitExceeded, error_response

NO_STORE = {"/health", "/ready"}


def etag_for(body: bytes) -> str:
    return 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = {tag.strip() for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags or etag.removeprefix("W/") in tags


class CachingMiddleware(BaseHTTPMiddleware):
    def __init__(self, app: ASGIApp, max_age: int, max_request_bytes: int) -> None:
        super().__init__(app)
        self.max_age = max_age
        self.max_request_bytes = max_request_bytes

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        size = len(request.url.path) + len(request.url.query)
        if size > self.max_request_bytes:
            exc = LimitExceeded(f"request URL is {size} bytes; the limit is {self.max_request_bytes}")
            return error_response(exc.status_code, exc.code, str(exc))
        response = await call_next(request)
        if request.method not in ("GET", "HEAD"):
            return response
        if request.url.path in NO_STORE:
            response.headers["Cache-Control"] = "no-store"
            return response
        if response.status_code != 200:
            return response
        body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
        etag = etag_for(body)
        headers = dict(response.headers)
        headers.pop("content-length", None)
        headers.update({"ETag": etag, "Cache-Control": f"public, max-age={self.max_age}", "Vary": "Accept"})
        if matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers={k: v for k, v in headers.items() if k != "content-type"})
        return Response(content=body, status_code=200, headers=headers)
