"""The URL-length guard, a pure ASGI middleware of its own: a request whose path and query string together are longer
than ``RDKG_MAX_REQUEST_BYTES`` is answered 414 (URI Too Long) in the error shape, before any route runs."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import UriTooLong, error_response


class UrlLengthGuard:
    def __init__(self, app: ASGIApp, *, max_request_bytes: int) -> None:
        self.app = app
        self.max_request_bytes = max_request_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = len(scope["path"]) + len(scope["query_string"])
            if size > self.max_request_bytes:
                exc = UriTooLong(f"request URL is {size} bytes; the limit is {self.max_request_bytes}")
                await error_response(exc.status_code, exc.code, str(exc))(scope, receive, send)
                return
        await self.app(scope, receive, send)
