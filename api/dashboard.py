"""The reference dashboard (``/dashboard``): a static page built only on the public REST API.

- ``GET /dashboard``: the page (``api/static/dashboard/index.html``); its views and filters live in the query string
  (``/dashboard?view=flows&from=PRK&to=RUS&since=2023``), so a view is a link and the back button works.
- ``GET /dashboard/static/{name}``: the page's own code and style (plain JavaScript modules, one CSS file).
- ``GET /dashboard/vendor/plotly.min.js``: the charting library, plotly.js, exactly as the PyPI ``plotly`` package
  (pinned in pyproject.toml, installed by ``make install``) ships it — served from the API's own origin, so the
  page needs no CDN, no internet and no Node toolchain.

The page reads the same JSON routes any dashboard would (``/flows``, ``/flows/{id}``, ``/flows/{id}/estimates``,
``/flows/summary``, ``/timeline``, ``/votes``, ``/entities``, ``/claims``, ``/queries/categories`` …); see
docs/dashboard.md.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, Response

from api.errors import NotFound

STATIC_DIR = Path(__file__).resolve().parent / "static" / "dashboard"
MEDIA = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".png": "image/png", ".svg": "image/svg+xml"}

router = APIRouter(tags=["dashboard"], include_in_schema=False)


@cache
def plotly_js() -> Path:
    """The plotly.js bundle inside the installed ``plotly`` package."""
    path = Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))
    if not path.is_file():
        raise FileNotFoundError(f"{path}: the plotly package ships no plotly.min.js (reinstall: make install)")
    return path


def plotly_js_version() -> str:
    from plotly.offline import get_plotlyjs_version

    return str(get_plotlyjs_version())


@router.get("/dashboard")
async def page() -> Response:
    return FileResponse(STATIC_DIR / "index.html", media_type=MEDIA[".html"])


@router.get("/dashboard/static/{name}")
async def static(name: Annotated[str, PathParam(pattern=r"^[a-z][a-z0-9_-]*\.(js|css|png|svg)$")]) -> Response:
    path = STATIC_DIR / name
    if not path.is_file():
        raise NotFound(f"the dashboard has no file {name!r}")
    return FileResponse(path, media_type=MEDIA[path.suffix])


@router.get("/dashboard/vendor/plotly.min.js")
async def plotly() -> Response:
    return FileResponse(plotly_js(), media_type=MEDIA[".js"])
