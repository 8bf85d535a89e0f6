"""Time to a usable dashboard view (issue 16), beside the same view's API calls made directly.

``python -m bench.dashboard_bench --rounds 5 [--view 'view=flows&from=PRK&to=RUS&since=2023-01-01']``

Serves the real API (``bench.serve api``, one worker, loopback) against the bench Neo4j instance of the 1x scale
(``bench.query_bench prepare --scale 1x=bench/data/x1.ttl`` loads it: the curated data), then, for each round:

- **browser**: a fresh headless-Chromium context (empty HTTP cache, no kept ETags) opens ``/dashboard?<view>`` and
  reads, in the page, ``performance.now()`` when the view has drawn (the dashboard's ``rdkg:rendered`` event,
  which fires after the table is in the page) — navigation start to table drawn. The page's requests to the API
  are recorded on the first round.
- **direct**: the same API requests, replayed with one keep-alive HTTP client pool, in parallel as the page sends
  them (``direct-parallel``) and one after another (``direct-sequential``).

Rounds interleave the targets; the API's response cache is warm for both after the first round (the first round
is reported separately as ``cold``). Results: ``bench/out/dashboard.json`` and a table; the ratio browser /
direct-parallel is what the page costs on top of its data (module loading, rendering).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from bench.api_bench import OUT_DIR, Server

DEFAULT_VIEW = "view=flows&from=PRK&to=RUS&since=2023-01-01"


def browser_round(port: int, view: str, record: list[str] | None) -> float:
    """Milliseconds from navigation start to the view drawn, in a fresh browser context."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=_chromium())
        try:
            page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
            page.add_init_script("document.addEventListener('rdkg:rendered', () => {"
                                 " window.__rdkgDrawn ??= performance.now(); });")
            if record is not None:
                base = f"http://127.0.0.1:{port}"
                page.on("request", lambda r: record.append(r.url) if r.url.startswith(base) and
                        r.resource_type == "fetch" else None)
            page.goto(f"http://127.0.0.1:{port}/dashboard?{view}")
            page.locator("main[data-ready]").wait_for(state="attached", timeout=60_000)
            drawn = float(page.evaluate("() => window.__rdkgDrawn"))
            if page.get_by_role("alert").count():
                raise RuntimeError(f"the dashboard showed an error: {page.get_by_role('alert').inner_text()}")
            return drawn
        finally:
            browser.close()


def direct_round(client: httpx.Client, pool: ThreadPoolExecutor, urls: list[str], parallel: bool) -> float:
    start = time.perf_counter()
    responses = list(pool.map(client.get, urls)) if parallel else [client.get(u) for u in urls]
    for r in responses:
        r.raise_for_status()
    return (time.perf_counter() - start) * 1000


def _chromium() -> str | None:
    for path in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(path).exists():
            return path
    return None  # Playwright's own download, if installed


def summarise(name: str, values: list[float]) -> dict[str, Any]:
    return {"target": name, "n": len(values), "median_ms": round(statistics.median(values), 1),
            "min_ms": round(min(values), 1), "max_ms": round(max(values), 1)}


def run(port: int, view: str, rounds: int) -> dict[str, Any]:
    urls: list[str] = []
    cold = browser_round(port, view, urls)
    paths = sorted({urlsplit(u).path + ("?" + urlsplit(u).query if urlsplit(u).query else "") for u in urls})
    times: dict[str, list[float]] = {"browser": [], "direct-parallel": [], "direct-sequential": []}
    limits = httpx.Limits(max_keepalive_connections=len(paths) or 1)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60, limits=limits) as client, \
            ThreadPoolExecutor(max(len(paths), 1)) as pool:
        for _ in range(rounds):
            times["browser"].append(browser_round(port, view, None))
            times["direct-parallel"].append(direct_round(client, pool, paths, parallel=True))
            times["direct-sequential"].append(direct_round(client, pool, paths, parallel=False))
    rows = [summarise(k, v) for k, v in times.items()]
    base = statistics.median(times["direct-parallel"])
    for row in rows:
        row["ratio_vs_direct_parallel"] = round(row["median_ms"] / base, 2) if base else None
    return {"view": view, "api_requests": paths, "cold_browser_ms": round(cold, 1), "rounds": rounds,
            "rows": rows, "time": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "loadavg": [round(x, 2) for x in _loadavg()]}


def _loadavg() -> tuple[float, float, float]:
    return os.getloadavg()


def table(result: dict[str, Any]) -> str:
    lines = [f"Dashboard `{result['view']}` — {len(result['api_requests'])} API requests, {result['rounds']} rounds, "
             f"{result['time']}, load average {result['loadavg']}", "",
             "| target | median ms | min | max | ratio vs direct-parallel |", "|---|---:|---:|---:|---:|"]
    for r in result["rows"]:
        lines.append(f"| {r['target']} | {r['median_ms']} | {r['min_ms']} | {r['max_ms']} | "
                     f"{r['ratio_vs_direct_parallel']} |")
    lines.append(f"\nFirst (cold) browser load: {result['cold_browser_ms']} ms. Requests: "
                 + ", ".join(f"`{p}`" for p in result["api_requests"]))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--view", default=DEFAULT_VIEW, help="the dashboard URL's query string")
    ap.add_argument("--port", type=int, default=8131)
    ap.add_argument("--out", type=Path, default=OUT_DIR / "dashboard.json")
    args = ap.parse_args()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    server = Server("dashboard", ["api"], args.port)
    server.start()
    try:
        asyncio.run(server.wait_ready())
        result = run(args.port, args.view, args.rounds)
    finally:
        server.stop()
    args.out.write_text(json.dumps(result, indent=2))
    print(table(result))


if __name__ == "__main__":
    main()
