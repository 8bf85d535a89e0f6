"""Models of ``/sources``, ``/sources/{id}`` and ``/claims`` (api/routes/sources.py)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from api.models.common import Confidence, NodeRef, Page, Ref, Row, SourceRef, examples, iso_prefix


class ClaimDetail(BaseModel):
    id: str
    quote: str | None
    confidence: Confidence | None
    date: str | None
    subject: str = Field(description="the node the claim backs: the entity, one of its quantities or offices")
    claimants: list[Ref] = Field(description="who says so, when the source relays someone")
    disputes: list[str] = Field(description="ids of claims this one disputes or is disputed by")


class ClaimGroup(BaseModel):
    source: SourceRef | None
    stance: str | None
    claims: list[ClaimDetail]

    @classmethod
    def from_record(cls, row: Row) -> ClaimGroup:
        claims = [ClaimDetail(id=c["id"], quote=c.get("quote"), confidence=c.get("confidence"),
                              date=iso_prefix(c.get("date"), c.get("datePrecision")), subject=c["subject"],
                              claimants=[Ref(**a) for a in c["claimants"]], disputes=sorted(set(c["disputes"])))
                  for c in row["claims"]]
        return cls(source=SourceRef.from_record(row.get("source")), stance=row.get("stance"), claims=claims)


class ClaimsAbout(BaseModel):
    model_config = examples({"about": {"id": "ri-song-chol", "name": "Ri Song-chol", "labels": ["Person"]},
                              "stances": {"reports": 5, "asserts": 1}, "groups": []})
    about: NodeRef
    stances: dict[str, int] = Field(description="claims per stance: where sources disagree shows here")
    groups: list[ClaimGroup] = Field(description="one group per (source, stance)")


class SourceSummary(SourceRef):
    kind: str | None = None
    fact_base_id: str | None = None
    claims: int

    @classmethod
    def from_source_row(cls, row: Row) -> SourceSummary:
        ref = SourceRef.from_record(row)
        assert ref is not None
        return cls(**ref.model_dump(), kind=row.get("kind"), fact_base_id=row.get("factBaseId"),
                   claims=row.get("claims", 0))


class SourcePage(Page):
    model_config = examples({"items": [{"id": "source-s01", "title": "North Korea enabled Russian attacks …",
                                         "publisher": "CNA (Reuters wire)", "date": "2025-05-29",
                                         "url": "https://www.channelnewsasia.com/…", "kind": "NewsArticle",
                                         "fact_base_id": "S01", "claims": 12}],
                              "limit": 50, "offset": 0, "total": 1})
    items: list[SourceSummary]


class SupportedNode(Ref):
    kind: str | None = None


class SourceClaim(BaseModel):
    id: str
    quote: str | None
    stance: str | None
    confidence: Confidence | None
    date: str | None
    supports: list[SupportedNode]


class SourceDetail(BaseModel):
    model_config = examples({"source": {"id": "source-msmt-report-2025-05-29", "title": "First report of the MSMT …",
                                         "publisher": "Multilateral Sanctions Monitoring Team (MSMT)",
                                         "date": "2025-05-29", "url": None, "kind": "Report", "claims": 0},
                              "published_by": {"id": "msmt", "name": "Multilateral Sanctions Monitoring Team"},
                              "derived_from": [], "derivatives": [{"id": "source-s01", "name": "…"}],
                              "language": ["en"], "notes": [], "claims": []})
    source: SourceSummary
    published_by: Ref | None
    derived_from: list[Ref]
    derivatives: list[Ref]
    language: list[str]
    notes: list[str]
    claims: list[SourceClaim]

    @classmethod
    def from_record(cls, row: Row) -> SourceDetail:
        src = row["source"]
        claims = [SourceClaim(id=c["id"], quote=c.get("quote"), stance=c.get("stance"), confidence=c.get("confidence"),
                              date=iso_prefix(c.get("date"), c.get("datePrecision")),
                              supports=[SupportedNode(**x) for x in c["supports"]]) for c in row["claims"]]
        return cls(source=SourceSummary.from_source_row({**src, "claims": len(claims)}),
                   published_by=Ref.from_record(row.get("published_by")),
                   derived_from=[Ref(id=d["id"], name=d.get("title")) for d in row["derived_from"]],
                   derivatives=[Ref(id=d["id"], name=d.get("title")) for d in row["derivatives"]],
                   language=_as_list(src.get("language")), notes=_as_list(src.get("note")), claims=claims)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return sorted(value) if isinstance(value, list) else [value]

