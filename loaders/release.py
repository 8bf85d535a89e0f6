"""Published releases of the knowledge base: manifests, archived inputs, artefacts and the changelog.

A release is a directory ``data/releases/<version>/`` (versions are ``YYYY.MM`` of the publication date):

- ``manifest.json`` — version, date, title, the fact bases it carries, the input files (path under ``data/``,
  SHA-256, size), the ontology files, the input fingerprint (the same one the loader records in the graph,
  :func:`loaders.loadstate.input_fingerprint`), counts, and the release it follows;
- ``files/data/…gz`` and ``files/ontology/…gz`` — the release's input and ontology files, gzip-compressed without
  timestamps (byte-identical when published again from the same files), so a fresh clone can rebuild, load or
  diff any release without git history;
- ``changelog.json`` — what changed since the previous release (:func:`changelog`), computed from the two archives;
- ``SHA256SUMS`` — the hashes of the release's artefacts as built when it was published (the artefacts themselves,
  ~1 MB a release, are not committed: ``rdkg release build`` writes them again and checks them against this).

``rdkg release publish`` writes these from a data directory; ``rdkg release build [VERSION]`` writes the artefacts
(:func:`build`: canonical Turtle, JSON-LD, the flows as tidy CSV — one row per estimate — the changelog and the
manifest) to ``build/releases/<version>/``, byte-identical on every run; ``rdkg load --release VERSION`` loads a
release. Everything here reads RDF with rdflib: no Neo4j needed.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph

from graph.errors import EXIT_BAD_INPUT, RdkgError
from graph.settings import REPO_ROOT, Settings
from loaders.loadstate import InputFile, input_fingerprint
from ontology import ID, ONTOLOGY_DIR, RDKG

VERSION_RE = re.compile(r"^\d{4}\.\d{2}(\.\d+)?$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ONTOLOGY_NAMES = ("rdkg.ttl", "categories.ttl", "shapes.ttl")
#: the ontology files that are part of the knowledge base's RDF (shapes are archived, not exported)
MODEL_NAMES = ("rdkg.ttl", "categories.ttl")
BUILD_DIR = REPO_ROOT / "build" / "releases"
FLOW_COLUMNS = ("flow_id", "from", "to", "category", "measure", "scope", "as_of", "start", "end", "estimator",
                "min", "max", "qualifier", "unit", "claim_ids", "source_ids", "estimate_id")
CHANGE_KINDS = ("claim_added", "claim_superseded", "claim_retracted", "claim_removed", "flow_created",
                "flow_changed", "flow_removed")
FACT_ROW_RE = re.compile(r"^\|\s*([A-Z]\d+)\s*\|", re.MULTILINE)


class ReleaseError(RdkgError):
    """A release that does not exist, does not match its manifest, or cannot be published as asked."""

    status_code = 404
    exit_code = EXIT_BAD_INPUT
    code = "release_error"


# ---- manifests ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Release:
    path: Path  # the release directory
    manifest: dict[str, Any]

    @property
    def version(self) -> str:
        return str(self.manifest["version"])

    @property
    def date(self) -> str:
        return str(self.manifest["date"])

    @property
    def input_fingerprint(self) -> str:
        return str(self.manifest["input_fingerprint"])

    def changelog(self) -> dict[str, Any]:
        path = self.path / "changelog.json"
        if not path.is_file():
            raise ReleaseError(f"{path}: missing (publish the release again)")
        return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def releases_dir(settings: Settings | None = None) -> Path:
    return (settings or Settings()).data_dir / "releases"


def list_releases(root: Path | None = None) -> list[Release]:
    """Every published release under ``root`` (default ``data/releases``), oldest first (by date, version)."""
    root = root if root is not None else releases_dir()
    found = []
    for manifest in sorted(root.glob("*/manifest.json")) if root.is_dir() else []:
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ReleaseError(f"{manifest}: not a readable manifest ({exc})") from exc
        found.append(Release(manifest.parent, data))
    return sorted(found, key=lambda r: (r.date, r.version))


def get_release(version: str, root: Path | None = None) -> Release:
    releases = list_releases(root)
    for release in releases:
        if release.version == version:
            return release
    known = ", ".join(r.version for r in releases) or "none"
    raise ReleaseError(f"no release {version!r} (published: {known})")


def previous_release(release: Release, root: Path | None = None) -> Release | None:
    older = [r for r in list_releases(root) if (r.date, r.version) < (release.date, release.version)]
    return older[-1] if older else None


def release_of_inputs(inputs: Sequence[InputFile], root: Path | None = None) -> str | None:
    """The published release whose data files are exactly ``inputs`` (by content), or None."""
    if not inputs:
        return None
    wanted = input_fingerprint(inputs)
    try:
        releases = list_releases(root)
    except ReleaseError:
        return None
    matches = [r.version for r in releases if r.input_fingerprint == wanted]
    return matches[-1] if matches else None


# ---- archives -----------------------------------------------------------------------------------------------------

def _gzip_bytes(data: bytes) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as handle:
        handle.write(data)
    return out.getvalue()


def _data_files(data_dir: Path) -> list[tuple[str, Path]]:
    """(path under data/, file) of what ``rdkg load data/`` reads: ``*.ttl`` and ``*.csv``, ``csv/*.csv``."""
    files = [*sorted(data_dir.glob("*.ttl")), *sorted(data_dir.glob("*.csv")), *sorted(data_dir.glob("csv/*.csv"))]
    return [(path.relative_to(data_dir).as_posix(), path) for path in files]


def data_files(data_dir: Path) -> list[Path]:
    """The files ``rdkg load data_dir`` reads (``*.ttl``, ``*.csv``, ``csv/*.csv``), in that order."""
    return [path for _, path in _data_files(data_dir)]


def data_fingerprint(files: Sequence[Path]) -> str:
    """The input fingerprint ``rdkg load`` records in the graph (``inputFingerprint``) for these files, from their
    bytes: the API compares it with the loaded graph's before serving RDF from ``data/`` (``api/rdf.py``)."""
    inputs = []
    for path in files:
        digest = hashlib.sha256()
        size = 0
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
        inputs.append(InputFile(path.name, digest.hexdigest(), size))
    return input_fingerprint(inputs)


def _entry(rel: str, data: bytes) -> dict[str, Any]:
    return {"path": rel, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


@contextmanager
def extracted(release: Release) -> Iterator[Path]:
    """The release's files, unpacked and checked against the manifest: ``<tmp>/data`` and ``<tmp>/ontology``."""
    with tempfile.TemporaryDirectory(prefix=f"rdkg-release-{release.version}-") as tmp:
        root = Path(tmp)
        for section, entries in (("data", release.manifest["inputs"]), ("ontology", release.manifest["ontology"])):
            for entry in entries:
                archived = release.path / "files" / section / f"{entry['path']}.gz"
                if not archived.is_file():
                    raise ReleaseError(f"release {release.version}: {archived} is missing")
                data = gzip.decompress(archived.read_bytes())
                if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                    raise ReleaseError(f"release {release.version}: {archived} does not match its manifest hash")
                target = root / section / entry["path"]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        yield root


def input_files(release: Release) -> list[InputFile]:
    return [InputFile(Path(e["path"]).name, e["sha256"], e["bytes"]) for e in release.manifest["inputs"]]


# ---- reading a release's RDF ----------------------------------------------------------------------------------------

def _data_graph(data_dir: Path) -> Graph:
    from loaders.inputs import load_graph, turtle_inputs

    with turtle_inputs([data_dir]) as files:
        return load_graph(files)


def _model_graph(ontology_dir: Path) -> Graph:
    graph = Graph()
    for name in MODEL_NAMES:
        if (ontology_dir / name).is_file():
            graph.parse(ontology_dir / name, format="turtle")
    return graph


@dataclass
class Snapshot:
    """A release's RDF: its data and its model (ontology + categories)."""

    data: Graph
    model: Graph

    @classmethod
    def of(cls, root: Path) -> Snapshot:
        return cls(_data_graph(root / "data"), _model_graph(root / "ontology"))


@contextmanager
def snapshot_of(release: Release) -> Iterator[Snapshot]:
    with extracted(release) as root:
        yield Snapshot.of(root)


def _id(node: Any) -> str | None:
    if node is None:
        return None
    text = str(node)
    return text[len(ID):] if text.startswith(str(ID)) else text


def _value(node: Any) -> Any:
    if isinstance(node, Literal):
        value = node.toPython()
        if isinstance(value, bool | int | float) or (isinstance(value, str) and not isinstance(value, Literal)):
            return value
        return str(node)
    return _id(node)


def _subclasses(model: Graph, top: URIRef) -> set[URIRef]:
    found, todo = {top}, [top]
    while todo:
        for sub in model.subjects(RDFS.subClassOf, todo.pop()):
            if isinstance(sub, URIRef) and sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def _num(value: Any) -> int | float | None:
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def estimate_rows(snap: Snapshot) -> list[dict[str, Any]]:
    """One row per estimate of a flow (:data:`FLOW_COLUMNS`), and one per ``rdkg:hasQuantity`` figure of the flow
    itself (the model before December 2026 has only those), with no estimator or scope and the newest date of the
    claims behind it as its as-of date (when the figure was published). A figure without its
    own period has its flow's. A ``rdkg:Quantity`` hung on an estimate (a capacity beside the figure) is a row of
    its own, with the estimate's estimator and as-of date. Besides the columns, a row says whether it is
    ``current``: not when every claim behind it is superseded or retracted (``rdkg:supersededBy`` /
    ``rdkg:retractedBy``)."""
    g = snap.data
    classes = _subclasses(snap.model, RDKG.Transfer) | {RDKG.Transfer}
    flows = sorted({s for c in classes for s in g.subjects(RDF.type, c) if isinstance(s, URIRef)})
    by_flow: dict[URIRef, list[URIRef]] = {}
    for estimate in g.subjects(RDF.type, RDKG.Estimate):
        flow = g.value(estimate, RDKG.estimateOf)
        if isinstance(flow, URIRef) and isinstance(estimate, URIRef):
            by_flow.setdefault(flow, []).append(estimate)
    rows = []
    for flow in flows:
        estimates = by_flow.get(flow)
        figures: list[tuple[URIRef, URIRef | None]] = [(e, None) for e in sorted(estimates or [])]
        figures += [(q, None) for q in sorted(q for q in g.objects(flow, RDKG.hasQuantity) if isinstance(q, URIRef))]
        for estimate in sorted(estimates or []):
            figures += [(q, estimate) for q in sorted(
                q for q in g.objects(estimate, RDKG.hasQuantity) if isinstance(q, URIRef))]
        for fig, parent in figures:
            claims = sorted(str(c) for c in g.objects(fig, RDKG.supportedBy)) or sorted(
                str(c) for c in g.objects(parent or flow, RDKG.supportedBy)) or sorted(
                str(c) for c in g.objects(flow, RDKG.supportedBy))
            sources = sorted({str(_id(s)) for c in claims for s in g.objects(URIRef(c), RDKG.source)})
            estimators = sorted(str(_id(e)) for e in g.objects(parent or fig, RDKG.estimator))
            as_of = _value(g.value(fig, RDKG.asOf) or (g.value(parent, RDKG.asOf) if parent else None))
            if as_of is None and parent is None and (fig, RDF.type, RDKG.Estimate) not in g:
                dates = sorted(str(_value(d)) for c in claims for d in g.objects(URIRef(c), RDKG.date))
                as_of = dates[-1] if dates else None
            withdrawn = [c for c in claims if (URIRef(c), RDKG.supersededBy, None) in g
                         or (URIRef(c), RDKG.retractedBy, None) in g]
            rows.append({
                "flow_id": _id(flow), "from": _id(g.value(flow, RDKG["from"])), "to": _id(g.value(flow, RDKG.to)),
                "category": _id(g.value(flow, RDKG.ofCategory)), "measure": _value(g.value(fig, RDKG.measure)),
                "scope": _value(g.value(fig, RDKG.scope) or (g.value(parent, RDKG.scope) if parent else None)),
                "as_of": as_of,
                "start": _value(g.value(fig, RDKG.startDate) or (g.value(parent, RDKG.startDate) if parent else None)
                                or g.value(flow, RDKG.startDate)),
                "end": _value(g.value(fig, RDKG.endDate) or (g.value(parent, RDKG.endDate) if parent else None)
                              or g.value(flow, RDKG.endDate)),
                "estimator": ";".join(estimators) or None,
                "min": _num(_value(g.value(fig, RDKG.min))), "max": _num(_value(g.value(fig, RDKG.max))),
                "qualifier": _value(g.value(fig, RDKG.qualifier)), "unit": _value(g.value(fig, RDKG.unit)),
                "claim_ids": ";".join(str(_id(c)) for c in claims), "source_ids": ";".join(sources),
                "estimate_id": _id(fig), "current": not claims or len(withdrawn) < len(claims),
            })
    return rows


def flows_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FLOW_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row[k] is None else row[k] for k in FLOW_COLUMNS})
    return out.getvalue()


# ---- the changelog --------------------------------------------------------------------------------------------------

def _claims(g: Graph) -> dict[str, dict[str, Any]]:
    claims = {}
    for claim in g.subjects(RDF.type, RDKG.Claim):
        claims[str(_id(claim))] = {
            "source": _id(g.value(claim, RDKG.source)), "quote": _value(g.value(claim, RDKG.quote)),
            "date": _value(g.value(claim, RDKG.date)),
            "superseded_by": sorted(str(_id(c)) for c in g.objects(claim, RDKG.supersededBy)),
            "retracted_by": sorted(str(_id(c)) for c in g.objects(claim, RDKG.retractedBy)),
        }
    return claims


def _figures(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """Per (unit, measure): the latest estimate's figure and the range across the current estimates (the latest
    of each estimator; a figure without estimator counts on its own) — never a sum. Estimates whose claims are all
    superseded or retracted are not current: a group of only such estimates has no figure and no range (as the
    API's flows answer it)."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["unit"] or "", row["measure"] or ""), []).append(row)
    out = {}
    for key, everything in sorted(groups.items()):
        members = [r for r in everything if r.get("current", True)]
        if not members:
            continue
        latest = max(members, key=lambda r: (str(r["as_of"] or ""), str(r["estimate_id"])))
        current: dict[str, dict[str, Any]] = {}
        for row in sorted(members, key=lambda r: (str(r["as_of"] or ""), str(r["estimate_id"]))):
            current[row["estimator"] or f"?{row['estimate_id']}"] = row
        lows = [v for r in current.values() for v in (r["min"], r["max"]) if v is not None]
        out[key] = {
            "latest": {"min": latest["min"], "max": latest["max"], "qualifier": latest["qualifier"],
                       "as_of": latest["as_of"], "estimator": latest["estimator"], "estimate": latest["estimate_id"]},
            "range": {"min": min(lows), "max": max(lows)} if lows else None,
            "claims": latest["claim_ids"].split(";") if latest["claim_ids"] else [],
        }
    return out


def _flow_index(snap: Snapshot) -> tuple[dict[str, list[dict[str, Any]]], dict[str, set[str]]]:
    rows = estimate_rows(snap)
    by_flow: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_flow.setdefault(row["flow_id"], []).append(row)
    classes = _subclasses(snap.model, RDKG.Transfer) | {RDKG.Transfer}
    former: dict[str, set[str]] = {}
    for c in classes:
        for flow in snap.data.subjects(RDF.type, c):
            if isinstance(flow, URIRef):
                former[str(_id(flow))] = {str(v) for v in snap.data.objects(flow, RDKG.formerId)}
                by_flow.setdefault(str(_id(flow)), [])
    return by_flow, former


def _moved(snap: Snapshot) -> dict[str, tuple[str, Any, Any]]:
    """Where old figures went: an old figure's id (``rdkg:formerId`` on an estimate, or on a quantity hung on one)
    → (the flow that estimate is of, its measure, its unit)."""
    g = snap.data
    out: dict[str, tuple[str, Any, Any]] = {}
    for estimate in g.subjects(RDF.type, RDKG.Estimate):
        flow = g.value(estimate, RDKG.estimateOf)
        if flow is None:
            continue
        for node in (estimate, *g.objects(estimate, RDKG.hasQuantity)):
            for former in g.objects(node, RDKG.formerId):
                out[str(former)] = (str(_id(flow)), _value(g.value(node, RDKG.measure)),
                                    _value(g.value(node, RDKG.unit)))
    return out


def _figure(fig: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if fig is None else fig["latest"]


def _as_measured(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Old-model figures (no measure) compared as the new flow's one measure of the same unit, if it has one."""
    measures: dict[Any, set[Any]] = {}
    for row in new:
        measures.setdefault(row["unit"], set()).add(row["measure"])
    out = []
    for row in old:
        found = measures.get(row["unit"], set())
        if row["measure"] is None and len(found) == 1:
            row = {**row, "measure": next(iter(found))}
        out.append(row)
    return out


def changelog(old: Snapshot | None, new: Snapshot, old_version: str | None, new_version: str) -> dict[str, Any]:
    """What changed from ``old`` to ``new``: claims added, superseded, retracted and removed; flows created,
    removed, and flows whose latest figure or range changed per (unit, measure) — old → new with the claims behind
    the new figure. A flow that carries an old flow's id as ``rdkg:formerId`` continues it; an old figure whose id
    an estimate carries as ``rdkg:formerId`` is compared on that estimate's flow, in its unit and as its measure
    (the old model's figures had none)."""
    old_claims = _claims(old.data) if old else {}
    new_claims = _claims(new.data)
    items: list[dict[str, Any]] = []

    def item(kind: str, ident: str, **fields: Any) -> None:
        base: dict[str, Any] = {
                "kind": kind, "id": ident, "release": new_version, "previous_release": old_version, "flow": None,
                "former_ids": [], "source": None, "quote": None, "date": None, "by": [], "unit": None, "measure": None,
                "old": None, "new": None, "old_range": None, "new_range": None, "claims": []}
        base.update(fields)
        items.append(base)

    for cid, claim in sorted(new_claims.items()):
        before = old_claims.get(cid)
        text = {"source": claim["source"], "quote": claim["quote"]}

        def since(by: list[str]) -> Any:  # when: the date of the (newest) claim that supersedes or retracts it
            dates = sorted(str(new_claims[b]["date"]) for b in by if b in new_claims and new_claims[b]["date"])
            return dates[-1] if dates else None

        if before is None:
            item("claim_added", cid, date=claim["date"], **text)
        if claim["superseded_by"] and (before is None or not before["superseded_by"]):
            item("claim_superseded", cid, by=claim["superseded_by"], date=since(claim["superseded_by"]), **text)
        if claim["retracted_by"] and (before is None or not before["retracted_by"]):
            item("claim_retracted", cid, by=claim["retracted_by"], date=since(claim["retracted_by"]), **text)
    for cid in sorted(set(old_claims) - set(new_claims)):
        item("claim_removed", cid, source=old_claims[cid]["source"], quote=old_claims[cid]["quote"],
             date=old_claims[cid]["date"])

    old_flows, _ = _flow_index(old) if old else ({}, {})
    new_flows, former = _flow_index(new)
    continuation: dict[str, str] = {}  # old flow id -> the new flow that continues it (same id or formerId)
    for fid in sorted(new_flows):
        for old_id in sorted(({fid} | former.get(fid, set())) & set(old_flows)):
            continuation.setdefault(old_id, fid)
    moved = _moved(new)
    old_rows: dict[str, list[dict[str, Any]]] = {}  # new flow id -> the old figures it is compared with
    for ofid, rows in old_flows.items():
        for row in rows:
            target, measure, unit = moved.get(str(row["estimate_id"]), (continuation.get(ofid), None, None))
            if target is None:
                continue
            if row["measure"] is None and measure is not None:
                row = {**row, "measure": measure}
            if unit is not None and unit != row["unit"]:  # the same figure, counted in the new model's unit
                row = {**row, "unit": unit}
            old_rows.setdefault(target, []).append(row)
    for fid, rows in sorted(new_flows.items()):
        before_ids = sorted(b for b, f in continuation.items() if f == fid)
        new_figs = _figures(rows)
        if not before_ids:
            item("flow_created", fid, flow=fid, claims=sorted({c for f in new_figs.values() for c in f["claims"]}))
        if not before_ids and not old_rows.get(fid):
            continue
        old_figs = _figures(_as_measured(old_rows.get(fid, []), rows))
        formers = sorted(({str(r["flow_id"]) for r in old_rows.get(fid, [])} | set(before_ids)) - {fid})
        for key in sorted(set(old_figs) | set(new_figs)):
            a, b = old_figs.get(key), new_figs.get(key)
            same = a is not None and b is not None and (
                (a["latest"]["min"], a["latest"]["max"], a["latest"]["qualifier"], a["range"])
                == (b["latest"]["min"], b["latest"]["max"], b["latest"]["qualifier"], b["range"]))
            if same:
                continue
            item("flow_changed", fid, flow=fid, former_ids=formers, unit=key[0] or None, measure=key[1] or None,
                 old=_figure(a), new=_figure(b), old_range=a["range"] if a else None,
                 new_range=b["range"] if b else None, claims=b["claims"] if b else [])
    for fid in sorted(set(old_flows) - set(continuation)):
        item("flow_removed", fid, flow=fid)

    order = {kind: i for i, kind in enumerate(CHANGE_KINDS)}
    items.sort(key=lambda it: (order[it["kind"]], it["id"], it["unit"] or "", it["measure"] or ""))
    counts = {kind: sum(1 for it in items if it["kind"] == kind) for kind in CHANGE_KINDS}
    return {"from": old_version, "to": new_version, "counts": counts, "items": items}


# ---- publishing -----------------------------------------------------------------------------------------------------

def _dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def fact_base_summary(path: Path) -> dict[str, Any]:
    """The fact base's fact rows (``| A1 |`` …; the first and last id) and its sources (``| S1 |`` …)."""
    ids = FACT_ROW_RE.findall(path.read_text(encoding="utf-8"))
    rows = [i for i in ids if not i.startswith("S")]
    sources = [i for i in ids if i.startswith("S")]
    if not rows:
        raise ReleaseError(f"{path}: no fact-base rows (| A1 | …) found")
    return {"file": path.name, "rows": len(rows), "first": rows[0], "last": rows[-1], "sources": len(sources),
            "coverage": f"{path.name} {rows[0]}–{rows[-1]}"}


def counts(snap: Snapshot) -> dict[str, int]:
    g = snap.data
    claims = _claims(g)
    flows, _ = _flow_index(snap)
    sources = _subclasses(snap.model, RDKG.SourceDocument) | {RDKG.SourceDocument}
    return {
        "triples": len(g),
        "claims": len(claims),
        "superseded_claims": sum(1 for c in claims.values() if c["superseded_by"]),
        "retracted_claims": sum(1 for c in claims.values() if c["retracted_by"]),
        "flows": len(flows),
        "estimates": sum(1 for _ in g.subjects(RDF.type, RDKG.Estimate)),
        "sources": len({s for c in sources for s in g.subjects(RDF.type, c)}),
    }


def publish(version: str, date: str, title: str, data_dir: Path, ontology_dir: Path = ONTOLOGY_DIR,
            fact_bases: Sequence[Path] = (), root: Path | None = None, note: str | None = None) -> Release:
    """Write ``<root>/<version>/`` (manifest, archived files, changelog vs the release before it by date).

    Publishing again from the same files rewrites identical bytes; a different set of files replaces the release
    (the manifest says what it is, git says what it was)."""
    if not VERSION_RE.match(version):
        raise ReleaseError(f"version {version!r}: use YYYY.MM (the publication month), e.g. 2026.12")
    if not DATE_RE.match(date):
        raise ReleaseError(f"date {date!r}: use YYYY-MM-DD")
    root = root if root is not None else releases_dir()
    files = _data_files(data_dir)
    if not files:
        raise ReleaseError(f"{data_dir}: no *.ttl or csv/*.csv files to publish")
    target = root / version
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=root))
    try:
        inputs = []
        for section, entries in (("data", files),
                                 ("ontology", [(n, ontology_dir / n) for n in ONTOLOGY_NAMES])):
            for rel, path in entries:
                data = path.read_bytes()
                out = staging / "files" / section / f"{rel}.gz"
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(_gzip_bytes(data))
                inputs.append((section, _entry(rel, data)))
        data_entries = [e for s, e in inputs if s == "data"]
        manifest: dict[str, Any] = {
            "version": version, "date": date, "title": title, "note": note,
            "fact_bases": [fact_base_summary(p) for p in fact_bases],
            "input_fingerprint": input_fingerprint([InputFile(Path(e["path"]).name, e["sha256"], e["bytes"])
                                                    for e in data_entries]),
            "inputs": data_entries,
            "ontology": [e for s, e in inputs if s == "ontology"],
        }
        snap = Snapshot(_data_graph(data_dir), _model_graph(ontology_dir))
        manifest["counts"] = counts(snap)
        dates = sorted(str(d) for d in snap.data.objects(None, RDKG.date))
        manifest["sources_until"] = dates[-1][:10] if dates else None
        before = [r for r in list_releases(root) if (r.date, r.version) < (date, version) and r.version != version]
        previous = before[-1] if before else None
        manifest["previous"] = previous.version if previous else None
        if previous is not None:
            with snapshot_of(previous) as old:
                log = changelog(old, snap, previous.version, version)
        else:
            log = changelog(None, snap, None, version)
        (staging / "changelog.json").write_text(_dumps(log), encoding="utf-8")
        (staging / "manifest.json").write_text(_dumps(manifest), encoding="utf-8")
        (staging / "SHA256SUMS").write_text(sha256sums(artefacts(Release(staging, manifest))), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Release(target, json.loads((target / "manifest.json").read_text(encoding="utf-8")))


# ---- artefacts ------------------------------------------------------------------------------------------------------

def _canonical(graph: Graph) -> Graph:
    canon = to_canonical_graph(graph)
    out = Graph()
    out.bind("rdkg", RDKG)
    out.bind("id", ID)
    for triple in canon:
        out.add(triple)
    return out


def turtle(graph: Graph, canonical: Graph | None = None) -> bytes:
    """Sorted, canonical Turtle (blank nodes relabelled canonically): the same bytes for the same triples."""
    return (canonical or _canonical(graph)).serialize(format="turtle", encoding="utf-8")


def jsonld(graph: Graph, canonical: Graph | None = None) -> bytes:
    """JSON-LD with nodes sorted by ``@id`` and every value list sorted: the same bytes for the same triples."""
    raw = json.loads((canonical or _canonical(graph)).serialize(format="json-ld", encoding="utf-8"))
    nodes = raw if isinstance(raw, list) else raw.get("@graph", [raw])

    def norm(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: norm(v) for k, v in sorted(value.items())}
        if isinstance(value, list):
            return sorted((norm(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return value

    doc = {"@context": {"rdkg": str(RDKG), "id": str(ID)},
           "@graph": sorted((norm(n) for n in nodes), key=lambda n: str(n.get("@id", "")))}
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def artefacts(release: Release) -> dict[str, bytes]:
    """The release's artefacts by file name: canonical Turtle and JSON-LD of data + model, the flows CSV (one row
    per estimate), the changelog and the manifest."""
    with snapshot_of(release) as snap:
        kb = Graph()
        for triple in snap.data:
            kb.add(triple)
        for triple in snap.model:
            kb.add(triple)
        canonical = _canonical(kb)
        out = {
            f"rdkg-{release.version}.ttl": turtle(kb, canonical),
            f"rdkg-{release.version}.jsonld": jsonld(kb, canonical),
            f"flows-{release.version}.csv": flows_csv(estimate_rows(snap)).encode("utf-8"),
        }
    out["changelog.json"] = (release.path / "changelog.json").read_bytes()
    out["manifest.json"] = (release.path / "manifest.json").read_bytes()
    return out


def sha256sums(files: dict[str, bytes]) -> str:
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items()))


def build(version: str | None = None, out_root: Path = BUILD_DIR, root: Path | None = None) -> Path:
    """Write the artefacts of ``version`` (default: the newest release) to ``out_root/<version>/`` and check them
    against the ``SHA256SUMS`` recorded when the release was published (ReleaseError names what differs)."""
    releases = list_releases(root)
    if not releases:
        raise ReleaseError(f"no releases published in {root if root is not None else releases_dir()}")
    release = get_release(version, root) if version else releases[-1]
    out = out_root / release.version
    files = artefacts(release)
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out / name).write_bytes(data)
    sums = sha256sums(files)
    (out / "SHA256SUMS").write_text(sums, encoding="utf-8")
    recorded = release.path / "SHA256SUMS"
    if recorded.is_file() and recorded.read_text(encoding="utf-8") != sums:
        differ = sorted(set(recorded.read_text(encoding="utf-8").splitlines()) ^ set(sums.splitlines()))
        names = sorted({line.split("  ", 1)[-1] for line in differ})
        raise ReleaseError(f"release {release.version}: the built {', '.join(names)} differ from {recorded} (written "
                           f"to {out}); a different rdflib or loader version? publish the release again to record "
                           "the new hashes")
    return out
