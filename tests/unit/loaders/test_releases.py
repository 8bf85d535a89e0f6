"""Releases without Neo4j: the changelog between two fixture releases (checked exactly), the old model's figures
compared as estimates, publishing twice gives the same bytes, and the committed releases rebuild to the artefact
hashes recorded when they were published."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from loaders import release as releases

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures" / "releases"


def _item(kind: str, ident: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "kind": kind, "id": ident, "release": "2001.02", "previous_release": "2001.01", "flow": None, "former_ids": [],
        "source": None, "quote": None, "date": None, "by": [], "unit": None, "measure": None, "old": None,
        "new": None, "old_range": None, "new_range": None, "claims": []}
    base.update(fields)
    return base


#: v1 → v2 by hand (see the comments at the top of the two fixture files)
EXPECTED_ITEMS = [
    _item("claim_added", "claim-x5", source="source-x3", quote="more than 20,000 containers", date="2025-05-29"),
    _item("claim_added", "claim-x6", source="source-x2", quote="we withdraw the 6,700 figure", date="2025-01-10"),
    _item("claim_added", "claim-x7", source="source-x3", quote="about 5,000 military builders", date="2025-06-17"),
    _item("claim_added", "claim-x8", source="source-x3", quote="about 1,000 killed", date="2025-06-17"),
    _item("claim_superseded", "claim-x1", source="source-x1", quote="more than 10,000 containers",
          by=["claim-x5"], date="2025-05-29"),
    _item("claim_retracted", "claim-x2", source="source-x2", quote="some 6,700 containers",
          by=["claim-x6"], date="2025-01-10"),
    _item("claim_removed", "claim-x4", source="source-x2", quote="fuel went north", date="2024-04-01"),
    _item("flow_created", "transfer-e", flow="transfer-e", claims=["claim-x7"]),
    # transfer-b's figure is now an estimate of transfer-a (formerId); v1's figures have no measure, so they compare
    # as v2's one container measure; the latest v1 figure is the one with the newest claim (6,700 on 2024-03-01);
    # v2's current figures leave out the superseded (10,000) and retracted (6,700) claims' estimates.
    _item("flow_changed", "transfer-a", flow="transfer-a", former_ids=["transfer-b"], unit="container",
          measure="supplied",
          old={"min": 6700, "max": 6700, "qualifier": "approximately", "as_of": "2024-03-01", "estimator": None,
               "estimate": "transfer-b-q1"},
          new={"min": 20000, "max": None, "qualifier": "more_than", "as_of": "2025-05-29", "estimator": "msmt",
               "estimate": "transfer-a-est-3"},
          old_range={"min": 6700, "max": 10000}, new_range={"min": 20000, "max": 20000}, claims=["claim-x5"]),
    # transfer-c: 11,000 persons in both (v1's quantity is v2's "deployed" estimate by formerId, although v2 has
    # two person measures): no item for it; the new measure "killed" is a change from nothing
    _item("flow_changed", "transfer-c", flow="transfer-c", unit="person", measure="killed",
          new={"min": 1000, "max": 1000, "qualifier": "approximately", "as_of": "2025-06", "estimator": "KOR",
               "estimate": "transfer-c-est-2"},
          new_range={"min": 1000, "max": 1000}, claims=["claim-x8"]),
    _item("flow_removed", "transfer-d", flow="transfer-d"),
]


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Published once for the module (publishing builds the artefacts: seconds); tests must not change it."""
    root = tmp_path_factory.mktemp("releases")
    releases.publish("2001.01", "2001-01-15", "fixture v1", FIXTURES / "v1", root=root)
    releases.publish("2001.02", "2001-02-15", "fixture v2", FIXTURES / "v2", root=root)
    return root


def test_changelog_between_two_fixture_releases_exactly(two_releases: Path) -> None:
    log = releases.get_release("2001.02", two_releases).changelog()
    assert log["from"] == "2001.01" and log["to"] == "2001.02"
    assert log["items"] == EXPECTED_ITEMS
    assert log["counts"] == {"claim_added": 4, "claim_superseded": 1, "claim_retracted": 1, "claim_removed": 1,
                             "flow_created": 1, "flow_changed": 2, "flow_removed": 1}


def test_first_release_lists_everything_as_added(two_releases: Path) -> None:
    log = releases.get_release("2001.01", two_releases).changelog()
    assert log["from"] is None
    assert [(i["kind"], i["id"]) for i in log["items"]] == [
        ("claim_added", f"claim-x{n}") for n in (1, 2, 3, 4)] + [
        ("flow_created", f"transfer-{x}") for x in "abcd"]


def test_manifest_counts_and_previous(two_releases: Path) -> None:
    v2 = releases.get_release("2001.02", two_releases)
    assert v2.manifest["previous"] == "2001.01"
    assert v2.manifest["counts"] == {"triples": v2.manifest["counts"]["triples"], "claims": 7,
                                     "superseded_claims": 1, "retracted_claims": 1, "flows": 3, "estimates": 6,
                                     "sources": 3}
    assert [r.version for r in releases.list_releases(two_releases)] == ["2001.01", "2001.02"]


def test_old_model_figures_become_estimate_rows(two_releases: Path) -> None:
    with releases.snapshot_of(releases.get_release("2001.01", two_releases)) as snap:
        rows = {r["estimate_id"]: r for r in releases.estimate_rows(snap)}
    a = rows["transfer-a-q1"]
    assert (a["flow_id"], a["min"], a["max"], a["qualifier"], a["unit"]) == ("transfer-a", 10000, None, "more_than",
                                                                            "container")
    assert (a["as_of"], a["start"], a["estimator"], a["measure"]) == ("2024-02-01", "2023-09", None, None)


def test_superseded_and_retracted_estimates_are_not_current(two_releases: Path) -> None:
    with releases.snapshot_of(releases.get_release("2001.02", two_releases)) as snap:
        current = {r["estimate_id"]: r["current"] for r in releases.estimate_rows(snap)}
    assert current == {"transfer-a-est-1": False, "transfer-a-est-2": False, "transfer-a-est-3": True,
                       "transfer-c-est-1": True, "transfer-c-est-2": True, "transfer-e-est-1": True}


def test_publishing_again_writes_the_same_bytes(two_releases: Path, tmp_path: Path) -> None:
    def digest(root: Path) -> dict[str, str]:
        return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}

    copy = tmp_path / "again"
    shutil.copytree(two_releases, copy)
    releases.publish("2001.02", "2001-02-15", "fixture v2", FIXTURES / "v2", root=copy)
    assert digest(copy) == digest(two_releases)


def test_bad_version_and_date_are_refused(tmp_path: Path) -> None:
    with pytest.raises(releases.ReleaseError, match="YYYY.MM"):
        releases.publish("v2", "2001-02-15", "t", FIXTURES / "v2", root=tmp_path)
    with pytest.raises(releases.ReleaseError, match="YYYY-MM-DD"):
        releases.publish("2001.02", "15.02.2001", "t", FIXTURES / "v2", root=tmp_path)
    with pytest.raises(releases.ReleaseError, match="no release '1999.12'"):
        releases.get_release("1999.12", tmp_path)


def test_build_detects_artefacts_that_differ(two_releases: Path, tmp_path: Path) -> None:
    copy = tmp_path / "changed"
    shutil.copytree(two_releases, copy)
    sums = copy / "2001.02" / "SHA256SUMS"
    sums.write_text(sums.read_text(encoding="utf-8").replace("  flows-", "0  flows-"), encoding="utf-8")
    with pytest.raises(releases.ReleaseError, match="flows-2001.02.csv differ"):
        releases.build("2001.02", tmp_path / "out", copy)


PUBLISHED = releases.list_releases(REPO / "data" / "releases")


@pytest.mark.parametrize("version", [r.version for r in PUBLISHED])
def test_committed_release_rebuilds_to_its_recorded_hashes(version: str, tmp_path: Path) -> None:
    out = releases.build(version, tmp_path, REPO / "data" / "releases")  # raises if any artefact differs
    recorded = (REPO / "data" / "releases" / version / "SHA256SUMS").read_text(encoding="utf-8")
    assert (out / "SHA256SUMS").read_text(encoding="utf-8") == recorded
    assert {line.split("  ")[1] for line in recorded.splitlines()} == {
        f"rdkg-{version}.ttl", f"rdkg-{version}.jsonld", f"flows-{version}.csv", "changelog.json", "manifest.json"}


def test_first_release_is_the_may_2025_knowledge_base() -> None:
    first = releases.get_release("2026.11", REPO / "data" / "releases")
    assert first.manifest["previous"] is None and first.date == "2026-11-28"
    assert [(f["file"], f["first"], f["last"], f["rows"]) for f in first.manifest["fact_bases"]] == [
        ("fact-base.md", "A1", "I9", 153)]
    assert first.manifest["counts"]["claims"] == 195 and first.manifest["counts"]["estimates"] == 0
    assert json.loads((first.path / "changelog.json").read_text(encoding="utf-8"))["counts"]["claim_added"] == 195


def test_cli_build_list_and_changes(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from rdkg.cli import app

    runner = CliRunner()
    built = runner.invoke(app, ["release", "build", "2026.11", "--out", str(tmp_path)])
    assert built.exit_code == 0, built.output
    assert "same bytes as when the release was published" in built.output
    assert (tmp_path / "2026.11" / "flows-2026.11.csv").read_text(encoding="utf-8").startswith("flow_id,from,to,")
    listed = runner.invoke(app, ["release", "list"])
    assert listed.exit_code == 0 and "2026.11" in listed.output
    changes = runner.invoke(app, ["release", "changes", "2026.11"])
    assert changes.exit_code == 0 and json.loads(changes.output)["counts"]["claim_added"] == 195
    missing = runner.invoke(app, ["release", "build", "1999.01", "--out", str(tmp_path)])
    assert missing.exit_code == 2 and "no release '1999.01'" in missing.output and "Traceback" not in missing.output


def test_a_group_of_withdrawn_estimates_has_no_figure() -> None:
    def row(ident: str, current: bool, low: int) -> dict[str, Any]:
        return {"unit": "person", "measure": "killed", "as_of": "2025-04", "estimate_id": ident, "estimator": "nis",
                "min": low, "max": low, "qualifier": "approximately", "claim_ids": f"claim-{ident}", "current": current}

    assert releases._figures([row("a", False, 600)]) == {}
    figures = releases._figures([row("a", False, 600), row("b", True, 2000)])
    assert figures[("person", "killed")]["range"] == {"min": 2000, "max": 2000}


def test_a_release_validates_against_the_ontology_it_was_published_with() -> None:
    """`rdkg load --release 2026.11` validates the May-2025 data with its own archived shapes: today's shapes (the
    flows-and-estimates model's overlap check) refuse the old model's per-estimator transfers."""
    from loaders.validation import validate

    published = releases.get_release("2026.11", REPO / "data" / "releases")
    with releases.extracted(published) as root:
        assert validate([root / "data"], ontology_dir=root / "ontology").conforms
        today = validate([root / "data"])
        assert not today.conforms and today.errors
