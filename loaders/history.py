"""Undo: every load keeps its input files by content, so ``rdkg rollback`` can load the previous input set again.

The graph's load state (:mod:`loaders.loadstate`) says which input files (SHA-256) the graph holds and which ones
the load before held (``previous``). The files themselves are kept on the machine that ran ``rdkg load``, in the
**load store** (``RDKG_LOAD_STORE``, default ``$RDKG_STATE_DIR/loads``): ``<sha256>/<file name>``, written once per
distinct content (data/ is ~0.4 MB; a store of many loads can be deleted at any time — only undo needs it).

``rollback`` loads the previous input set in one transaction (the loader's usual atomic load, with ``prune``: it
brings back exactly the previous graph, whatever the guard would say). When the previous load was a published
release, its archived files in ``data/releases/`` are used instead, so that works on any machine. Undoing twice
redoes (the rolled-back load becomes the previous one).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from neo4j import Driver

from graph.errors import EXIT_NO_UNDO, RdkgError, translate_driver_errors
from graph.settings import Settings
from loaders import loadstate
from loaders.loadstate import InputFile


class UndoUnavailable(RdkgError):
    """There is nothing to undo, or the files to undo with are not kept here."""

    status_code = 409
    exit_code = EXIT_NO_UNDO
    code = "undo_unavailable"


def store_dir(settings: Settings) -> Path:
    """Where loads keep their inputs (``RDKG_LOAD_STORE``, default ``$RDKG_STATE_DIR/loads``)."""
    return settings.load_store_dir


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def keep_inputs(store: Path, files: Sequence[Path]) -> None:
    """Copy the files into the store (by content; a file already kept is not copied again)."""
    for path in files:
        target = store / _sha256(path) / path.name
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp, path.open("rb") as handle:
            shutil.copyfileobj(handle, tmp)
        os.replace(tmp.name, target)  # atomic: a half-copied file never has the final name


def kept_files(store: Path, inputs: Sequence[InputFile]) -> list[Path]:
    """The kept copies of ``inputs``, checked against their hashes; UndoUnavailable names the missing ones."""
    found, missing = [], []
    for item in inputs:
        path = store / item.sha256 / item.name
        if path.is_file() and _sha256(path) == item.sha256:
            found.append(path)
        else:
            missing.append(item.name)
    if missing:
        raise UndoUnavailable(
            f"the previous load's files are not in the load store {store}: {', '.join(missing)} (the load was run "
            f"on another machine, with another RDKG_LOAD_STORE, or the store was deleted); "
            "load a published release instead: `rdkg load --release VERSION` (`rdkg release list`)")
    return found


@dataclass(frozen=True)
class LoadRecord:
    """What the graph holds now and what the load before held (from the graph's load state)."""

    inputs: tuple[InputFile, ...] | None
    input_fingerprint: str | None
    release: str | None
    loaded_at: str | None

    @classmethod
    def from_state(cls, state: dict[str, object]) -> LoadRecord:
        raw = state.get("inputs")
        inputs = tuple(InputFile(**item) for item in json.loads(str(raw))) if raw else None
        fingerprint, release, at = (state.get(k) for k in ("inputFingerprint", "release", "loadedAt"))
        return cls(inputs, str(fingerprint) if fingerprint else None, str(release) if release else None,
                   str(at) if at else None)

    def describe(self) -> str:
        what = f"release {self.release}" if self.release else (
            f"{len(self.inputs)} input file(s) {self.input_fingerprint[:12] if self.input_fingerprint else ''}"
            if self.inputs else "an unrecorded input set")
        return f"{what}{f' loaded {self.loaded_at}' if self.loaded_at else ''}"


def current_and_previous(driver: Driver, database: str) -> tuple[LoadRecord | None, LoadRecord | None]:
    with translate_driver_errors(), driver.session(database=database) as session:
        state = session.execute_read(loadstate.read_state)
    if not state:
        return None, None
    previous = json.loads(str(state["previous"])) if state.get("previous") else None
    return LoadRecord.from_state(state), (LoadRecord.from_state(previous) if previous else None)
