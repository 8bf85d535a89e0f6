"""Hardening headers on every answer, and a Content-Security-Policy on every HTML page, as a pure ASGI middleware.

Every response: ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: no-referrer``. Every ``text/html``
response (the landing page, ``/docs``, the dashboard, the Browser guide): ``Content-Security-Policy`` allowing only
the API's own origin — no inline script or style, no ``eval``, no plug-ins, not framed by any page
(``frame-ancestors 'none'``, and ``X-Frame-Options: DENY`` for older browsers) — ``data:`` images only (Swagger UI
draws its icons as inline SVG data); the dashboard's also allows the two ``<style>`` elements plotly.js injects,
by hash. A route that sets its own ``Content-Security-Policy`` keeps it.

Neo4j Browser (served by Neo4j, on another origin) needs nothing from these pages but CORS on the style and the
guide, which ``api/browser_routes.py`` sends; the JSON routes keep the CORS setting (``RDKG_CORS_ORIGINS``).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
#: The dashboard's charting library (plotly.js, pinned through the ``plotly`` package) injects two ``<style>``
#: elements: an empty one it fills through CSSOM, and MapLibre's stylesheet. Exactly those are allowed, by hash
#: (no ``'unsafe-inline'``); tests/browser/api/test_offline_pages.py names a new hash if a plotly upgrade changes them.
PLOTLY_STYLE_HASHES = (
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # the empty <style id="plotly.js-style-global">
    "'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o='",  # MapLibre's CSS inside plotly.min.js 3.x
)
DASHBOARD_CSP = PAGE_CSP.replace("style-src 'self'", "style-src 'self' " + " ".join(PLOTLY_STYLE_HASHES))
#: path → the CSP of that page, where it differs from ``PAGE_CSP``.
CSP_BY_PATH = {"/dashboard": DASHBOARD_CSP}
EVERY_RESPONSE = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
HTML_ONLY = {"Content-Security-Policy": PAGE_CSP, "X-Frame-Options": "DENY"}


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                extra = dict(EVERY_RESPONSE)
                if headers.get("content-type", "").startswith("text/html"):
                    extra.update(HTML_ONLY)
                    extra["Content-Security-Policy"] = CSP_BY_PATH.get(scope["path"], PAGE_CSP)
                for name, value in extra.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
