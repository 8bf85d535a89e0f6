"""Headless Chromium for the browser checks: where it is, how it is started, and a closed network for a context.

The ``chromium`` fixture (tests/browser/conftest.py) launches it once per session; ``refuse_off_machine(context)``
makes a Playwright browser context behave as on a network without internet access.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium's own connections are refused on a closed network.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOOPBACK = "127.0.0.1"


def refuse_off_machine(context: Any) -> list[str]:
    """Abort every request of ``context`` to a host other than 127.0.0.1 (``localhost`` included); the list fills
    with the aborted URLs."""
    aborted: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).hostname == LOOPBACK:
            route.continue_()
        else:
            aborted.append(url)
            route.abort("internetdisconnected")

    context.route("**/*", guard)
    return aborted
