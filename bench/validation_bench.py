"""Time ``loaders.validation.validate`` in this (fresh) process: wall, CPU and peak RSS, as one JSON line.

    python -m bench.validation_bench --engine turbo bench/data/t1e5.ttl
    python -m bench.validation_bench --engine pyshacl bench/data/t1e5.ttl

The ontology and shapes are parsed (and cached) before the clock starts, so the figure is the per-call cost:
parse the data, build the merged graph, the native model checks, the SHACL engine, the report. Peak RSS is the
process's high-water mark (``ru_maxrss``), interpreter and ontology included. Run one measurement per process.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import time
from pathlib import Path

from loaders import inputs, validation


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=validation.ENGINES, default=validation.DEFAULT_ENGINE)
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args()
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)  # ill-typed literals are reported by SHACL
    inputs.shapes_graph()
    inputs.model_graph()
    before = resource.getrusage(resource.RUSAGE_SELF)
    began = time.perf_counter()
    report = validation.validate(args.paths, engine=args.engine)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(json.dumps({
        "engine": args.engine,
        "paths": [str(p) for p in args.paths],
        "data_triples": report.data_triples,
        "conforms": report.conforms,
        "violations": len(report.violations),
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "peak_rss_mib": after.ru_maxrss // 1024,
        "load_avg_1min": round(os.getloadavg()[0], 1),
        "utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }))


if __name__ == "__main__":
    main()
