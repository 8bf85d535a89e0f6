"""API overhead (issue 8): the same queries through the API, through a naive API and through the raw driver.

``python -m bench.api_bench --rounds 3 --c1-requests 200 --c32-seconds 5``

Starts the servers it compares (``bench.serve``, all on loopback against one bench Neo4j, ``--scale``, default the
1x instance ``bench-1x``; run ``bench.query_bench prepare --scale 1x=…`` first): ``api`` (the real API, one worker,
response cache on — a repeated request is a cache hit), ``api-nocache`` (``RDKG_API_CACHE=0``: every request runs
its queries), ``api-nocache-2workers``, ``api-2workers``, ``api-nocache-norust`` (neo4j-rust-ext hidden) and
``naive`` (``bench/naive_api.py``). Then, for each round, for each case, every target in turn (interleaved):
concurrency 1 (``--c1-requests`` sequential requests → median / p99 latency) and concurrency 32 (32 tasks for
``--c32-seconds`` → requests per second). The raw target is the async driver (``AsyncDriver.execute_query``, rust
codec) running the same canned query with the parameters the route binds, in this process. The HTTP client is a
minimal keep-alive HTTP/1.1 client on asyncio streams (one connection per task), so client overhead stays small
next to the server's. ``api-etag`` / ``api-nocache-etag`` replay the API's own ETag (``If-None-Match``), i.e. a
dashboard polling unchanged data (304 without a query). ``--only NAME`` limits the API targets.
Results: ``bench/out/api.json`` and a table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
from neo4j import AsyncDriver, AsyncGraphDatabase, Query, RoutingControl

from bench.query_bench import INSTANCES
from queries.registry import Registry
from queries.runner import bind_text

OUT_DIR = Path(__file__).resolve().parent / "out"
REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class ApiCase:
    name: str
    api_path: str
    naive_path: str
    query: str
    params: dict[str, str]


CASES = [
    ApiCase("flows PRK→RUS since 2023 (headline)", "/flows?from=PRK&to=RUS&since=2023-01-01",
            "/flows?from_state=PRK&to_state=RUS&since=2023-01-01", "flows",
            {"from": "PRK", "to": "RUS", "since": "2023-01-01"}),
    ApiCase("entity profile (person)", "/entities/vitaly-shulika", "/entities/vitaly-shulika", "entity_profile",
            {"id": "vitaly-shulika"}),
    ApiCase("entity search 'Shulika'", "/entities?q=Shulika", "/entities?q=Shulika", "entity_search",
            {"q": "Shulika"}),
]


@dataclass
class Server:
    name: str
    args: list[str]
    port: int
    naive: bool = False
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        cmd = [sys.executable, "-m", "bench.serve", *self.args, "--port", str(self.port)]
        log = open(OUT_DIR / f"serve-{self.name}.log", "wb")  # noqa: SIM115 — closed with the process
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=REPO_ROOT, env=os.environ.copy())

    async def wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        path = "/docs" if self.naive else "/health"
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"server {self.name} exited; see bench/out/serve-{self.name}.log")
            try:
                status, _, _ = await HttpConn(self.port).get_once(path)
                if status == 200:
                    return
            except OSError:
                pass
            await asyncio.sleep(0.5)
        raise RuntimeError(f"server {self.name} did not answer on :{self.port}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class HttpConn:
    """One keep-alive HTTP/1.1 connection: GET, read status, headers and a Content-Length or chunked body."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get_once(self, path: str) -> tuple[int, dict[str, str], bytes]:
        try:
            return await self.get(path)
        finally:
            await self.close()

    async def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        """GET on the kept-alive connection; if the server closed it while idle, reconnect once."""
        try:
            return await self._get(path, headers)
        except (asyncio.IncompleteReadError, ConnectionError):
            await self.close()
            return await self._get(path, headers)

    async def _get(self, path: str, headers: dict[str, str] | None) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode())
        assert self.reader is not None
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        hdrs = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:] if line)}
        if "content-length" in hdrs:
            body = await self.reader.readexactly(int(hdrs["content-length"]))
        elif hdrs.get("transfer-encoding") == "chunked":
            body = await self._chunks()
        else:
            body = b""
        return status, hdrs, body

    async def _chunks(self) -> bytes:
        assert self.reader is not None
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
            parts.append(await self.reader.readexactly(size + 2))
            if size == 0:
                return b"".join(parts)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


Call = Callable[[], Awaitable[None]]


async def drive(make_call: Callable[[], Call], concurrency: int, *, requests: int | None = None,
                seconds: float | None = None) -> dict[str, Any]:
    """``concurrency`` tasks, each with its own ``make_call()`` (connection), until ``requests`` or ``seconds``."""
    latencies: list[float] = []
    budget = [requests if requests is not None else 10**12]
    warmed: list[int] = []
    go = asyncio.Event()
    clock = {"deadline": 0.0, "began": 0.0}

    async def worker() -> None:
        call = make_call()
        await call()  # open and warm the connection before the clock starts
        warmed.append(1)
        if len(warmed) == concurrency:
            clock["began"] = time.perf_counter()
            clock["deadline"] = clock["began"] + (seconds or 1e9)
            go.set()
        await go.wait()
        while budget[0] > 0 and time.perf_counter() < clock["deadline"]:
            budget[0] -= 1
            began = time.perf_counter()
            await call()
            latencies.append((time.perf_counter() - began) * 1000)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - clock["began"]
    latencies.sort()
    return {"n": len(latencies), "rps": len(latencies) / elapsed, "median_ms": statistics.median(latencies),
            "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]}


def http_call(port: int, path: str, etag: bool = False) -> Callable[[], Call]:
    def make() -> Call:
        conn = HttpConn(port)
        tag: dict[str, str] = {}

        async def call() -> None:
            status, hdrs, _ = await conn.get(path, tag)
            if status not in (200, 304):
                raise RuntimeError(f"GET :{port}{path} → {status}")
            if etag and "etag" in hdrs:
                tag["If-None-Match"] = hdrs["etag"]
        return call
    return make


def raw_call(drv: AsyncDriver, text: str, params: dict[str, Any]) -> Callable[[], Call]:
    def make() -> Call:
        async def call() -> None:
            await drv.execute_query(Query(text), params, routing_=RoutingControl.READ,  # type: ignore[arg-type]
                                    database_="neo4j")
        return call
    return make


SERVERS = [
    Server("api", ["api"], 8101),
    Server("api-nocache", ["api", "--no-cache"], 8102),
    Server("api-nocache-2workers", ["api", "--no-cache", "--workers", "2"], 8103),
    Server("naive", ["naive", "--no-rust"], 8104, naive=True),
    Server("api-2workers", ["api", "--workers", "2"], 8105),
    Server("api-nocache-norust", ["api", "--no-cache", "--no-rust"], 8106),
]
#: Targets that replay the API's ETag (``If-None-Match``), by the server they talk to.
ETAG_TARGETS = {"api-etag": "api", "api-nocache-etag": "api-nocache"}


def _cpu(pids: list[int]) -> float:
    """User + system CPU seconds of these processes and their children (uvicorn workers)."""
    total = 0.0
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            for p in [proc, *proc.children(recursive=True)]:
                times = p.cpu_times()
                total += times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return total


def target_pids(name: str) -> list[int]:
    """The process that does a target's work: its server, or this process for the raw driver loop."""
    if name == "raw-driver":
        return [os.getpid()]
    server = next(s for s in SERVERS if s.name == ETAG_TARGETS.get(name, name))
    return [server.proc.pid] if server.proc is not None else []


async def measured(name: str, make: Callable[[], Call], neo4j_pid: int, c1_requests: int,
                   c32_seconds: float) -> tuple[dict[str, Any], dict[str, Any]]:
    """c=1 and c=32 runs, each with the CPU ms per request of the target's process and of Neo4j."""
    pids = target_pids(name)
    out = []
    for concurrency, kwargs in ((1, {"requests": c1_requests}), (32, {"seconds": c32_seconds})):
        before, neo_before = _cpu(pids), _cpu([neo4j_pid])
        got = await drive(make, concurrency, **kwargs)  # type: ignore[arg-type]
        got["cpu_ms_per_req"] = (_cpu(pids) - before) * 1000 / got["n"]
        got["neo4j_cpu_ms_per_req"] = (_cpu([neo4j_pid]) - neo_before) * 1000 / got["n"]
        out.append(got)
    return out[0], out[1]


def targets(case: ApiCase, drv: AsyncDriver, registry: Registry) -> dict[str, Callable[[], Call]]:
    query = registry.get(case.query)
    out = {"raw-driver": raw_call(drv, query.text, bind_text(query, case.params))}
    for server in SERVERS:
        out[server.name] = http_call(server.port, case.naive_path if server.naive else case.api_path)
    for name, server_name in ETAG_TARGETS.items():
        port = next(s.port for s in SERVERS if s.name == server_name)
        out[name] = http_call(port, case.api_path, etag=True)
    return out


async def bench(rounds: int, c1_requests: int, c32_seconds: float, scale: str = "1x") -> list[dict[str, Any]]:
    inst = INSTANCES[scale]
    inst.start()
    registry = Registry.load()
    rows: list[dict[str, Any]] = []
    for server in SERVERS:
        server.args = [*server.args, "--scale", scale]
        server.start()
    try:
        for server in SERVERS:
            await server.wait_ready()
        drv = AsyncGraphDatabase.driver(inst.settings().bolt_uri, auth=("neo4j", inst.password()))
        try:
            for rnd in range(1, rounds + 1):
                for case in CASES:
                    for name, make in targets(case, drv, registry).items():
                        c1, c32 = await measured(name, make, inst.server_pid(), c1_requests, c32_seconds)
                        rows.append({"round": rnd, "case": case.name, "target": name, "c1": c1, "c32": c32})
                        sys.stderr.write(f"[round {rnd}] {case.name} / {name}: c1 median {c1['median_ms']:.2f} ms, "
                                         f"{c1['cpu_ms_per_req']:.2f} CPU ms/req (+{c1['neo4j_cpu_ms_per_req']:.2f} "
                                         f"Neo4j); c32 {c32['rps']:.0f} req/s\n")
        finally:
            await drv.close()
    finally:
        for server in SERVERS:
            server.stop()
    return rows


def summarise(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["case"], row["target"]), []).append(row)
    return [{"case": case, "target": target, "rounds": len(g),
             "c1_median_ms": statistics.median(r["c1"]["median_ms"] for r in g),
             "c1_p99_ms": statistics.median(r["c1"]["p99_ms"] for r in g),
             "c32_rps": statistics.median(r["c32"]["rps"] for r in g),
             "c1_cpu_ms": statistics.median(r["c1"]["cpu_ms_per_req"] for r in g),
             "c1_neo4j_cpu_ms": statistics.median(r["c1"]["neo4j_cpu_ms_per_req"] for r in g),
             "c32_cpu_ms": statistics.median(r["c32"]["cpu_ms_per_req"] for r in g),
             "c32_median_ms": statistics.median(r["c32"]["median_ms"] for r in g)}
            for (case, target), g in groups.items()]


def markdown(table: list[dict[str, Any]]) -> str:
    lines = ["| case | target | c=1 median ms | c=1 p99 ms | c=1 / raw | c=1 − raw ms | c=32 req/s | "
             "c=32 / raw | c=32 / naive | CPU ms/req (c=1) | Neo4j CPU ms/req (c=1) |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in table:
        raw = next(r for r in table if r["case"] == row["case"] and r["target"] == "raw-driver")
        naive = next((r for r in table if r["case"] == row["case"] and r["target"] == "naive"), None)
        vs_naive = f"{row['c32_rps'] / naive['c32_rps']:.2f}" if naive else ""
        lines.append(f"| {row['case']} | {row['target']} | {row['c1_median_ms']:.2f} | {row['c1_p99_ms']:.2f} | "
                     f"{row['c1_median_ms'] / raw['c1_median_ms']:.2f} | "
                     f"{row['c1_median_ms'] - raw['c1_median_ms']:+.2f} | {row['c32_rps']:.0f} | "
                     f"{row['c32_rps'] / raw['c32_rps']:.2f} | {vs_naive} | {row['c1_cpu_ms']:.2f} | "
                     f"{row['c1_neo4j_cpu_ms']:.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--c1-requests", type=int, default=200)
    parser.add_argument("--c32-seconds", type=float, default=5.0)
    parser.add_argument("--out", type=Path, default=OUT_DIR / "api.json")
    parser.add_argument("--cases", type=int, default=len(CASES), help="run the first N cases only")
    parser.add_argument("--scale", default="1x", choices=sorted(INSTANCES), help="the bench Neo4j to serve from")
    parser.add_argument("--only", action="append", help="targets to run (raw-driver and naive are always run)")
    args = parser.parse_args(argv)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    del CASES[args.cases:]
    if args.only:
        keep = {*args.only, "naive"}
        SERVERS[:] = [s for s in SERVERS if s.name in keep or s.name in {ETAG_TARGETS.get(k) for k in keep}]
        for name in [n for n in ETAG_TARGETS if n not in keep]:
            del ETAG_TARGETS[name]
    rows = asyncio.run(bench(args.rounds, args.c1_requests, args.c32_seconds, args.scale))
    table = summarise(rows)
    args.out.write_text(json.dumps({"rows": rows, "summary": table}, indent=2) + "\n")
    sys.stdout.write(markdown(table))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
