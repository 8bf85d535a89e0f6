"""Neo4j Browser content served by the API: the graph style and the investigation guide.

- ``GET /browser/style.grass``: ``graph/browser/rdkg.grass`` (``:style <url>`` in Browser).
- ``GET /browser/guide``: the guide as Browser guide HTML (``<slide>`` sections, runnable ``<pre>`` blocks), built
  *per request* from ``graph/browser/guide.toml`` and the canned queries (``queries/*.cypher``), so its queries are
  always the API's queries (``:guide <url>`` opens it in the sidebar, ``:play <url>`` in a frame).

Each guide step sets the canned query's parameters with ``:param`` lines (values parsed exactly like API input),
runs the canned query (rows, as the API returns them) and, where the step has a ``draw`` tail, the same query
wrapped in ``CALL () { … }`` followed by a tail that turns its rows back into nodes and paths, so the Browser draws
them with the style. Browser fetches both cross-origin (a preflight for the guide), so the routes answer CORS for
any origin: the content is public and read-only.
"""

from __future__ import annotations

import datetime as dt
import html
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response

from graph.browser import GUIDE_FILE, GUIDE_PATH, STYLE_PATH, style_text
from graph.errors import RdkgError
from queries.params import coerce
from queries.registry import CannedQuery, Registry


class GuideError(RdkgError):
    """guide.toml is malformed or names a parameter its query does not declare (raised at start-up)."""

    code = "guide_error"


@dataclass(frozen=True)
class Step:
    query: str  # a canned query name (queries/*.cypher)
    intro: str  # HTML shown above the step
    params: Mapping[str, str]  # parameter → value as the API takes it ("PRK", "2023", "true"); others: defaults
    draw: str | None  # Cypher appended after CALL () { <canned query> } to return nodes/paths; None: table only


@dataclass(frozen=True)
class Slide:
    title: str
    body: str  # HTML
    steps: tuple[Step, ...]
    cypher: tuple[str, ...] = ()  # plain runnable Cypher (the overview's counts), not canned


@dataclass(frozen=True)
class Guide:
    title: str
    slides: tuple[Slide, ...]

    @property
    def query_names(self) -> list[str]:
        return list(dict.fromkeys(step.query for slide in self.slides for step in slide.steps))


def _step(raw: dict[str, Any]) -> Step:
    try:
        params = {str(k): str(v).lower() if isinstance(v, bool) else str(v) for k, v in raw.get("params", {}).items()}
        return Step(raw["query"], raw.get("intro", ""), params, raw.get("draw"))
    except KeyError as exc:
        raise GuideError(f"guide step lacks {exc}") from None


@cache
def load_guide(path: Path = GUIDE_FILE) -> Guide:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    slides = tuple(
        Slide(s["title"], s.get("body", ""), tuple(_step(x) for x in s.get("steps", [])), tuple(s.get("cypher", [])))
        for s in data.get("slides", [])
    )
    if not slides:
        raise GuideError(f"{path.name}: no [[slides]]")
    return Guide(data.get("title", "rdkg"), slides)


def cypher_literal(value: Any) -> str:
    """A parameter value as the Cypher expression a ``:param name => …`` line evaluates."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return f"date('{value.isoformat()}')"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


def param_values(query: CannedQuery, given: Mapping[str, str]) -> dict[str, Any]:
    """Every parameter of ``query``: the step's values (parsed like API input) or the query's defaults."""
    unknown = sorted(set(given) - {p.name for p in query.params})
    if unknown:
        raise GuideError(f"guide step for {query.name!r} sets undeclared parameter(s): {', '.join(unknown)}")
    values: dict[str, Any] = {}
    for param in query.params:
        if param.name in given:
            values[param.name] = coerce(param.type, given[param.name])
        elif param.required:
            raise GuideError(f"guide step for {query.name!r} must set the required parameter {param.name!r}")
        else:
            values[param.name] = param.default
    return values


def param_lines(query: CannedQuery, given: Mapping[str, str]) -> str:
    return "\n".join(f":param {name} => {cypher_literal(value)};" for name, value in param_values(query, given).items())


def graph_view(query: CannedQuery, draw: str) -> str:
    """The canned query as a subquery, then the step's tail that returns its rows as nodes and paths."""
    body = "\n".join("  " + line if line.strip() else "" for line in query.text.splitlines())
    return f"CALL () {{\n{body}\n}}\n{draw.strip()}"


def guide_statements(registry: Registry, guide: Guide | None = None) -> list[tuple[str, str, str | None]]:
    """(query name, :param lines, graph view or None) for every step whose query exists (tests run these)."""
    out = []
    for slide in (guide or load_guide()).slides:
        for step in slide.steps:
            if step.query in registry:
                query = registry.get(step.query)
                out.append((step.query, param_lines(query, step.params),
                            graph_view(query, step.draw) if step.draw else None))
    return out


def _pre(text: str) -> str:
    return f'<pre mode="cypher" class="runnable">{html.escape(text, quote=False)}</pre>'


def _render_step(registry: Registry, step: Step) -> str:
    if step.query not in registry:
        return (f"<p><strong>Not available yet:</strong> this step uses the canned query "
                f"<code>{html.escape(step.query)}</code>, which this server does not have.</p>")
    query = registry.get(step.query)
    parts = [step.intro,
             f'<p class="lead"><code>{html.escape(query.name)}</code> — {html.escape(query.description)}</p>']
    number = 1
    if query.params:
        parts += [f"<p>{number}. Set its parameters (▶, then wait for the ticks; edit values, rerun to explore):</p>",
                  _pre(param_lines(query, step.params))]
        number += 1
    if step.draw:
        parts += [f"<p>{number}. Draw the answer as a graph (the canned query in <code>CALL () {{ … }}</code>):</p>",
                  _pre(graph_view(query, step.draw))]
        number += 1
        parts.append(f"<p>{number}. Or see the rows exactly as the API returns them:</p>")
    else:
        parts.append(f"<p>{number}. Run the canned query (rows exactly as the API returns them):</p>")
    parts.append(_pre(query.text))
    return "\n".join(p for p in parts if p)


def _render_slide(registry: Registry, slide: Slide, api_url: str) -> str:
    parts = [f"<h3>{html.escape(slide.title)}</h3>", slide.body.replace("{api}", html.escape(api_url))]
    parts += [_pre(text.strip()) for text in slide.cypher]
    parts += [_render_step(registry, step) for step in slide.steps]
    inner = "\n".join(p for p in parts if p)
    return f'<slide class="row-fluid">\n<div class="col-sm-12">\n{inner}\n</div>\n</slide>'


def render_guide(registry: Registry, guide: Guide | None = None, api_url: str = "") -> str:
    """The whole guide as HTML for ``:guide <url>`` (sidebar) or ``:play <url>`` (a frame).

    ``{api}`` in a slide's body becomes ``api_url``, the API's address as the browser reached it (the guide runs
    inside Neo4j Browser, on another origin, so links to the API's pages must be absolute)."""
    guide = guide or load_guide()
    slides = "\n".join(_render_slide(registry, slide, api_url.rstrip("/")) for slide in guide.slides)
    title = html.escape(guide.title)
    return (f"<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n</head>\n<body>\n"
            f"<article class=\"guide\">\n<carousel class=\"deck container\">\n{slides}\n</carousel>\n</article>\n"
            "</body>\n</html>\n")


def missing_queries(registry: Registry, names: Iterable[str] | None = None) -> list[str]:
    return [name for name in (names if names is not None else load_guide().query_names) if name not in registry]


# -- routes ---------------------------------------------------------------------------------------------------------
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "*",
    "Access-Control-Max-Age": "600",
}

router = APIRouter(tags=["browser"])


def _registry(request: Request) -> Registry:
    graph = getattr(request.app.state, "graph", None)
    registry = getattr(graph, "registry", None)
    return registry if isinstance(registry, Registry) else Registry.load()


@router.get(STYLE_PATH, response_class=Response, summary="Neo4j Browser style (GraSS) for this graph")
def browser_style() -> Response:
    return Response(style_text(), media_type="text/plain; charset=utf-8", headers=CORS_HEADERS)


@router.get(GUIDE_PATH, response_class=Response, summary="Neo4j Browser guide: an investigation walk-through")
def browser_guide(request: Request) -> Response:
    guide = render_guide(_registry(request), api_url=str(request.base_url))
    return Response(guide, media_type="text/html; charset=utf-8", headers=CORS_HEADERS)


@router.options(STYLE_PATH, include_in_schema=False)
@router.options(GUIDE_PATH, include_in_schema=False)
def browser_preflight() -> Response:
    return Response(status_code=204, headers=CORS_HEADERS)
