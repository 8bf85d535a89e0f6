"""Reload speed on ~10^5 synthetic triples: an unchanged reload must be much faster than the first load.

The generator writes ontology-valid Turtle of a realistic shape (transfers with quantities, claims, sources);
the ids start with ``synthetic-`` and the texts say they are synthetic — this is test data, not knowledge.
SHACL validation is skipped here (``validate_first=False``) to time the mapping + Neo4j part the content hash
optimises; the benchmark (bench/) measures full loads. The default size is 2,000 transfers (~40k triples) to keep
``make test`` short; ``RDKG_RELOAD_TEST_TRANSFERS=5000`` gives ~10^5 triples.
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
    loader_db.execute_query("MATCH (n:Rdkg) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS",
                            database_=DB)
    began = time.monotonic()
    first = load(loader_db, DB, [path], validate_first=False)
    first_s = time.monotonic() - began
    began = time.monotonic()
    second = load(loader_db, DB, [path], validate_first=False)
    second_s = time.monotonic() - began
    print(f"\n{first.triples} triples: first load {first_s:.1f}s, unchanged reload {second_s:.1f}s")
    assert first.triples >= 19 * transfers
    assert second.nodes_unchanged == first.nodes and not second.changed
    assert second_s < first_s * 0.6, (first_s, second_s)
