"""A patched copy of the pinned Neo4j Browser jar, for the managed Neo4j only: a Browser that calls no other host.

Neo4j Browser 5.24.0 (``org.neo4j.client:neo4j-browser``, GPLv3) contacts four third-party hosts as soon as it is
opened, and Neo4j Community 5.26 has no setting that stops it (``browser.allow_outgoing_connections`` is
Enterprise-only, and Browser hard-codes "Community may always connect out"). So the jar the managed server runs is a
copy of the pinned original with three exact substitutions in its bundle (``SUBSTITUTIONS``):

1. the Google Fonts ``@import`` in the ui-libs stylesheet is removed (Browser falls back to its bundled and local
   fonts);
2. Sentry is never initialised (``setupSentry()`` is not called: no session, no transaction, no crash report);
3. ``shouldAllowOutgoingConnections`` answers false, as on Enterprise with ``browser.allow_outgoing_connections=
   false``: Segment, Canny and Browser Sync are not loaded, usage data and crash reports are off.

``install(lib_dir)`` runs on every start (``LocalNeo4j.ensure_jars``): it keeps the downloaded original beside the
lib dir, checks its sha256 against ``ORIGINAL_SHA256``, applies each substitution (each must match exactly once)
and replaces the jar in the lib dir with the patched copy (atomically; a running server keeps the file it opened).
The copy is deterministic (entries, order, timestamps and compression of the original) and the step is idempotent
(a state file records what was written; nothing is rewritten when the jar is already the patched one). If the jar
is not the pinned one or a substitution does not match exactly once, it logs a warning saying what did not match
and the server runs the original jar unchanged. docs/browser.md, "Offline: the patched Browser jar".
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import os
import shutil
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

log = logging.getLogger(__name__)

#: The Browser version these substitutions were written against (graph/server.py pins the one the server runs; a
#: unit test keeps the two equal); every other jar is left unpatched.
PATCHED_VERSION = "5.24.0"
#: sha256 of org.neo4j.client:neo4j-browser:5.24.0 as Maven Central serves it (neo4j-browser-5.24.0.jar).
ORIGINAL_SHA256 = "064b3291c4236002c9ea04c89592ebebc80fe1f790eda36642599c9a1ee80bb8"
APP_JS = "browser/app-e7b1542e82067e23ff83.js"
UI_LIBS_JS = "browser/ui-libs-e7b1542e82067e23ff83.bundle.js"
#: The modification notice written into the patched jar (GPLv3 section 5a: a modified copy says it is modified).
NOTICE_MEMBER = "META-INF/RDKG-MODIFICATIONS.txt"
NOTICE_DATE = (2026, 12, 2, 0, 0, 0)  # the date of this patch set (also the notice's timestamp in the jar)
STATE_FILE = "neo4j-browser-patch.json"  # beside the lib dir: what install() last wrote


@dataclass(frozen=True)
class Substitution:
    """Replace ``old`` by ``new`` in one member of the jar; ``old`` must occur exactly once."""

    member: str
    old: str
    new: str
    why: str


SUBSTITUTIONS = (
    Substitution(
        member=UI_LIBS_JS,
        old="@import url(https://fonts.googleapis.com/css2?family=Fira+Code:wght@500"
            "&family=Nunito+Sans:wght@300;400;500;600;700&display=swap);",
        new="",
        why="no stylesheet from fonts.googleapis.com (Browser uses its bundled Fira Code and local fonts)",
    ),
    Substitution(
        member=APP_JS,
        old="u.setupSentry(),l.default.render(",
        new="l.default.render(",
        why="Sentry is never initialised: nothing is sent to ingest.sentry.io",
    ),
    Substitution(
        member=APP_JS,
        old="t.shouldAllowOutgoingConnections=e=>t.hasEdition(e)&&!t.isEnterprise(e)||t.getAllowOutgoingConnections(e)",
        new="t.shouldAllowOutgoingConnections=e=>!1",
        why="as Enterprise's browser.allow_outgoing_connections=false: Segment (cdn.segment.com), Canny (canny.io) "
            "and Browser Sync are not loaded",
    ),
)


class BrowserPatchError(Exception):
    """The jar is not the one the substitutions were written for (its checksum, or a substitution's match count)."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def apply(text: str, substitution: Substitution) -> str:
    """``text`` with the substitution applied; ``BrowserPatchError`` unless ``old`` occurs exactly once."""
    count = text.count(substitution.old)
    if count != 1:
        raise BrowserPatchError(
            f"{substitution.member}: expected exactly one {substitution.old[:80]!r}, found {count} "
            f"(substitution: {substitution.why})"
        )
    return text.replace(substitution.old, substitution.new)


def notice(substitutions: tuple[Substitution, ...] = SUBSTITUTIONS) -> str:
    lines = [
        f"This is a modified copy of Neo4j Browser {PATCHED_VERSION} (org.neo4j.client:neo4j-browser, GPLv3),",
        f"made by rdkg's graph/browser_jar.py on {NOTICE_DATE[0]}-{NOTICE_DATE[1]:02d}-{NOTICE_DATE[2]:02d} "
        "so that Browser contacts no other host.",
        f"Original jar sha256: {ORIGINAL_SHA256}. Changes (each an exact text substitution):",
        "",
    ]
    for sub in substitutions:
        lines += [f"- {sub.member}: {sub.why}", f"    was: {sub.old}", f"    now: {sub.new or '(removed)'}"]
    return "\n".join(lines) + "\n"


def write_patched(original: Path, target: Path, *, expected_sha256: str = ORIGINAL_SHA256,
                  substitutions: tuple[Substitution, ...] = SUBSTITUTIONS) -> None:
    """Write the patched copy of ``original`` to ``target`` (same entries, order, timestamps, compression)."""
    actual = sha256_file(original)
    if actual != expected_sha256:
        raise BrowserPatchError(f"{original.name} has sha256 {actual}, not the pinned {expected_sha256}")
    with zipfile.ZipFile(original) as source:
        texts = {sub.member: source.read(sub.member).decode("utf-8") for sub in substitutions}
        for sub in substitutions:
            texts[sub.member] = apply(texts[sub.member], sub)
        with zipfile.ZipFile(target, "w") as out:
            for info in source.infolist():
                data = texts[info.filename].encode("utf-8") if info.filename in texts else source.read(info)
                out.writestr(copy.copy(info), data, compress_type=info.compress_type)
            note = zipfile.ZipInfo(NOTICE_MEMBER, date_time=NOTICE_DATE)
            note.external_attr = 0o644 << 16
            out.writestr(note, notice(substitutions), compress_type=zipfile.ZIP_DEFLATED)


@dataclass(frozen=True)
class PatchState:
    original_sha256: str
    substitutions_sha256: str
    jar_sha256: str


def substitutions_fingerprint(substitutions: tuple[Substitution, ...] = SUBSTITUTIONS) -> str:
    text = json.dumps([asdict(sub) for sub in substitutions], sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def install(lib_dir: Path, version: str, *, expected_sha256: str = ORIGINAL_SHA256,
            substitutions: tuple[Substitution, ...] = SUBSTITUTIONS) -> bool:
    """Put the patched Browser ``version`` jar into ``lib_dir`` in place of the original. True if the patched jar is
    in place; False (after a warning naming what did not match) if the server runs the original jar instead."""
    jar = lib_dir / f"neo4j-browser-{version}.jar"
    original = lib_dir.parent / f"neo4j-browser-{version}.original.jar"
    state_file = lib_dir.parent / STATE_FILE
    if version != PATCHED_VERSION:
        log.warning("Neo4j Browser %s is served unpatched (graph/browser_jar.py has substitutions for %s only), so "
                    "it will contact third-party hosts when opened (see docs/browser.md)", version, PATCHED_VERSION)
        return False
    if not jar.exists() and not original.exists():
        log.warning("Neo4j Browser %s is not in %s: nothing to patch", version, lib_dir)
        return False
    wanted = _read_state(state_file)
    fingerprint = substitutions_fingerprint(substitutions)
    current = sha256_file(jar) if jar.exists() else ""
    if current == expected_sha256 and not _is(original, expected_sha256):
        _atomic_copy(jar, original)  # a fresh download: keep it as the original the patch starts from
    if wanted == PatchState(expected_sha256, fingerprint, current):
        return True  # already patched: nothing to do
    if not original.exists():  # a jar that is neither the pinned original nor our patched copy, no original kept
        log.warning("Neo4j Browser: %s (sha256 %s) is not the pinned original %s and no original copy is kept: "
                    "serving it unpatched; it will contact third-party hosts (see docs/browser.md)",
                    jar, current, expected_sha256)
        return False
    try:
        with tempfile.TemporaryDirectory(dir=lib_dir.parent) as tmp:
            patched = Path(tmp) / jar.name
            write_patched(original, patched, expected_sha256=expected_sha256, substitutions=substitutions)
            state = PatchState(expected_sha256, fingerprint, sha256_file(patched))
            os.replace(patched, jar)
    except (BrowserPatchError, OSError) as exc:  # OSError: e.g. a full disk while writing the copy
        log.warning("Neo4j Browser was NOT patched, so it will contact fonts.googleapis.com, ingest.sentry.io, "
                    "cdn.segment.com and canny.io when opened: %s. Serving the original jar unchanged; update "
                    "graph/browser_jar.py for this jar (see docs/browser.md)", exc)
        state_file.unlink(missing_ok=True)
        if current != sha256_file(original):
            _atomic_copy(original, jar)
        return False
    state_file.write_text(json.dumps(asdict(state), indent=2) + "\n")
    log.info("Neo4j Browser: serving a patched copy of %s (%d substitutions; no third-party hosts)",
             jar.name, len(substitutions))
    return True


def _is(path: Path, sha256: str) -> bool:
    return path.exists() and sha256_file(path) == sha256


def _read_state(path: Path) -> PatchState | None:
    try:
        return PatchState(**json.loads(path.read_text()))
    except (OSError, ValueError, TypeError):
        return None


def _atomic_copy(source: Path, target: Path) -> None:
    """Copy via a temporary file and a rename, so a reader (or a running JVM) never sees half a jar."""
    with (tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", delete=False) as tmp,
          open(source, "rb") as handle):
        shutil.copyfileobj(handle, tmp)
    os.chmod(tmp.name, 0o644)
    os.replace(tmp.name, target)
