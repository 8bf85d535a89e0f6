"""Soak with faults (issue 20): the dashboard's request mix against the API for a long time, with a Neo4j restart
and a full reload in the middle. Bounded and loopback only.

``python -m bench.soak.run --instance soak --minutes 30``     (``make reliability``)

Starts a managed Neo4j of its own (``--instance``, free loopback ports, schema, ``data/`` loaded; stopped at the
end) and ``rdkg serve`` (one uvicorn process, as deployed) on a free loopback port. ``--clients`` closed-loop
clients (HTTP/1.1 keep-alive, seeded) then play the dashboard: each draws requests from :data:`MIX` — the routes
``api/static/dashboard/*.js`` calls, with the dashboard's parameters — and, like the dashboard's ``api.js``, keeps
the last ``ETag`` per URL and sends it as ``If-None-Match`` (a 304 counts as success). After ``--warmup`` seconds
(not measured) the run lasts ``--minutes``; at 40 % of it Neo4j is stopped and started again (``LocalNeo4j.stop``
/ ``start``), at 65 % the graph is reloaded in full (``rdkg load data --force``, a subprocess, as an operator would).
If the faults take longer than planned (a slow restart on a loaded machine), the mix goes on until ``Config.tail``
seconds after the reload (bounded: at most twice the length + 5 minutes). Before the warm-up every URL is requested
once, one at a time (a dashboard's first visit; cold queries are not run four at once on a cold server).

Figures: requests, answers by status inside and outside the *restart window* (from the stop until ``/ready`` answers
200 again and every URL of the mix has been answered once more — the restarted Neo4j's cold page cache and query plans
belong to the restart — plus ``--grace`` seconds for requests already queued), p50/p99 per ``--window``-second window,
the API process's RSS after warm-up and at the end, and Neo4j's heap after GC (the JVM's memory pools'
``CollectionUsage`` read with ``dbms.queryJmx``, after a ``System.gc()`` through ``jcmd`` where a JDK has it). Checks
(the run fails — exit 1 — if any breaks): no transport error; every answer is 200 or 304 outside the restart window
and 200, 304 or 503 inside it; the reload exits 0 and commits (the load state's ``loadedAt`` changes); the API's RSS
at the end is at most ``Config.max_rss_growth`` (10 %) above its value after warm-up.
JSON to ``bench/out/soak.json``, Markdown to stdout. ``make test`` runs a short version
(``tests/reliability/test_soak.py``) with the same checks.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil

from bench.loadtest.run import Connection, _pct, free_port, start_server, wait_ready
from graph.db import auth, local_server
from graph.db import driver as open_driver
from graph.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[2]
OUT = REPO_ROOT / "bench" / "out" / "soak.json"
MAX_MINUTES = 60.0

#: (weight, URL template): what a dashboard tab asks for (``api/static/dashboard``): the totals chart
#: (totals.js), the flows table and a flow's detail and estimates (flows.js, history.js), the timeline with its
#: votes, sources and personnel flows (timeline.js), an entity page — search, profile, claims, meetings, disputes
#: (entity.js, disputes.js) — and the filters' value lists (filters.js). ``{flow}`` and ``{entity}`` are filled
#: with ids read from the graph at the start.
MIX: list[tuple[int, str]] = [
    (10, "/flows/summary"),
    (5, "/flows/summary?from=PRK&to=RUS"),
    (10, "/flows?limit=200"),
    (5, "/flows?from=PRK&to=RUS&limit=200"),
    (6, "/flows/{flow}"),
    (4, "/flows/{flow}/estimates"),
    (6, "/timeline?limit=200"),
    (3, "/timeline?since=2024-01-01&limit=200"),
    (3, "/votes"),
    (4, "/sources?limit=200"),
    (3, "/flows?category=personnel&limit=200"),
    (4, "/entities?q=kim&limit=50"),
    (2, "/entities?q=shoigu&limit=50"),
    (6, "/entities/{entity}"),
    (6, "/claims?about={entity}"),
    (3, "/meetings?participant={entity}&limit=200"),
    (4, "/disputes?about={entity}&limit=200"),
    (2, "/disputes?limit=200"),
    (2, "/queries/states"),
    (2, "/queries/categories"),
]
ENTITIES = ["PRK", "RUS"]


@dataclass
class Config:
    minutes: float = 30.0
    warmup: float = 60.0
    clients: int = 4
    think: float = 0.05
    window: float = 300.0
    grace: float = 10.0
    restart_at: float = 0.40
    reload_at: float = 0.65
    max_rss_growth: float = 0.10
    seed: int = 11
    #: seconds the mix goes on after the reload when the faults took longer than planned (a slow restart on a
    #: loaded machine): the run is extended, never cut short of them — but at most to twice its length + 5 min
    tail: float = 20.0
    #: seconds at least between the end of the restart window and the reload
    settle: float = 10.0
    #: chance per request that a client starts over without ETags (a new dashboard tab: 200s, not 304s)
    new_tab: float = 0.02


@dataclass
class Phase:
    name: str
    start: float
    end: float | None = None
    detail: str = ""


@dataclass
class Result:
    config: Config
    started_utc: str = ""
    requests: int = 0
    measured_seconds: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)
    inside_restart: dict[str, int] = field(default_factory=dict)
    outside_restart: dict[str, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    errors_by_code: dict[str, int] = field(default_factory=dict)
    windows: list[dict[str, Any]] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    rss_mb: dict[str, float] = field(default_factory=dict)
    heap_after_gc_mb: dict[str, float | None] = field(default_factory=dict)
    versions: dict[str, str | None] = field(default_factory=dict)
    load_average: dict[str, list[float]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Sample:
    began: float  # seconds since the measured run started (negative: warm-up)
    ms: float
    status: int
    url: str
    error: str = ""  # the error code of a non-2xx JSON answer (graph_unavailable, query_timeout …)


class Client(Connection):
    """The loadtest's keep-alive client, with request headers and the answer's headers and body."""

    async def fetch(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n{extra}\r\n"
                          .encode())
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        got = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        if "content-length" in got:
            body = await self.reader.readexactly(int(got["content-length"]))
        elif got.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                parts.append((await self.reader.readexactly(size + 2))[:-2])
                if size == 0:
                    break
            body = b"".join(parts)
        else:
            body = b""
        return status, got, body


def _error_code(body: bytes) -> str:
    try:
        return str(json.loads(body).get("error", "?"))
    except (ValueError, AttributeError):
        return "?"


async def get_json(port: int, path: str, attempts: int = 1) -> Any:
    """The JSON body of a 200; ``attempts`` > 1 retries 503s (set-up on a cold server: a first query may time out)."""
    for attempt in range(attempts):
        client = Client(port)
        try:
            status, _, body = await client.fetch(path)
        finally:
            await client.close()
        if status == 200:
            return json.loads(body)
        if status != 503 or attempt == attempts - 1:
            raise RuntimeError(f"GET {path}: HTTP {status} {_error_code(body)}")
        await asyncio.sleep(2)


async def is_ready(port: int) -> bool:
    try:
        await get_json(port, "/ready")
    except (OSError, RuntimeError, ValueError, asyncio.IncompleteReadError):
        return False
    return True


def loaded_at(settings: Settings) -> str | None:
    """When the graph was last loaded (the load state the loader writes in the load's transaction)."""
    with open_driver(settings) as drv:
        records, _, _ = drv.execute_query("MATCH (s:RdkgLoadState {key: 'state'}) RETURN s.loadedAt AS at",
                                          database_=settings.neo4j_database)
    return str(records[0]["at"]) if records else None


async def urls_for(port: int) -> list[str]:
    """The mix with ids from the graph (flows from ``/flows``; entities PRK and RUS, checked to exist). Like the
    dashboard (``hasRoute`` in api.js), templates whose route this API does not have (``/flows/{id}``) are left
    out."""
    routes = set((await get_json(port, "/openapi.json"))["paths"])
    flows = [f["id"] for f in (await get_json(port, "/flows?limit=200", attempts=5))["items"]]
    if not flows:
        raise SystemExit("the graph has no flows: is data/ loaded?")
    for entity in ENTITIES:
        await get_json(port, f"/entities/{entity}", attempts=5)
    rng = random.Random(5)
    picked = rng.sample(flows, min(4, len(flows)))
    urls: list[str] = []
    for weight, template in MIX:
        route = template.split("?")[0].replace("{flow}", "{id}").replace("{entity}", "{id}")
        if route not in routes:
            continue
        for n in range(weight):
            urls.append(template.format(flow=picked[n % len(picked)], entity=ENTITIES[n % len(ENTITIES)]))
    return urls


def heap_after_gc_mb(settings: Settings) -> float | None:
    """Neo4j's heap after the last GC (sum of the heap pools' CollectionUsage.used), after forcing one if jcmd is
    there. None when the JMX procedure is not available."""
    pid = local_server(settings).status().pid
    if pid and shutil.which("jcmd"):
        subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, timeout=60, check=False)
    try:
        with open_driver(settings) as drv:
            records, _, _ = drv.execute_query(
                "CALL dbms.queryJmx('java.lang:type=MemoryPool,name=*') YIELD name, attributes "
                "RETURN name, attributes.Type.value AS type, attributes.CollectionUsage.value AS usage",
                database_="system")
    except Exception as exc:  # noqa: BLE001 — a figure, not a check: report why it is missing
        sys.stderr.write(f"heap after GC: not available ({type(exc).__name__}: {exc})\n")
        return None
    used = 0
    for rec in records:
        usage = rec["usage"]
        if rec["type"] == "HEAP" and usage:
            props = usage.get("properties", usage) if isinstance(usage, dict) else {}
            used += int(props.get("used", 0))
    return round(used / 2**20, 1)


def rss_mb(proc: subprocess.Popen[bytes]) -> float:
    return round(psutil.Process(proc.pid).memory_info().rss / 2**20, 1)


def env_for(settings: Settings) -> dict[str, str]:
    """The environment for ``rdkg serve`` and ``rdkg load`` against the Neo4j of ``settings``."""
    user, password = auth(settings)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "RDKG_"))}
    env.update({"NEO4J_URI": settings.bolt_uri, "NEO4J_USER": user, "NEO4J_PASSWORD": password,
                "NEO4J_DATABASE": settings.neo4j_database})
    return env


async def soak(settings: Settings, config: Config, log_dir: Path) -> Result:
    """Run the soak against the managed Neo4j of ``settings`` (curated graph loaded). Never raises on a failed
    check: they are listed in ``Result.failures``."""
    result = Result(config, started_utc=time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()))
    result.load_average["start"] = [round(x, 2) for x in os.getloadavg()]
    env = env_for(settings)
    port = free_port()
    log_dir.mkdir(parents=True, exist_ok=True)
    server = start_server(port, env, log_dir / "soak-server.log")
    samples: list[Sample] = []
    duration = config.minutes * 60
    try:
        await wait_ready(port, server)
        urls = await urls_for(port)
        result.versions["loaded_at_start"] = await asyncio.to_thread(loaded_at, settings)
        primer = Client(port)  # every URL once, one at a time: cold queries are not run 4 at once on a cold server
        try:
            for url in dict.fromkeys(urls):
                await primer.fetch(url)
        finally:
            await primer.close()
        t0 = time.monotonic() + config.warmup  # the measured run starts after the warm-up
        stop_at = [t0 + duration]  # moved later if the faults finish late (Config.tail)
        hard_stop = t0 + 2 * duration + 300
        faults_done = asyncio.Event()

        async def client(number: int) -> None:
            rng = random.Random(config.seed * 1000 + number)
            conn = Client(port)
            etags: dict[str, str] = {}
            try:
                while time.monotonic() < hard_stop and (time.monotonic() < stop_at[0] or not faults_done.is_set()):
                    url = rng.choice(urls)
                    if rng.random() < config.new_tab:
                        etags.clear()  # a new dashboard tab: no ETag kept yet
                    headers = {"If-None-Match": etags[url]} if url in etags else {}
                    began = time.monotonic()
                    error = ""
                    try:
                        status, got, body = await conn.fetch(url, headers)
                    except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                        status, error = 0, type(exc).__name__
                        await conn.close()
                        if len(result.error_samples) < 20:
                            result.error_samples.append(f"{began - t0:.1f}s {url}: {type(exc).__name__}: {exc}")
                    else:
                        if status == 200 and "etag" in got:
                            etags[url] = got["etag"]
                        elif status >= 400:
                            error = _error_code(body)
                    samples.append(Sample(began - t0, (time.monotonic() - began) * 1000, status, url, error))
                    if config.think:
                        await asyncio.sleep(rng.uniform(0, 2 * config.think))
            finally:
                await conn.close()

        async def faults() -> None:
            await asyncio.sleep(max(0.0, t0 - time.monotonic()))
            result.rss_mb["after_warmup"] = rss_mb(server)
            result.heap_after_gc_mb["after_warmup"] = await asyncio.to_thread(heap_after_gc_mb, settings)
            result.load_average["after_warmup"] = [round(x, 2) for x in os.getloadavg()]
            # restart
            await asyncio.sleep(max(0.0, t0 + config.restart_at * duration - time.monotonic()))
            phase = Phase("restart", time.monotonic() - t0)
            result.phases.append(phase)
            server_ctl = local_server(settings)
            await asyncio.to_thread(server_ctl.stop)
            stopped = time.monotonic() - t0
            await asyncio.to_thread(server_ctl.start)
            started = time.monotonic() - t0
            while time.monotonic() < hard_stop and not await is_ready(port):
                await asyncio.sleep(0.2)
            ready = time.monotonic() - t0
            # The restart is over when the API serves the dashboard again: every URL of the mix answered once more
            # (a cold page cache and cold query plans on a restarted Neo4j are part of the restart).
            for url in dict.fromkeys(urls):
                if time.monotonic() < hard_stop:
                    try:
                        await get_json(port, url, attempts=20)
                    except (OSError, RuntimeError, ValueError, asyncio.IncompleteReadError) as exc:
                        result.failures.append(f"after the restart, {url} did not answer 200: {exc}")
            phase.end = time.monotonic() - t0
            phase.detail = (f"stopped after {stopped - phase.start:.1f} s, started after {started - stopped:.1f} s, "
                            f"/ready 200 again {ready - started:.1f} s later, every dashboard URL answered again "
                            f"{phase.end - ready:.1f} s after that")
            # full reload
            await asyncio.sleep(max(config.settle, t0 + config.reload_at * duration - time.monotonic()))
            phase = Phase("reload", time.monotonic() - t0)
            result.phases.append(phase)
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "rdkg", "load", str(REPO_ROOT / "data"), "--force", cwd=REPO_ROOT, env=env,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
            try:
                out, _ = await proc.communicate()
            finally:
                if proc.returncode is None:  # cancelled (the run's hard limit): never leave a load running
                    proc.kill()
                    await proc.wait()
            phase.end = time.monotonic() - t0
            (log_dir / "soak-reload.log").write_bytes(out)
            phase.detail = f"`rdkg load data --force` exited {proc.returncode} after {phase.end - phase.start:.1f} s"
            if proc.returncode != 0:
                result.failures.append(f"the reload failed (exit {proc.returncode}): {out.decode()[-500:]}")
            result.versions["loaded_at_after_reload"] = await asyncio.to_thread(loaded_at, settings)
            stop_at[0] = max(stop_at[0], time.monotonic() + config.tail)
            faults_done.set()

        tasks = [asyncio.create_task(client(n)) for n in range(config.clients)]
        fault_task = asyncio.create_task(faults())
        await asyncio.gather(*tasks)
        result.measured_seconds = round(time.monotonic() - t0, 1)
        if not fault_task.done():
            result.failures.append("the faults did not finish within the run (Neo4j slow to restart?)")
            fault_task.cancel()
        else:
            fault_task.result()
        result.rss_mb["end"] = rss_mb(server)
        result.heap_after_gc_mb["end"] = await asyncio.to_thread(heap_after_gc_mb, settings)
        result.load_average["end"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        server.terminate()
        server.wait(timeout=30)
    summarise(result, samples)
    return result


def summarise(result: Result, samples: list[Sample]) -> None:
    config = result.config
    measured = [s for s in samples if s.began >= 0]
    restart = next((p for p in result.phases if p.name == "restart"), None)

    def in_restart(s: Sample) -> bool:
        return restart is not None and restart.start <= s.began <= (restart.end or 1e12) + config.grace

    result.requests = len(measured)
    result.statuses = {str(k): v for k, v in sorted(Counter(s.status for s in measured).items())}
    result.inside_restart = {str(k): v for k, v in sorted(Counter(s.status for s in measured if in_restart(s))
                                                           .items())}
    result.outside_restart = {str(k): v for k, v in sorted(Counter(s.status for s in measured if not in_restart(s))
                                                            .items())}
    bad_outside = [s for s in measured if not in_restart(s) and s.status not in (200, 304)]
    bad_inside = [s for s in measured if in_restart(s) and s.status not in (200, 304, 503)]
    for s in (bad_outside + bad_inside)[:10]:
        result.error_samples.append(f"{s.began:.1f}s {s.url}: HTTP {s.status} {s.error} after {s.ms:.0f} ms")
    result.errors_by_code = {k: v for k, v in sorted(Counter(
        f"{s.status} {s.error} ({'inside' if in_restart(s) else 'outside'} the restart window)"
        for s in measured if s.status not in (200, 304)).items())}
    if bad_outside:
        result.failures.append(f"{len(bad_outside)} answer(s) other than 200/304 outside the restart window: "
                               f"{dict(Counter(s.status for s in bad_outside))}")
    if bad_inside:
        result.failures.append(f"{len(bad_inside)} answer(s) other than 200/304/503 inside the restart window: "
                               f"{dict(Counter(s.status for s in bad_inside))}")
    if restart is None or restart.end is None:
        result.failures.append("Neo4j was not restarted (or the API did not become ready again) during the run")
    if "reload" not in {p.name for p in result.phases}:
        result.failures.append("the full reload did not run")
    elif result.versions.get("loaded_at_after_reload") in (None, result.versions.get("loaded_at_start")):
        result.failures.append(f"the reload wrote no new load state ({result.versions})")
    start, end = result.rss_mb.get("after_warmup"), result.rss_mb.get("end")
    if start and end and end > start * (1 + config.max_rss_growth):
        result.failures.append(f"the API's RSS grew {100 * (end / start - 1):.1f} % ({start} → {end} MB), "
                               f"more than {100 * config.max_rss_growth:.0f} %")
    n_windows = max(1, math.ceil(result.measured_seconds / config.window - 0.05))
    for i in range(n_windows):
        lo, hi = i * config.window, min((i + 1) * config.window, result.measured_seconds)
        inside = [s for s in measured if lo <= s.began < hi]
        lat = sorted(s.ms for s in inside) or [0.0]
        phases = [p.name for p in result.phases if p.start < hi and (p.end or p.start) >= lo]
        result.windows.append({
            "from_s": round(lo), "to_s": round(hi), "requests": len(inside),
            "ok": sum(s.status in (200, 304) for s in inside), "not_modified": sum(s.status == 304 for s in inside),
            "status_503": sum(s.status == 503 for s in inside),
            "other_errors": sum(s.status not in (200, 304, 503) for s in inside),
            "p50_ms": round(_pct(lat, 50), 1), "p99_ms": round(_pct(lat, 99), 1), "events": phases})
        if not inside and hi - lo > 5:
            result.failures.append(f"no request in window {lo:.0f}–{hi:.0f} s")


def markdown(result: Result) -> str:
    lines = ["| window | requests | 200/304 (304) | 503 | other | p50 ms | p99 ms | events |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for w in result.windows:
        span = (f"{w['from_s'] / 60:g}–{w['to_s'] / 60:.3g} min" if result.config.window >= 60
                else f"{w['from_s']}–{w['to_s']} s")
        lines.append(f"| {span} | {w['requests']} | {w['ok']} "
                     f"({w['not_modified']}) | {w['status_503']} | {w['other_errors']} | {w['p50_ms']} | "
                     f"{w['p99_ms']} | {', '.join(w['events'])} |")
    lines.append("")
    lines.append(f"{result.measured_seconds:.0f} s measured, {result.config.clients} clients; "
                 f"requests {result.requests}; statuses {result.statuses}; inside the restart window "
                 f"{result.inside_restart}, outside {result.outside_restart}")
    for p in result.phases:
        lines.append(f"{p.name} at {p.start:.0f}–{(p.end or 0):.0f} s: {p.detail}")
    if result.errors_by_code:
        lines.append(f"errors: {result.errors_by_code}"
                     + (f"; e.g. {result.error_samples[:4]}" if result.error_samples else ""))
    lines.append(f"API RSS {result.rss_mb} MB; Neo4j heap after GC {result.heap_after_gc_mb} MB; "
                 f"load average {result.load_average}")
    lines.append("failures: " + ("; ".join(result.failures) if result.failures else "none"))
    return "\n".join(lines)


def start_own_neo4j(name: str) -> Settings:
    """A managed Neo4j instance ``name`` on free ports with the schema and the curated graph."""
    from graph.schema import apply_schema
    from loaders.pipeline import load

    settings = Settings(neo4j_uri=None, neo4j_password=None, local_instance=name, local_bolt_port=free_port(),
                        local_http_port=free_port(), local_heap="1g", local_pagecache="512m", local_tx_memory="1g")
    local_server(settings).start()
    with open_driver(settings) as drv:
        apply_schema(drv, settings.neo4j_database)
        load(drv, settings.neo4j_database, [settings.data_dir])
    return settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    defaults = Config()
    parser.add_argument("--instance", default="soak", help="name of the managed Neo4j instance to start and stop")
    parser.add_argument("--minutes", type=float, default=defaults.minutes, help=f"at most {MAX_MINUTES:.0f}")
    parser.add_argument("--warmup", type=float, default=defaults.warmup, help="unmeasured seconds first")
    parser.add_argument("--clients", type=int, default=defaults.clients)
    parser.add_argument("--think", type=float, default=defaults.think, help="mean pause between requests (s)")
    parser.add_argument("--window", type=float, default=defaults.window, help="seconds per p50/p99 window")
    parser.add_argument("--grace", type=float, default=defaults.grace)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    args = parser.parse_args(argv)
    if not 0 < args.minutes <= MAX_MINUTES:
        parser.error(f"--minutes must be in (0, {MAX_MINUTES:.0f}]")
    if not 1 <= args.clients <= 64:
        parser.error("--clients must be in [1, 64]")
    config = Config(minutes=args.minutes, warmup=args.warmup, clients=args.clients, think=args.think,
                    window=args.window, grace=args.grace, seed=args.seed)
    settings = start_own_neo4j(args.instance)
    try:
        result = asyncio.run(soak(settings, config, OUT.parent))
    finally:
        local_server(settings).stop()
    result.to_json()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({**result.to_json(), "cpus": os.cpu_count()}, indent=2))
    sys.stdout.write(markdown(result) + "\n")
    return 1 if result.failures else 0


if __name__ == "__main__":
    sys.exit(main())
