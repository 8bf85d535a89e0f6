"""The detached store swapper, ``python -m graph.swapper`` (started by the bulk rebuild, :mod:`loaders.rebuild`):
it runs :func:`graph.storeswap.swap` in its own session, so that a ``kill -9`` of the rebuild does not stop a swap
half-way, and checks the new store's counts before the swap is final.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from graph.db import driver as open_driver
from graph.db import local_server
from graph.settings import Settings
from graph.storeswap import DATABASE, SwapFailed, alive, swap


def _main(argv: list[str] | None = None) -> int:
    """The detached swapper: ``python -m graph.swapper --settings JSON --new DIR --expect JSON --parent PID
    --result FILE``. Exit 0 swapped, 1 rolled back (the reason is in the result file)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--settings", required=True, help="graph.settings.Settings as JSON")
    parser.add_argument("--new", type=Path, required=True, help="the data directory holding the new store")
    parser.add_argument("--expect", required=True, help='{"nodes": N, "relationships": R}')
    parser.add_argument("--parent", type=int, required=True)
    parser.add_argument("--result", type=Path, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s storeswap %(levelname)s %(message)s")

    settings = Settings.model_validate_json(args.settings)
    expect = json.loads(args.expect)
    server = local_server(settings)

    def parent_alive() -> bool:
        return alive(args.parent)

    def verify() -> None:
        with open_driver(settings) as drv:
            nodes = drv.execute_query("MATCH (n) RETURN count(n) AS n", database_=DATABASE).records[0]["n"]
            rels = drv.execute_query("MATCH ()-[r]->() RETURN count(r) AS n", database_=DATABASE).records[0]["n"]
        if (nodes, rels) != (expect["nodes"], expect["relationships"]):
            raise SwapFailed(f"the new store answers with {nodes} nodes and {rels} relationships, expected "
                             f"{expect['nodes']} and {expect['relationships']}")

    try:
        timings = swap(server, args.new, verify, parent_alive)
    except SwapFailed as exc:
        args.result.write_text(json.dumps({"ok": False, "error": str(exc)}))
        return 1
    args.result.write_text(json.dumps({"ok": True, **timings}))
    return 0


if __name__ == "__main__":
    sys.exit(_main())
