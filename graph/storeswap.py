"""Swap a managed instance's ``neo4j`` database store for a new one, keeping the old one until the new one answers.

Used by the bulk rebuild (:mod:`loaders.rebuild`). A store is two directories under the instance's ``data/``:
``databases/neo4j`` and ``transactions/neo4j``. The swap, while the server is stopped, renames them (same file
system: each rename is atomic) — old ones aside into ``rebuild/old/``, new ones in place — then starts the server
and runs the caller's ``verify`` on it (the rebuild's: constraints and indexes created and online, fingerprint and
counts checked — this start is the only one a rebuild needs). The journal's phase says how far it got:
``moving`` (stopping, renaming), ``moved`` (starting on the new store), ``checking`` (``verify`` running). A journal
(``<home>/rebuild/swap.json``) is written before the first rename and removed after the check; while it exists the
swap is unfinished, and :func:`recover` (run by :meth:`graph.server.LocalNeo4j.start` and by every rebuild) puts
the old store back. So a swap interrupted anywhere — the rebuild killed, the server killed or refusing the new
store — ends with the old graph.

The swap runs in its own process (``python -m loaders.swapper``, in a new session) so that a ``kill -9`` of the
rebuild does not stop it half-way: it watches the rebuild's pid, and if the rebuild dies before the new store was
checked it rolls back and starts the server on the old store again.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from graph.errors import GraphError

log = logging.getLogger(__name__)

DATABASE = "neo4j"
SUBDIRS = ("databases", "transactions")


class SwapFailed(GraphError):
    """The new store was not swapped in; the old one is back in place (and serving, if it was)."""

    code = "swap_failed"

    def __init__(self, message: str, phase: str = "moving") -> None:
        super().__init__(message)
        self.phase = phase  # the journal phase it failed in: moving, moved or checking


def work_dir(home: Path) -> Path:
    return home / "rebuild"


def journal_path(home: Path) -> Path:
    return work_dir(home) / "swap.json"


def store_dirs(data: Path) -> list[Path]:
    return [data / sub / DATABASE for sub in SUBDIRS]


def _move(src: Path, dst: Path) -> None:
    if not src.exists():
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    if dst.exists():
        shutil.rmtree(dst)
    os.replace(src, dst)


def _write_journal(home: Path, phase: str) -> None:
    path = journal_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"phase": phase, "pid": os.getpid(), "at": time.time()}))
    os.replace(tmp, path)


def _roll_back(home: Path) -> bool:
    """Put the old store (``rebuild/old``) back in place; the store found in place goes to ``rebuild/failed``."""
    old = work_dir(home) / "old"
    if not any(path.exists() for path in store_dirs(old)):
        return False
    failed = work_dir(home) / "failed"
    shutil.rmtree(failed, ignore_errors=True)
    for current, aside, rejected in zip(store_dirs(home / "data"), store_dirs(old), store_dirs(failed), strict=True):
        if aside.exists():
            _move(current, rejected)
            _move(aside, current)
    shutil.rmtree(failed, ignore_errors=True)
    return True


def recover(home: Path) -> bool:
    """Undo an unfinished swap (the server must be stopped). Returns True if the old store was put back."""
    journal = journal_path(home)
    try:
        owner = int(json.loads(journal.read_text()).get("pid", 0))
    except FileNotFoundError:
        return False
    except (ValueError, TypeError, AttributeError):
        owner = 0
    if owner and (owner == os.getpid() or alive(owner)):
        return False  # the swap is in progress (this process, or a swapper that is still running)
    restored = _roll_back(home)
    journal.unlink(missing_ok=True)
    if restored:
        log.warning("an interrupted store swap in %s was rolled back: the previous graph is back", home)
    return restored


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie counts as gone
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


class _Running(Protocol):
    @property
    def running(self) -> bool: ...


class Server(Protocol):
    """What a swap needs of the server (:class:`graph.server.LocalNeo4j`)."""

    @property
    def home(self) -> Path: ...

    def status(self) -> _Running: ...

    def start(self) -> object: ...

    def stop(self) -> object: ...


def swap(server: Server, new_data: Path, verify: Callable[[], None],
         parent_alive: Callable[[], bool] = lambda: True) -> dict[str, float]:
    """Swap ``new_data``'s store into ``server`` (a :class:`graph.server.LocalNeo4j`) and start it; roll back on
    any failure, or if ``parent_alive()`` turns false before the new store was checked. Returns the timings:
    ``down`` (server stopped → new one answering and checked), ``stop``/``start`` seconds (``unreachable``: their
    sum, the time the server did not answer) and ``check`` (``verify``'s seconds)."""
    home = server.home
    old = work_dir(home) / "old"
    shutil.rmtree(old, ignore_errors=True)
    was_running = server.status().running
    began = time.monotonic()
    phase = "moving"
    _write_journal(home, phase)
    try:
        server.stop()
        stopped = time.monotonic()
        if not parent_alive():
            raise SwapFailed("the rebuild process died before the swap")
        for current, aside, new in zip(store_dirs(home / "data"), store_dirs(old), store_dirs(new_data),
                                       strict=True):
            if not new.exists():
                raise SwapFailed(f"the new store has no {new}")
            _move(current, aside)
            _move(new, current)
        phase = "moved"
        _write_journal(home, phase)
        server.start()
        started = time.monotonic()
        phase = "checking"
        _write_journal(home, phase)
        if not parent_alive():
            raise SwapFailed("the rebuild process died before the new store was checked")
        verify()
        if not parent_alive():
            raise SwapFailed("the rebuild process died before the new store was checked")
        answered = time.monotonic()
    except BaseException as exc:
        log.error("swap failed (%s); putting the old store back", exc)
        try:
            server.stop()
        finally:
            _roll_back(home)
            journal_path(home).unlink(missing_ok=True)
            if was_running:
                server.start()
        if isinstance(exc, SwapFailed):
            exc.phase = phase
            raise
        raise SwapFailed(f"{type(exc).__name__}: {exc}", phase) from exc
    journal_path(home).unlink(missing_ok=True)
    shutil.rmtree(old, ignore_errors=True)
    return {"down": answered - began, "stop": stopped - began, "start": started - stopped,
            "unreachable": started - began, "check": answered - started}
