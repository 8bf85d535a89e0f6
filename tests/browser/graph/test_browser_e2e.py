"""Neo4j Browser, end to end, in headless Chromium (Debian's ``chromium``, driven by Playwright).

Against the managed test Neo4j (its Browser is served by the server itself) holding the curated graph, with the
API serving the style and the guide: the Browser loads, connects, its post-connect command applies the style and
opens the guide, the flows step's parameters and graph query run from the guide, and the result is drawn with the
style's colours and captions. The view is saved as a screenshot: in pytest's tmp dir always, and as
``docs/browser-guide.png`` when that file is missing or ``RDKG_UPDATE_SCREENSHOT=1``.

Chromium comes from tests/browser/conftest.py (skipped with the reason where it is not installed, unless ``CI``).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver

from api.browser_routes import load_guide
from graph.browser import STYLE_FILE
from graph.db import auth
from graph.settings import Settings
from queries.registry import Registry
from tests.browser.chromium import refuse_off_machine

pytestmark = pytest.mark.browser

SCREENSHOT = Path(__file__).resolve().parents[3] / "docs" / "browser-guide.png"
FLOWS_SLIDE = "Flows: DPRK → Russia since 2023, and back"
SLOW = 120_000  # ms: connecting and first queries on a loaded CI machine


def grass_rules(text: str) -> dict[str, dict[str, str]]:
    """``selector -> {property: value}`` of a GraSS file (enough of Browser's parser for these checks)."""
    rules = {}
    for selector, body in re.findall(r"([\w.]+)\s*\{([^}]*)\}", text):
        props = {}
        for decl in body.split(";"):
            if ":" in decl:
                key, value = decl.split(":", 1)
                props[key.strip()] = value.strip().strip('"')
        rules[selector] = props
    return rules


@pytest.fixture(scope="module")
def context(chromium, browser_api: str) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = chromium.new_context(viewport={"width": 1600, "height": 1000})
    try:
        yield context
    finally:
        context.close()


@pytest.fixture(scope="module")
def aborted(context) -> list[str]:  # type: ignore[no-untyped-def]
    """The requests the tab tried off the machine (all refused, as on a network without internet access)."""
    return refuse_off_machine(context)


@pytest.fixture(scope="module")
def page(context, aborted: list[str]) -> object:  # type: ignore[no-untyped-def]
    tab = context.new_page()
    tab.set_default_timeout(SLOW)
    return tab


def _connect(page, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"http://127.0.0.1:{settings.local_http_port}/browser/")
    user, password = auth(settings)
    page.locator('[data-testid="boltaddress"]').fill(settings.bolt_uri)
    page.locator('[data-testid="username"]').fill(user)
    page.locator('[data-testid="password"]').fill(password)
    page.locator('[data-testid="connect"]').click()


def _open_slide(page, title: str) -> None:  # type: ignore[no-untyped-def]
    drawer = page.locator('[data-testid="guidesDrawer"]')
    for _ in range(len(load_guide().slides)):
        if drawer.get_by_role("heading", name=title).count():
            return
        page.locator('[data-testid="guideNextSlide"]').click()
        page.wait_for_timeout(300)
    pytest.fail(f"the guide has no slide titled {title!r}")


def _run_block(page, index: int) -> None:  # type: ignore[no-untyped-def]
    """Click the play icon Browser puts on the guide's ``index``-th runnable block (it runs the block)."""
    page.locator('[data-testid="guidesDrawer"] pre.runnable i.fa-play-circle-o').nth(index).click()


def _wait_for_params(page, count: int) -> None:  # type: ignore[no-untyped-def]
    done = page.locator('[data-testid="multi-statement-list-icon"][title="Status: success"]')
    deadline = time.monotonic() + SLOW / 1000
    while done.count() < count:
        if time.monotonic() > deadline:
            pytest.fail(f"only {done.count()} of the {count} :param lines succeeded")
        page.wait_for_timeout(200)


def test_browser_applies_style_opens_guide_and_draws_a_guide_query(  # type: ignore[no-untyped-def]
    page, aborted: list[str], neo4j_settings: Settings, neo4j_driver: Driver, browser_api: str, tmp_path: Path
) -> None:
    rules = grass_rules(STYLE_FILE.read_text(encoding="utf-8"))
    guide = load_guide()
    _connect(page, neo4j_settings)

    # The post-connect command opened the guide in the sidebar …
    drawer = page.locator('[data-testid="guidesDrawer"]')
    drawer.get_by_text(guide.title).wait_for()
    drawer.get_by_role("heading", name=guide.slides[0].title).wait_for()
    # … and applied the style: its :style frame shows the project's rules, without an error.
    style_frame = page.locator('[data-testid="frame"]', has_text=f"{browser_api}/browser/style.grass")
    style_frame.get_by_text("node.State").first.wait_for()
    assert page.locator('[data-testid="frame"]', has_text="Could not").count() == 0

    # One guide step, run from the guide: the flows parameters, then its graph query.
    _open_slide(page, FLOWS_SLIDE)
    flows = Registry.load().get("flows")
    _run_block(page, 0)
    _wait_for_params(page, len(flows.params))
    _run_block(page, 1)
    page.locator("svg g.node").first.wait_for()
    page.wait_for_timeout(3000)  # let the force layout settle for the screenshot

    # The result is drawn with the style: states, transfers and categories in the style's colours, names as captions.
    fills = set(page.locator("svg g.node circle.b-outline").evaluate_all("els => els.map(e => e.getAttribute('fill'))"))
    assert rules["node.State"]["color"] in fills
    assert rules["node.Category"]["color"] in fills
    kinds = {rules[f"node.{kind}"]["color"] for kind in ("MaterielTransfer", "TechnologyTransfer",
                                                         "PersonnelDeployment", "CommodityTransfer")}
    assert fills & kinds, f"no transfer drawn in a transfer colour: {sorted(fills)}"
    records, _, _ = neo4j_driver.execute_query("MATCH (s:State) WHERE s.id IN ['PRK', 'RUS'] RETURN s.name AS name")
    captions = " ".join(page.locator("svg g.node text.caption").all_text_contents())
    for record in records:
        assert record["name"].split()[0] in captions, f"{record['name']!r} is not a caption"
    state = rules["node.State"]
    state_circle = page.locator(f"svg g.node circle.b-outline[fill='{state['color']}']").first
    assert float(state_circle.get_attribute("r") or 0) * 2 == float(state["diameter"].removesuffix("px"))

    # All of it on a closed network: Browser (the patched jar, graph/browser_jar.py) asked no other host for anything.
    assert not aborted, f"requests that left 127.0.0.1: {aborted}"

    _tidy_for_screenshot(page)
    shot = tmp_path / "browser-guide.png"
    page.screenshot(path=str(shot))
    if not SCREENSHOT.exists() or os.environ.get("RDKG_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(shot, SCREENSHOT)


def _tidy_for_screenshot(page) -> None:  # type: ignore[no-untyped-def]
    """Hide Browser's usage-data banner and zoom in one step, so the view shows the guide and a readable result."""
    page.evaluate(
        """() => {
          const text = [...document.querySelectorAll('span')]
            .find(s => (s.textContent || '').startsWith('To help make Neo4j Browser better'));
          if (text && text.parentElement) { text.parentElement.style.display = 'none'; }
        }"""
    )
    page.locator('button[aria-label="zoom-in"]').first.click()  # captions readable around the two states
    page.wait_for_timeout(1000)
