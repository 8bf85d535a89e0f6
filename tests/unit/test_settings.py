"""Settings that reach users: nothing secret may be shown."""

from __future__ import annotations

from graph.settings import Settings


def test_display_uri_drops_credentials_and_query() -> None:
    settings = Settings(neo4j_uri="neo4j+s://admin:s3cret@db.example.org:7687?policy=eu", neo4j_password=None)
    assert settings.display_uri == "neo4j+s://db.example.org:7687"
    assert "s3cret" not in settings.display_uri


def test_display_uri_of_the_managed_server() -> None:
    settings = Settings(neo4j_uri=None, local_bolt_port=7688)
    assert settings.display_uri == "bolt://127.0.0.1:7688"
