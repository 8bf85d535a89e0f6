"""The Neo4j Browser jar patcher (graph/browser_jar.py) on a tiny fixture jar: no download, no server.

The fixture holds the three members the substitutions touch, each with its ``old`` text embedded once in some
surrounding bundle text, plus untouched entries. Its checksum plays the pinned one. The real jar is checked by
tests/browser/graph/test_browser_jar.py (each substitution matches exactly once; the test Neo4j serves the result).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import zipfile
from pathlib import Path

import pytest

from graph import browser_jar
from graph.browser_jar import (
    APP_JS,
    NOTICE_MEMBER,
    PATCHED_VERSION,
    STATE_FILE,
    SUBSTITUTIONS,
    UI_LIBS_JS,
    BrowserPatchError,
    Substitution,
    install,
    write_patched,
)
from graph.server import BROWSER_VERSION, LocalNeo4j

JAR_NAME = f"neo4j-browser-{PATCHED_VERSION}.jar"
THIRD_PARTY = ("fonts.googleapis.com", "sentry.io", "segment.com", "canny.io")


def _members(substitutions: tuple[Substitution, ...] = SUBSTITUTIONS) -> dict[str, bytes]:
    texts: dict[str, str] = {UI_LIBS_JS: "(t=e.exports=n(54)(!1)).push([e.i,\"", APP_JS: "function(e,t,n){"}
    for sub in substitutions:
        texts[sub.member] += f"/*before*/{sub.old}/*after*/;"
    return {
        "META-INF/": b"",
        "META-INF/MANIFEST.MF": b"Manifest-Version: 1.0\r\n",
        "browser/": b"",
        UI_LIBS_JS: texts[UI_LIBS_JS].encode(),
        "browser/index.html": b"<!doctype html><div id=\"mount\"></div>",
        APP_JS: texts[APP_JS].encode(),
    }


def _jar(path: Path, members: dict[str, bytes]) -> str:
    """Write a jar like Maven Central's (fixed timestamps, stored directories, deflated files); its sha256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as jar:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 9, 6, 12, 4, 14))
            info.compress_type = zipfile.ZIP_STORED if name.endswith("/") else zipfile.ZIP_DEFLATED
            jar.writestr(info, data)
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def lib(tmp_path: Path) -> tuple[Path, str]:
    """A lib dir holding the fixture Browser jar as Maven put it there; the jar's sha256."""
    lib_dir = tmp_path / "neo4j-5.26.12" / "lib"
    return lib_dir, _jar(lib_dir / JAR_NAME, _members())


def test_each_substitution_is_applied_and_everything_else_is_kept(tmp_path: Path) -> None:
    original = tmp_path / "original.jar"
    sha = _jar(original, _members())
    write_patched(original, tmp_path / "patched.jar", expected_sha256=sha)
    with zipfile.ZipFile(original) as before, zipfile.ZipFile(tmp_path / "patched.jar") as after:
        assert [i.filename for i in after.infolist()] == [i.filename for i in before.infolist()] + [NOTICE_MEMBER]
        for info in before.infolist():
            assert after.getinfo(info.filename).date_time == info.date_time
            assert after.getinfo(info.filename).compress_type == info.compress_type
            if info.filename not in (APP_JS, UI_LIBS_JS):
                assert after.read(info.filename) == before.read(info)
        for sub in SUBSTITUTIONS:
            text = after.read(sub.member).decode()
            assert sub.old not in text
            assert f"/*before*/{sub.new}/*after*/" in text
        notice = after.read(NOTICE_MEMBER).decode()
    assert "modified copy of Neo4j Browser" in notice and "GPLv3" in notice
    assert all(sub.old in notice for sub in SUBSTITUTIONS)


def test_the_patched_jar_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    original = tmp_path / "original.jar"
    sha = _jar(original, _members())
    write_patched(original, tmp_path / "one.jar", expected_sha256=sha)
    write_patched(original, tmp_path / "two.jar", expected_sha256=sha)
    assert (tmp_path / "one.jar").read_bytes() == (tmp_path / "two.jar").read_bytes()


@pytest.mark.parametrize("times", [0, 2])
def test_a_substitution_must_match_exactly_once(times: int) -> None:
    sub = SUBSTITUTIONS[1]
    with pytest.raises(BrowserPatchError) as info:
        browser_jar.apply("x" + sub.old * times + "y", sub)
    assert sub.member in str(info.value)
    assert f"found {times}" in str(info.value)


def test_a_jar_with_another_checksum_is_refused(tmp_path: Path) -> None:
    original = tmp_path / "original.jar"
    _jar(original, _members())
    with pytest.raises(BrowserPatchError, match="not the pinned"):
        write_patched(original, tmp_path / "patched.jar", expected_sha256="0" * 64)
    assert not (tmp_path / "patched.jar").exists()


def test_install_replaces_the_jar_keeps_the_original_and_is_idempotent(lib: tuple[Path, str]) -> None:
    lib_dir, sha = lib
    original_bytes = (lib_dir / JAR_NAME).read_bytes()
    assert install(lib_dir, PATCHED_VERSION, expected_sha256=sha) is True
    jar = lib_dir / JAR_NAME
    assert sorted(p.name for p in lib_dir.iterdir()) == [JAR_NAME]  # no temporary file left on the classpath
    assert (lib_dir.parent / f"neo4j-browser-{PATCHED_VERSION}.original.jar").read_bytes() == original_bytes
    with zipfile.ZipFile(jar) as patched:
        assert NOTICE_MEMBER in patched.namelist()
    first = jar.stat()
    assert install(lib_dir, PATCHED_VERSION, expected_sha256=sha) is True
    second = jar.stat()
    assert (second.st_ino, second.st_mtime_ns) == (first.st_ino, first.st_mtime_ns), "an installed jar was rewritten"


def test_install_patches_a_fresh_download_again(lib: tuple[Path, str]) -> None:
    lib_dir, sha = lib
    install(lib_dir, PATCHED_VERSION, expected_sha256=sha)
    patched = (lib_dir / JAR_NAME).read_bytes()
    _jar(lib_dir / JAR_NAME, _members())  # the lib dir downloaded again: the original is back
    assert install(lib_dir, PATCHED_VERSION, expected_sha256=sha) is True
    assert (lib_dir / JAR_NAME).read_bytes() == patched


def test_install_applies_changed_substitutions(lib: tuple[Path, str]) -> None:
    lib_dir, sha = lib
    install(lib_dir, PATCHED_VERSION, expected_sha256=sha)
    changed = (*SUBSTITUTIONS[:2], dataclasses.replace(SUBSTITUTIONS[2], new="t.shouldAllowOutgoingConnections=()=>!1"))
    assert install(lib_dir, PATCHED_VERSION, expected_sha256=sha, substitutions=changed) is True
    with zipfile.ZipFile(lib_dir / JAR_NAME) as jar:
        assert "t.shouldAllowOutgoingConnections=()=>!1" in jar.read(APP_JS).decode()


def test_another_jar_is_served_unpatched_with_a_warning(
    lib: tuple[Path, str], caplog: pytest.LogCaptureFixture
) -> None:
    lib_dir, _ = lib
    before = (lib_dir / JAR_NAME).read_bytes()
    with caplog.at_level(logging.WARNING, logger="graph.browser_jar"):
        assert install(lib_dir, PATCHED_VERSION, expected_sha256="0" * 64) is False
    assert (lib_dir / JAR_NAME).read_bytes() == before
    assert "not the pinned original" in caplog.text and "unpatched" in caplog.text
    assert not (lib_dir.parent / STATE_FILE).exists()


def test_a_substitution_that_no_longer_matches_falls_back_to_the_original(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    lib_dir = tmp_path / "lib"
    members = _members()
    members[APP_JS] = members[APP_JS].replace(SUBSTITUTIONS[1].old.encode(), b"u.setupSentry({}),l.default.render(")
    sha = _jar(lib_dir / JAR_NAME, members)
    before = (lib_dir / JAR_NAME).read_bytes()
    with caplog.at_level(logging.WARNING, logger="graph.browser_jar"):
        assert install(lib_dir, PATCHED_VERSION, expected_sha256=sha) is False
    assert (lib_dir / JAR_NAME).read_bytes() == before  # the server runs the original jar
    assert "NOT patched" in caplog.text
    assert f"{APP_JS}: expected exactly one 'u.setupSentry(),l.default.render(', found 0" in caplog.text
    assert not (tmp_path / STATE_FILE).exists()


def test_another_browser_version_is_not_touched(lib: tuple[Path, str], caplog: pytest.LogCaptureFixture) -> None:
    lib_dir, sha = lib
    with caplog.at_level(logging.WARNING, logger="graph.browser_jar"):
        assert install(lib_dir, "5.99.0", expected_sha256=sha) is False
    assert "5.99.0 is served unpatched" in caplog.text


def test_the_substitutions_are_for_the_browser_the_server_runs() -> None:
    assert BROWSER_VERSION == PATCHED_VERSION, "new Browser version: check graph/browser_jar.py's substitutions"
    for sub in SUBSTITUTIONS:
        assert sub.old and sub.why
        assert not any(host in sub.new for host in THIRD_PARTY)
    assert {sub.member for sub in SUBSTITUTIONS} == {APP_JS, UI_LIBS_JS}


def test_ensure_jars_installs_the_patched_jar_on_every_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = LocalNeo4j(cache_dir=tmp_path, home=tmp_path / "home")
    server.lib_dir.mkdir(parents=True)
    (server.lib_dir / ".complete").write_text("downloaded earlier\n")  # a cache from before the patcher existed
    calls: list[tuple[Path, str]] = []

    def install_spy(lib_dir: Path, version: str) -> bool:
        calls.append((lib_dir, version))
        return True

    monkeypatch.setattr(browser_jar, "install", install_spy)
    server.ensure_jars()
    assert calls == [(server.lib_dir, BROWSER_VERSION)]
