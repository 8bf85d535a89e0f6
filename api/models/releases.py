"""Models of ``/releases`` and ``/changes`` (api/routes/releases.py): published releases and their changelogs."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from api.models.common import Page, examples

ChangeKind = Literal["claim_added", "claim_superseded", "claim_retracted", "claim_removed", "flow_created",
                     "flow_changed", "flow_removed"]


class FactBase(BaseModel):
    file: str = Field(description="the fact base's file (../shared/sources/)")
    rows: int = Field(description="fact rows carried (A1 …)")
    first: str
    last: str
    sources: int | None = Field(None, description="source rows (S…) of the fact base")
    coverage: str | None = Field(None, description="e.g. 'fact-base.md A1–I9'")


class ReleaseCounts(BaseModel):
    triples: int
    claims: int
    superseded_claims: int
    retracted_claims: int
    flows: int
    estimates: int
    sources: int


class ReleaseInfo(BaseModel):
    version: str = Field(description="YYYY.MM of the publication month")
    date: str = Field(description="publication date")
    title: str
    note: str | None = None
    coverage: list[str] = Field(description="the fact-base rows the release carries")
    fact_bases: list[FactBase]
    counts: ReleaseCounts
    previous: str | None = Field(description="the release before it (its changelog is against that one)")
    sources_until: str | None = Field(None, description="the newest date in the release's data")
    input_fingerprint: str = Field(description="SHA-256 over the data files' hashes (as in /health data_fingerprint)")
    changes: dict[str, int] = Field(description="changelog counts by kind, against `previous`")

    @classmethod
    def from_manifest(cls, manifest: dict[str, Any], changes: dict[str, int]) -> ReleaseInfo:
        fact_bases = [FactBase.model_validate(f) for f in manifest.get("fact_bases", [])]
        return cls(version=manifest["version"], date=manifest["date"], title=manifest["title"],
                   note=manifest.get("note"), coverage=[f.coverage or f.file for f in fact_bases],
                   fact_bases=fact_bases, counts=ReleaseCounts.model_validate(manifest["counts"]),
                   previous=manifest.get("previous"), sources_until=manifest.get("sources_until"),
                   input_fingerprint=manifest["input_fingerprint"], changes=changes)


class ReleaseList(BaseModel):
    model_config = examples({"graph_release": "2026.11", "items": [{
        "version": "2026.11", "date": "2026-11-28", "title": "The May-2025 knowledge base", "note": None,
        "coverage": ["fact-base.md A1–I9"], "fact_bases": [{"file": "fact-base.md", "rows": 153, "first": "A1",
                                                              "last": "I9", "sources": 132,
                                                              "coverage": "fact-base.md A1–I9"}],
        "counts": {"triples": 5442, "claims": 195, "superseded_claims": 0, "retracted_claims": 0, "flows": 28,
                   "estimates": 0, "sources": 136},
        "previous": None, "sources_until": "2025-06-19", "input_fingerprint": "b16e11d3…",
        "changes": {"claim_added": 195, "flow_created": 28}}]})
    graph_release: str = Field(description="the release the graph answers from (as in the X-Rdkg-Release header): "
                                           "VERSION, VERSION+ (data newer than that release), unreleased or unknown")
    items: list[ReleaseInfo] = Field(description="oldest first")


class Figure(BaseModel):
    min: float | int | None
    max: float | int | None
    qualifier: str | None
    as_of: str | None = Field(description="the estimate's as-of date (old model: its newest claim's date)")
    estimator: str | None
    estimate: str | None = Field(description="the estimate's (old model: the quantity's) id")


class Range(BaseModel):
    min: float | int
    max: float | int


class Change(BaseModel):
    kind: ChangeKind
    id: str = Field(description="the claim's or flow's id")
    release: str = Field(description="the release that made the change")
    release_date: str
    previous_release: str | None
    flow: str | None = None
    former_ids: list[str] = Field(default_factory=list, description="old flows this flow continues (formerId)")
    source: str | None = Field(None, description="a claim's source document")
    quote: str | None = None
    date: str | None = Field(None, description="a claim's date; for superseded/retracted, the date of the claim "
                                               "that supersedes or retracts it")
    by: list[str] = Field(default_factory=list, description="the claims that supersede or retract it")
    unit: str | None = None
    measure: str | None = None
    old: Figure | None = Field(None, description="flow_changed: the latest figure before")
    new: Figure | None = Field(None, description="flow_changed: the latest figure now")
    old_range: Range | None = Field(None, description="flow_changed: lowest–highest bound across estimators before")
    new_range: Range | None = None
    claims: list[str] = Field(default_factory=list, description="the claims behind the new figure / new flow")


class ChangePage(Page):
    model_config = examples({"since": "2026.11", "releases": ["2026.12"], "limit": 50, "offset": 0, "total": 1,
                             "items": [{"kind": "claim_added", "id": "claim-j1", "release": "2026.12",
                                        "release_date": "2026-12-02", "previous_release": "2026.11",
                                        "source": "source-s201", "quote": "…", "date": "2025-10-22"}]})
    since: str | None = Field(description="as asked: a release (changes after it) or a date (releases on or after)")
    releases: list[str] = Field(description="the releases whose changes are listed, oldest first")
    items: list[Change]
