"""One load, in its own process, so its peak memory is its own (``python -m bench.load_one``).

Run by ``bench.loader_bench`` (which samples this process's RSS with psutil); writes a JSON result file:
the seconds of the load itself (imports and interpreter start-up excluded), the kernel's peak RSS
(``ru_maxrss``) as a cross-check, and whether the neo4j-rust-ext codec was active.

Loaders:
- ``rdkg``: the project's loader, ``loaders.pipeline.load`` (SHACL validation first), after ``apply_schema``;
- ``rdkg-novalidate``: the same with ``validate_first=False``;
- ``rdkg-rebuild``: ``rdkg rebuild`` (:func:`loaders.rebuild.rebuild`, ``validate_first=False``): map to the
  importer's files (both cores), ``neo4j-admin database import``, swap into the bench instance (which restarts on
  the new store), schema online and checked there; the result carries the stage seconds (``import`` = the
  importer's own time, the floor), the seconds the instance did not answer and the swapper's timings;
- ``rdflib-neo4j``: neo4j-labs' rdflib store (``Neo4jStore``), batching on, ``--batch-size`` triples per flush,
  vocabulary IRIs reduced to local names (``HANDLE_VOCAB_URI_STRATEGY.IGNORE``, the closest to our mapping).
``--no-rust`` hides the neo4j-rust-ext codec before the driver is imported (the driver then uses pure Python).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any


def _hide_rust_codec() -> None:
    sys.modules["neo4j._codec.packstream._rust"] = None  # type: ignore[assignment]  # import → ImportError


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def rust_active() -> bool:
    from neo4j._codec.packstream import v1

    return getattr(v1, "_rust_pack", None) is not None


def load_rdkg(args: argparse.Namespace, validate_first: bool) -> dict[str, Any]:
    from bench.server import instance_from_args
    from graph.schema import apply_schema
    from loaders.pipeline import load

    inst = instance_from_args(args.instance, args.bolt_port, args.http_port)
    with inst.driver() as drv:
        began = time.perf_counter()
        apply_schema(drv, "neo4j")
        schema_s = time.perf_counter() - began
        out: dict[str, Any] = {"schema_seconds": schema_s, "loads": []}
        for _ in range(args.repeat):
            began, cpu = time.perf_counter(), cpu_seconds()
            result = load(drv, "neo4j", [args.file], validate_first=validate_first,
                          **({"batch_size": args.batch_size} if args.batch_size else {}))
            out["loads"].append({"seconds": time.perf_counter() - began, "cpu_seconds": cpu_seconds() - cpu,
                                 "triples": result.triples, "created": result.nodes_created,
                                 "unchanged": result.nodes_unchanged})
    return out


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load_rebuild(args: argparse.Namespace) -> dict[str, Any]:
    from bench.server import BenchInstance
    from loaders.rebuild import rebuild

    # the swap restarts the instance: with its own memory settings, not the defaults
    inst = BenchInstance(args.instance, args.bolt_port, args.http_port, heap=args.heap, pagecache=args.pagecache,
                         tx_memory=args.tx_memory)
    began, cpu, child_cpu = time.perf_counter(), cpu_seconds(), children_cpu_seconds()
    result = rebuild(inst.settings(), [args.file], validate_first=False)
    seconds = time.perf_counter() - began
    # children: the mapping workers, the importer and the swapper (waited for); not the restarted server's JVM
    return {"schema_seconds": result.seconds.get("schema", 0.0),
            "loads": [{"seconds": seconds, "cpu_seconds": cpu_seconds() - cpu,
                       "children_cpu_seconds": children_cpu_seconds() - child_cpu, "triples": result.triples,
                       "created": result.nodes}],
            "stages": result.seconds, "down_seconds": result.down_seconds, "swap_seconds": result.swap_seconds,
            "workers": result.workers,
            "parts": result.parts}


def load_rdflib_neo4j(args: argparse.Namespace) -> dict[str, Any]:
    from rdflib import Graph
    from rdflib_neo4j import HANDLE_VOCAB_URI_STRATEGY, Neo4jStore, Neo4jStoreConfig

    from bench.server import instance_from_args

    inst = instance_from_args(args.instance, args.bolt_port, args.http_port)
    auth = {"uri": inst.settings().bolt_uri, "database": "neo4j", "user": "neo4j", "pwd": inst.password()}
    config = Neo4jStoreConfig(auth_data=auth, handle_vocab_uri_strategy=HANDLE_VOCAB_URI_STRATEGY.IGNORE,
                              batching=True, batch_size=args.batch_size or 5000)
    began, cpu = time.perf_counter(), cpu_seconds()
    graph = Graph(store=Neo4jStore(config=config))
    graph.parse(args.file, format="turtle")
    graph.close(True)
    return {"schema_seconds": 0.0,
            "loads": [{"seconds": time.perf_counter() - began, "cpu_seconds": cpu_seconds() - cpu}]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--loader", choices=["rdkg", "rdkg-novalidate", "rdkg-rebuild", "rdflib-neo4j"],
                        required=True)
    parser.add_argument("--file", type=Path, required=True)
    parser.add_argument("--result", type=Path, required=True)
    parser.add_argument("--instance", default="bench")
    parser.add_argument("--bolt-port", type=int, default=7697)
    parser.add_argument("--http-port", type=int, default=7484)
    parser.add_argument("--heap", default="3g", help="rdkg-rebuild: the instance's memory when it restarts")
    parser.add_argument("--pagecache", default="2g")
    parser.add_argument("--tx-memory", default="3g")
    parser.add_argument("--batch-size", type=int, default=0, help="0: the loader's default")
    parser.add_argument("--repeat", type=int, default=1, help="rdkg: load the same file again (re-load time)")
    parser.add_argument("--no-rust", action="store_true")
    args = parser.parse_args(argv)
    if args.no_rust:
        _hide_rust_codec()
    if args.loader == "rdflib-neo4j":
        out = load_rdflib_neo4j(args)
    elif args.loader == "rdkg-rebuild":
        out = load_rebuild(args)
    else:
        out = load_rdkg(args, validate_first=args.loader == "rdkg")
    out["rust_codec"] = rust_active()
    out["ru_maxrss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    args.result.write_text(json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
