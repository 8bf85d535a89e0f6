"""Models of ``/disputes`` (api/routes/disputes.py)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.models.common import Confidence, NodeRef, Page, Ref, Row, SourceRef, examples, iso_prefix


class DisputeClaim(BaseModel):
    id: str
    quote: str | None
    stance: str | None = Field(None, description="asserts, reports, confirms, denies or declines_to_confirm")
    confidence: Confidence | None = None
    date: str | None = Field(None, description="when the claim was made (ISO prefix)")
    source: SourceRef | None
    claimants: list[Ref] = Field(description="who says so, when the source relays someone")
    disputes: list[str] = Field(description="ids of claims this one disputes or is disputed by")
    supports: list[Ref] = Field(default_factory=list, description="for a counterclaim: the nodes it backs")

    @classmethod
    def from_record(cls, row: Row) -> DisputeClaim:
        return cls(id=row["id"], quote=row.get("quote"), stance=row.get("stance"), confidence=row.get("confidence"),
                   date=iso_prefix(row.get("date"), row.get("datePrecision")),
                   source=SourceRef.from_record(row.get("source")),
                   claimants=[Ref(**a) for a in row.get("claimants") or []],
                   disputes=sorted(set(row.get("disputes") or [])),
                   supports=[Ref(**n) for n in row.get("supports") or []])


class DisputedFact(BaseModel):
    id: str = Field(description="the disputed node: a flow, an office held, a figure, an event …")
    name: str | None
    labels: list[str]
    kind: str | None = Field(None, description="the node's own class: the most specific of its labels")
    status: str | None = Field(None, description="the node's own status (reported, confirmed, disputed), if it has one")
    about: NodeRef | None = Field(description="the flow or person a figure, estimate or office belongs to")
    reasons: list[str] = Field(description="why it is listed: marked_disputed, denied, claims_disagree")
    claims: list[DisputeClaim] = Field(description="every claim backing the node")
    counterclaims: list[DisputeClaim] = Field(description="claims elsewhere its claims dispute or are disputed by")

    @classmethod
    def from_record(cls, row: Row) -> DisputedFact:
        claims = [DisputeClaim.from_record(c) for c in row["claims"]]
        reasons = []
        if row.get("status") == "disputed":
            reasons.append("marked_disputed")
        if any(c.stance in ("denies", "declines_to_confirm") for c in claims):
            reasons.append("denied")
        if any(c.disputes for c in claims):
            reasons.append("claims_disagree")
        about = row.get("about")
        return cls(id=row["id"], name=row.get("name"), labels=sorted(row["labels"]), kind=row.get("kind"),
                   status=row.get("status"),
                   about=NodeRef(id=about["id"], name=about.get("name"), labels=sorted(about["labels"]),
                                 kind=about.get("kind")) if about
                   else None, reasons=reasons, claims=claims,
                   counterclaims=[DisputeClaim.from_record(c) for c in row["counterclaims"]])


class DisputePage(Page):
    model_config = examples({"items": [{
        "id": "transfer-rus-prk-air-defence-systems-since-2023-11", "name": "Russia to DPRK: air-defence systems …",
        "labels": ["MaterielTransfer", "Transfer"], "status": "disputed", "about": None,
        "reasons": ["marked_disputed", "claims_disagree"],
        "claims": [{"id": "claim-…", "quote": "since November 2023", "stance": "reports", "confidence": "medium",
                    "date": "2025-05-30", "source": {"id": "source-…", "publisher": "Korea Daily US (JoongAng)"},
                    "claimants": [], "disputes": ["claim-…"], "supports": []}],
        "counterclaims": []}], "limit": 50, "offset": 0, "total": 1})
    items: list[DisputedFact]

