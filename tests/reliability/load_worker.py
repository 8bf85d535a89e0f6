"""A loader process for the interrupted-load tests (``python -m tests.reliability.load_worker PATH...``).

It runs the real ``loaders.pipeline.load`` against the Neo4j in the environment (``NEO4J_URI``,
``NEO4J_PASSWORD``, ``NEO4J_DATABASE`` — never on the command line) and reports on stdout, one line each:
``ready`` before it starts, ``step DONE TOTAL LABEL`` after every batch statement (the loader's ``progress``
hook), and ``loaded`` after the commit. The test kills it (SIGKILL) at a chosen line or while a batch runs.

- ``--batch-size N`` shrinks the loader's batches so the load has many of them;
- ``--hold-at-end`` blocks after the last batch, before the commit: the transaction holds every write, and a
  kill there is the latest point at which a load can die uncommitted.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from graph.db import driver as open_driver
from graph.settings import Settings
from loaders import pipeline


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--batch-size", type=int, default=pipeline.BATCH_SIZE)
    parser.add_argument("--hold-at-end", action="store_true")
    args = parser.parse_args(argv)

    def progress(step: str, done: int, total: int) -> None:
        _say(f"step {done} {total} {step}")
        if args.hold_at_end and done == total:
            time.sleep(3600)

    settings = Settings()
    with open_driver(settings) as drv:
        _say("ready")
        pipeline.load(drv, settings.neo4j_database, args.paths, progress=progress, batch_size=args.batch_size)
    _say("loaded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
