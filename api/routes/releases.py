"""``GET /releases`` (the published releases) and ``GET /changes`` (their changelogs), from ``data/releases/``.

Both read the release files (``api.releases.ReleaseCatalogue``), not Neo4j: they answer while Neo4j is down.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import Response

from api.errors import KnowledgeBaseUnavailable
from api.models import error_responses
from api.models.releases import Change, ChangeKind, ChangePage, ReleaseInfo, ReleaseList
from api.params import PageDep, date_param
from api.releases import ReleaseCatalogue
from api.responses import typed
from api.routes.flows import wants_csv
from graph.errors import InvalidParameter
from loaders.release import ReleaseError

router = APIRouter(tags=["releases"])
VERSION = re.compile(r"^\d{4}\.\d{2}(\.\d+)?$")
CSV_COLUMNS = ["release", "release_date", "previous_release", "kind", "id", "flow", "former_ids", "source", "quote",
               "date", "by", "unit", "measure", "old_min", "old_max", "old_qualifier", "old_as_of", "old_estimator",
               "new_min", "new_max", "new_qualifier", "new_as_of", "new_estimator", "old_range_min",
               "old_range_max", "new_range_min", "new_range_max", "claims"]


def catalogue(request: Request) -> ReleaseCatalogue:
    return request.app.state.releases  # type: ignore[no-any-return]


def graph_release(request: Request) -> str:
    version = request.app.state.version
    return catalogue(request).label(version.release, version.data_fingerprint)


def _releases(request: Request) -> list[Any]:
    try:
        return list(catalogue(request).releases())
    except ReleaseError as exc:
        raise KnowledgeBaseUnavailable(str(exc)) from None


@router.get("/releases", response_model=ReleaseList, responses=error_responses(503),
            summary="The published releases: versions, dates, titles, fact-base coverage, counts", operation_id=
            "list_releases")
async def list_releases(request: Request) -> Response:
    """Oldest first; `graph_release` is the release the graph answers from (as the `X-Rdkg-Release` header)."""
    items = [ReleaseInfo.from_manifest(r.manifest, {k: v for k, v in catalogue(request).changelog(r.version)
                                                    ["counts"].items() if v})
             for r in _releases(request)]
    return typed(ReleaseList(graph_release=graph_release(request), items=items))


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return "" if value is None else value


def changes_csv(page: ChangePage) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in page.items:
        fig = {f"{side}_{k}": getattr(getattr(c, side), k) if getattr(c, side) else None
               for side in ("old", "new") for k in ("min", "max", "qualifier", "as_of", "estimator")}
        ranges = {f"{side}_{k}": getattr(getattr(c, side), k) if getattr(c, side) else None
                  for side in ("old_range", "new_range") for k in ("min", "max")}
        row = {**c.model_dump(), **fig, **ranges}
        writer.writerow([_cell(row[col]) for col in CSV_COLUMNS])
    return out.getvalue()


@router.get(
    "/changes",
    response_model=ChangePage,
    responses={**error_responses(422, 503), 200: {"content": {"text/csv": {"example": ",".join(CSV_COLUMNS)}}}},
    summary="What changed in the knowledge base since a release or a date: claims added, superseded, retracted; "
            "flows created; figures changed (old → new)",
    operation_id="list_changes",
)
async def list_changes(
    request: Request,
    page: PageDep,
    since: Annotated[str | None, Query(description="a release version (changes of the releases after it; "
                                                   "'2026.11+' as in X-Rdkg-Release is the same) or a date "
                                                   "YYYY[-MM[-DD]] (releases published on or after it); omitted: "
                                                   "every release's changes")] = None,
    kind: Annotated[ChangeKind | None, Query(description="only this kind of change")] = None,
    format: Annotated[Literal["json", "csv"] | None, Query(description="csv = the same rows as CSV")] = None,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    """The changelogs of the releases after `since`, oldest release first, each in its changelog's order (kind,
    then id). Lists published releases only: edits to `data/` since the newest release (the graph says `V+`) are
    in the next release's changes."""
    releases = _releases(request)
    version = since.removesuffix("+") if since else since  # "2026.11+" (an X-Rdkg-Release value) = after 2026.11
    if since is None or since == "":
        chosen = releases
    elif version and VERSION.match(version):
        versions = [r.version for r in releases]
        if version not in versions:
            raise InvalidParameter("since", f"no release {since!r}; published: {', '.join(versions) or 'none'}")
        chosen = releases[versions.index(version) + 1:]
    else:
        day = date_param(since, "since")
        chosen = [r for r in releases if day is None or r.date >= day.isoformat()]
    items = [Change.model_validate({**item, "release_date": rel.date})
             for rel in chosen for item in catalogue(request).changelog(rel.version)["items"]
             if kind is None or item["kind"] == kind]
    result = ChangePage(since=since or None, releases=[r.version for r in chosen], limit=page.limit,
                        offset=page.offset, total=len(items), items=items[page.offset:page.offset + page.limit])
    if wants_csv(format, accept):
        return Response(changes_csv(result), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="changes.csv"'})
    return typed(result)
