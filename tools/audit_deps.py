"""Check the locked dependencies for known vulnerabilities (issue 20): ``make audit``, and a step of ``.ci/run``.

``python tools/audit_deps.py [requirements.lock] [--exceptions audit-exceptions.toml] [--service pypi|osv]``

Runs pip-audit (PyPA's auditor) on the lock — every pinned version, no resolution, no install — with ``--strict``,
so a package the vulnerability service cannot answer for fails the audit instead of passing silently. Reviewed
exceptions come from ``audit-exceptions.toml`` (``[[exception]]`` entries: ``id``, ``package``, ``reason``,
``reviewed`` date) and are passed as ``--ignore-vuln``; an entry with a field missing, a review older than
:data:`MAX_REVIEW_AGE_DAYS` days or in the future, or a package that is no longer in the lock is refused (exit 2),
so exceptions are looked at again instead of piling up.

Before auditing, the service is probed (PyPI: the JSON document of the locked ``pip`` release; OSV: an empty query).
If it cannot be reached — a machine with no route to it — the audit cannot say anything: exit 3 with a message
naming the service, or, with ``--unavailable=warn`` (what CI uses on machines that reach only package indexes),
that message and exit 0. Exit codes: 0 nothing known (or only reviewed exceptions), 1 a known vulnerability,
2 a bad exceptions file or lock, 3 the service unavailable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import requests
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
MAX_REVIEW_AGE_DAYS = 180
FIELDS = ("id", "package", "reason", "reviewed")
OSV_URL = "https://api.osv.dev/v1/query"


class Refused(Exception):
    """A problem with the inputs, reported as ``file:line: message`` (exit 2)."""


def locked(lock: Path) -> dict[str, str]:
    """Package (canonical name) → pinned version."""
    pins: dict[str, str] = {}
    for number, line in enumerate(lock.read_text().splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            req = Requirement(text)
        except InvalidRequirement as exc:
            raise Refused(f"{lock}:{number}: not a requirement: {exc}") from exc
        specs = list(req.specifier)
        if len(specs) != 1 or specs[0].operator != "==":
            raise Refused(f"{lock}:{number}: not an exact pin (name==version): {text}")
        pins[canonicalize_name(req.name)] = specs[0].version
    if not pins:
        raise Refused(f"{lock}: no pinned requirement")
    return pins


def exceptions(path: Path, pins: dict[str, str], today: dt.date) -> list[dict[str, object]]:
    """The reviewed exceptions, each checked (see the module docstring)."""
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise Refused(f"{path}: {exc}") from exc
    entries = data.get("exception", [])
    if not isinstance(entries, list):
        raise Refused(f"{path}: `exception` must be an array of tables ([[exception]])")
    for n, entry in enumerate(entries, 1):
        where = f"{path}: exception {n}"
        missing = [f for f in FIELDS if not entry.get(f)]
        if missing:
            raise Refused(f"{where}: missing {', '.join(missing)} (every entry needs {', '.join(FIELDS)})")
        reviewed = entry["reviewed"]
        if not isinstance(reviewed, dt.date) or isinstance(reviewed, dt.datetime):
            raise Refused(f"{where} ({entry['id']}): `reviewed` must be a date (reviewed = 2026-12-02)")
        if reviewed > today:
            raise Refused(f"{where} ({entry['id']}): reviewed {reviewed} is in the future")
        if (today - reviewed).days > MAX_REVIEW_AGE_DAYS:
            raise Refused(f"{where} ({entry['id']}): last reviewed {reviewed}, more than {MAX_REVIEW_AGE_DAYS} days "
                          f"ago: review it again (and update `reviewed`) or remove it")
        if canonicalize_name(str(entry["package"])) not in pins:
            raise Refused(f"{where} ({entry['id']}): {entry['package']} is not in the lock any more: remove it")
    return entries


def service_problem(service: str, pins: dict[str, str], osv_url: str) -> str | None:
    """Why the vulnerability service cannot answer from this machine, or None if it can."""
    try:
        if service == "pypi":
            url = f"https://pypi.org/pypi/pip/{pins.get('pip', '24.0')}/json"
            response = requests.get(url, timeout=20)
        else:
            url = osv_url
            response = requests.post(url, data=json.dumps({"package": {"name": "pip", "ecosystem": "PyPI"},
                                                           "version": pins.get("pip", "24.0")}), timeout=20)
    except requests.RequestException as exc:
        return f"{url}: {type(exc).__name__}"
    if response.status_code != 200:
        return f"{url}: HTTP {response.status_code}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("lock", nargs="?", type=Path, default=ROOT / "requirements.lock")
    parser.add_argument("--exceptions", type=Path, default=ROOT / "audit-exceptions.toml")
    parser.add_argument("--service", choices=("pypi", "osv"), default="pypi")
    parser.add_argument("--osv-url", default=OSV_URL)
    parser.add_argument("--unavailable", choices=("fail", "warn"), default="fail",
                        help="what to do when the service cannot be reached (default: fail, exit 3)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        if not args.lock.is_file():
            raise Refused(f"{args.lock}: no such file")
        pins = locked(args.lock)
        reviewed = exceptions(args.exceptions, pins, args.today)
    except Refused as exc:
        print(f"audit: {exc}", file=sys.stderr)
        return 2
    problem = service_problem(args.service, pins, args.osv_url)
    if problem:
        print(f"audit: NOT RUN — the vulnerability service ({args.service}) cannot be reached from this machine "
              f"({problem}); {len(pins)} locked packages unchecked", file=sys.stderr)
        return 0 if args.unavailable == "warn" else 3
    cmd = [sys.executable, "-m", "pip_audit", "-r", str(args.lock), "--no-deps", "--disable-pip", "--strict",
           "--progress-spinner", "off", "-s", args.service]
    if args.service == "osv":
        cmd += ["--osv-url", args.osv_url]
    for entry in reviewed:
        cmd += ["--ignore-vuln", str(entry["id"])]
    print(f"audit: {len(pins)} locked packages against {args.service}"
          + (f", {len(reviewed)} reviewed exception(s): {', '.join(str(e['id']) for e in reviewed)}" if reviewed
             else ""), file=sys.stderr)
    done = subprocess.run(cmd, check=False)
    if done.returncode not in (0, 1):
        print(f"audit: pip-audit failed (exit {done.returncode})", file=sys.stderr)
        return 2 if done.returncode != 3 else 3
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
