"""Response models: the API's contract (DESIGN.md "The headline query and API contract"), one converter each.

Dates leave the API as ISO prefixes at their precision (``2023-09`` for a month), periods as
``{start, end, precision}``; closed value sets are ``StrEnum``s.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

Row = dict[str, Any]


class Confidence(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"


class Precision(StrEnum):
    day = "day"
    month = "month"
    year = "year"


def iso_prefix(value: str | None, precision: str | None) -> str | None:
    """``("2023-09-01", "month")`` → ``"2023-09"``; ``("2024-01-01", "year")`` → ``"2024"``."""
    if value is None:
        return None
    return {"year": value[:4], "month": value[:7]}.get(precision or "day", value[:10])


def text(value: Any) -> str | None:
    """A property that may repeat (a list in Neo4j) as one display string."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or None
    return None if value is None else str(value)


def _examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(populate_by_name=True, json_schema_extra={"examples": list(examples)})


class ErrorBody(BaseModel):
    model_config = _examples({"error": "invalid_parameter", "detail": "since: 'yesterday' is not an ISO date"})
    error: str = Field(description="machine-readable code")
    detail: str = Field(description="what went wrong, naming the parameter or id")


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` entry documenting error statuses with the error body model."""
    return {code: {"model": ErrorBody, "description": "error"} for code in codes}


class Ref(BaseModel):
    id: str
    name: str | None = None

    @classmethod
    def from_record(cls, row: Row | None) -> Ref | None:
        return cls(id=row["id"], name=row.get("name")) if row else None


class NodeRef(Ref):
    labels: list[str] = Field(default_factory=list, description="Neo4j labels (ontology classes) but :Rdkg")


class Period(BaseModel):
    model_config = _examples({"start": "2023-09", "end": None, "precision": "month"})
    start: str | None = Field(None, description="ISO prefix at its precision; null = not given")
    end: str | None = Field(None, description="ISO prefix; null = open-ended / ongoing")
    precision: Precision | None = Field(None, description="precision of start (of end if start is unknown)")

    @classmethod
    def from_record(cls, row: Row, prefix: str = "") -> Period:
        """From ``date`` or ``startDate``/``endDate`` (+ ``…Precision``) keys of a query row."""
        if row.get("date") is not None:
            start, start_p, end, end_p = row["date"], row.get("datePrecision"), None, None
        else:
            start, start_p = row.get("startDate"), row.get("startDatePrecision")
            end, end_p = row.get("endDate"), row.get("endDatePrecision")
        return cls(start=iso_prefix(start, start_p), end=iso_prefix(end, end_p), precision=start_p or end_p)


class Quantity(BaseModel):
    model_config = _examples({"min": 20000, "max": None, "qualifier": "more_than", "unit": "container"})
    min: float | int | None = None
    max: float | int | None = None
    qualifier: str | None = Field(None, description="exact, at_least, more_than, up_to or approximately")
    unit: str | None = None
    measure: str | None = Field(None, description="amount (default), capacity, distance …")

    @classmethod
    def from_record(cls, row: Row) -> Quantity:
        return cls(min=row.get("min"), max=row.get("max"), qualifier=row.get("qualifier"), unit=row.get("unit"),
                   measure=row.get("measure"))


class SourceRef(BaseModel):
    id: str
    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None

    @classmethod
    def from_record(cls, row: Row | None) -> SourceRef | None:
        if not row:
            return None
        return cls(id=row["id"], title=row.get("title"), publisher=row.get("publisher"),
                   date=iso_prefix(row.get("date"), row.get("datePrecision")), url=row.get("url"))


class Claim(BaseModel):
    id: str
    source: SourceRef | None
    quote: str | None
    stance: str | None = Field(None, description="asserts, reports, confirms, denies or declines_to_confirm")
    confidence: Confidence | None = None
    date: str | None = Field(None, description="when the claim was made (ISO prefix)")

    @classmethod
    def from_record(cls, row: Row) -> Claim:
        return cls(id=row["id"], source=SourceRef.from_record(row.get("source")), quote=row.get("quote"),
                   stance=row.get("stance"), confidence=row.get("confidence"),
                   date=iso_prefix(row.get("date"), row.get("datePrecision")))


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
    model_config = _examples(FLOW_EXAMPLE)
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


class Page(BaseModel):
    limit: int
    offset: int
    total: int


class FlowPage(Page):
    model_config = _examples({"items": [FLOW_EXAMPLE], "limit": 50, "offset": 0, "total": 1})
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
    model_config = _examples({"items": [{
        "category": "ballistic-missiles", "category_label": "Ballistic missiles", "year": 2023, "transfers": 1,
        "transfer_ids": ["transfer-prk-rus-ballistic-missiles"],
        "quantities": [{"unit": "missile", "min_total": 100, "max_total": 100, "figures": 1}]}]})
    items: list[FlowTotal]


class EntityHit(NodeRef):
    aliases: list[str] = Field(default_factory=list)


class EntityPage(Page):
    model_config = _examples({"items": [{"id": "vitaly-shulika", "name": "Vitaly Shulika", "labels": ["Person"],
                                         "aliases": ["Vitaly Shulyka"]}], "limit": 20, "offset": 0, "total": 1})
    items: list[EntityHit]


class PostHeld(BaseModel):
    id: str = Field(description="the membership's id")
    post: Ref
    body: Ref | None
    period: Period
    claims: int


class Body(Ref):
    relation: str


class EventRef(Ref):
    kind: str | None = None
    period: Period


class TransferRef(BaseModel):
    id: str
    direction: str = Field(description="outgoing (the node is `from`) or incoming")
    category: str | None


class EntityProfile(BaseModel):
    model_config = _examples({
        "id": "vitaly-shulika", "labels": ["Agent", "Person"], "name": "Vitaly Shulika",
        "aliases": ["Vitaly Shulyka"], "properties": {"wikidata": None},
        "posts": [{"id": "membership-vitaly-shulika-deputy-minister-internal-affairs-rus",
                   "post": {"id": "post-deputy-minister-internal-affairs-rus", "name": "Deputy Minister …"},
                   "body": {"id": "ministry-of-internal-affairs-rus", "name": "Ministry of Internal Affairs …"},
                   "period": {"start": None, "end": None, "precision": None}, "claims": 7}],
        "bodies": [], "treaties": [], "events": [], "transfers": [], "claims": 3})
    id: str
    labels: list[str]
    name: str | None
    aliases: list[str]
    properties: dict[str, Any] = Field(description="every other property of the node (dates as ISO text)")
    posts: list[PostHeld]
    bodies: list[Body]
    treaties: list[Ref]
    events: list[EventRef]
    transfers: list[TransferRef]
    claims: int = Field(description="claims backing the node itself (see /claims?about=)")

    @classmethod
    def from_record(cls, row: Row) -> EntityProfile:
        hidden = {"id", "name", "aliases", "uri", "searchText", "contentHash", "periodStart", "periodEnd"}
        props = row["properties"]
        dated = {k: iso_prefix(v, props[f"{k}Precision"]) for k, v in props.items() if f"{k}Precision" in props}
        bodies = sorted({(b["id"], b.get("name"), b["relation"]) for b in row["bodies"]})
        return cls(
            id=row["id"], labels=sorted(row["labels"]), name=row["name"], aliases=row["aliases"],
            properties={k: dated.get(k, v) for k, v in sorted(props.items()) if k not in hidden},
            posts=[PostHeld(id=p["id"], post=Ref(**p["post"]), body=Ref.from_record(p.get("body")),
                            period=Period.from_record(p), claims=p["claims"]) for p in row["posts"]],
            bodies=[Body(id=i, name=n, relation=r) for i, n, r in bodies],
            treaties=[Ref(id=t["id"], name=t.get("name")) for t in row["treaties"]],
            events=[EventRef(id=e["id"], name=e.get("name"), kind=e.get("kind"), period=Period.from_record(e))
                    for e in row["events"]],
            transfers=[TransferRef(**t) for t in row["transfers"]], claims=row["claims"])


class Neighbour(BaseModel):
    type: str = Field(description="relationship type, e.g. PARTICIPANT")
    direction: str = Field(description="out: node -[type]-> neighbour; in: the reverse")
    node: NodeRef


class NeighbourPage(Page):
    model_config = _examples({"items": [{"type": "FROM", "direction": "in", "node": {
        "id": "deployment-prk-rus-troops", "name": "DPRK troop deployment to Russia (Kursk)",
        "labels": ["PersonnelDeployment", "Transfer"]}}], "limit": 50, "offset": 0, "total": 1})
    items: list[Neighbour]


class TimelineEvent(BaseModel):
    id: str
    name: str | None
    kind: str
    period: Period
    location: Ref | None
    participants: list[Ref]
    concerns: list[Ref]
    claims: int

    @classmethod
    def from_record(cls, row: Row) -> TimelineEvent:
        return cls(id=row["id"], name=row.get("name"), kind=row["kind"], period=Period.from_record(row),
                   location=Ref.from_record(row.get("location")), participants=[Ref(**p) for p in row["participants"]],
                   concerns=[Ref(**c) for c in row["concerns"]], claims=row["claims"])


class TimelinePage(Page):
    model_config = _examples({"items": [{
        "id": "meeting-2025-05-28-shulika-ri-song-chol", "name": "Talks in Pyongyang", "kind": "Meeting",
        "period": {"start": "2025-05-28", "end": None, "precision": "day"},
        "location": {"id": "pyongyang", "name": "Pyongyang"},
        "participants": [{"id": "vitaly-shulika", "name": "Vitaly Shulika"}], "concerns": [], "claims": 4}],
        "limit": 100, "offset": 0, "total": 1})
    items: list[TimelineEvent]


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
    model_config = _examples({"about": {"id": "ri-song-chol", "name": "Ri Song-chol", "labels": ["Person"]},
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
    model_config = _examples({"items": [{"id": "source-s01", "title": "North Korea enabled Russian attacks …",
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
    model_config = _examples({"source": {"id": "source-msmt-report-2025-05-29", "title": "First report of the MSMT …",
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


class Edge(BaseModel):
    type: str
    source: str
    target: str


class Path(BaseModel):
    length: int
    nodes: list[NodeRef]
    edges: list[Edge]


class PathsOut(BaseModel):
    model_config = _examples({"from": {"id": "vitaly-shulika", "name": "Vitaly Shulika", "labels": ["Person"]},
                              "to": {"id": "kim-jong-un", "name": "Kim Jong Un", "labels": ["Person"]},
                              "max_depth": 4, "paths": []})
    from_: NodeRef = Field(alias="from")
    to: NodeRef
    max_depth: int
    paths: list[Path]


class Participant(Ref):
    roles: list[str] = Field(description="host and/or visitor; empty = participant")


class Meeting(BaseModel):
    id: str
    name: str | None
    kind: str = Field(description="Meeting or Visit")
    period: Period
    location: Ref | None
    part_of: Ref | None = Field(description="the visit a meeting belongs to")
    participants: list[Participant]
    claims: int

    @classmethod
    def from_record(cls, row: Row) -> Meeting:
        return cls(id=row["id"], name=row.get("name"), kind=row["kind"], period=Period.from_record(row),
                   location=Ref.from_record(row.get("location")), part_of=Ref.from_record(row.get("part_of")),
                   participants=[Participant(**p) for p in row["participants"]], claims=row["claims"])


class MeetingPage(Page):
    model_config = _examples({"items": [{
        "id": "visit-2023-07-shoigu-pyongyang", "name": "Defence Minister Shoigu's visit to Pyongyang …",
        "kind": "Visit", "period": {"start": "2023-07-25", "end": "2023-07-27", "precision": "day"},
        "location": {"id": "pyongyang", "name": "Pyongyang"}, "part_of": None,
        "participants": [{"id": "sergei-shoigu", "name": "Sergei Shoigu", "roles": ["visitor"]}], "claims": 2}],
        "limit": 100, "offset": 0, "total": 1})
    items: list[Meeting]


class Article(BaseModel):
    id: str
    name: str | None
    number: int | None
    summary: str | None


class TreatyStep(Ref):
    date: str | None
    state: str | None


class Treaty(BaseModel):
    id: str
    name: str | None
    kind: str
    signed: str | None = Field(description="signing date (ISO prefix)")
    in_force: str | None
    ended: str | None
    location: Ref | None
    signatories: list[Ref]
    signed_by: list[Ref]
    articles: list[Article]
    steps: list[TreatyStep] = Field(description="ratification steps and other events concerning the treaty")
    replaces: list[Ref]
    claims: int

    @classmethod
    def from_record(cls, row: Row) -> Treaty:
        return cls(
            id=row["id"], name=row.get("name"), kind=row["kind"], signed=iso_prefix(row["date"], row["datePrecision"]),
            in_force=iso_prefix(row["inForceDate"], row["inForceDatePrecision"]),
            ended=iso_prefix(row["endDate"], row["endDatePrecision"]), location=Ref.from_record(row.get("location")),
            signatories=[Ref(**s) for s in row["signatories"]], signed_by=[Ref(**s) for s in row["signed_by"]],
            articles=[Article(id=a["id"], name=a.get("name"), number=a.get("articleNumber"),
                              summary=text(a.get("summary"))) for a in row["articles"]],
            steps=[TreatyStep(id=s["id"], name=s.get("name"), date=iso_prefix(s.get("date"), s.get("datePrecision")),
                              state=s.get("state")) for s in row["steps"]],
            replaces=[Ref(**r) for r in row["replaces"]], claims=row["claims"])


class TreatyList(BaseModel):
    model_config = _examples({"items": [{
        "id": "treaty-comprehensive-strategic-partnership", "name": "Comprehensive Strategic Partnership Treaty",
        "kind": "Treaty", "signed": "2024-06-19", "in_force": "2024-12-04", "ended": None,
        "location": {"id": "kumsusan-state-residence", "name": "Kumsusan State Residence"},
        "signatories": [{"id": "PRK", "name": "North Korea"}, {"id": "RUS", "name": "Russia"}],
        "signed_by": [], "articles": [], "steps": [], "replaces": [], "claims": 9}]})
    items: list[Treaty]


class VoteCast(BaseModel):
    id: str
    voter: Ref | None
    choice: str | None = Field(description="in_favour, against, abstention or veto")
    claims: int


class ResolutionVotes(BaseModel):
    id: str
    name: str | None
    symbol: str | None
    outcome: str | None = Field(description="adopted or failed")
    date: str | None
    vote_tally: str | None
    meeting_number: int | None
    sponsors: list[Ref]
    concerns: list[Ref]
    votes: list[VoteCast]

    @classmethod
    def from_record(cls, row: Row) -> ResolutionVotes:
        return cls(id=row["id"], name=row.get("name"), symbol=row.get("symbol"), outcome=row.get("outcome"),
                   date=iso_prefix(row.get("date"), row.get("datePrecision")), vote_tally=row.get("voteTally"),
                   meeting_number=row.get("meetingNumber"), sponsors=[Ref(**s) for s in row["sponsors"]],
                   concerns=[Ref(**c) for c in row["concerns"]],
                   votes=[VoteCast(id=v["id"], voter=Ref.from_record(v.get("voter")), choice=v.get("choice"),
                                   claims=v["claims"]) for v in row["votes"]])


class VoteList(BaseModel):
    model_config = _examples({"items": [{
        "id": "resolution-draft-poe-2024-03-28", "name": "Draft resolution extending the mandate of the Panel …",
        "symbol": None, "outcome": "failed", "date": "2024-03-28", "vote_tally": "13-1-1", "meeting_number": 9591,
        "sponsors": [{"id": "USA", "name": "United States"}], "concerns": [],
        "votes": [{"id": "vote-2024-03-28-rus", "voter": {"id": "RUS", "name": "Russia"}, "choice": "veto",
                   "claims": 6}]}]})
    items: list[ResolutionVotes]


class ParamInfo(BaseModel):
    name: str
    type: str
    required: bool
    default: Any = None
    description: str
    json_schema: dict[str, Any] = Field(alias="schema")


class QueryInfo(BaseModel):
    name: str
    description: str
    mode: str
    params: list[ParamInfo]
    url: str = Field(description="where to run it: GET /queries/{name}?param=value")


class Catalogue(BaseModel):
    model_config = _examples({"items": [{"name": "node_ref", "description": "Id, display name and labels of one node",
                                         "mode": "read", "url": "/queries/node_ref",
                                         "params": [{"name": "id", "type": "str", "required": True, "default": None,
                                                     "description": "the node's id",
                                                     "schema": {"type": "string"}}]}]})
    items: list[QueryInfo]


class QueryResult(BaseModel):
    model_config = _examples({"name": "node_ref", "params": {"id": "PRK"},
                              "rows": [{"id": "PRK", "name": "North Korea", "labels": ["Agent", "State"]}]})
    name: str
    params: dict[str, Any] = Field(description="the parameters as bound (defaults filled in)")
    rows: list[dict[str, Any]]


class GraphOut(BaseModel):
    model_config = _examples({"nodes": [{"id": "PRK", "name": "North Korea", "labels": ["Agent", "State"]}],
                              "edges": [], "missing": []})
    nodes: list[NodeRef]
    edges: list[Edge]
    missing: list[str] = Field(description="requested ids that are not in the graph")


class Health(BaseModel):
    model_config = _examples({"status": "ok"})
    status: str


class Ready(BaseModel):
    model_config = _examples({"status": "ready", "neo4j": "bolt://127.0.0.1:7687", "database": "neo4j"})
    status: str
    neo4j: str
    database: str


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
        return cls(id=row["id"], name=row.get("name"), labels=sorted(row["labels"]), status=row.get("status"),
                   about=NodeRef(id=about["id"], name=about.get("name"), labels=sorted(about["labels"])) if about
                   else None, reasons=reasons, claims=claims,
                   counterclaims=[DisputeClaim.from_record(c) for c in row["counterclaims"]])


class DisputePage(Page):
    model_config = _examples({"items": [{
        "id": "transfer-rus-prk-air-defence-systems-since-2023-11", "name": "Russia to DPRK: air-defence systems …",
        "labels": ["MaterielTransfer", "Transfer"], "status": "disputed", "about": None,
        "reasons": ["marked_disputed", "claims_disagree"],
        "claims": [{"id": "claim-…", "quote": "since November 2023", "stance": "reports", "confidence": "medium",
                    "date": "2025-05-30", "source": {"id": "source-…", "publisher": "Korea Daily US (JoongAng)"},
                    "claimants": [], "disputes": ["claim-…"], "supports": []}],
        "counterclaims": []}], "limit": 50, "offset": 0, "total": 1})
    items: list[DisputedFact]
