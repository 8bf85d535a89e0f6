"""SHACL validation of curated Turtle: fixtures that must pass, fixtures that must fail with the right message,
parse errors with file:line, and the ``rdkg validate`` command's output and exit codes.

Each broken fixture (tests/fixtures/broken/) is validated together with the valid fixture it builds on, so every
reported violation must come from the one mistake the broken file makes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from graph.errors import DataFileError
from loaders import validate_cmd
from loaders.inputs import load_graph
from loaders.validation import validate

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
VALID = FIXTURES / "valid"
BROKEN = FIXTURES / "broken"
DATA = Path(__file__).resolve().parents[3] / "data"

#: broken fixture -> (focus node, message fragment) pairs that must be reported; nothing else may be
EXPECTED = {
    "missing-source.ttl": [("id:claim-broken-no-source", "a Claim needs exactly one rdkg:source")],
    "min-greater-than-max.ttl": [("id:transfer-fixture-q2", "rdkg:min is greater than its rdkg:max")],
    "bad-date.ttl": [
        ("id:meeting-broken-date", "rdkg:date must be a date typed xsd:date"),
        ("id:meeting-broken-month", "rdkg:date must be a date typed xsd:date"),
    ],
    "unknown-category.ttl": [
        ("id:transfer-broken-category", "must be a concept of the scheme id:item-categories"),
        ("id:transfer-broken-category", "rdkg:ofCategory must point to a Category"),
        ("id:space-lasers", "node has no rdf:type"),
    ],
    "unknown-class.ttl": [("id:broken-weapon", "unknown class rdkg:Weapon")],
    "unknown-property.ttl": [("id:broken-person", "unknown property rdkg:birthPlace")],
    "missing-quote.ttl": [
        ("id:claim-broken-no-quote", "needs exactly one non-empty rdkg:quote"),
        ("id:claim-broken-empty-quote", "needs exactly one non-empty rdkg:quote"),
    ],
    "transfer-without-claim.ttl": [("id:transfer-broken-unsupported", "at least one rdkg:supportedBy")],
    "blank-node.ttl": [
        ("_:", "blank node found"),
        ("_:", "must be an IRI in id: space"),
        ("id:transfer-broken-blank", "rdkg:hasQuantity must point to a Quantity"),
    ],
    "wrong-domain.ttl": [("id:meeting-broken-domain", "rdkg:from cannot be used on this node")],
    # reported once per pair, on the smaller id; pairs linked by partOf (at any depth) or distinctFrom, and flows
    # that do not overlap in time, are not
    "overlapping-flows.ttl": [
        ("id:transfer-broken-overlap",
         "this flow and id:transfer-fixture have the same category, sender and receiver and overlap in time"),
    ],
    "bad-value.ttl": [("id:claim-broken-stance", "rdkg:stance must be one of: asserts")],
    "name-variant.ttl": [
        ("id:variant-broken-unsupported", "a NameVariant needs rdkg:supportedBy"),
        ("id:variant-broken-orphan", "a NameVariant needs exactly one rdkg:variantOf"),
    ],
    "qualifier-bounds.ttl": [
        ("id:transfer-fixture-q3", 'an "exact" Quantity needs rdkg:min and rdkg:max'),
        ("id:transfer-fixture-q4", 'an "at_least" / "more_than" Quantity needs rdkg:min'),
        ("id:transfer-fixture-q5", 'an "up_to" / "nearly" figure needs rdkg:max'),
    ],
}


def _matches(focus: str, message: str, expected: list[tuple[str, str]]) -> bool:
    return any(focus.startswith(f) and fragment in message for f, fragment in expected)


def test_valid_fixture_conforms() -> None:
    report = validate([VALID])
    assert report.conforms, [(v.focus, v.message) for v in report.violations]
    assert report.violations == []
    assert report.data_triples > 100
    assert report.total_triples > report.data_triples


def test_every_broken_fixture_is_covered() -> None:
    on_disk = {p.name for p in BROKEN.glob("*.ttl")} - {"malformed.ttl"}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_fixture_rejected_with_message(name: str) -> None:
    report = validate([VALID, BROKEN / name])
    expected = EXPECTED[name]
    found = [(v.focus, v.message) for v in report.violations]
    assert not report.conforms, found
    for focus, fragment in expected:
        assert any(f.startswith(focus) and fragment in m for f, m in found), (focus, fragment, found)
    assert all(_matches(f, m, expected) for f, m in found), found
    broken_file = [v.file for v in report.violations if v.focus.startswith("id:")]
    assert all(f and f.endswith(name) for f in broken_file), broken_file


@pytest.mark.parametrize("name", ["unknown-class.ttl", "unknown-property.ttl", "blank-node.ttl", "wrong-domain.ttl"])
def test_sparql_model_shapes_agree_with_native_checks(name: str) -> None:
    """The deactivated SPARQL shapes (the portable spec) find the same problems as the native checks."""
    native = validate([VALID, BROKEN / name])
    sparql = validate([VALID, BROKEN / name], sparql_model_checks=True)

    def key(r: object) -> set[tuple[str, str | None]]:
        return {(v.focus if v.focus.startswith("id:") else "_:", v.path) for v in r.violations}  # type: ignore[attr-defined]

    assert key(native) == key(sparql)
    assert sparql.conforms is native.conforms is False


def test_sparql_model_shapes_pass_valid_fixture() -> None:
    assert validate([VALID], sparql_model_checks=True).conforms


def test_malformed_turtle_reports_file_and_line() -> None:
    with pytest.raises(DataFileError) as caught:
        validate([VALID, BROKEN / "malformed.ttl"])
    error = caught.value
    assert error.path.name == "malformed.ttl"
    assert error.line == 8
    assert str(error).startswith(f"{BROKEN / 'malformed.ttl'}:8: Turtle syntax error")


def test_missing_path_is_a_data_file_error() -> None:
    with pytest.raises(DataFileError, match="no such file"):
        load_graph([FIXTURES / "does-not-exist.ttl"])


def test_load_graph_expands_directories() -> None:
    graph = load_graph([VALID])
    assert len(graph) == validate([VALID]).data_triples


# ---- the CLI ---------------------------------------------------------------------------------------------------


def test_cli_valid_exits_0(cli: typer.Typer) -> None:
    result = CliRunner().invoke(cli, ["validate", str(VALID)])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_cli_violations_exit_1_with_table(cli: typer.Typer) -> None:
    result = CliRunner().invoke(
        cli, ["validate", str(VALID), str(BROKEN / "missing-source.ttl")], env={"COLUMNS": "250"}
    )
    assert result.exit_code == 1, result.output
    assert "id:claim-broken-no-source" in result.output
    assert "a Claim needs exactly one rdkg:source" in result.output
    assert "missing-source.ttl" in result.output
    assert "does NOT conform (1 violation(s))" in result.output


def test_cli_malformed_exits_2_with_file_line(cli: typer.Typer) -> None:
    result = CliRunner().invoke(cli, ["validate", str(BROKEN / "malformed.ttl")])
    assert result.exit_code == 2, result.output
    assert "malformed.ttl:8: Turtle syntax error" in result.output
    assert "Traceback" not in result.output


def test_cli_default_path_is_repo_data() -> None:
    assert validate_cmd.DEFAULT_DATA_DIR == DATA


@pytest.mark.skipif(not any(DATA.glob("*.ttl")), reason="no curated data yet")
def test_curated_data_conforms() -> None:
    report = validate([DATA])
    summary = [(v.file, v.focus, v.path, v.message) for v in report.violations if v.severity == "Violation"]
    assert report.conforms, summary


def test_curated_flows_never_overlap_unlinked() -> None:
    """Issue 14: in data/, two flows of one category between the same states that overlap in time are linked by
    rdkg:partOf or carry rdkg:distinctFrom + rdkg:distinction (else they would be double counted)."""
    report = validate([DATA])
    overlaps = [(v.focus, v.value) for v in report.violations if "overlap in time" in v.message]
    assert overlaps == []


def test_overlap_check_finds_the_alternative_estimates_of_one_flow() -> None:
    """The check would have caught the pre-issue-14 data: two agencies' container counts as two flows."""
    report = validate([VALID, BROKEN / "overlapping-flows.ttl"])
    assert not report.conforms
    [violation] = report.violations
    assert (violation.focus, violation.value) == ("id:transfer-broken-overlap", "id:transfer-fixture")
    assert "rdkg:partOf" in violation.message and "rdkg:distinctFrom" in violation.message
    assert violation.file is not None and violation.file.endswith("overlapping-flows.ttl")
