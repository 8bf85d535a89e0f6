"""The patched Neo4j Browser jar on the real thing (no Chromium needed): the pinned jar Maven Central served, and
the Browser the managed test Neo4j serves.

The test session's Neo4j start ran ``LocalNeo4j.ensure_jars``, which keeps the downloaded original beside the lib
dir and installs the patched copy (graph/browser_jar.py). So: the kept original is the pinned jar, each substitution
matches exactly once in it, and the bundle the server answers at ``/browser/`` is the patched one.
tests/browser/api/test_offline_pages.py then shows that this Browser makes no request off the machine.
"""

from __future__ import annotations

import zipfile

import httpx
import pytest

from graph.browser_jar import ORIGINAL_SHA256, PATCHED_VERSION, SUBSTITUTIONS, sha256_file
from graph.db import local_server
from graph.settings import Settings


@pytest.fixture(scope="module")
def managed(neo4j_settings: Settings) -> Settings:
    if not neo4j_settings.uses_managed_server:
        pytest.skip("the patched Browser is the managed test Neo4j's (NEO4J_TEST_URI points at another server)")
    return neo4j_settings


def test_each_substitution_matches_exactly_once_in_the_pinned_jar(managed: Settings) -> None:
    original = local_server(managed).lib_dir.parent / f"neo4j-browser-{PATCHED_VERSION}.original.jar"
    assert original.exists(), f"{original} is missing: the test Neo4j's start should have kept it"
    assert sha256_file(original) == ORIGINAL_SHA256
    with zipfile.ZipFile(original) as jar:
        for sub in SUBSTITUTIONS:
            assert jar.read(sub.member).decode("utf-8").count(sub.old) == 1, f"{sub.member}: {sub.why}"


def test_the_test_neo4j_serves_the_patched_browser(managed: Settings) -> None:
    base = f"http://127.0.0.1:{managed.local_http_port}/browser/"
    for sub in SUBSTITUTIONS:
        answer = httpx.get(base + sub.member.removeprefix("browser/"), timeout=60)
        assert answer.status_code == 200, f"{answer.url}: {answer.status_code}"
        assert sub.old not in answer.text, (
            f"the test Neo4j serves the unpatched {sub.member} (was it started before graph/browser_jar.py existed? "
            "stop it and rerun)"
        )
        if sub.new:
            assert sub.new in answer.text
