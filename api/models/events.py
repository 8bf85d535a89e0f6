"""Models of ``/timeline``, ``/meetings``, ``/treaties`` and ``/votes`` (api/routes/events.py)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.models.common import Page, Period, Ref, Row, examples, iso_prefix, text


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
    model_config = examples({"items": [{
        "id": "meeting-2025-05-28-shulika-ri-song-chol", "name": "Talks in Pyongyang", "kind": "Meeting",
        "period": {"start": "2025-05-28", "end": None, "precision": "day"},
        "location": {"id": "pyongyang", "name": "Pyongyang"},
        "participants": [{"id": "vitaly-shulika", "name": "Vitaly Shulika"}], "concerns": [], "claims": 4}],
        "limit": 100, "offset": 0, "total": 1})
    items: list[TimelineEvent]


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
    model_config = examples({"items": [{
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
    model_config = examples({"items": [{
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
    model_config = examples({"items": [{
        "id": "resolution-draft-poe-2024-03-28", "name": "Draft resolution extending the mandate of the Panel …",
        "symbol": None, "outcome": "failed", "date": "2024-03-28", "vote_tally": "13-1-1", "meeting_number": 9591,
        "sponsors": [{"id": "USA", "name": "United States"}], "concerns": [],
        "votes": [{"id": "vote-2024-03-28-rus", "voter": {"id": "RUS", "name": "Russia"}, "choice": "veto",
                   "claims": 6}]}]})
    items: list[ResolutionVotes]

