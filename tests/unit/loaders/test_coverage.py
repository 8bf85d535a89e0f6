"""Every row of both fact bases is carried by the curated data, and docs/coverage.md says by what.

``loaders.coverage`` maps each row (A1…I9 of fact-base.md, J1…N11 of fact-base-2025-2026.md) to its claims
(``id:claim-<row>``, ``-2`` …) and the nodes those claims back; these tests fail when a row has no claim, when its
claim cites another source than the row, when its claims back nothing, when a claim names a row that does not
exist, or when the generated tables of docs/coverage.md are stale (run ``python -m loaders.coverage``).
"""

from __future__ import annotations

from rdflib import RDF, Graph, Literal

from loaders import coverage as cov


def test_both_fact_bases_are_parsed_whole() -> None:
    rows = cov.fact_base_rows()
    by_file: dict[str, list[str]] = {}
    for row in rows:
        by_file.setdefault(row.fact_base, []).append(row.id)
    assert len(by_file["fact-base.md"]) == 153
    assert by_file["fact-base.md"][0] == "A1" and by_file["fact-base.md"][-1] == "I9"
    assert len(by_file["fact-base-2025-2026.md"]) == 79
    assert by_file["fact-base-2025-2026.md"][0] == "J1" and by_file["fact-base-2025-2026.md"][-1] == "N11"
    ids = [row.id for row in rows]
    assert len(ids) == len(set(ids)), "a row id occurs twice across the fact bases"
    assert all(row.src.startswith("S") and row.fact for row in rows)


def test_every_row_is_carried() -> None:
    problems = [p for c in cov.coverage() for p in c.problems]
    assert not problems, "fact-base rows not carried by data/:\n" + "\n".join(problems)


def test_every_row_claim_names_a_row() -> None:
    orphans = cov.orphan_row_claims()
    assert not orphans, f"claims named after rows that are in no fact base: {orphans}"


def test_coverage_doc_is_current() -> None:
    stale = cov.stale_sections()
    assert not stale, f"docs/coverage.md: stale sections {stale} — run: python -m loaders.coverage"


def test_coverage_doc_lists_every_row_once() -> None:
    text = cov.DOC.read_text(encoding="utf-8")
    for row in cov.fact_base_rows():
        assert text.count(f"\n| {row.id} | ") == 1, row.id


# ---- the checker itself fails on bad data (a test that cannot fail is a defect) ---------------------------------

FAKE_FACT_BASE = """
| # | Fact | Date | Actors | Qty | Quote | Src | URL | Conf | Notes |
|---|---|---|---|---|---|---|---|---|---|
| X1 | carried | 2025 | a | - | “q1” | S901 | http://x | H | |
| X2 | claim backs nothing | 2025 | a | - | “q2” | S902 | http://x | H | |
| X3 | no claim at all | 2025 | a | - | “q3” | S903 | http://x | H | |
| X4 | claim cites the wrong source | 2025 | a | - | “q4” | S904 | http://x | H | |
| S901 | a source-list row is not a fact row | Publisher | 2025 | http://x |
"""


def fake_graph() -> Graph:
    g = Graph()
    for n in (1, 2, 4):
        claim, source = cov.ID[f"claim-x{n}"], cov.ID[f"source-s90{n}"]
        g.add((claim, RDF.type, cov.RDKG.Claim))
        g.add((claim, cov.RDKG.source, source))
        g.add((source, cov.RDKG.factBaseId, Literal(f"S90{n if n != 4 else 1}")))
    g.add((cov.ID["flow-x"], cov.RDKG.supportedBy, cov.ID["claim-x1"]))
    g.add((cov.ID["flow-x"], cov.RDKG.supportedBy, cov.ID["claim-x4"]))
    g.add((cov.ID["claim-z9"], RDF.type, cov.RDKG.Claim))
    return g


def test_checker_names_each_kind_of_gap() -> None:
    rows = cov.parse_rows(FAKE_FACT_BASE, "fake.md")
    assert [r.id for r in rows] == ["X1", "X2", "X3", "X4"]
    found = {c.row.id: c.problems for c in cov.coverage(rows, fake_graph())}
    assert found["X1"] == []
    assert found["X2"] == ["X2: claim-x2 back(s) no node and concern(s) none"]
    assert found["X3"] == ["X3: no claim id:claim-x3 in data/"]
    assert found["X4"] == ["X4: id:claim-x4 cites S901, the row cites S904"]
    assert cov.orphan_row_claims(rows, fake_graph()) == ["claim-z9"]


def test_stale_doc_is_detected() -> None:
    text = cov.DOC.read_text(encoding="utf-8")
    name = "fact-base fact-base-2025-2026.md"
    body = cov.committed_section(text, name)
    edited = text.replace(body, body.replace("| N11 |", "| N12 |"), 1)
    assert name in cov.stale_sections(edited)
