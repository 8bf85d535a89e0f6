"""Settings: nothing secret may be shown; one settings object, every field documented, no raw environment reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from api.settings import ApiSettings
from graph.settings import Settings

README = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")


def test_display_uri_drops_credentials_and_query() -> None:
    settings = Settings(neo4j_uri="neo4j+s://admin:s3cret@db.example.org:7687?policy=eu", neo4j_password=None)
    assert settings.display_uri == "neo4j+s://db.example.org:7687"
    assert "s3cret" not in settings.display_uri


def test_display_uri_of_the_managed_server() -> None:
    settings = Settings(neo4j_uri=None, local_bolt_port=7688)
    assert settings.display_uri == "bolt://127.0.0.1:7688"


# ---- one settings object, every setting documented ----------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("api", "graph", "loaders", "queries", "rdkg")


def _variables(model: type[BaseSettings]) -> set[str]:
    return {str(field.validation_alias) for field in model.model_fields.values() if field.validation_alias}


@pytest.mark.parametrize("variable", sorted(_variables(Settings) | _variables(ApiSettings)))
def test_every_setting_is_documented_in_the_readme(variable: str) -> None:
    configuration = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    assert f"`{variable}`" in configuration, f"{variable} is a setting but the README's Configuration table omits it"


def test_the_api_adds_only_http_fields() -> None:
    """ApiSettings extends the one Settings; it re-declares none of its fields (no second default for a timeout)."""
    own = set(ApiSettings.model_fields) - set(Settings.model_fields)
    redeclared = sorted(name for name in Settings.model_fields
                        if ApiSettings.model_fields[name].default != Settings.model_fields[name].default)
    assert not redeclared, f"ApiSettings changes the defaults of {redeclared}"
    assert all(name.startswith(("api_", "cors_", "max_", "query_", "cache_", "version_")) for name in own), own


def test_rdkg_load_and_run_use_the_same_neo4j_timeouts() -> None:
    """`rdkg run` loads with ApiSettings, `rdkg load` with Settings: the loader's driver budgets are the same."""
    api, cli = ApiSettings(), Settings()
    assert (api.neo4j_max_retry_time, api.neo4j_connection_timeout) == (
        cli.neo4j_max_retry_time, cli.neo4j_connection_timeout)


def test_nothing_but_the_settings_reads_the_environment() -> None:
    reads = re.compile(r"os\.environ\.get\(|os\.environ\[|os\.getenv\(|environ\.get\(")
    found = sorted(str(path.relative_to(ROOT)) for package in PACKAGES for path in (ROOT / package).rglob("*.py")
                   if reads.search(path.read_text(encoding="utf-8")))
    assert not found, f"raw environment reads outside graph/settings.py and api/settings.py: {found}"
