"""HTTP caching, as a pure ASGI middleware: ``ETag`` + ``Cache-Control`` on successful GETs, ``If-None-Match`` →
304, and an in-process response cache.

Graph-backed routes (``/flows``, ``/entities`` …, ``/queries/{name}``: the paths of the routers ``create_app``
names as graph-backed, :func:`versioned_prefixes`) take their ETag from the **graph version**
(``api.version``) and the request — route, normalised query parameters, ``Accept`` — hashed with a token of the
application's code, queries and settings. So the ETag is known *before* any query runs: a matching
``If-None-Match`` is answered 304 without touching Neo4j, and a repeated request is served from the response
cache (keyed by the same things; emptied when the version changes; ``RDKG_API_CACHE=0`` disables it). The same
graph, request and code give the same ETag in every worker process. A new load changes the version, so ETags
change and cached answers go within the version poll interval (``RDKG_API_VERSION_POLL``, default 1 s).

Other GETs (``/export``, RDF views of ``/entities/{id}``, the docs, the Browser guide), and every route while
there is no graph version, get a weak ETag hashed from the body, computed after the route ran (equal JSON means
equal meaning), and are not cached. Health probes are never cached. Only 200 answers are cached or get an ETag.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.version import GraphVersion

NO_STORE = {"/health", "/ready"}
RDF_MEDIA = (b"text/turtle", b"application/x-turtle", b"application/ld+json")


def versioned_prefixes(paths: Iterable[str]) -> tuple[str, ...]:
    """The first path segments of the routes whose answer depends only on the graph, the request and the code (so
    on the graph version): ``/entities/{id}/neighbors`` → ``/entities``."""
    return tuple(sorted({"/" + path.lstrip("/").split("/", 1)[0] for path in paths}))


def etag_for(body: bytes) -> str:
    return 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, etag: str, *, star: bool = True) -> bool:
    """Weak comparison (RFC 9110): ``W/"x"`` and ``"x"`` match; ``*`` matches when ``star``."""
    if not if_none_match:
        return False
    tags = {tag.strip() for tag in if_none_match.split(",")}
    return (star and "*" in tags) or etag in tags or etag.removeprefix("W/") in tags


def code_token(parts: list[bytes]) -> str:
    """A hash of what, besides the graph, decides an answer: the API and query code and the settings."""
    digest = hashlib.blake2b(digest_size=16)
    roots = [Path(__file__).resolve().parent, Path(__file__).resolve().parents[1] / "queries"]
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for part in parts:
        digest.update(part + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Cached:
    headers: list[tuple[bytes, bytes]]
    body: bytes


class ResponseCache:
    """Bodies by key, least recently used out first, at most ``max_bytes`` (an entry ≤ 1/8 of it)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[tuple[str, ...], Cached] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple[str, ...]) -> Cached | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: tuple[str, ...], entry: Cached) -> None:
        if len(entry.body) > self.max_bytes // 8:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self.size -= len(old.body)
        self._entries[key] = entry
        self.size += len(entry.body)
        while self.size > self.max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self.size -= len(dropped.body)

    def clear(self, _version: str | None = None) -> None:
        self._entries.clear()
        self.size = 0


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")  # type: ignore[no-any-return]
    return None


def _versioned(path: str, query: bytes, accept: str | None, prefixes: tuple[str, ...]) -> bool:
    if not path.startswith(prefixes):
        return False
    if path.startswith("/entities/") and path.count("/") == 2:  # the profile: RDF views come from the files
        if accept and any(media.decode() in accept.lower() for media in RDF_MEDIA):
            return False
        if b"format=turtle" in query or b"format=jsonld" in query:
            return False
    return True


def _normalised_query(query: bytes) -> str:
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    return "&".join(f"{k}={v}" for k, v in sorted(pairs, key=lambda kv: kv[0]))  # stable: repeated keys keep order


class CachingMiddleware:
    def __init__(self, app: ASGIApp, *, max_age: int, versioned: tuple[str, ...] = (),
                 version: GraphVersion | None = None, cache: ResponseCache | None = None, token: str = "") -> None:
        self.app = app
        self.versioned = versioned  # path prefixes of the graph-backed routes (versioned_prefixes)
        self.cache_control = f"public, max-age={max_age}".encode()
        self.version = version
        self.cache = cache
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        query: bytes = scope["query_string"]
        method = scope["method"]
        if method not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        if path in NO_STORE:
            await self.app(scope, receive, _with_headers(send, [(b"cache-control", b"no-store")]))
            return
        accept = _header(scope, b"accept")
        version = self.version.current if self.version is not None else None
        if version is not None and _versioned(path, query, accept, self.versioned):
            await self._versioned(scope, receive, send, version, path, query, accept)
        else:
            await self._hashed(scope, receive, send)

    def _cache_headers(self, etag: str) -> list[tuple[bytes, bytes]]:
        return [(b"etag", etag.encode()), (b"cache-control", self.cache_control), (b"vary", b"Accept")]

    async def _versioned(self, scope: Scope, receive: Receive, send: Send, version: str, path: str, query: bytes,
                         accept: str | None) -> None:
        key = (version, path, _normalised_query(query), accept or "")
        etag = 'W/"' + hashlib.blake2b(repr((self.token, key)).encode(), digest_size=16).hexdigest() + '"'
        if_none_match = _header(scope, b"if-none-match")
        cached = self.cache.get(key) if self.cache is not None else None
        # "*" matches any current representation: only known to exist (as a 200) if it is cached.
        if matches(if_none_match, etag, star=cached is not None):
            await _send(send, 304, self._cache_headers(etag), b"")
            return
        if cached is not None:
            body = b"" if scope["method"] == "HEAD" else cached.body
            await _send(send, 200, [*cached.headers, *self._cache_headers(etag)], body,
                        content_length=len(cached.body))
            return
        status, headers, body = await _capture(self.app, scope, receive)
        if status == 200:
            # Stored only if the version did not change while the route ran (the cache was emptied meanwhile).
            if self.cache is not None and scope["method"] == "GET" and self.version is not None \
                    and self.version.current == version:
                self.cache.put(key, Cached([(k, v) for k, v in headers if k != b"content-length"], body))
            headers = [*headers, *self._cache_headers(etag)]
        await _send(send, status, headers, body, keep_length=True)

    async def _hashed(self, scope: Scope, receive: Receive, send: Send) -> None:
        status, headers, body = await _capture(self.app, scope, receive)
        if status != 200:
            await _send(send, status, headers, body, keep_length=True)
            return
        etag = etag_for(body)
        extra = self._cache_headers(etag)
        headers = [(k, v) for k, v in headers if k != b"etag"]  # one ETag: ours (static files bring their own)
        if matches(_header(scope, b"if-none-match"), etag):
            kept = [(k, v) for k, v in headers if k not in (b"content-length", b"content-type")]
            await _send(send, 304, [*kept, *extra], b"")
            return
        await _send(send, 200, [*headers, *extra], body, keep_length=True)


def _with_headers(send: Send, extra: list[tuple[bytes, bytes]]) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            names = {k for k, _ in extra}
            message["headers"] = [(k, v) for k, v in message.get("headers", []) if k not in names] + extra
        await send(message)

    return wrapped


async def _capture(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Run the app and collect its whole response (our answers are buffered JSON/CSV/RDF anyway)."""
    start: Message = {}
    chunks: list[bytes] = []

    async def collect(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, collect)
    return int(start["status"]), list(start.get("headers", [])), b"".join(chunks)


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes, *,
                content_length: int | None = None, keep_length: bool = False) -> None:
    if not keep_length:
        headers = [(k, v) for k, v in headers if k != b"content-length"]
        if content_length is not None or status != 304:
            headers.append((b"content-length", str(len(body) if content_length is None else content_length).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
