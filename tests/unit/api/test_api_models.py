"""Response models and helpers: dates at their precision, the headline item shape, CSV, state aliases, ETags."""

from __future__ import annotations

import csv
import io

from api.caching import etag_for, matches
from api.models import Flow, FlowPage, Period, iso_prefix
from api.rdf import RdfFormat, negotiate
from api.resolve import COMMON_STATE_NAMES as ALIASES
from api.routes.flows import CSV_COLUMNS, flows_csv, wants_csv

ROW = {
    "id": "transfer-x", "kind": "MaterielTransfer", "from": {"id": "PRK", "name": "North Korea"},
    "to": {"id": "RUS", "name": "Russia"}, "category": "munitions", "category_label": "Munitions",
    "designation": ["KN-24", "KN-23"], "status": "reported", "startDate": "2023-09-01", "startDatePrecision": "month",
    "endDate": None, "endDatePrecision": None,
    "estimates": [{"id": "e1", "min": 20000, "max": None, "qualifier": "more_than", "unit": "container",
                   "measure": "supplied", "scope": "cumulative", "asOf": "2025-05-29", "asOfPrecision": "day",
                   "estimators": [{"id": "msmt", "name": "MSMT"}], "claims": [{"id": "claim-a1", "stale": False}],
                   "note": ["from the MSMT report"]}],
    "claims": [{"id": "claim-a1", "quote": "more than 20,000 containers", "stance": "reports", "confidence": "high",
                "date": "2025-05-29", "datePrecision": "day",
                "source": {"id": "source-s01", "title": "T", "publisher": "CNA", "date": "2025-05-29",
                           "datePrecision": "day", "url": "https://example.org/a"}}],
}


def test_iso_prefix_keeps_the_precision() -> None:
    assert iso_prefix("2023-09-01", "month") == "2023-09"
    assert iso_prefix("2024-01-01", "year") == "2024"
    assert iso_prefix("2024-06-19", "day") == "2024-06-19"
    assert iso_prefix(None, "day") is None


def test_period_from_point_date_or_start_end() -> None:
    assert Period.from_record({"date": "2024-06-19", "datePrecision": "day"}).model_dump() == {
        "start": "2024-06-19", "end": None, "precision": "day", "one_off": True, "ongoing": False}
    period = Period.from_record({"startDate": "2024-01-01", "startDatePrecision": "year", "endDate": "2024-12-01",
                                 "endDatePrecision": "month"})
    assert (period.start, period.end, period.precision) == ("2024", "2024-12", "year")
    assert not period.one_off and not period.ongoing


def test_an_open_end_is_ongoing_only_where_a_source_says_so() -> None:
    open_end = {"startDate": "2024-02-09", "startDatePrecision": "day"}
    assert Period.from_record(open_end).ongoing is False
    assert Period.from_record({**open_end, "ongoing": True}).ongoing is True
    assert Period.from_record({**open_end, "endDate": "2024-03-01", "endDatePrecision": "day",
                               "ongoing": True}).ongoing is False  # an end given: over


def test_flow_has_the_headline_shape() -> None:
    body = Flow.from_record(ROW).model_dump(by_alias=True, mode="json")
    assert body["from"] == {"id": "PRK", "name": "North Korea"} and body["to"]["id"] == "RUS"
    assert body["designation"] == "KN-23; KN-24"
    assert body["period"] == {"start": "2023-09", "end": None, "precision": "month", "one_off": False,
                              "ongoing": False}
    (quantity,) = body["quantities"]
    assert {k: quantity[k] for k in ("min", "max", "qualifier", "unit", "measure", "scope")} == {
        "min": 20000, "max": None, "qualifier": "more_than", "unit": "container", "measure": "supplied",
        "scope": "cumulative"}
    assert quantity["latest"]["estimators"] == [{"id": "msmt", "name": "MSMT"}]
    assert body["estimates"][0]["as_of"] == "2025-05-29" and body["estimates"][0]["note"] == "from the MSMT report"
    assert body["estimates"][0]["claims"] == ["claim-a1"] and body["claim_count"] == 1
    assert body["claims"][0]["source"] == {"id": "source-s01", "title": "T", "publisher": "CNA",
                                           "date": "2025-05-29", "url": "https://example.org/a"}
    assert body["claims"][0]["confidence"] == "high"


def test_flows_csv_has_one_row_per_estimate() -> None:
    text = flows_csv(FlowPage(items=[Flow.from_record(ROW)], limit=50, offset=0, total=1))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == CSV_COLUMNS and len(rows) == 2
    record = dict(zip(rows[0], rows[1], strict=True))
    assert (record["min"], record["max"], record["qualifier"], record["unit"]) == ("20000", "", "more_than",
                                                                                  "container")
    assert record["estimator_ids"] == "msmt" and record["claim_ids"] == "claim-a1" and record["as_of"] == "2025-05-29"
    assert record["period_start"] == "2023-09" and record["id"] == "transfer-x"


def test_csv_negotiation() -> None:
    assert wants_csv(None, "text/csv") and wants_csv("csv", None) and not wants_csv("json", "text/csv")
    assert not wants_csv(None, "application/json")


def test_rdf_negotiation() -> None:
    assert negotiate("text/turtle;q=0.9, */*", None) is RdfFormat.turtle
    assert negotiate("application/ld+json", None) is RdfFormat.jsonld
    assert negotiate("application/json", None) is None
    assert negotiate("text/turtle", "jsonld") is RdfFormat.jsonld


def test_state_alias_table_covers_the_design_examples() -> None:
    for alias, iso in (("dprk", "PRK"), ("north korea", "PRK"), ("kp", "PRK"), ("russia", "RUS"), ("ru", "RUS")):
        assert ALIASES[alias] == iso


def test_etag_matching() -> None:
    tag = etag_for(b"{}")
    assert tag.startswith('W/"') and matches(tag, tag) and matches(f'"x", {tag}', tag) and matches("*", tag)
    assert not matches(None, tag) and not matches('"other"', tag)
