"""Fixtures for the browser checks: headless Chromium, the curated test graph and the API serving the pages, the
style and the guide.

``chromium``: one headless Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright) for the whole session;
each test file opens its own pages or contexts in it. Skipped with the reason where Chromium is not installed —
a failure instead when ``CI`` is set (CI must run these checks). Helpers for the pages: tests/browser/chromium.py.

The test Neo4j writes its ``neo4j.conf`` when the session starts it, with ``graph.browser.browser_conf``: the
post-connect command points at ``RDKG_API_PUBLIC_URL``. So that it points at *this* session's API (not at a
``make run`` API on :8000), this conftest — imported at collection, before any server starts — picks a free
loopback port for it unless the variable is already set. The ``browser_api`` fixture then reads the command the
running server really has (a kept server may date from another session) and serves the API at that address.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn
from neo4j import Driver

from api.app import create_app
from api.settings import ApiSettings
from graph.settings import Settings
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.integration.conftest import curated_graph  # noqa: F401  (re-exported fixture: the loaded test graph)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Headless Chromium (a Playwright ``Browser``) for one test module.

    Not session-wide: while Playwright's sync API is open its event loop is the thread's running loop, so every later
    ``asyncio.run()`` of the session (the unit, bench and reliability tests that run after tests/browser) would fail
    with "cannot be called from a running event loop"."""
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        message = f"Chromium is not installed at {CHROMIUM} (tests/browser/install-chromium.sh installs it as root)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must run the browser checks")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


if not os.environ.get("RDKG_API_PUBLIC_URL"):
    os.environ["RDKG_API_PUBLIC_URL"] = f"http://127.0.0.1:{_free_port()}"

_STYLE_URL = re.compile(r"style\s+(\S+)/browser/style\.grass")


def server_post_connect_cmd(driver: Driver) -> str:
    records, _, _ = driver.execute_query("CALL dbms.clientConfig() YIELD name, value", database_="system")
    return next((str(r["value"]) for r in records if r["name"] == "browser.post_connect_cmd"), "")


def _port_busy(host: str, port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((host, port)) == 0


class _ThreadedServer(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # a worker thread cannot install signal handlers
        pass


@pytest.fixture(scope="session")
def browser_api(neo4j_settings: Settings, neo4j_driver: Driver, curated_graph: object) -> Iterator[str]:  # noqa: F811
    """The rdkg API (``create_app``) on the address the test Neo4j's post-connect command names; its base URL."""
    if not neo4j_settings.uses_managed_server:
        pytest.skip("the Browser check needs the managed test Neo4j (NEO4J_TEST_URI points at another server)")
    command = server_post_connect_cmd(neo4j_driver)
    match = _STYLE_URL.search(command)
    if not match:
        pytest.fail(f"the test Neo4j has no rdkg post-connect command ({command!r}); restart it (it was started "
                    "before graph.browser.browser_conf existed)")
    base = match.group(1)
    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    if _port_busy(host, port):
        pytest.fail(f"{base} (from the test Neo4j's browser.post_connect_cmd) is taken by another process; "
                    "stop it, or restart the test Neo4j with RDKG_API_PUBLIC_URL set to a free address")
    app = create_app(ApiSettings(**neo4j_settings.model_dump()))
    server = _ThreadedServer(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="rdkg-api-for-browser-test", daemon=True)
    thread.start()
    _wait_until_serving(f"{base}/browser/style.grass", thread)
    yield base
    server.should_exit = True
    thread.join(timeout=15)


def _wait_until_serving(url: str, thread: threading.Thread, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not thread.is_alive():
            pytest.fail(f"the API exited during start-up (it should serve {url})")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the API did not answer {url} within {timeout:.0f}s")
