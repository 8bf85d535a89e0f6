"""The one settings object, :class:`Settings`: Neo4j, the managed local server, the loader and Neo4j Browser, read
from the environment (and an optional ``.env``), with local defaults. The API adds only its HTTP fields
(``api/settings.py``). Nothing else reads the environment; every field is documented in the README's
"Configuration" table (``tests/unit/graph/test_settings.py`` fails on one that is not).

Nothing here holds a secret for anything but the local loopback Neo4j that ``rdkg neo4j start`` manages: its
password is generated on first start and kept in its state directory (mode 0600), never in the code.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]
LOCAL_BOLT_URI = "bolt://127.0.0.1:7687"


def _default_cache_dir() -> Path:
    return Path.home() / ".cache" / "rdkg"


def _default_state_dir() -> Path:
    return Path.home() / ".local" / "share" / "rdkg"


class Settings(BaseSettings):
    """Neo4j, the managed local server, the loader and Neo4j Browser; ``ApiSettings`` adds the HTTP fields."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    # Where Neo4j is. Unset: the project manages a local server on 127.0.0.1 (``rdkg neo4j start``).
    # Set (bolt://, neo4j://, neo4j+s:// …): use that server, cluster or Aura instance as it is.
    neo4j_uri: str | None = Field(default=None, validation_alias="NEO4J_URI")
    # User and password for NEO4J_URI. For the managed local server the password is read from its state dir.
    neo4j_user: str = Field(default="neo4j", validation_alias="NEO4J_USER")
    neo4j_password: SecretStr | None = Field(default=None, validation_alias="NEO4J_PASSWORD")
    # The database every statement names explicitly (Community Edition has one user database: ``neo4j``).
    neo4j_database: str = Field(default="neo4j", validation_alias="NEO4J_DATABASE")
    # Seconds to wait for a connection / for a managed transaction's retries (every command: load, run, query …;
    # the API's requests have their own, shorter budget: RDKG_API_NEO4J_*).
    neo4j_connection_timeout: float = Field(default=5.0, validation_alias="NEO4J_CONNECTION_TIMEOUT")
    neo4j_max_retry_time: float = Field(default=5.0, validation_alias="NEO4J_MAX_RETRY_TIME")

    # The managed local server: ports (always bound to 127.0.0.1), instance name, memory.
    local_bolt_port: int = Field(default=7687, validation_alias="RDKG_NEO4J_BOLT_PORT")
    local_http_port: int = Field(default=7474, validation_alias="RDKG_NEO4J_HTTP_PORT")
    local_instance: str = Field(default="dev", validation_alias="RDKG_NEO4J_INSTANCE")
    local_heap: str = Field(default="2g", validation_alias="RDKG_NEO4J_HEAP")
    local_pagecache: str = Field(default="1g", validation_alias="RDKG_NEO4J_PAGECACHE")
    local_tx_memory: str = Field(default="2g", validation_alias="RDKG_NEO4J_TX_MEMORY")
    # The password the managed server gets on its first start (default: generated, kept in its state directory).
    local_initial_password: SecretStr | None = Field(default=None, validation_alias="RDKG_LOCAL_NEO4J_PASSWORD")
    # Jars (downloaded once, shared by every instance) and instance state (conf, data, logs, pid, password).
    cache_dir: Path = Field(default_factory=_default_cache_dir, validation_alias="RDKG_CACHE_DIR")
    state_dir: Path = Field(default_factory=_default_state_dir, validation_alias="RDKG_STATE_DIR")

    # The curated knowledge base that ``rdkg load`` reads by default.
    data_dir: Path = Field(default=REPO_ROOT / "data", validation_alias="RDKG_DATA_DIR")
    # Where every load keeps its input files by content, for ``rdkg rollback`` (default: $RDKG_STATE_DIR/loads).
    load_store: Path | None = Field(default=None, validation_alias="RDKG_LOAD_STORE")
    # The SHACL engine of ``rdkg validate`` and ``rdkg load``: turbo (pyshacl-turbo) or pyshacl (the reference);
    # checked when validation runs (loaders/validation.py), so a bad name is a usage error, not a crash.
    shacl_engine: str = Field(default="turbo", validation_alias="RDKG_SHACL_ENGINE")
    # Tests of the bulk rebuild: pause at the start of this stage until killed, writing "stage pid" to this file.
    rebuild_pause_at: str | None = Field(default=None, validation_alias="RDKG_REBUILD_PAUSE_AT")
    rebuild_pause_file: Path | None = Field(default=None, validation_alias="RDKG_REBUILD_PAUSE_FILE")

    # Where a *web browser* reaches the API, which serves Neo4j Browser's style and guide (written into the managed
    # server's neo4j.conf when it starts); default http://127.0.0.1:$RDKG_API_PORT.
    api_public_url: str | None = Field(default=None, validation_alias="RDKG_API_PUBLIC_URL")
    # The port `rdkg serve` / `rdkg run` listen on (and the default public URL's).
    api_port: int = Field(default=8000, validation_alias="RDKG_API_PORT")

    @property
    def browser_base_url(self) -> str:
        return (self.api_public_url or f"http://127.0.0.1:{self.api_port}").rstrip("/")

    @property
    def load_store_dir(self) -> Path:
        return self.load_store or self.state_dir / "loads"

    @property
    def uses_managed_server(self) -> bool:
        return self.neo4j_uri is None

    @property
    def bolt_uri(self) -> str:
        return self.neo4j_uri or f"bolt://127.0.0.1:{self.local_bolt_port}"

    @property
    def display_uri(self) -> str:
        """The Neo4j address without user info or query string: safe to show in responses and logs."""
        parts = urlsplit(self.bolt_uri)
        host = parts.hostname or ""
        netloc = f"[{host}]" if ":" in host else host
        if parts.port:
            netloc += f":{parts.port}"
        return f"{parts.scheme}://{netloc}"
