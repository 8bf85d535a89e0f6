"""The Neo4j Browser guide (graph/browser/guide.toml, rendered by api/browser_routes.py) and its routes.

The guide's queries are the canned queries: every query it names must be in the registry, every parameter it sets
must be declared by that query, and its ``:param`` lines cover every parameter (defaults included).
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import browser_routes
from api.browser_routes import (
    Guide,
    GuideError,
    Slide,
    Step,
    cypher_literal,
    graph_view,
    guide_statements,
    load_guide,
    missing_queries,
    param_lines,
    render_guide,
)
from queries.registry import Registry, parse_file

PARAM_USE = re.compile(r"\$([A-Za-z_]\w*)")


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


class _Blocks(HTMLParser):
    """Collects the text of ``<pre class="runnable">`` blocks and counts ``<slide>`` elements."""

    def __init__(self) -> None:
        super().__init__()
        self.slides, self.blocks, self._in = 0, [], False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "slide":
            self.slides += 1
        if tag == "pre" and "runnable" in (dict(attrs).get("class") or ""):
            self._in = True
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.blocks[-1] += data


def test_every_query_the_guide_names_is_a_canned_query(registry: Registry) -> None:
    names = load_guide().query_names
    assert names and missing_queries(registry) == []
    for needed in ("flows", "claims_about", "meetings", "treaties", "votes", "shortest_paths"):
        assert needed in names, f"the guide has no step using {needed}"


def test_the_guide_renders_one_slide_each_with_runnable_blocks(registry: Registry) -> None:
    guide = load_guide()
    parser = _Blocks()
    parser.feed(render_guide(registry))
    assert parser.slides == len(guide.slides)
    assert f"<title>{guide.title}</title>" in render_guide(registry)
    for query in (registry.get(name) for name in guide.query_names):
        assert query.text in parser.blocks, f"the guide does not show the canned text of {query.name}"


def test_param_lines_cover_every_parameter_with_the_steps_values(registry: Registry) -> None:
    flows = registry.get("flows")
    lines = param_lines(flows, {"from_state": "PRK", "since": "2023", "both_directions": "true"}).splitlines()
    assert len(lines) == len(flows.params)
    assert ":param from_state => 'PRK';" in lines
    assert ":param since => date('2023-01-01');" in lines  # parsed like API input: a year is its first day
    assert ":param both_directions => true;" in lines
    assert ":param limit => 50;" in lines and ":param to_state => null;" in lines


def test_a_step_may_not_set_an_undeclared_or_skip_a_required_parameter(registry: Registry) -> None:
    with pytest.raises(GuideError, match="undeclared"):
        param_lines(registry.get("flows"), {"from": "PRK"})
    with pytest.raises(GuideError, match="required"):
        param_lines(registry.get("claims_about"), {})


def test_draw_tails_use_only_the_querys_parameters(registry: Registry) -> None:
    for slide in load_guide().slides:
        for step in slide.steps:
            if step.draw:
                declared = {p.name for p in registry.get(step.query).params}
                used = set(PARAM_USE.findall(step.draw))
                assert used <= declared, f"{step.query}: draw uses {sorted(used - declared)}"


def test_graph_view_wraps_the_canned_query_in_a_subquery(registry: Registry) -> None:
    query = registry.get("votes")
    view = graph_view(query, "MATCH (r:Resolution {id: id}) RETURN r")
    assert view.startswith("CALL () {\n") and view.endswith("}\nMATCH (r:Resolution {id: id}) RETURN r")
    assert all(line.startswith("  ") or not line.strip() for line in view.splitlines()[1:-2])
    statements = guide_statements(registry)
    assert len(statements) == sum(len(s.steps) for s in load_guide().slides)


@pytest.mark.parametrize(
    ("value", "literal"),
    [(None, "null"), (True, "true"), (False, "false"), (50, "50"), ("PRK", "'PRK'"), ("O'Neil", "'O\\'Neil'"),
     (dt.date(2023, 9, 1), "date('2023-09-01')"), (["A", "B"], "['A', 'B']"), ([], "[]")],
)
def test_cypher_literals(value: object, literal: str) -> None:
    assert cypher_literal(value) == literal


def test_a_missing_query_is_reported_in_the_guide_not_a_crash(registry: Registry, tmp_path) -> None:  # type: ignore[no-untyped-def]
    only = tmp_path / "only.cypher"
    only.write_text("// name: only\n// description: One.\n// mode: read\nRETURN 1 AS one\n", encoding="utf-8")
    small = Registry({"only": parse_file(only)})
    guide = Guide("t", (Slide("s", "<p>b</p>", (Step("flows", "", {}, None),)),))
    assert "Not available yet" in render_guide(small, guide)
    assert missing_queries(small, guide.query_names) == ["flows"]


def _client() -> TestClient:
    app = FastAPI()
    app.include_router(browser_routes.router)
    return TestClient(app)


def test_routes_serve_style_and_guide_with_cors() -> None:
    client = _client()
    style = client.get("/browser/style.grass", headers={"Origin": "http://127.0.0.1:7474"})
    assert style.status_code == 200 and style.text.startswith("node {")
    assert style.headers["access-control-allow-origin"] == "*"
    guide = client.get("/browser/guide")
    assert guide.status_code == 200 and guide.headers["content-type"].startswith("text/html")
    assert "<slide" in guide.text and guide.headers["access-control-allow-origin"] == "*"


def test_guide_preflight_allows_browsers_no_cache_headers() -> None:
    """Browser fetches guides with Pragma / Cache-Control request headers, which need a CORS preflight."""
    response = _client().options("/browser/guide", headers={
        "Origin": "http://127.0.0.1:7474", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "pragma,cache-control"})
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["access-control-allow-headers"] == "*"


def test_the_guide_links_the_dashboard_and_the_api_docs_at_the_api_address(registry: Registry) -> None:
    """The guide runs inside Neo4j Browser (another origin): its links to the API's pages are absolute."""
    html_text = render_guide(registry, api_url="http://127.0.0.1:8000/")
    assert 'href="http://127.0.0.1:8000/dashboard"' in html_text
    assert 'href="http://127.0.0.1:8000/docs"' in html_text
    assert "{api}" not in html_text
