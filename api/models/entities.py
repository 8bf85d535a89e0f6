"""Models of ``/entities``, ``/entities/{id}`` and ``/entities/{id}/neighbors`` (api/routes/entities.py)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from api.models.common import (
    Claim,
    NodeRef,
    Page,
    Period,
    Ref,
    Related,
    Row,
    examples,
    iso_prefix,
    relation_label,
    text,
)
from graph.contract import KIND


class EntityHit(NodeRef):
    aliases: list[str] = Field(default_factory=list)
    rank: int | None = Field(None, description="0 = a name, alias or id equals the text; 1 = one starts with it; "
                                               "2 = a word in one does; 3 = it occurs inside one; 4-6 = the same "
                                               "in a source document's title")


class EntityPage(Page):
    model_config = examples({"items": [{"id": "vitaly-shulika", "name": "Vitaly Shulika", "labels": ["Person"],
                                         "aliases": ["Shulika"], "rank": 2}], "limit": 20, "offset": 0, "total": 1})
    items: list[EntityHit]


class NameVariant(BaseModel):
    """A spelling of the entity that only some sources use (rdkg:NameVariant), with the claims that use it."""

    id: str = Field(description="the name variant's node id")
    name: str
    claims: list[Claim] = Field(description="the claims whose quotes use this spelling: their sources are whose "
                                            "spelling it is")
    disputed: bool = Field(False, description="a claim using it disputes another claim (e.g. the spelling the other "
                                              "sources use) or is disputed by one: see /disputes")
    note: str | None = None

    @classmethod
    def from_record(cls, row: Row) -> NameVariant:
        claims = sorted((Claim.from_record(c) for c in row["claims"]), key=lambda c: c.id)
        return cls(id=row["id"], name=row["name"], claims=claims, disputed=row.get("disputed", False),
                   note=text(row.get("note")))


class PostHeld(BaseModel):
    id: str = Field(description="the membership's id")
    post: Ref
    body: Ref | None
    period: Period
    claims: int
    disputed: bool = Field(False, description="marked disputed, denied or left unconfirmed by a claim, or backed by "
                                              "a claim in a dispute (see /disputes)")


class PostHolder(BaseModel):
    id: str = Field(description="the membership's id")
    person: Ref = Field(description="who holds the post")
    post: Ref
    period: Period
    claims: int
    disputed: bool = Field(False, description="marked disputed, denied or left unconfirmed by a claim, or backed by "
                                              "a claim in a dispute (see /disputes)")


class Body(Related, Ref):
    direction: str = Field(description="out: this node -[relation]-> the body (or holds a post in it); in: the "
                                        "reverse (the body is part of this one)")


class EventRef(Ref):
    kind: str | None = None
    period: Period
    disputed: bool = False


class ShipmentRef(Ref):
    period: Period
    roles: list[str] = Field(description="what the node is to the shipment: origin, destination, waypoint, vessel")
    disputed: bool = False


class TransferRef(BaseModel):
    id: str
    direction: str = Field(description="outgoing (the node is `from`) or incoming")
    category: str | None
    disputed: bool = False


class EntityProfile(BaseModel):
    model_config = examples({
        "id": "vitaly-shulika", "labels": ["Agent", "Person"], "name": "Vitaly Shulika",
        "aliases": ["Shulika"], "properties": {"wikidata": None},
        "name_variants": [{"id": "vitaly-shulyka", "name": "Vitaly Shulyka", "claims": [
            {"id": "claim-seed-10", "source": {"id": "source-seed", "title": "…"},
             "quote": "Russian Deputy Interior Minister Vitaly Shulyka", "stance": "reports", "confidence": "low",
             "date": "2025-05"}], "disputed": True, "note": "the seed article's spelling; …"}],
        "posts": [{"id": "membership-vitaly-shulika-deputy-minister-internal-affairs-rus",
                   "post": {"id": "post-deputy-minister-internal-affairs-rus", "name": "Deputy Minister …"},
                   "body": {"id": "ministry-of-internal-affairs-rus", "name": "Ministry of Internal Affairs …"},
                   "period": {"start": None, "end": None, "precision": None}, "claims": 7}],
        "bodies": [], "treaties": [], "events": [], "transfers": [], "claims": 3})
    id: str
    labels: list[str]
    kind: str | None = Field(None, description="the node's own class: the most specific of its labels")
    name: str | None
    aliases: list[str]
    name_variants: list[NameVariant] = Field(
        default_factory=list, description="spellings only some sources use, each with the claims (and so the "
                                          "sources) that use it — e.g. the seed article's 'Vitaly Shulyka'")
    properties: dict[str, Any] = Field(description="every other property of the node (dates as ISO text)")
    posts: list[PostHeld]
    post_holders: list[PostHolder] = Field(default_factory=list,
                                           description="for a body or state: the posts held in it and who holds "
                                                       "them (by post, then start)")
    bodies: list[Body]
    treaties: list[Ref]
    events: list[EventRef]
    transfers: list[TransferRef]
    claims: int = Field(description="claims backing the node itself (see /claims?about=)")
    resolved_from: str | None = Field(
        default=None, description="the id asked for, when it is an id this node had before (rdkg:formerId, e.g. an old "
                                  "transfer merged into a flow)")
    shipments: list[ShipmentRef] = Field(default_factory=list,
                                         description="for a port, vessel or place: the shipments it is part of")

    @classmethod
    def from_record(cls, row: Row) -> EntityProfile:
        hidden = {"id", "name", "aliases", "uri", "searchText", "contentHash", "periodStart", "periodEnd", KIND}
        props = row["properties"]
        dated = {k: iso_prefix(v, props[f"{k}Precision"]) for k, v in props.items() if f"{k}Precision" in props}
        bodies = sorted({(b["id"], b.get("name"), b["relation"], b["direction"]) for b in row["bodies"]})
        return cls(
            id=row["id"], labels=sorted(row["labels"]), kind=row.get("kind"), name=row["name"],
            aliases=row["aliases"],
            name_variants=[NameVariant.from_record(v) for v in row.get("name_variants", [])],
            properties={k: dated.get(k, v) for k, v in sorted(props.items()) if k not in hidden},
            posts=[PostHeld(id=p["id"], post=Ref(**p["post"]), body=Ref.from_record(p.get("body")),
                            period=Period.from_record(p), claims=p["claims"], disputed=p.get("disputed", False))
                   for p in row["posts"]],
            post_holders=[PostHolder(id=h["id"], person=Ref(**h["person"]), post=Ref(**h["post"]),
                                     period=Period.from_record(h), claims=h["claims"], disputed=h["disputed"])
                          for h in row.get("postHolders", [])],
            bodies=[Body(id=i, name=n, relation=r, relation_label=relation_label(r), direction=d)
                    for i, n, r, d in bodies],
            treaties=[Ref(id=t["id"], name=t.get("name")) for t in row["treaties"]],
            events=[EventRef(id=e["id"], name=e.get("name"), kind=e.get("kind"), period=Period.from_record(e),
                             disputed=e.get("disputed", False)) for e in row["events"]],
            transfers=[TransferRef(**t) for t in row["transfers"]], claims=row["claims"],
            shipments=[ShipmentRef(id=s["id"], name=s.get("name"), period=Period.from_record(s), roles=s["roles"],
                                   disputed=s["disputed"]) for s in row.get("shipments", [])])


class Neighbour(Related):
    direction: str = Field(description="out: node -[type]-> neighbour; in: the reverse")
    node: NodeRef


class NeighbourPage(Page):
    model_config = examples({"items": [{"relation": "FROM", "relation_label": "from", "direction": "in", "node": {
        "id": "deployment-prk-rus-troops", "name": "DPRK troop deployment to Russia (Kursk)",
        "labels": ["PersonnelDeployment", "Transfer"]}}], "limit": 50, "offset": 0, "total": 1})
    items: list[Neighbour]

