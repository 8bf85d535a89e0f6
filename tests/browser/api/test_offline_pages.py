"""Every page a user opens works with no internet and trusts only its own origin, in headless Chromium.

Each page is opened in a fresh browser context that **aborts every request leaving 127.0.0.1** (any other host,
``localhost`` included, is refused and recorded) and records every Content-Security-Policy violation the page reports
(the ``securitypolicyviolation`` event and Chromium's console message). Then: the landing page shows its links,
``/docs`` shows Swagger UI listing the API's routes, the dashboard (skipped only while the API has no
``/dashboard``) draws, and Neo4j Browser connects, applies the project's style and shows the guide's first step.
Every page — Neo4j Browser included — ends with 0 aborted requests, 0 CSP violations and no uncaught error. Neo4j
Browser (Neo4j's own app, served by the managed Neo4j, not by the API) is the patched copy graph/browser_jar.py
installs: the pinned Browser 5.24 jar would try Google Fonts, Sentry, Segment and Canny (Community 5.26 has no
setting against it). tests/browser/graph/test_browser_jar_served.py checks that the server serves that copy. See
docs/reliability.md, "Offline and headers", and docs/browser.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from api.browser_routes import load_guide
from graph.settings import Settings
from tests.browser.chromium import LOOPBACK, refuse_off_machine
from tests.browser.graph.test_browser_e2e import SLOW, _connect

pytestmark = pytest.mark.browser

WATCH = """
window.__rdkgCsp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__rdkgCsp.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


@dataclass
class Watch:
    """What one page did that it must not: requests to another host, CSP violations, uncaught errors."""

    aborted: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def assert_clean(self, page) -> None:  # type: ignore[no-untyped-def]
        reported = page.evaluate("() => window.__rdkgCsp || []")
        violations = sorted(set(self.csp) | set(reported))
        assert not self.aborted, f"requests that left {LOOPBACK}: {self.aborted}"
        assert not violations, f"CSP violations: {violations}"


@pytest.fixture
def offline(chromium) -> Iterator[tuple[object, Watch]]:  # type: ignore[no-untyped-def]
    """A page in its own context: requests beyond 127.0.0.1 aborted and recorded, CSP violations recorded."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    watch = Watch(aborted=refuse_off_machine(context))
    context.add_init_script(WATCH)
    page = context.new_page()
    page.set_default_timeout(SLOW)
    page.on("console", lambda m: watch.csp.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    try:
        yield page, watch
    finally:
        context.close()


def test_landing_page_renders_offline(offline, browser_api: str) -> None:  # type: ignore[no-untyped-def]
    page, watch = offline
    page.goto(f"{browser_api}/")
    for label in ("Dashboard", "API documentation", "OpenAPI document", "Neo4j Browser", "Investigation guide"):
        page.get_by_role("link", name=label).wait_for()
    # the stylesheet applied (it is the only style the page may have)
    assert page.evaluate("() => getComputedStyle(document.querySelector('ul.links')).listStyleType") == "none"
    watch.assert_clean(page)
    assert not watch.errors, watch.errors


def test_swagger_ui_lists_the_routes_offline(offline, browser_api: str) -> None:  # type: ignore[no-untyped-def]
    page, watch = offline
    paths = set(httpx.get(f"{browser_api}/openapi.json", timeout=30).json()["paths"])
    page.goto(f"{browser_api}/docs")
    page.locator(".opblock-summary-path").first.wait_for()
    shown = {text.strip().replace("\u200b", "") for text in page.locator(".opblock-summary-path").all_inner_texts()}
    assert paths <= shown, f"Swagger UI does not list {sorted(paths - shown)}"
    # Swagger UI's own stylesheet applied (served from /docs/assets)
    assert page.evaluate("() => getComputedStyle(document.querySelector('.swagger-ui .opblock')).borderRadius") != "0px"
    watch.assert_clean(page)
    assert not watch.errors, watch.errors


def test_dashboard_renders_offline(offline, browser_api: str) -> None:  # type: ignore[no-untyped-def]
    page, watch = offline
    if httpx.get(f"{browser_api}/dashboard", timeout=30).status_code == 404:
        pytest.skip("the API has no /dashboard yet")
    # the totals view draws a plotly chart (plotly.js injects <style> elements: the CSP allows exactly those)
    page.goto(f"{browser_api}/dashboard?view=totals&from=PRK&to=RUS")
    page.locator(".chart .main-svg").first.wait_for()
    assert page.locator(".chart g.trace.bars path").count() > 0, "the totals chart has no bars"
    watch.assert_clean(page)
    assert not watch.errors, watch.errors


def test_neo4j_browser_connects_styles_and_guides_offline(  # type: ignore[no-untyped-def]
    offline, neo4j_settings: Settings, browser_api: str
) -> None:
    page, watch = offline
    guide = load_guide()
    _connect(page, neo4j_settings)
    drawer = page.locator('[data-testid="guidesDrawer"]')
    drawer.get_by_role("heading", name=guide.slides[0].title).wait_for()
    style_frame = page.locator('[data-testid="frame"]', has_text=f"{browser_api}/browser/style.grass")
    style_frame.get_by_text("node.State").first.wait_for()
    assert page.locator('[data-testid="frame"]', has_text="Could not").count() == 0
    page.wait_for_timeout(2000)  # anything Browser sends after connecting (news, telemetry) is caught by now
    watch.assert_clean(page)
    assert not watch.errors, watch.errors
