"""Models of ``/flows`` and ``/flows/summary`` (api/routes/flows.py)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from api.models.common import Claim, Page, Period, Quantity, Ref, Row, examples, text

FLOW_EXAMPLE: dict[str, Any] = {
    "id": "transfer-prk-rus-munitions-containers", "kind": "MaterielTransfer",
    "from": {"id": "PRK", "name": "North Korea"}, "to": {"id": "RUS", "name": "Russia"},
    "category": "munitions", "category_label": "Munitions", "designation": None,
    "quantities": [{"min": 20000, "max": None, "qualifier": "more_than", "unit": "container", "measure": None}],
    "period": {"start": "2023-09", "end": None, "precision": "month"}, "status": "reported",
    "claims": [{"id": "claim-a11", "quote": "…", "stance": "reports", "confidence": "high", "date": "2025-05-29",
                "source": {"id": "source-s01", "title": "…", "publisher": "CNA (Reuters wire)", "date": "2025-05-29",
                           "url": "https://www.channelnewsasia.com/…"}}],
}


class Flow(BaseModel):
    model_config = examples(FLOW_EXAMPLE)
    id: str
    kind: str | None = Field(None, description="MaterielTransfer, TechnologyTransfer, PersonnelDeployment …")
    from_: Ref = Field(alias="from")
    to: Ref
    category: str | None = Field(None, description="category slug (SKOS notation)")
    category_label: str | None = None
    designation: str | None = Field(None, description="named systems, '; '-joined when several")
    quantities: list[Quantity]
    period: Period
    status: str | None = Field(None, description="reported, confirmed or disputed")
    claims: list[Claim]

    @classmethod
    def from_record(cls, row: Row) -> Flow:
        designation = row.get("designation")
        designation = text(sorted(designation) if isinstance(designation, list) else designation)
        return cls.model_validate({
            "id": row["id"], "kind": row.get("kind"), "from": Ref.from_record(row["from"]),
            "to": Ref.from_record(row["to"]), "category": row.get("category"),
            "category_label": row.get("category_label"), "designation": designation,
            "quantities": [Quantity.from_record(q) for q in row.get("quantities") or []],
            "period": Period.from_record(row), "status": row.get("status"),
            "claims": [Claim.from_record(c) for c in row.get("claims") or []],
        })


class FlowPage(Page):
    model_config = examples({"items": [FLOW_EXAMPLE], "limit": 50, "offset": 0, "total": 1})
    items: list[Flow]


class QuantityTotal(BaseModel):
    unit: str | None
    min_total: float | int | None = Field(None, description="sum of the lower bounds (upper bound if none)")
    max_total: float | int | None = Field(None, description="sum of the upper bounds (lower bound if none)")
    figures: int = Field(description="how many quantities were summed")


class FlowTotal(BaseModel):
    category: str | None
    category_label: str | None
    year: int | None = Field(description="the year the transfers' periods start (null = undated)")
    transfers: int
    transfer_ids: list[str]
    quantities: list[QuantityTotal]


class FlowSummary(BaseModel):
    model_config = examples({"items": [{
        "category": "ballistic-missiles", "category_label": "Ballistic missiles", "year": 2023, "transfers": 1,
        "transfer_ids": ["transfer-prk-rus-ballistic-missiles"],
        "quantities": [{"unit": "missile", "min_total": 100, "max_total": 100, "figures": 1}]}]})
    items: list[FlowTotal]

