"""The detached store swapper, ``python -m loaders.swapper`` (started by the bulk rebuild, :mod:`loaders.rebuild`):
it runs :func:`graph.storeswap.swap` in its own session, so that a ``kill -9`` of the rebuild does not stop a swap
half-way. Its ``verify`` is the rebuild's last stage, on the managed server now started on the new store (the only
Neo4j start a rebuild needs): the constraints and indexes are created and brought online
(:func:`graph.schema.apply_schema`), then the check — the loader's fingerprint and counts, the per-label and
per-type counts of the mapping (:func:`check_graph`) and the total node and relationship counts. Any failure puts
the old store back.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

from neo4j import Driver

from graph.db import driver as open_driver
from graph.db import local_server
from graph.schema import apply_schema
from graph.server import LocalNeo4j, port_open
from graph.settings import Settings
from graph.storeswap import DATABASE, SwapFailed, alive, swap
from loaders import loadstate


def _counts(tx: Any, cypher: str) -> dict[str, int]:
    return {r["k"]: r["n"] for r in tx.run(cypher)}


def check_graph(drv: Driver, print_: str, labels: dict[str, int], relationships: dict[str, int]) -> None:
    """The loader's fingerprint check (:func:`loaders.loadstate.read_unchanged`) and the per-label and per-type
    counts; raises :class:`graph.storeswap.SwapFailed` naming the first difference."""
    with drv.session(database=DATABASE) as session:
        stored = session.execute_read(loadstate.read_unchanged, print_)
        found_labels = session.execute_read(_counts, "MATCH (n:Rdkg) UNWIND labels(n) AS k RETURN k, count(*) AS n")
        found_rels = session.execute_read(_counts, "MATCH (:Rdkg)-[r]->() RETURN type(r) AS k, count(*) AS n")
    if stored is None:
        raise SwapFailed("the new store does not carry the loader's fingerprint and counts")
    for what, expected, found in (("label", labels, found_labels), ("relationship type", relationships, found_rels)):
        if expected != found:
            diff = sorted(k for k in {*expected, *found} if expected.get(k) != found.get(k))
            raise SwapFailed(f"{what} counts differ from the mapping's: " + ", ".join(
                f"{k}: {found.get(k, 0)} (expected {expected.get(k, 0)})" for k in diff[:5]))


def schema_and_check(drv: Driver, expect: dict[str, Any]) -> None:
    """Constraints and indexes online, then :func:`check_graph` and the total counts (``expect``: see ``_main``)."""
    apply_schema(drv, DATABASE)
    check_graph(drv, expect["fingerprint"], expect["labels"], expect["relationships"])
    nodes = drv.execute_query("MATCH (n) RETURN count(n) AS n", database_=DATABASE).records[0]["n"]
    rels = drv.execute_query("MATCH ()-[r]->() RETURN count(r) AS n", database_=DATABASE).records[0]["n"]
    if (nodes, rels) != (expect["nodes"], expect["total_relationships"]):
        raise SwapFailed(f"the new store answers with {nodes} nodes and {rels} relationships, expected "
                         f"{expect['nodes']} and {expect['total_relationships']}")


def _hold(server: LocalNeo4j, parent: int, marker: Path | None) -> None:
    """Tests (``RDKG_REBUILD_PAUSE_AT=schema``): hold the schema stage — the server answering on the new store —
    until the rebuild or the server is killed; ``marker`` gets "schema <swapper pid>"."""
    if marker:
        Path(marker).write_text(f"schema {os.getpid()}\n")
    while alive(parent) and port_open(server.bolt_port):
        time.sleep(0.1)


def _main(argv: list[str] | None = None) -> int:
    """``python -m loaders.swapper --settings JSON --new DIR --expect FILE --parent PID --result FILE``. The expect
    file: ``{"fingerprint", "labels", "relationships", "nodes", "total_relationships"}``. Exit 0 swapped, 1 rolled
    back (the reason and the phase are in the result file)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--settings", required=True, help="graph.settings.Settings as JSON")
    parser.add_argument("--new", type=Path, required=True, help="the data directory holding the new store")
    parser.add_argument("--expect", type=Path, required=True, help="JSON file: what the new store must hold")
    parser.add_argument("--parent", type=int, required=True)
    parser.add_argument("--result", type=Path, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s storeswap %(levelname)s %(message)s")

    settings = Settings.model_validate_json(args.settings)
    expect = json.loads(args.expect.read_text())
    server = local_server(settings)

    def verify() -> None:
        if settings.rebuild_pause_at == "schema":
            _hold(server, args.parent, settings.rebuild_pause_file)
        with open_driver(settings) as drv:
            schema_and_check(drv, expect)

    try:
        timings = swap(server, args.new, verify, lambda: alive(args.parent))
    except SwapFailed as exc:
        args.result.write_text(json.dumps({"ok": False, "error": str(exc), "phase": exc.phase}))
        return 1
    args.result.write_text(json.dumps({"ok": True, **timings}))
    return 0


if __name__ == "__main__":
    sys.exit(_main())
