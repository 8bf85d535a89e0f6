"""Transfers captioned after a parallel mapping without whole-graph tables in memory (the bulk rebuild, issue 17).

A transfer's caption needs its category's name and its first quantity's caption (:mod:`loaders.captions`), and
the parts of a large input are mapped in parallel, each seeing only its own nodes. So each mapping process
**spills**: its transfer rows (pickled, in input order) and its lookup entries (category names, quantity captions)
go to files of their own. The main process then loads the lookup entries into an on-disk SQLite table and
captions the spilled transfers part by part, asking SQLite for just the nodes each transfer references — its
memory stays flat whatever the input size, and the rows are exactly those the in-memory
:class:`loaders.rows.Captioner` gives (the same caption, hash and order; a later part's entry for the same node
wins, as ``dict.update`` did).
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from loaders.captions import transfer_caption_from
from loaders.rows import Captioner, NodeRow, seal

CATEGORY, QUANTITY = "OF_CATEGORY", "HAS_QUANTITY"


class SpillingCaptioner(Captioner):
    """A mapping process's captioner: transfers go to ``<stem>-transfers.pkl`` instead of memory; :meth:`close`
    writes the category names and quantity captions it saw to ``<stem>-lookup.pkl`` (one part's worth)."""

    def __init__(self, stem: Path) -> None:
        super().__init__()
        self.transfers_path = stem.with_name(stem.name + "-transfers.pkl")
        self.lookup_path = stem.with_name(stem.name + "-lookup.pkl")
        stem.parent.mkdir(parents=True, exist_ok=True)
        self._out: IO[bytes] = self.transfers_path.open("wb")

    def accept(self, row: NodeRow) -> list[NodeRow]:
        done = super().accept(row)
        if self.waiting:
            for waiting in self.waiting:
                pickle.dump(waiting, self._out, protocol=pickle.HIGHEST_PROTOCOL)
            self.waiting = []
        return done

    def flush(self) -> list[NodeRow]:
        return []  # captioned by the main process (CaptionLookup)

    def close(self) -> None:
        self._out.close()
        with self.lookup_path.open("wb") as out:
            pickle.dump((self.names, self.quantities), out, protocol=pickle.HIGHEST_PROTOCOL)
        self.names, self.quantities = {}, {}


class CaptionLookup:
    """Category names and quantity captions of every part, in SQLite at ``path`` (deleted by :meth:`close`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("CREATE TABLE names (uri TEXT PRIMARY KEY, name TEXT NOT NULL)")
        self.db.execute("CREATE TABLE quantities (uri TEXT PRIMARY KEY, caption TEXT)")

    def add(self, lookup_file: Path) -> None:
        """One part's entries (then the file is deleted)."""
        with lookup_file.open("rb") as handle:
            names, quantities = pickle.load(handle)
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO names VALUES (?, ?)", names.items())
            self.db.executemany("INSERT OR REPLACE INTO quantities VALUES (?, ?)", quantities.items())
        lookup_file.unlink()

    def _find(self, table: str, column: str, uris: list[str]) -> dict[str, str | None]:
        if not uris:
            return {}
        marks = ",".join("?" * len(uris))
        return dict(self.db.execute(f"SELECT uri, {column} FROM {table} WHERE uri IN ({marks})", uris))  # noqa: S608

    def caption(self, row: NodeRow) -> NodeRow:
        """The transfer row captioned and sealed, as :meth:`loaders.rows.Captioner.flush` does."""
        names = self._find("names", "name", [t for rel, t in row.rels if rel == CATEGORY])
        quantities = self._find("quantities", "caption", [t for rel, t in row.rels if rel == QUANTITY])
        caption = transfer_caption_from(row.rels, names, quantities)  # type: ignore[arg-type]
        if caption:
            row.props["caption"] = caption
        return seal(row)

    def transfers(self, spill: Path) -> Iterator[NodeRow]:
        """The spilled transfers of one part, captioned, in their order (then the file is deleted)."""
        with spill.open("rb") as handle:
            while True:
                try:
                    row = pickle.load(handle)
                except EOFError:
                    break
                yield self.caption(row)
        spill.unlink()

    def close(self) -> None:
        self.db.close()
        self.path.unlink(missing_ok=True)
