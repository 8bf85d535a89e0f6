"""API settings: the one ``Settings`` (``graph/settings.py``) plus the HTTP service's own fields (environment)."""

from __future__ import annotations

from pydantic import Field, field_validator

from graph.settings import Settings

#: The variable-length bound written into queries/shortest_paths.cypher (Cypher cannot take it as a parameter).
HARD_PATH_DEPTH = 6


class ApiSettings(Settings):
    """Everything ``create_app`` needs. Tests build their own instance instead of touching the environment."""

    # A request must fail fast when Neo4j is down (a 503 within ~1 s): the API's driver retries transient errors for
    # at most this long (the driver sleeps ~1 s before its first retry), and connecting gives up after 1 s. Loads
    # (`rdkg load`, and `rdkg run` before it serves) keep NEO4J_MAX_RETRY_TIME / NEO4J_CONNECTION_TIMEOUT.
    api_neo4j_max_retry_time: float = Field(default=0.5, validation_alias="RDKG_API_NEO4J_MAX_RETRY_TIME")
    api_neo4j_connection_timeout: float = Field(default=1.0, validation_alias="RDKG_API_NEO4J_CONNECTION_TIMEOUT")

    # Where ``rdkg serve`` listens (the port is RDKG_API_PORT, in Settings). Loopback by default; set
    # RDKG_API_HOST=0.0.0.0 in a container.
    api_host: str = Field(default="127.0.0.1", validation_alias="RDKG_API_HOST")
    # Browser origins allowed to call the API (comma-separated, e.g. "https://dash.example.org"); empty = no CORS.
    cors_origins: str = Field(default="", validation_alias="RDKG_CORS_ORIGINS")
    # Largest `limit` a paginated route accepts; larger values get a 422 naming `limit`.
    max_page_size: int = Field(default=200, ge=1, validation_alias="RDKG_MAX_PAGE_SIZE")
    # Largest `max_depth` for /paths (at most the hard cap in the query text, 6).
    max_path_depth: int = Field(
        default=HARD_PATH_DEPTH, ge=1, le=HARD_PATH_DEPTH, validation_alias="RDKG_MAX_PATH_DEPTH"
    )
    # Most ids one /graph request may ask for.
    max_graph_ids: int = Field(default=200, ge=1, validation_alias="RDKG_MAX_GRAPH_IDS")
    # Seconds a read transaction may run before Neo4j aborts it (answered with 503 query_timeout).
    query_timeout: float = Field(default=10.0, gt=0, validation_alias="RDKG_QUERY_TIMEOUT")
    # Longest URL (path + query string) accepted, in bytes; longer requests get a 414 (api/url_guard.py).
    max_request_bytes: int = Field(default=8192, ge=256, validation_alias="RDKG_MAX_REQUEST_BYTES")
    # Cache-Control max-age (seconds) on successful GETs; they also carry an ETag for If-None-Match polling.
    cache_max_age: int = Field(default=60, ge=0, validation_alias="RDKG_CACHE_MAX_AGE")
    # Seconds between two reads of the graph version (the loader's load fingerprint and the node/relationship
    # counts). ETags derive from it, and cached answers are dropped when it changes: after a load commits, the API
    # serves the new graph within this bound (plus one version read, a few ms).
    version_poll_seconds: float = Field(default=1.0, gt=0, le=60, validation_alias="RDKG_API_VERSION_POLL")
    # In-process response cache keyed by (graph version, route, parameters, Accept); 0/false disables it.
    api_cache: bool = Field(default=True, validation_alias="RDKG_API_CACHE")
    # Most bytes of response bodies the cache keeps (least recently used first out), per worker process.
    api_cache_bytes: int = Field(default=64 * 1024 * 1024, ge=0, validation_alias="RDKG_API_CACHE_BYTES")
    # Longest the background plan warm-up may take after the API (re)connects to Neo4j (every canned query sent
    # once as EXPLAIN, api/warmup.py); /ready answers 503 warming_up meanwhile. 0 turns the warm-up off.
    api_warmup_seconds: float = Field(default=30.0, ge=0, le=600, validation_alias="RDKG_API_WARMUP_SECONDS")
    # uvicorn worker processes for `rdkg serve` (each has its own driver, version poller and cache).
    api_workers: int = Field(default=1, ge=1, le=64, validation_alias="RDKG_API_WORKERS")

    @field_validator("api_host")
    @classmethod
    def _host_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("RDKG_API_HOST must not be empty")
        return value.strip()

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]
