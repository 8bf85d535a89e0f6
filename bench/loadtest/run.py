"""Bounded loopback load test of the API: a dashboard's request mix at increasing concurrency (issue 7).

``python -m bench.loadtest.run --steps 1,2,4,8,16,32 --seconds 20``

Starts ``rdkg serve`` (one uvicorn process, as deployed) on a free loopback port against the Neo4j in the
environment (``NEO4J_URI``/``NEO4J_PASSWORD``, or the managed local server; the curated graph must be loaded) —
or, with ``--instance NAME``, against a managed Neo4j of its own (started on free ports, schema applied, ``data/``
loaded, stopped at the end), so nothing else can change the graph during the run. Then, for each concurrency
step, it runs that many closed-loop clients for ``--seconds`` (at most 60) after a short warm-up (and, before
the first step, ``--prewarm`` seconds of the mix at 4 clients: a fresh server and Neo4j are cold). Each client
keeps one HTTP/1.1 keep-alive connection and draws requests from the dashboard mix below (seeded). Per step:
requests, throughput, p50/p90/p99/max latency, errors (any non-200 or transport failure) and the ratios against
the concurrency-1 step, the baseline run in the same session. Results go to ``bench/out/loadtest.json`` and a
Markdown table on stdout.

The load generator shares the machine with the server and Neo4j: on 2 cores, the figures are a floor.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
OUT = REPO_ROOT / "bench" / "out" / "loadtest.json"
MAX_STEP_SECONDS = 60.0

#: (weight, URL): what a dashboard on the RU-DPRK relationship polls — the headline flows table, the chart
#: totals, the search box, the timeline widget and the claims panel for a selected node.
MIX: list[tuple[int, str]] = [
    (25, "/flows?from=PRK&to=RUS&since=2023-01-01"),
    (10, "/flows?from=RUS&to=PRK&since=2023-01-01"),
    (15, "/flows/summary?from=PRK&to=RUS"),
    (5, "/entities?q=shoigu"),
    (5, "/entities?q=kim"),
    (5, "/entities?q=kursk"),
    (15, "/timeline?since=2024-01-01&limit=50"),
    (10, "/claims?about=PRK"),
    (10, "/claims?about=RUS"),
]


@dataclass
class Step:
    concurrency: int
    seconds: float
    requests: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list, repr=False)

    def summary(self) -> dict[str, float | int | list[str]]:
        lat = sorted(self.latencies_ms) or [0.0]
        return {
            "concurrency": self.concurrency, "seconds": round(self.seconds, 1), "requests": self.requests,
            "throughput_rps": round(self.requests / self.seconds, 1), "p50_ms": round(_pct(lat, 50), 1),
            "p90_ms": round(_pct(lat, 90), 1), "p99_ms": round(_pct(lat, 99), 1), "max_ms": round(lat[-1], 1),
            "mean_ms": round(statistics.fmean(lat), 1), "errors": self.errors, "error_samples": self.error_samples,
        }


def _pct(values: list[float], pct: float) -> float:
    index = min(len(values) - 1, max(0, round(pct / 100 * len(values) + 0.5) - 1))
    return values[index]


class Connection:
    """A minimal HTTP/1.1 keep-alive GET client on asyncio streams (small client overhead on a shared CPU)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n".encode())
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        else:
            await self._chunks()
        return status

    async def _chunks(self) -> None:
        assert self.reader is not None
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await self.reader.readexactly(size + 2)
            if size == 0:
                return

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def run_step(port: int, concurrency: int, seconds: float, warmup: float, seed: int) -> Step:
    urls = [url for weight, url in MIX for _ in range(weight)]
    step = Step(concurrency, seconds)
    measuring = asyncio.Event()
    stop = time.monotonic() + warmup + seconds

    async def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        conn = Connection(port)
        try:
            while time.monotonic() < stop:
                url = rng.choice(urls)
                began = time.perf_counter()
                try:
                    status = await conn.get(url)
                except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    status, detail = 0, f"{type(exc).__name__}: {exc}"
                    await conn.close()
                else:
                    detail = f"HTTP {status}"
                elapsed = (time.perf_counter() - began) * 1000
                if measuring.is_set() and time.monotonic() < stop:
                    step.requests += 1
                    step.latencies_ms.append(elapsed)
                    if status != 200:
                        step.errors += 1
                        if len(step.error_samples) < 5:
                            step.error_samples.append(f"{url}: {detail}")
        finally:
            await conn.close()

    async def start_measuring() -> None:
        await asyncio.sleep(warmup)
        measuring.set()

    await asyncio.gather(start_measuring(), *(client(n) for n in range(concurrency)))
    return step


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, env: dict[str, str] | None = None, log_path: Path | None = None) -> subprocess.Popen[bytes]:
    """``rdkg serve`` on 127.0.0.1:``port`` (Neo4j settings from ``env``, default this process's environment)."""
    env = {**(env if env is not None else os.environ), "RDKG_API_PORT": str(port), "RDKG_API_HOST": "127.0.0.1"}
    log_path = log_path or OUT.with_name("loadtest-server.log")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "wb")  # noqa: SIM115 — lives as long as the server
    return subprocess.Popen([sys.executable, "-m", "rdkg", "serve"], cwd=REPO_ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)


async def wait_ready(port: int, proc: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the API exited (code {proc.returncode}); see {OUT.with_name('loadtest-server.log')}")
        try:
            conn = Connection(port)
            status = await conn.get("/ready")
            await conn.close()
            if status == 200:
                return
        except OSError:
            pass
        await asyncio.sleep(0.5)
    raise SystemExit("the API did not become ready (is Neo4j up and the curated graph loaded?)")


def table(rows: list[dict]) -> str:  # type: ignore[type-arg]
    base = rows[0]
    lines = ["| clients | requests | req/s | x c1 | p50 ms | p90 ms | p99 ms | max ms | p99/p50 | errors |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        ratio = r["p99_ms"] / r["p50_ms"] if r["p50_ms"] else 0.0
        lines.append(f"| {r['concurrency']} | {r['requests']} | {r['throughput_rps']} | "
                     f"{r['throughput_rps'] / base['throughput_rps']:.2f} | {r['p50_ms']} | {r['p90_ms']} | "
                     f"{r['p99_ms']} | {r['max_ms']} | {ratio:.2f} | {r['errors']} |")
    return "\n".join(lines)


def sustained(rows: list[dict]) -> dict | None:  # type: ignore[type-arg]
    """The highest step with 0 errors and p99 within 4x p50 (the issue's target)."""
    good = [r for r in rows if r["errors"] == 0 and r["p50_ms"] and r["p99_ms"] <= 4 * r["p50_ms"]]
    return good[-1] if good else None


def own_neo4j(name: str) -> dict[str, str]:
    """Start a managed Neo4j instance ``name`` on free ports with the curated graph; returns the server's env."""
    from graph.db import driver, local_server
    from graph.schema import apply_schema
    from graph.settings import Settings
    from loaders.pipeline import load

    settings = Settings(neo4j_uri=None, neo4j_password=None, local_instance=name, local_bolt_port=free_port(),
                        local_http_port=free_port(), local_heap="1g", local_pagecache="512m", local_tx_memory="1g")
    local_server(settings).start()
    with driver(settings) as drv:
        apply_schema(drv, settings.neo4j_database)
        load(drv, settings.neo4j_database, [settings.data_dir])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "RDKG_NEO4J_"))}
    env.update({"RDKG_NEO4J_INSTANCE": name, "RDKG_NEO4J_BOLT_PORT": str(settings.local_bolt_port),
                "RDKG_NEO4J_HTTP_PORT": str(settings.local_http_port)})
    return env


def stop_own_neo4j(env: dict[str, str]) -> None:
    from graph.db import local_server
    from graph.settings import Settings

    settings = Settings(neo4j_uri=None, local_instance=env["RDKG_NEO4J_INSTANCE"],
                        local_bolt_port=int(env["RDKG_NEO4J_BOLT_PORT"]),
                        local_http_port=int(env["RDKG_NEO4J_HTTP_PORT"]))
    local_server(settings).stop()


async def main_async(args: argparse.Namespace, env: dict[str, str] | None) -> list[dict]:  # type: ignore[type-arg]
    port = args.port or free_port()
    proc = None if args.port else start_server(port, env)
    try:
        await wait_ready(port, proc) if proc else None
        if args.prewarm > 0:  # a fresh server and Neo4j are cold (JIT, page cache, plan cache): not a baseline
            await run_step(port, 4, args.prewarm, 0.0, args.seed + 1)
        rows = []
        for concurrency in args.steps:
            step = await run_step(port, concurrency, args.seconds, args.warmup, args.seed)
            rows.append(step.summary())
            sys.stderr.write(f"c={concurrency}: {rows[-1]['throughput_rps']} req/s, p50 {rows[-1]['p50_ms']} ms, "
                             f"p99 {rows[-1]['p99_ms']} ms, errors {rows[-1]['errors']}\n")
        return rows
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2, 4, 8, 16, 32])
    parser.add_argument("--seconds", type=float, default=20.0, help=f"per step, at most {MAX_STEP_SECONDS:.0f}")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds at the start of each step")
    parser.add_argument("--prewarm", type=float, default=20.0, help="unmeasured seconds of the mix before step 1")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--port", type=int, default=0, help="use an API already serving on this loopback port")
    parser.add_argument("--instance", default="", help="run against an own managed Neo4j instance of this name")
    args = parser.parse_args(argv)
    if not 0 < args.seconds <= MAX_STEP_SECONDS:
        parser.error(f"--seconds must be in (0, {MAX_STEP_SECONDS:.0f}]")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    env = own_neo4j(args.instance) if args.instance else None
    try:
        rows = asyncio.run(main_async(args, env))
    finally:
        if env is not None:
            stop_own_neo4j(env)
    best = sustained(rows)
    result = {"mix": MIX, "seconds_per_step": args.seconds, "cpus": os.cpu_count(),
              "load_average_after": os.getloadavg(), "steps": rows,
              "highest_step_meeting_target": best["concurrency"] if best else None}
    OUT.write_text(json.dumps(result, indent=2))
    sys.stdout.write(table(rows) + "\n")
    sys.stdout.write(f"highest concurrency with 0 errors and p99 <= 4x p50: "
                     f"{best['concurrency'] if best else 'none'}\n")
    return 0 if best is not None else 1


if __name__ == "__main__":
    sys.exit(main())
