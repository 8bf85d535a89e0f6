"""Loader benchmark (issue 4): the rdkg loader vs rdflib-neo4j on the same Turtle, same Neo4j, side by side.

``python -m bench.loader_bench --file bench/data/t1e5.ttl --runs 3 --config rdkg --config rdflib-neo4j:20000``

For each run (``--runs``), every config is run once, in order (interleaved, so machine noise hits all configs
alike), each in its own process (``bench.load_one``) on a freshly wiped database (``BenchInstance.wipe``). The
parent samples the child's RSS with psutil every 20 ms (peak = loader peak memory) and counts the resulting graph.
Results: one JSON line per load in ``bench/out/loader.jsonl``; the median table on stdout.

Config syntax: ``LOADER[:BATCH][+norust][+reload]`` — LOADER is ``rdkg``, ``rdkg-novalidate`` or
``rdflib-neo4j``; ``+norust`` hides neo4j-rust-ext; ``+reload`` (rdkg only) loads the same file a second time in
the same process and records that re-load's time too.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from bench.server import BenchInstance, graph_counts

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
        if loader not in {"rdkg", "rdkg-novalidate", "rdflib-neo4j"}:
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
           "--repeat", "2" if config.reload else "1", *inst.cli_args()]
    if not config.rust:
        cmd.append("--no-rust")
    server = psutil.Process(inst.server_pid())
    server_cpu = _cpu(server)
    began = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = _sample_peak(proc)
    stderr = proc.stderr.read() if proc.stderr else ""
    if proc.wait() != 0:
        raise RuntimeError(f"{config.label} failed:\n{stderr[-3000:]}")
    out = json.loads(result_path.read_text())
    result_path.unlink()
    out["peak_rss_mib"] = peak / 2**20
    out["wall_seconds"] = time.perf_counter() - began
    out["server_cpu_seconds"] = _cpu(server) - server_cpu
    return out


def _cpu(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    return float(times.user + times.system)


def _sample_peak(proc: subprocess.Popen[str]) -> int:
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            peak = max(peak, ps.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.02)
    return peak


def bench(file: Path, configs: list[Config], runs: int, inst: BenchInstance, log: Path) -> list[dict[str, Any]]:
    triples = json.loads(file.with_suffix(".json").read_text())["triples"]
    rows: list[dict[str, Any]] = []
    for run in range(1, runs + 1):
        for config in configs:
            inst.wipe()
            out = run_child(config, file, inst)
            with inst.driver() as drv:
                out["graph"] = graph_counts(drv)
            out.update(config=config.label, file=file.name, triples=triples, run=run, code=code_version(),
                       at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
            rows.append(out)
            with log.open("a") as fh:
                fh.write(json.dumps(out) + "\n")
            sys.stderr.write(f"[{file.name} run {run}] {config.label}: {out['loads'][0]['seconds']:.1f}s, "
                             f"peak {out['peak_rss_mib']:.0f} MiB\n")
    return rows


def code_version() -> str:
    """HEAD's short hash, plus ``+dirty`` if loaders/ or graph/ differ from it (the loader evolves under us)."""
    root = Path(__file__).resolve().parents[1]
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "loaders", "graph"], cwd=root,
                           capture_output=True, text=True)
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def summarise(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Median per (file, config): wall and CPU seconds, triples/s, peak RSS, re-load seconds, graph counts."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["file"], row["config"]), []).append(row)
    table = []
    for (file, config), group in groups.items():
        secs = statistics.median(r["loads"][0]["seconds"] for r in group)
        client = statistics.median(r["loads"][0].get("cpu_seconds", float("nan")) for r in group)
        server = statistics.median(r.get("server_cpu_seconds", float("nan")) for r in group)
        reloads = [r["loads"][1]["seconds"] for r in group if len(r["loads"]) > 1]
        triples = group[0]["triples"]
        table.append({
            "file": file, "config": config, "runs": len(group), "triples": triples,
            "seconds": secs, "triples_per_s": triples / secs,
            "client_cpu_s": client, "server_cpu_s": server, "triples_per_cpu_s": triples / (client + server),
            "peak_rss_mib": statistics.median(r["peak_rss_mib"] for r in group),
            "reload_seconds": statistics.median(reloads) if reloads else None,
            "rust_codec": group[0]["rust_codec"], "graph": group[-1]["graph"],
        })
    return table


def markdown(table: list[dict[str, Any]], baseline: str | None) -> str:
    lines = ["| data | triples | loader | runs | wall s | triples/s | x base | loader CPU s | Neo4j CPU s | "
             "triples/CPU-s | x base | peak RSS MiB | RSS / base | re-load s | nodes | rels | props |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in table:
        base = next((r for r in table if r["file"] == row["file"] and r["config"] == baseline), None)
        ratio = f"{row['triples_per_s'] / base['triples_per_s']:.2f}" if base else ""
        cpu_ratio = f"{row['triples_per_cpu_s'] / base['triples_per_cpu_s']:.2f}" if base else ""
        mem = f"{row['peak_rss_mib'] / base['peak_rss_mib']:.2f}" if base else ""
        reload = f"{row['reload_seconds']:.1f}" if row["reload_seconds"] is not None else ""
        g = row["graph"]
        lines.append(
            f"| {row['file']} | {row['triples']} | {row['config']} | {row['runs']} | {row['seconds']:.1f} | "
            f"{row['triples_per_s']:.0f} | {ratio} | {row['client_cpu_s']:.1f} | {row['server_cpu_s']:.1f} | "
            f"{row['triples_per_cpu_s']:.0f} | {cpu_ratio} | {row['peak_rss_mib']:.0f} | {mem} | {reload} | "
            f"{g['nodes']} | {g['relationships']} | {g['node_properties']} |")
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
