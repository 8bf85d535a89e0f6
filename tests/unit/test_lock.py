"""requirements.lock (issue 13, reproducible installs): it covers every dependency pyproject.toml declares, and the
environment the tests run in has exactly the locked versions — so `make install`, CI and the Docker image (which
all install with ``-c requirements.lock``) get the versions these tests passed with.

A failure here means the lock is stale (run ``make lock``) or the venv was installed without it (``make install``).
"""

from __future__ import annotations

import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"


def _locked() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for number, line in enumerate(LOCK.read_text().splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate():
            continue
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"requirements.lock:{number}: not an exact pin: {line}"
        pins[canonicalize_name(req.name)] = Version(specs[0].version)
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    reqs = [*project["build-system"]["requires"], *project["project"]["dependencies"]]
    for extra in project["project"].get("optional-dependencies", {}).values():
        reqs.extend(extra)
    return [Requirement(r) for r in reqs]


def test_every_declared_dependency_is_locked_at_an_allowed_version() -> None:
    pins = _locked()
    problems = []
    for req in _declared():
        if req.marker is not None and not req.marker.evaluate():
            continue
        name = canonicalize_name(req.name)
        if name not in pins:
            problems.append(f"{req} is not in requirements.lock")
        elif pins[name] not in req.specifier:
            problems.append(f"{req}: the lock has {pins[name]}")
    assert not problems, "requirements.lock is stale (run `make lock`): " + "; ".join(problems)


def test_the_test_environment_has_the_locked_versions() -> None:
    # `make install` stamps the venv; like make, treat a venv installed before the lock changed as not yet updated
    # (another worktree's venv after a rebase) rather than failing: `make test` reinstalls it first, and CI too.
    stamp = Path(sys.prefix) / ".installed"
    if not stamp.exists() or stamp.stat().st_mtime < LOCK.stat().st_mtime:
        pytest.skip("this venv was not installed from the current requirements.lock by `make install`")
    pins = _locked()
    wrong = []
    for dist in metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"])
        if name in pins and Version(dist.version) != pins[name]:
            wrong.append(f"{name} {dist.version} (locked {pins[name]})")
    assert not wrong, "installed without the lock (run `make install`): " + ", ".join(sorted(wrong))
    # the core of the stack is really there, at the locked versions (a lock nobody installs proves nothing)
    for name in ("neo4j", "fastapi", "rdflib", "pyshacl-turbo", "uvicorn", "pip"):
        assert Version(metadata.version(name)) == pins[name], name
