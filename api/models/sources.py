"""Models of ``/sources``, ``/sources/{id}`` and ``/claims`` (api/routes/sources.py)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from api.models.common import Claim, Confidence, NodeRef, Page, Ref, Row, SourceRef, examples, iso_prefix


class ClaimDetail(BaseModel):
    id: str
    quote: str | None
    confidence: Confidence | None
    date: str | None
    subject: str | None = Field(description="the first node the claim backs (all of them: supports)")
    supports: list[str] = Field(description="ids of every node the claim backs: entities, figures, estimates, offices")
    claimants: list[Ref] = Field(description="who says so, when the source relays someone")
    disputes: list[str] = Field(description="ids of claims this one disputes or is disputed by (both directions)")
    url: str = Field(description="this claim on its own: /claims/{id}")


class ClaimGroup(BaseModel):
    source: SourceRef | None
    stance: str | None
    claims: list[ClaimDetail]


def claim_groups(items: list[Row]) -> list[ClaimGroup]:
    """A page of claim rows (ordered by source, stance, id) → one group per (source, stance), in that order."""
    groups: list[ClaimGroup] = []
    for c in items:
        source = SourceRef.from_record(c.get("source"))
        detail = ClaimDetail(id=c["id"], quote=c.get("quote"), confidence=c.get("confidence"),
                             date=iso_prefix(c.get("date"), c.get("datePrecision")),
                             subject=(c["supports"] or [None])[0], supports=c["supports"],
                             claimants=[Ref(**a) for a in c["claimants"]], disputes=sorted(set(c["disputes"])),
                             url=f"/claims/{c['id']}")
        last = groups[-1] if groups else None
        if last is not None and last.stance == c.get("stance") and last.source == source:
            last.claims.append(detail)
        else:
            groups.append(ClaimGroup(source=source, stance=c.get("stance"), claims=[detail]))
    return groups


class ClaimsAbout(Page):
    model_config = examples({"about": {"id": "ri-song-chol", "name": "Ri Song-chol", "labels": ["Person"]},
                             "stances": {"reports": 5, "asserts": 1}, "groups": [], "limit": 50, "offset": 0,
                             "total": 6})
    about: NodeRef | None = Field(description="the node given as `about` (null when not filtered by one)")
    stances: dict[str, int] = Field(description="distinct matching claims per stance (all pages): disagreement shows")
    groups: list[ClaimGroup] = Field(description="this page's claims, one group per (source, stance)")


class ChainLink(SourceRef):
    kind: str | None = None
    hops: int = Field(description="1 = the document the claim's source relays directly, 2 = what that relays …")
    published_by: Ref | None = None


class SupportedFact(NodeRef):
    status: str | None = None
    about: Ref | None = Field(None, description="for a figure, estimate or office held: the flow or person it is of")


class ClaimSource(SourceRef):
    kind: str | None = None
    published_by: Ref | None = None


class ClaimLink(BaseModel):
    id: str
    date: str | None = Field(None, description="the linked claim's date (when it was made), ISO prefix")

    @classmethod
    def from_record(cls, row: Row) -> ClaimLink:
        return cls(id=row["id"], date=iso_prefix(row.get("date"), row.get("datePrecision")))


class ClaimFull(BaseModel):
    model_config = examples({"id": "claim-seed-31", "quote": "So far, the two countries have not explicitly "
                                                             "confirmed …", "stance": "declines_to_confirm",
                             "confidence": "medium", "date": None, "notes": [], "source": {"id": "source-seed"},
                             "chain": [], "claimants": [], "supports": [], "disputes": [], "disputed_by": []})
    id: str
    quote: str | None
    stance: str | None
    confidence: Confidence | None
    date: str | None
    notes: list[str]
    source: ClaimSource | None
    chain: list[ChainLink] = Field(description="what the source relays, nearest first (outlet → wire → report)")
    claimants: list[Ref]
    supports: list[SupportedFact] = Field(description="the facts this claim backs")
    disputes: list[Claim] = Field(description="claims this one disputes")
    disputed_by: list[Claim] = Field(description="claims that dispute this one")
    superseded_by: list[ClaimLink] = Field(default_factory=list, description="later claims that correct or replace "
                                           "this one (it stays in the graph; estimates it alone backs are not current)")
    supersedes: list[ClaimLink] = Field(default_factory=list, description="earlier claims this one replaces")
    retracted_by: list[ClaimLink] = Field(default_factory=list, description="claims that retract this one")

    @classmethod
    def from_record(cls, row: Row) -> ClaimFull:
        c, s = row["claim"], row.get("source")
        source = None
        if s:
            ref = SourceRef.from_record(s)
            assert ref is not None
            source = ClaimSource(**ref.model_dump(), kind=s.get("kind"),
                                 published_by=Ref.from_record(row.get("published_by")))
        chain = [ChainLink(**(SourceRef.from_record(d).model_dump()), kind=d.get("kind"),  # type: ignore[union-attr]
                           hops=d["hops"], published_by=Ref.from_record(d.get("published_by")))
                 for d in row["chain"]]
        return cls(id=c["id"], quote=c.get("quote"), stance=c.get("stance"), confidence=c.get("confidence"),
                   date=iso_prefix(c.get("date"), c.get("datePrecision")), notes=_as_list(c.get("note")),
                   source=source, chain=chain, claimants=[Ref(**a) for a in row["claimants"]],
                   supports=[SupportedFact(id=x["id"], name=x.get("name"), labels=x["labels"], kind=x.get("kind"),
                                           status=x.get("status"),
                                           about=Ref.from_record(x.get("about"))) for x in row["supports"]],
                   disputes=[Claim.from_record(d) for d in row["disputes"]],
                   disputed_by=[Claim.from_record(d) for d in row["disputed_by"]],
                   superseded_by=[ClaimLink.from_record(x) for x in row.get("superseded_by") or []],
                   supersedes=[ClaimLink.from_record(x) for x in row.get("supersedes") or []],
                   retracted_by=[ClaimLink.from_record(x) for x in row.get("retracted_by") or []])


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


class RelayedClaim(SourceClaim):
    via: Ref = Field(description="the outlet (or wire story) whose claim this is, relaying the document")


class SourceDetail(BaseModel):
    model_config = examples({"source": {"id": "source-msmt-report-2025-05-29", "title": "First report of the MSMT …",
                                         "publisher": "Multilateral Sanctions Monitoring Team (MSMT)",
                                         "date": "2025-05-29", "url": None, "kind": "Report", "claims": 0},
                              "published_by": {"id": "msmt", "name": "Multilateral Sanctions Monitoring Team"},
                              "derived_from": [], "derivatives": [{"id": "source-s01", "name": "…"}],
                              "language": ["en"], "notes": [], "claims": [], "relayed": []})
    source: SourceSummary
    published_by: Ref | None
    derived_from: list[Ref]
    derivatives: list[Ref]
    language: list[str]
    notes: list[str]
    claims: list[SourceClaim] = Field(description="the claims citing this document itself")
    relayed: list[RelayedClaim] = Field(description="the claims of the documents relaying this one, with the relay")

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
                   language=_as_list(src.get("language")), notes=_as_list(src.get("note")), claims=claims,
                   relayed=[RelayedClaim(id=c["id"], quote=c.get("quote"), stance=c.get("stance"),
                                         confidence=c.get("confidence"),
                                         date=iso_prefix(c.get("date"), c.get("datePrecision")),
                                         supports=[SupportedNode(**x) for x in c["supports"]], via=Ref(**c["via"]))
                            for c in row.get("relayed", [])])


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return sorted(value) if isinstance(value, list) else [value]

