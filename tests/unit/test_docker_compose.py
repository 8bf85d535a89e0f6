"""docker-compose.yml cannot run here (no Docker engine), so its structure is checked instead."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from graph.server import NEO4J_VERSION

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_neo4j_image_matches_the_pinned_version(compose: dict[str, Any]) -> None:
    assert compose["services"]["neo4j"]["image"] == f"neo4j:{NEO4J_VERSION}-community"


def test_neo4j_has_a_healthcheck_and_api_waits_for_it(compose: dict[str, Any]) -> None:
    assert "test" in compose["services"]["neo4j"]["healthcheck"]
    assert compose["services"]["api"]["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert compose["services"]["api"]["build"] == "."


def test_credentials_come_from_the_environment(compose: dict[str, Any]) -> None:
    neo4j_env = compose["services"]["neo4j"]["environment"]
    api_env = compose["services"]["api"]["environment"]
    assert re.fullmatch(r"neo4j/\$\{NEO4J_PASSWORD:\?.+\}", neo4j_env["NEO4J_AUTH"])
    assert api_env["NEO4J_PASSWORD"].startswith("${NEO4J_PASSWORD:?")


def test_ports_are_published_on_loopback_only(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), f"{name} publishes {port} beyond loopback"


def test_dockerfile_serves_the_api() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["rdkg", "run"]' in dockerfile
    for package in ("graph", "ontology", "api", "loaders", "queries", "rdkg", "data"):
        assert f"COPY {package} ./{package}" in dockerfile


def test_browser_gets_style_and_guide_from_the_api(compose: dict[str, Any]) -> None:
    env = compose["services"]["neo4j"]["environment"]
    assert "style http://127.0.0.1:8000/browser/style.grass" in env["NEO4J_browser_post__connect__cmd"]
    assert "guide http://127.0.0.1:8000/browser/guide" in env["NEO4J_browser_post__connect__cmd"]
    # Neo4j 5.26's setting is browser.remote_content_hostname_whitelist (hostnames, no ports); strict config
    # validation refuses unknown names, so a misspelt key would stop the container.
    assert "127.0.0.1" in env["NEO4J_browser_remote__content__hostname__whitelist"].split(",")
    assert not any("allowlist" in key for key in env)


def test_browser_in_compose_is_offline_like_the_local_server(compose: dict[str, Any]) -> None:
    from graph.browser import OFFLINE_CONF

    env = compose["services"]["neo4j"]["environment"]
    for key, value in OFFLINE_CONF.items():
        name = "NEO4J_" + key.replace("_", "__").replace(".", "_")
        assert env.get(name) == value, f"docker-compose.yml: {name} should be {value!r} (as graph/browser.py sets it)"
