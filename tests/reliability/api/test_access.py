"""Access: nothing changes data over HTTP, everything binds to loopback by default, docker-compose takes the
Neo4j password from the environment and publishes only what the README says, and no secret reaches a log line or
an error body.

There is no endpoint that writes or reloads the graph over HTTP (loading is the ``rdkg load`` CLI), so there is
no API key to check: instead these tests prove that every route is GET/HEAD (plus the Browser's CORS pre-flight
OPTIONS) and that POST/PUT/PATCH/DELETE get a 405 everywhere. Should a write endpoint ever be added, the route
inventory test fails until it is classified here (and it must then require an API key from settings).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
import yaml
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import SecretStr
from starlette.routing import Route

from api.app import create_app
from api.settings import ApiSettings
from graph.db import local_server
from graph.server import LocalNeo4j
from graph.settings import Settings
from tests.reliability.routes import DATA_ROUTES, NO_GRAPH_ROUTES
from tests.reliability.support import REPO_ROOT

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
LOOPBACK = {"127.0.0.1", "::ffff:127.0.0.1", "::1"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _offline_app(**overrides: Any) -> Any:
    values: dict[str, Any] = {"neo4j_uri": f"bolt://127.0.0.1:{_free_port()}", "neo4j_password": "unused",
                              "api_neo4j_max_retry_time": 0.2, "api_neo4j_connection_timeout": 0.5}
    return create_app(ApiSettings(**{**values, **overrides}))


def test_no_route_accepts_a_write_method() -> None:
    app = _offline_app()
    for route in app.routes:
        if isinstance(route, APIRoute | Route):
            assert set(route.methods or ()) <= SAFE_METHODS, f"{route.path} accepts {route.methods}"


def test_every_route_is_classified_for_the_fault_and_injection_tests() -> None:
    spec = _offline_app().openapi()
    assert set(spec["paths"]) == set(DATA_ROUTES) | NO_GRAPH_ROUTES, (
        "a route was added or removed: classify it in tests/reliability/routes.py (and if it writes, give it an "
        "API key check)")
    for path, operations in spec["paths"].items():
        assert set(operations) == {"get"}, f"{path} has {set(operations)}"


@pytest.mark.parametrize("method", WRITE_METHODS)
def test_write_methods_get_405_everywhere(method: str) -> None:
    with TestClient(_offline_app(), raise_server_exceptions=False) as client:
        for url in [*DATA_ROUTES.values(), *NO_GRAPH_ROUTES, "/openapi.json", "/docs"]:
            r = client.request(method, url, content=b'{"cypher": "MATCH (n) DETACH DELETE n"}')
            assert r.status_code == 405, (method, url, r.status_code, r.text[:200])


def test_defaults_bind_to_loopback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("RDKG_API_HOST", "NEO4J_URI", "RDKG_NEO4J_BOLT_PORT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env
    settings = ApiSettings()
    assert settings.api_host == "127.0.0.1"
    assert settings.bolt_uri == f"bolt://127.0.0.1:{settings.local_bolt_port}"


def test_the_generated_neo4j_conf_listens_on_loopback_with_auth(tmp_path: Path) -> None:
    server = LocalNeo4j(cache_dir=tmp_path / "cache", home=tmp_path / "home", bolt_port=7999, http_port=7998)
    server._write_conf()  # the exact file `rdkg neo4j start` writes before it spawns the JVM
    conf = dict(line.split("=", 1) for line in (tmp_path / "home/conf/neo4j.conf").read_text().splitlines()
                if "=" in line and not line.startswith("#"))
    assert conf["server.default_listen_address"] == "127.0.0.1"
    for key in ("server.bolt.listen_address", "server.http.listen_address"):
        assert conf[key].startswith(":") or conf[key].startswith("127.0.0.1:"), (key, conf[key])
    assert conf["dbms.security.auth_enabled"] == "true"
    assert conf.get("server.https.enabled", "false") == "false"


@pytest.mark.integration
def test_the_running_test_neo4j_listens_on_loopback_only(neo4j_settings: Settings) -> None:
    if not neo4j_settings.uses_managed_server:
        pytest.skip("an external NEO4J_TEST_URI is not ours to inspect")
    status = local_server(neo4j_settings).status()
    assert status.running and status.pid is not None
    listening = [c.laddr for c in psutil.Process(status.pid).net_connections(kind="tcp")
                 if c.status == psutil.CONN_LISTEN]
    assert listening, "Neo4j listens somewhere"
    assert {addr.ip for addr in listening} <= LOOPBACK, listening
    password_file = local_server(neo4j_settings).password_file
    assert password_file.stat().st_mode & 0o077 == 0, "the generated password file is private (0600)"


def test_rdkg_serve_binds_loopback_and_never_logs_the_password(tmp_path: Path) -> None:
    secret = "s3cret-never-log-me-81d2"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RDKG_API", "NEO4J_"))}
    env.update({"NEO4J_URI": f"bolt://127.0.0.1:{_free_port()}", "NEO4J_PASSWORD": secret,
                "RDKG_API_NEO4J_MAX_RETRY_TIME": "0.2", "RDKG_API_PORT": str(port)})
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "rdkg", "serve"], cwd=tmp_path, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        bodies = _serve_requests(port, proc)
        server = psutil.Process(proc.pid)
        listening = [c.laddr for c in server.net_connections(kind="tcp") if c.status == psutil.CONN_LISTEN]
        assert listening and {a.ip for a in listening} <= LOOPBACK, listening
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    text = log.read_text(errors="replace")
    assert "503" in text or "unreachable" in text, f"the failures are logged: {text[-1000:]}"
    assert secret not in text, "the Neo4j password appears in the server log"
    assert all(secret not in body for body in bodies), "the Neo4j password appears in a response"


def _serve_requests(port: int, proc: subprocess.Popen[bytes]) -> list[str]:
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, "rdkg serve exited"
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "rdkg serve did not answer /health"
        time.sleep(0.3)
    bodies = []
    for url in ("/ready", "/flows?from=PRK&to=RUS", "/entities/PRK", "/nope"):
        r = httpx.get(base + url, timeout=30)
        assert r.status_code in (503, 404), (url, r.status_code, r.text)
        bodies.append(r.text + str(r.headers))
    return bodies


def test_settings_never_print_the_password() -> None:
    settings = ApiSettings(neo4j_uri="bolt://db:7687", neo4j_password=SecretStr("hunter2-secret"))
    assert "hunter2-secret" not in repr(settings) and "hunter2-secret" not in str(settings.model_dump())


def test_docker_compose_takes_the_password_from_the_environment_and_publishes_what_the_readme_says() -> None:
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
    readme = (REPO_ROOT / "README.md").read_text()
    neo4j = compose["services"]["neo4j"]
    assert re.fullmatch(r"neo4j/\$\{NEO4J_PASSWORD:\?[^}]+\}", neo4j["environment"]["NEO4J_AUTH"])
    assert "NEO4J_AUTH: none" not in (REPO_ROOT / "docker-compose.yml").read_text()
    published = {port for service in compose["services"].values() for port in service.get("ports", [])}
    assert published == {"127.0.0.1:7474:7474", "127.0.0.1:7687:7687", "127.0.0.1:8000:8000"}, published
    for address in ("127.0.0.1:7474", "127.0.0.1:7687", "127.0.0.1:8000"):
        assert address in readme, f"README does not document {address}"
    for name, service in compose["services"].items():
        assert "network_mode" not in service or service["network_mode"] != "host", f"{name} uses host networking"
        for value in (service.get("environment") or {}).values():
            assert "PASSWORD" not in str(value) or "${NEO4J_PASSWORD:?" in str(value), (name, value)


@pytest.mark.parametrize("command", [["load", "--dry-run"], ["schema"], ["query", "node_ref", "--param", "id=PRK"]])
def test_cli_errors_never_print_the_password(tmp_path: Path, command: list[str]) -> None:
    secret = "s3cret-cli-never-print-77"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RDKG_", "NEO4J_"))}
    env.update({"NEO4J_URI": f"bolt://127.0.0.1:{_free_port()}", "NEO4J_PASSWORD": secret,
                "NEO4J_MAX_RETRY_TIME": "0.2", "NEO4J_CONNECTION_TIMEOUT": "0.5"})
    done = subprocess.run([sys.executable, "-m", "rdkg", *command], cwd=REPO_ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode != 0, done.stdout[-500:]
    assert secret not in done.stdout + done.stderr, "the CLI printed the Neo4j password"
