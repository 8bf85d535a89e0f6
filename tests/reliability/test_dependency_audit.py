"""The dependency audit (issue 20, ``tools/audit_deps.py``, ``make audit``): it fails on a known vulnerability in the
lock, a reviewed exception lets that one through, a stale or incomplete exception is refused, and an unreachable
service is reported, never taken for "no vulnerability".

The real pip-audit runs against a loopback stand-in for the OSV API (``--service osv --osv-url``): this machine
reaches no vulnerability service (docs/reliability.md, "Dependency audit"), and the test must not depend on
today's advisories anyway. The stand-in knows one advisory, modelled on CVE-2019-10906 (Jinja2 before 2.10.1,
sandbox escape), for the planted pin ``jinja2==2.10``; it answers "nothing known" for every other package.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.reliability.support import REPO_ROOT

SCRIPT = REPO_ROOT / "tools" / "audit_deps.py"
PLANTED = "PLANTED-2019-10906"
ADVISORY = {
    "id": PLANTED, "aliases": ["CVE-2019-10906"], "summary": "planted for the test: sandbox escape via str.format_map",
    "affected": [{"package": {"name": "jinja2", "ecosystem": "PyPI"},
                  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.10.1"}]}]}],
}


class _Osv(BaseHTTPRequestHandler):
    queried: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 — http.server's name
        query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        name, version = query["package"]["name"], query["version"]
        self.queried.append(f"{name}=={version}")
        body = json.dumps({"vulns": [ADVISORY]} if (name, version) == ("jinja2", "2.10") else {}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def osv_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Osv)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    server.shutdown()


def audit(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=REPO_ROOT, check=False)


@pytest.fixture()
def planted(tmp_path: Path) -> Path:
    lock = tmp_path / "requirements.lock"
    lock.write_text("# a lock with one vulnerable pin\njinja2==2.10\nmarkupsafe==3.0.2\n")
    return lock


def exceptions_file(tmp_path: Path, **fields: str) -> Path:
    path = tmp_path / "audit-exceptions.toml"
    entry = {"id": f'"{PLANTED}"', "package": '"jinja2"', "reason": '"rdkg renders no untrusted template"',
             "reviewed": "2026-12-01", **fields}
    path.write_text("[[exception]]\n" + "".join(f"{k} = {v}\n" for k, v in entry.items() if v))
    return path


def test_the_locked_dependencies_pass_and_every_one_is_checked(osv_url: str, tmp_path: Path) -> None:
    _Osv.queried.clear()
    done = audit("--service", "osv", "--osv-url", osv_url, "--exceptions", tmp_path / "none.toml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No known vulnerabilities found" in done.stdout + done.stderr
    # --strict and --no-deps: the pins themselves were asked about, the stack's core among them
    for pin in ("fastapi==", "neo4j==", "rdflib==", "uvicorn==", "pip=="):
        assert any(q.startswith(pin) for q in _Osv.queried), (pin, _Osv.queried[:5])


def test_a_planted_vulnerable_pin_fails_the_audit(osv_url: str, planted: Path, tmp_path: Path) -> None:
    done = audit(planted, "--service", "osv", "--osv-url", osv_url, "--exceptions", tmp_path / "none.toml")
    assert done.returncode == 1, done.stdout + done.stderr
    # what, which advisory (pip-audit shows its CVE alias), and the fixed version
    assert "jinja2" in done.stdout and "CVE-2019-10906" in done.stdout and "2.10.1" in done.stdout


def test_a_reviewed_exception_lets_that_vulnerability_through(osv_url: str, planted: Path, tmp_path: Path) -> None:
    done = audit(planted, "--service", "osv", "--osv-url", osv_url, "--exceptions", exceptions_file(tmp_path),
                 "--today", "2026-12-02")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"1 reviewed exception(s): {PLANTED}" in done.stderr


@pytest.mark.parametrize(("fields", "message"), [
    ({"reason": ""}, "missing reason"),
    ({"reviewed": "2026-01-02"}, "more than 180 days ago"),
    ({"reviewed": '"last week"'}, "must be a date"),
    ({"package": '"leftpad"'}, "leftpad is not in the lock any more"),
])
def test_a_bad_exception_is_refused_with_file_and_entry(osv_url: str, planted: Path, tmp_path: Path,
                                                        fields: dict[str, str], message: str) -> None:
    path = exceptions_file(tmp_path, **fields)
    done = audit(planted, "--service", "osv", "--osv-url", osv_url, "--exceptions", path, "--today", "2026-12-02")
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{path}: exception 1 ({PLANTED})" in done.stderr or f"{path}: exception 1" in done.stderr
    assert message in done.stderr


def test_an_unreachable_service_is_not_a_pass(planted: Path, tmp_path: Path) -> None:
    dead = "http://127.0.0.1:9/v1/query"  # the discard port: nothing listens
    done = audit(planted, "--service", "osv", "--osv-url", dead, "--exceptions", tmp_path / "none.toml")
    assert done.returncode == 3 and "NOT RUN" in done.stderr, done.stderr
    warned = audit(planted, "--service", "osv", "--osv-url", dead, "--unavailable", "warn")
    assert warned.returncode == 0 and "NOT RUN" in warned.stderr
