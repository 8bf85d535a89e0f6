"""Query scaling (issue 8): every canned query at 1x, 100x, 1000x the curated data, through the raw driver.

``python -m bench.query_bench prepare --scale 1x=bench/data/x1.ttl --scale 100x=bench/data/x100.ttl``
loads each scale into its own bench Neo4j instance (schema first, the project's loader; synthetic copies of
already-validated data are loaded with ``validate_first=False``, the curated 1x data is validated).

``python -m bench.query_bench measure --scale 1x --scale 100x --rounds 3 --iterations 30``
runs, for each round, each query on each scale (interleaved: query-major, scale-minor) ``--iterations`` times
after 3 warm-ups, with the raw driver (``execute_query``, routed read, named database, rust codec if installed).
It prints median / p99 latency (ms) per query × scale, the rows returned (the result size must match across
scales for the comparison to mean anything), and writes each query's ``PROFILE`` plan per scale to
``bench/out/profile/<scale>/<query>.txt`` with the index operators and total db hits summarised in
``bench/out/queries.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neo4j import Driver, Query, RoutingControl

from bench.server import BenchInstance, graph_counts
from queries.registry import CannedQuery, Registry
from queries.runner import bind_text

OUT_DIR = Path(__file__).resolve().parent / "out"

#: One instance per scale (own data dir and ports). Memory grows with the scale.
INSTANCES = {
    "1x": BenchInstance("bench-1x", 7701, 7702, heap="1g", pagecache="512m", tx_memory="1g"),
    "100x": BenchInstance("bench-100x", 7703, 7704, heap="3g", pagecache="2g", tx_memory="3g"),
    "1000x": BenchInstance("bench-1000x", 7705, 7706, heap="4g", pagecache="3g", tx_memory="2g"),
    "tiny": BenchInstance("bench-tiny", 7707, 7708, heap="512m", pagecache="256m", tx_memory="512m"),
}
#: The 1000x graph is loaded in one write transaction (≈760,000 nodes, 1.57 M relationships): the instance
#: needs a large heap and transaction memory while it loads, then is restarted with ``INSTANCES['1000x']``'s
#: smaller heap for the measurements (so the three scales fit in RAM together).
LOAD_INSTANCES = {
    "1000x": BenchInstance("bench-1000x", 7705, 7706, heap="10g", pagecache="2g", tx_memory="9g"),
}

#: (case name, query name, text parameters). Every id is a curated individual, present (unchanged) in copy 0 only,
#: so the answer is the same at every scale; the "period" cases filter by date range alone and are capped by
#: their page size.
CASES: list[tuple[str, str, dict[str, str]]] = [
    ("flows PRK→RUS since 2023 (headline)", "flows", {"from": "PRK", "to": "RUS", "since": "2023-01-01"}),
    ("flows both directions 2024", "flows",
     {"from": "PRK", "to": "RUS", "both_directions": "true", "since": "2024-01-01", "until": "2024-12-31"}),
    ("flows period only 2024", "flows", {"since": "2024-01-01", "until": "2024-12-31", "limit": "50"}),
    ("flow_totals PRK→RUS", "flow_totals", {"from": "PRK", "to": "RUS", "since": "2023-01-01"}),
    ("categories", "categories", {}),
    ("claims_about transfer", "claims_about", {"id": "transfer-prk-rus-ballistic-missiles"}),
    ("entity_profile PRK", "entity_profile", {"id": "PRK"}),
    ("entity_profile person", "entity_profile", {"id": "vitaly-shulika"}),
    ("entity_search 'Shulika'", "entity_search", {"q": "Shulika"}),
    ("graph PRK,RUS expand", "graph", {"ids": "PRK,RUS", "expand": "true"}),
    ("meetings with Putin", "meetings", {"participant": "vladimir-putin"}),
    ("neighbours PRK", "neighbours", {"id": "PRK"}),
    ("node_ref", "node_ref", {"id": "vitaly-shulika"}),
    ("resolve_state 'North Korea'", "resolve_state", {"term": "North Korea"}),
    ("shortest_paths putin→kim", "shortest_paths", {"from": "vladimir-putin", "to": "kim-jong-un"}),
    ("source_document", "source_document", {"id": "source-s01"}),
    ("sources publisher Reuters", "sources", {"publisher": "Reuters"}),
    ("timeline Kim 2024", "timeline", {"participant": "kim-jong-un", "since": "2024-01-01", "until": "2024-12-31"}),
    ("timeline period only 2024", "timeline", {"since": "2024-01-01", "until": "2024-12-31"}),
    ("treaties PRK", "treaties", {"signatory": "PRK"}),
    ("votes RUS", "votes", {"voter": "RUS"}),
]


@dataclass(frozen=True)
class Case:
    name: str
    query: CannedQuery
    params: dict[str, Any]


def cases(registry: Registry, names: Iterable[str] | None = None) -> list[Case]:
    wanted = set(names) if names else None
    out = []
    for name, query_name, raw in CASES:
        if query_name not in registry or (wanted and name not in wanted and query_name not in wanted):
            continue
        query = registry.get(query_name)
        out.append(Case(name, query, bind_text(query, raw)))
    return out


def run_raw(drv: Driver, case: Case, database: str = "neo4j") -> int:
    """Run the case once; returns the result size (records, or the ``items`` of a one-record page)."""
    records, _, _ = drv.execute_query(Query(case.query.text), case.params,  # type: ignore[arg-type]
                                      routing_=RoutingControl.READ, database_=database)
    if len(records) == 1 and isinstance(records[0].get("items"), list):
        return len(records[0]["items"])
    return len(records)


def time_case(drv: Driver, case: Case, iterations: int, warmup: int = 3,
              database: str = "neo4j") -> tuple[list[float], int]:
    rows = 0
    for _ in range(warmup):
        rows = run_raw(drv, case, database)
    samples = []
    for _ in range(iterations):
        began = time.perf_counter()
        rows = run_raw(drv, case, database)
        samples.append((time.perf_counter() - began) * 1000)
    return samples, rows


def profile(drv: Driver, case: Case, database: str = "neo4j") -> dict[str, Any]:
    _, summary, _ = drv.execute_query(Query("PROFILE " + case.query.text), case.params,  # type: ignore[arg-type]
                                      routing_=RoutingControl.READ, database_=database)
    plan = summary.profile or {}
    ops: list[str] = []
    hits = _walk(plan, ops)
    return {"db_hits": hits, "operators": ops, "text": _render(plan)}


def _walk(plan: dict[str, Any], ops: list[str]) -> int:
    ops.append(plan.get("operatorType", "?").split("@")[0])
    total = int(plan.get("dbHits", 0))
    for child in plan.get("children", []):
        total += _walk(child, ops)
    return total


def _render(plan: dict[str, Any], depth: int = 0) -> str:
    args = plan.get("args", {})
    detail = args.get("Details", "")
    line = (f"{'  ' * depth}{plan.get('operatorType', '?').split('@')[0]}  rows={plan.get('rows', '?')} "
            f"dbHits={plan.get('dbHits', '?')}  {detail}")
    return "\n".join([line, *(_render(c, depth + 1) for c in plan.get("children", []))])


INDEX_OPS = ("NodeIndexSeek", "NodeUniqueIndexSeek", "NodeIndexSeekByRange", "NodeIndexContainsScan",
             "NodeIndexScan", "NodeUniqueIndexSeekByRange", "MultiNodeIndexSeek", "IntersectionNodeByLabelsScan")


def prepare(scales: dict[str, Path]) -> None:
    from graph.schema import apply_schema
    from loaders.pipeline import load

    for scale, file in scales.items():
        inst = LOAD_INSTANCES.get(scale, INSTANCES[scale])
        if scale in LOAD_INSTANCES:
            inst.stop()  # restart with the load's memory settings
        inst.start()
        inst.wipe()
        with inst.driver() as drv:
            apply_schema(drv, "neo4j")
            began = time.perf_counter()
            result = load(drv, "neo4j", [file], validate_first=scale in ("1x", "tiny"))
            seconds = time.perf_counter() - began
            counts = graph_counts(drv)
        sys.stderr.write(f"{scale}: {result.triples} triples in {seconds:.1f}s → {counts}\n")
        record = {"scale": scale, "file": str(file), "triples": result.triples, "load_seconds": seconds, **counts}
        (OUT_DIR / f"prepared-{scale}.json").write_text(json.dumps(record, indent=2) + "\n")
        if scale in LOAD_INSTANCES:
            inst.stop()
            INSTANCES[scale].start()


def measure(scales: list[str], rounds: int, iterations: int, only: list[str] | None) -> dict[str, Any]:
    registry = Registry.load()
    todo = cases(registry, only)
    drivers = {s: INSTANCES[s].driver() for s in scales}
    samples: dict[tuple[str, str], list[float]] = defaultdict(list)
    rows: dict[tuple[str, str], int] = {}
    try:
        for _ in range(rounds):
            for case in todo:
                for scale in scales:
                    got, n = time_case(drivers[scale], case, iterations)
                    samples[(case.name, scale)] += got
                    rows[(case.name, scale)] = n
        profiles = {(c.name, s): profile(drivers[s], c) for c in todo for s in scales}
    finally:
        for drv in drivers.values():
            drv.close()
    return report(todo, scales, samples, rows, profiles)


def report(todo: list[Case], scales: list[str], samples: dict[tuple[str, str], list[float]],
           rows: dict[tuple[str, str], int], profiles: dict[tuple[str, str], dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"scales": scales, "cases": []}
    for case in todo:
        entry: dict[str, Any] = {"case": case.name, "query": case.query.name, "params": _jsonable(case.params)}
        for scale in scales:
            got = sorted(samples[(case.name, scale)])
            prof = profiles[(case.name, scale)]
            slug = case.name.split(" (")[0].replace(" ", "_").replace("'", "").replace("→", "-")
            path = OUT_DIR / "profile" / scale / f"{slug}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"-- {case.name} at {scale}; params {entry['params']}\n{prof['text']}\n")
            entry[scale] = {
                "median_ms": statistics.median(got), "p99_ms": got[min(len(got) - 1, int(len(got) * 0.99))],
                "n": len(got), "rows": rows[(case.name, scale)], "db_hits": prof["db_hits"],
                "index_ops": sorted({op for op in prof["operators"] if op in INDEX_OPS}),
                "scans": sorted({op for op in prof["operators"] if op in ("AllNodesScan", "NodeByLabelScan")}),
            }
        out["cases"].append(entry)
    return out


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in params.items()}


def markdown(result: dict[str, Any]) -> str:
    scales = result["scales"]
    base = scales[0]
    head = "| query | " + " | ".join(f"{s} median / p99 ms (result size, db hits)" for s in scales)
    head += "".join(f" | {s} / {base} median" for s in scales[1:]) + " | index operators (largest scale) |"
    sep = "|---|" + "---:|" * (len(scales) + len(scales) - 1) + "---|"
    lines = [head, sep]
    for entry in result["cases"]:
        cells = [f"{entry[s]['median_ms']:.1f} / {entry[s]['p99_ms']:.1f} ({entry[s]['rows']}, {entry[s]['db_hits']})"
                 for s in scales]
        ratios = [f"{entry[s]['median_ms'] / entry[base]['median_ms']:.2f}" for s in scales[1:]]
        last = entry[scales[-1]]
        ops = ", ".join(last["index_ops"]) + (f"; scans: {', '.join(last['scans'])}" if last["scans"] else "")
        lines.append(f"| {entry['case']} | " + " | ".join(cells + ratios) + f" | {ops} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    prep = sub.add_parser("prepare")
    prep.add_argument("--scale", action="append", required=True, help="SCALE=FILE, e.g. 100x=bench/data/x100.ttl")
    meas = sub.add_parser("measure")
    meas.add_argument("--scale", action="append", required=True)
    meas.add_argument("--rounds", type=int, default=3)
    meas.add_argument("--iterations", type=int, default=30)
    meas.add_argument("--only", action="append", help="case or query names")
    meas.add_argument("--out", type=Path, default=OUT_DIR / "queries.json")
    args = parser.parse_args(argv)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    if args.cmd == "prepare":
        prepare({k: Path(v) for k, v in (s.split("=", 1) for s in args.scale)})
        return 0
    for scale in args.scale:
        INSTANCES[scale].start()
    result = measure(args.scale, args.rounds, args.iterations, args.only)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    sys.stdout.write(markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
