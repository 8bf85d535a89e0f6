"""Loader benchmark (issue 4): the rdkg loader vs rdflib-neo4j on the same Turtle, same Neo4j, side by side.

``python -m bench.loader_bench --file bench/data/t1e5.ttl --runs 3 --config rdkg --config rdflib-neo4j:20000``

For each run (``--runs``), every config is run once, in order (interleaved, so machine noise hits all configs
alike), each in its own process (``bench.load_one``) on a freshly wiped database (``BenchInstance.wipe``). The
parent samples the child's RSS with psutil every 20 ms (peak = loader peak memory) and counts the resulting graph.
Results: one JSON line per load in ``bench/out/loader.jsonl``; the median table on stdout.

Config syntax: ``LOADER[:BATCH][+norust][+reload]`` — LOADER is ``rdkg``, ``rdkg-novalidate``, ``rdkg-rebuild``
(``rdkg rebuild --no-validate``: offline importer, schema, swap; issue 17) or ``rdflib-neo4j``; ``+norust`` hides
neo4j-rust-ext; ``+reload`` (rdkg only) loads the same file a second time in
the same process and records that re-load's time too.

Peak RSS is the sum over the loader's Python processes (the rebuild's mapping workers and swapper included; the
Java importer and Neo4j servers excluded), ``main_rss_mib`` the loader process alone. A rebuild row is followed by
a derived ``importer (floor)`` row: the importer's own seconds in that rebuild. After every rdkg load (transactional
or rebuild) the graph's full dump is hashed (``bench.server.graph_hash``, the load state's clock time left out);
the table says whether the rebuild's hash equals the transactional load's of the same file and run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from bench.server import BenchInstance, graph_counts, graph_hash

OUT_DIR = Path(__file__).resolve().parent / "out"


@dataclass(frozen=True)
class Config:
    loader: str
    batch_size: int = 0  # 0: the loader's default (rdkg: loaders.pipeline.BATCH_SIZE; rdflib-neo4j: 5000)
    rust: bool = True
    reload: bool = False

    @classmethod
    def parse(cls, text: str) -> Config:
        head, *flags = text.split("+")
        loader, _, batch = head.partition(":")
        if loader not in {"rdkg", "rdkg-novalidate", "rdkg-rebuild", "rdflib-neo4j"}:
            raise ValueError(f"unknown loader {loader!r}")
        return cls(loader, int(batch) if batch else 0, "norust" not in flags, "reload" in flags)

    @property
    def label(self) -> str:
        batch = f":{self.batch_size}" if self.batch_size else ""
        return self.loader + batch + ("" if self.rust else "+norust") + ("+reload" if self.reload else "")


def run_child(config: Config, file: Path, inst: BenchInstance) -> dict[str, Any]:
    """One load in a subprocess; returns its result with the sampled peak RSS (MiB)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        result_path = Path(tmp.name)
    cmd = [sys.executable, "-m", "bench.load_one", "--loader", config.loader, "--file", str(file),
           "--result", str(result_path), "--batch-size", str(config.batch_size),
           "--repeat", "2" if config.reload else "1", *inst.cli_args(), "--heap", inst.heap,
           "--pagecache", inst.pagecache, "--tx-memory", inst.tx_memory]
    if not config.rust:
        cmd.append("--no-rust")
    server = psutil.Process(inst.server_pid())
    server_cpu = _cpu(server)
    began = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak, main_peak, tree_cpu = _sample_peak(proc)
    stderr = proc.stderr.read() if proc.stderr else ""
    if proc.wait() != 0:
        raise RuntimeError(f"{config.label} failed:\n{stderr[-3000:]}")
    out = json.loads(result_path.read_text())
    result_path.unlink()
    out["peak_rss_mib"] = peak / 2**20
    out["main_rss_mib"] = main_peak / 2**20
    out["wall_seconds"] = time.perf_counter() - began
    try:
        out["server_cpu_seconds"] = _cpu(server) - server_cpu  # a rebuild stops it (a zombie child: times kept)
    except psutil.NoSuchProcess:
        out["server_cpu_seconds"] = 0.0
    if "stages" in out:  # a rebuild: its Python processes (interpreter start included) and its Java ones
        out["loads"][0]["cpu_seconds"] = tree_cpu["python"]  # (importer, restarted server)
        out["server_cpu_seconds"] += tree_cpu["java"]
    return out


def _cpu(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    return float(times.user + times.system)


def _sample_peak(proc: subprocess.Popen[str]) -> tuple[int, int, dict[str, float]]:
    """Peak RSS of the loader's Python process tree (summed) and of the loader process alone; the CPU seconds of
    the tree's Python and Java processes (last sample of each process)."""
    ps = psutil.Process(proc.pid)
    peak = main_peak = 0
    cpu: dict[int, tuple[str, float]] = {}
    while proc.poll() is None:
        try:
            main = ps.memory_info().rss
            children = ps.children(recursive=True)
        except psutil.NoSuchProcess:
            break
        total = main
        for child in [ps, *children]:
            try:
                kind = "java" if "java" in child.name() else "python"
                if kind == "python" and child is not ps:
                    total += child.memory_info().rss
                cpu[child.pid] = (kind, _cpu(child))
            except psutil.NoSuchProcess:
                pass
        peak, main_peak = max(peak, total), max(main_peak, main)
        time.sleep(0.02)
    tree = {kind: sum(seconds for k, seconds in cpu.values() if k == kind) for kind in ("python", "java")}
    return peak, main_peak, tree


def bench(file: Path, configs: list[Config], runs: int, inst: BenchInstance, log: Path) -> list[dict[str, Any]]:
    triples = json.loads(file.with_suffix(".json").read_text())["triples"]
    rows: list[dict[str, Any]] = []
    for run in range(1, runs + 1):
        for config in configs:
            inst.wipe()
            load_avg = os.getloadavg()[0]
            out = run_child(config, file, inst)
            with inst.driver() as drv:
                out["graph"] = graph_counts(drv)
                if config.loader.startswith("rdkg"):
                    out["graph"]["sha256"] = graph_hash(drv)
            out.update(config=config.label, file=file.name, triples=triples, run=run, code=code_version(),
                       at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                       load_average=[load_avg, os.getloadavg()[0]])
            new = [out]
            if "stages" in out:  # the importer's own time inside this rebuild: the floor
                floor = {k: v for k, v in out.items() if k not in {"stages", "down_seconds"}}
                new.append({**floor, "config": "importer (floor)", "peak_rss_mib": None, "main_rss_mib": None,
                            "server_cpu_seconds": None, "loads": [{"seconds": out["stages"]["import"]}]})
            rows += new
            with log.open("a") as fh:
                for row in new:
                    fh.write(json.dumps(row) + "\n")
            sys.stderr.write(f"[{file.name} run {run}] {config.label}: {out['loads'][0]['seconds']:.1f}s, "
                             f"peak {out['peak_rss_mib']:.0f} MiB (main {out['main_rss_mib']:.0f}), load average "
                             f"{load_avg:.1f} → {os.getloadavg()[0]:.1f}"
                             + (f", stages {json.dumps(out['stages'])}, down {out['down_seconds']:.1f}s"
                                if "stages" in out else "") + "\n")
    return rows


def code_version() -> str:
    """HEAD's short hash, plus ``+dirty`` if loaders/ or graph/ differ from it (the loader evolves under us)."""
    root = Path(__file__).resolve().parents[1]
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "loaders", "graph"], cwd=root,
                           capture_output=True, text=True)
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def _median(values: list[Any]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def summarise(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Median per (file, config): wall and CPU seconds, triples/s, peak RSS, re-load seconds, graph counts; for a
    rebuild, whether each run's graph hash equals the transactional load's (``rdkg``/``rdkg-novalidate``) of the
    same file and run."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["file"], row["config"]), []).append(row)
    hashes = {(r["file"], r["run"], r["config"]): r["graph"].get("sha256") for r in rows}
    table = []
    for (file, config), group in groups.items():
        secs = statistics.median(r["loads"][0]["seconds"] for r in group)
        client = _median([r["loads"][0].get("cpu_seconds") for r in group])
        server = _median([r.get("server_cpu_seconds") for r in group])
        reloads = [r["loads"][1]["seconds"] for r in group if len(r["loads"]) > 1]
        triples = group[0]["triples"]
        identical = None
        if config.startswith("rdkg-rebuild"):
            pairs = [(r["graph"].get("sha256"), hashes.get((file, r["run"], "rdkg-novalidate"))
                      or hashes.get((file, r["run"], "rdkg"))) for r in group]
            compared = [(a, b) for a, b in pairs if a and b]
            identical = f"{sum(a == b for a, b in compared)}/{len(compared)}" if compared else None
        stages = {k: _median([r.get("stages", {}).get(k) for r in group]) for k in group[0].get("stages", {})}
        table.append({
            "file": file, "config": config, "runs": len(group), "triples": triples,
            "seconds": secs, "triples_per_s": triples / secs,
            "client_cpu_s": client, "server_cpu_s": server,
            "triples_per_cpu_s": triples / (client + server) if client is not None and server is not None else None,
            "peak_rss_mib": _median([r["peak_rss_mib"] for r in group]),
            "main_rss_mib": _median([r.get("main_rss_mib") for r in group]),
            "reload_seconds": statistics.median(reloads) if reloads else None,
            "rust_codec": group[0]["rust_codec"], "graph": group[-1]["graph"], "identical": identical,
            "stages": stages, "down_seconds": _median([r.get("down_seconds") for r in group]),
            "load_average": [min(a for r in group for a in r.get("load_average", [math.nan])),
                             max(a for r in group for a in r.get("load_average", [math.nan]))],
        })
    return table


def _f(value: float | None, digits: int = 0) -> str:
    return "" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def _ratio(value: float | None, base: float | None) -> str:
    return f"{value / base:.2f}" if value is not None and base else ""


def markdown(table: list[dict[str, Any]], baseline: str | None) -> str:
    lines = ["| data | triples | loader | runs | wall s | triples/s | x base | loader CPU s | Neo4j CPU s | "
             "triples/CPU-s | x base | peak RSS MiB (main) | RSS / base | re-load s | nodes | rels | props | "
             "= load |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for row in table:
        base = next((r for r in table if r["file"] == row["file"] and r["config"] == baseline), None)
        g = row["graph"]
        rss = _f(row["peak_rss_mib"]) + (f" ({_f(row['main_rss_mib'])})" if row["main_rss_mib"] else "")
        lines.append(
            f"| {row['file']} | {row['triples']} | {row['config']} | {row['runs']} | {row['seconds']:.1f} | "
            f"{row['triples_per_s']:.0f} | {_ratio(row['triples_per_s'], base['triples_per_s'] if base else None)} | "
            f"{_f(row['client_cpu_s'], 1)} | {_f(row['server_cpu_s'], 1)} | {_f(row['triples_per_cpu_s'])} | "
            f"{_ratio(row['triples_per_cpu_s'], base['triples_per_cpu_s'] if base else None)} | {rss} | "
            f"{_ratio(row['peak_rss_mib'], base['peak_rss_mib'] if base else None)} | {_f(row['reload_seconds'], 1)} | "
            f"{g['nodes']} | {g['relationships']} | {g['node_properties']} | {row['identical'] or ''} |")
    stages = [row for row in table if row["stages"]]
    if stages:
        lines += ["", "| data | loader | " + " | ".join(f"{k} s" for k in stages[0]["stages"]) + " | down s | "
                  "load average |", "|---|---|" + "---:|" * (len(stages[0]["stages"]) + 2)]
        for row in stages:
            lines.append(f"| {row['file']} | {row['config']} | "
                         + " | ".join(_f(v, 1) for v in row["stages"].values())
                         + f" | {_f(row['down_seconds'], 1)} | {_f(row['load_average'][0], 1)}–"
                           f"{_f(row['load_average'][1], 1)} |")
    return "\n".join(lines) + "\n"


def read_log(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, action="append", default=[])
    parser.add_argument("--config", action="append", default=[], help="e.g. rdkg+reload, rdflib-neo4j:20000")
    parser.add_argument("--summarise", action="store_true", help="only print the table of the rows in --log")
    parser.add_argument("--since", default="", help="--summarise: only rows recorded at or after this UTC time")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", default=None, help="config label the ratios are against")
    parser.add_argument("--log", type=Path, default=OUT_DIR / "loader.jsonl")
    parser.add_argument("--instance", default="bench")
    parser.add_argument("--bolt-port", type=int, default=7697)
    parser.add_argument("--http-port", type=int, default=7484)
    parser.add_argument("--heap", default="3g", help="the bench Neo4j's heap (applied when it starts)")
    parser.add_argument("--tx-memory", default="3g", help="the bench Neo4j's db.memory.transaction.total.max")
    args = parser.parse_args(argv)
    if args.summarise:
        rows = [r for r in read_log(args.log) if r["at"] >= args.since]
        sys.stdout.write(markdown(summarise(rows), args.baseline))
        return 0
    configs = [Config.parse(c) for c in args.config]
    inst = BenchInstance(args.instance, args.bolt_port, args.http_port, heap=args.heap, tx_memory=args.tx_memory)
    inst.start()
    args.log.parent.mkdir(parents=True, exist_ok=True)
    rows = [row for file in args.file for row in bench(file, configs, args.runs, inst, args.log)]
    sys.stdout.write(markdown(summarise(rows), args.baseline or configs[-1].label))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
