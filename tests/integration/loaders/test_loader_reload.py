"""Reload speed on ~10^5 synthetic triples: an unchanged reload must be much faster than the first load. The
generator writes ontology-valid Turtle of a realistic shape (transfers with quantities, claims, sources); the ids
start with ``synthetic-`` and the texts say they are synthetic — this is test data, not knowledge. SHACL
validation is skipped here (``validate_first=False``). "unchanged" uses the stored load fingerprint
(:mod:`loaders.loadstate`); "forced" skips it and relies on the per-node content hashes; the benchmark (bench/)
measures full loads. The default size is 2,000 transfers (~40k triples) to keep ``make test`` short;
``RDKG_RELOAD_TEST_TRANSFERS=5000`` gives ~10^5 triples.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from neo4j import Driver

from loaders.pipeline import load

DB = "neo4j"
HEADER = """@prefix id: <https://w3id.org/rdkg/id/> .
@prefix rdkg: <https://w3id.org/rdkg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

id:PRK a rdkg:State ; rdkg:name "North Korea" ; rdkg:isoCode "PRK" .
id:RUS a rdkg:State ; rdkg:name "Russia" ; rdkg:isoCode "RUS" .
"""


def synthetic_turtle(transfers: int) -> str:
    """About 20 triples per transfer."""
    parts = [HEADER]
    for i in range(0, transfers, 10):
        parts.append(f'id:synthetic-source-{i} a rdkg:NewsArticle ; rdkg:title "Synthetic source {i}" ; '
                     f'rdkg:publisher "Synthetic" ; rdkg:date "2024-{1 + i % 12:02d}-01"^^xsd:date ; '
                     f'rdkg:url "https://example.org/synthetic/{i}"^^xsd:anyURI .\n')
    for i in range(transfers):
        a, b = ("PRK", "RUS") if i % 2 else ("RUS", "PRK")
        parts.append(
            f'id:synthetic-transfer-{i} a rdkg:MaterielTransfer ; rdkg:from id:{a} ; rdkg:to id:{b} ; '
            f'rdkg:ofCategory id:munitions ; rdkg:startDate "2024-{1 + i % 12:02d}"^^xsd:gYearMonth ; '
            f'rdkg:status "reported" ; rdkg:designation "synthetic {i}" ; rdkg:hasQuantity id:synthetic-q-{i} ; '
            f'rdkg:supportedBy id:synthetic-claim-{i} .\n'
            f'id:synthetic-q-{i} a rdkg:Quantity ; rdkg:min {i + 1} ; rdkg:qualifier "at_least" ; '
            f'rdkg:unit "round" ; rdkg:supportedBy id:synthetic-claim-{i} .\n'
            f'id:synthetic-claim-{i} a rdkg:Claim ; rdkg:source id:synthetic-source-{i - i % 10} ; '
            f'rdkg:quote "synthetic quote {i}" ; rdkg:stance "reports" ; rdkg:confidence "medium" .\n')
    return "".join(parts)


def test_unchanged_reload_is_much_faster(loader_db: Driver, tmp_path: Path) -> None:
    path = tmp_path / "synthetic.ttl"
    transfers = int(os.environ.get("RDKG_RELOAD_TEST_TRANSFERS", "2000"))
    path.write_text(synthetic_turtle(transfers), encoding="utf-8")
    with loader_db.session(database=DB) as session:  # CALL … IN TRANSACTIONS needs an auto-commit transaction
        session.run("MATCH (n:Rdkg) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()
    timings = {}
    results = {}
    for name, force in (("first", False), ("unchanged", False), ("unchanged, forced", True)):
        began = time.monotonic()
        results[name] = load(loader_db, DB, [path], validate_first=False, force=force)
        timings[name] = time.monotonic() - began
    first = results["first"]
    print(f"\n{first.triples} triples: " + ", ".join(f"{k} {v:.1f}s" for k, v in timings.items()))
    assert first.triples >= 19 * transfers
    for name in ("unchanged", "unchanged, forced"):
        assert results[name].nodes_unchanged == first.nodes and not results[name].changed, name
    assert timings["unchanged"] < timings["first"] * 0.2, timings
    assert timings["unchanged, forced"] < timings["first"], timings
