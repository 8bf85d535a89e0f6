"""The API survives Neo4j going away and coming back, without a restart; a second app on a closed port says 503.

A small TCP relay in front of the real test Neo4j plays the part of the network: switched off it refuses and
cuts connections (Neo4j "down"), switched on it relays again. The app's one driver must reconnect by itself.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings
from graph.db import auth
from graph.settings import Settings
from loaders.result import LoadResult
from queries.registry import Registry
from tests.integration.api.test_api import wait_ready


class Relay:
    """Forward 127.0.0.1:<port> to the Neo4j Bolt port while ``up``."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.up = True
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def down(self) -> None:
        self.up = False
        with self._lock:
            for s in self._open:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self._open.clear()

    def close(self) -> None:
        self.down()
        self._listener.close()


def _bolt_target(settings: Settings) -> tuple[str, int]:
    uri = settings.bolt_uri.split("://", 1)[1].split("/")[0]
    host, _, port = uri.rpartition(":")
    return host or "127.0.0.1", int(port or 7687)


@pytest.fixture()
def relay(curated_graph: LoadResult, neo4j_settings: Settings) -> Iterator[Relay]:
    if not neo4j_settings.bolt_uri.startswith("bolt://"):
        pytest.skip("the relay needs a direct bolt:// test server")
    r = Relay(_bolt_target(neo4j_settings))
    yield r
    r.close()


def test_app_starts_without_neo4j_and_recovers_when_it_comes_back(relay: Relay, neo4j_settings: Settings) -> None:
    user, password = auth(neo4j_settings)
    settings = ApiSettings(neo4j_uri=f"bolt://127.0.0.1:{relay.port}", neo4j_user=user, neo4j_password=password,
                           neo4j_database=neo4j_settings.neo4j_database, api_neo4j_connection_timeout=2.0,
                           api_neo4j_max_retry_time=0.5)
    relay.down()
    with TestClient(create_app(settings)) as client:
        assert client.get("/health").status_code == 200
        r = client.get("/ready")
        assert r.status_code == 503 and r.json()["error"] == "graph_unavailable", r.text
        assert client.get("/flows?from=PRK&to=RUS").status_code == 503
        relay.up = True
        # once Neo4j answers, the canned queries are planned in the background and /ready waits for that
        # (api/warmup.py): a cold /flows plan no longer meets the first request
        wait_ready(client)
        warmup = client.app.state.warmup  # type: ignore[attr-defined]
        assert warmup.progress.planned == warmup.progress.total > 0 and warmup.progress.failed == 0, warmup.progress
        r = client.get("/flows?from=PRK&to=RUS&since=2023-01-01")
        assert r.status_code == 200 and r.json()["total"] > 0, r.text
        relay.down()
        assert client.get("/entities/PRK").status_code == 503
        relay.up = True
        wait_ready(client)  # a new connection epoch, warmed again
        assert client.app.state.graph.epoch == 2  # type: ignore[attr-defined]
        assert client.get("/entities/PRK").status_code == 200


SLOW = """// name: slow
// description: counts to a very large number (only for the timeout test)
// mode: read
// param: n: int = 100000000000 -- how far to count
UNWIND range(1, $n) AS x RETURN count(x) AS counted
"""


def test_reads_carry_the_transaction_timeout(
    curated_graph: LoadResult, neo4j_settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "slow.cypher").write_text(SLOW, encoding="utf-8")
    settings = ApiSettings(**{**neo4j_settings.model_dump(), "query_timeout": 0.5})
    with TestClient(create_app(settings, registry=Registry.load(tmp_path))) as client:
        r = client.get("/queries/slow")
        assert r.status_code == 503 and r.json()["error"] == "query_timeout", r.text
        assert client.get("/queries/slow?n=10").json()["rows"] == [{"counted": 10}]


BROKEN = """// name: broken
// description: a canned query with a Cypher syntax error (only for the error-mapping test)
// mode: read
// param: n: int = 1 -- a number
RETURN $n AS n,
"""


def test_a_canned_query_neo4j_refuses_as_written_is_a_logged_500(
    curated_graph: LoadResult, neo4j_settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug in our Cypher is not a reason for clients to retry: 500 (not 503 with Retry-After), trace logged."""
    (tmp_path / "broken.cypher").write_text(BROKEN, encoding="utf-8")
    settings = ApiSettings(**neo4j_settings.model_dump())
    with TestClient(create_app(settings, registry=Registry.load(tmp_path))) as client, caplog.at_level("ERROR"):
        r = client.get("/queries/broken")
        wait_ready(client)  # the plan warm-up skipped the broken query: it never keeps the app from being ready
        assert client.app.state.warmup.progress.failed >= 1  # type: ignore[attr-defined]
    assert r.status_code == 500 and r.json()["error"] == "query_error", r.text
    assert "Neo.ClientError.Statement.SyntaxError" in r.json()["detail"]
    logged = [rec for rec in caplog.records if rec.levelname == "ERROR" and "/queries/broken" in rec.getMessage()]
    assert logged and logged[0].exc_info is not None, "the 500 is logged with its stack trace"
