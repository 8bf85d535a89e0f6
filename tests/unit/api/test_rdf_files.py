"""The RDF views' knowledge base (api/rdf.py) follows data/ and refuses to answer from other data than the graph's.

No database: a temporary data directory with one small Turtle file; the graph's fingerprint is given as
``expected`` (what ``api.version`` read from the loaded graph).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Graph

from api.errors import DataDiffersFromGraph
from api.rdf import KnowledgeBase, RdfFormat
from loaders.release import data_files, data_fingerprint

TTL = """@prefix rdkg: <https://w3id.org/rdkg/ontology#> .
@prefix id: <https://w3id.org/rdkg/id/> .
id:PRK a rdkg:State ; rdkg:name "North Korea" ; rdkg:isoCode "PRK" .
"""


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    (tmp_path / "states.ttl").write_text(TTL, encoding="utf-8")
    return tmp_path


def test_the_fingerprint_is_the_one_rdkg_load_records(data_dir: Path) -> None:
    kb = KnowledgeBase(data_dir)
    assert kb.fingerprint() == data_fingerprint(data_files(data_dir)) == data_fingerprint([data_dir / "states.ttl"])


def test_served_when_the_graph_holds_the_same_data_or_nothing_is_known(data_dir: Path) -> None:
    kb = KnowledgeBase(data_dir)
    same = kb.fingerprint()
    for expected in (same, None):  # None: Neo4j unreachable, or a graph not loaded by rdkg load
        rdf = kb.describe("PRK", RdfFormat.turtle, expected)
        assert rdf.fingerprint == same and "North Korea" in rdf.body.decode()
        assert kb.dump(RdfFormat.turtle, expected).fingerprint == same


def test_refused_when_the_graph_holds_other_data(data_dir: Path) -> None:
    kb = KnowledgeBase(data_dir)
    with pytest.raises(DataDiffersFromGraph) as caught:
        kb.dump(RdfFormat.turtle, "0" * 64)
    assert caught.value.status_code == 409 and "rdkg load" in str(caught.value)
    assert str(data_dir) in str(caught.value)


def test_an_edited_file_is_read_again(data_dir: Path) -> None:
    kb = KnowledgeBase(data_dir, recheck_seconds=0)
    before = kb.fingerprint()
    assert "Pyongyang" not in kb.dump(RdfFormat.turtle).body.decode()
    path = data_dir / "states.ttl"
    path.write_text(TTL + 'id:pyongyang a rdkg:Place ; rdkg:name "Pyongyang" .\n', encoding="utf-8")
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)  # a new mtime even on a coarse-clock file system
    after = kb.dump(RdfFormat.turtle)
    assert after.fingerprint != before and "Pyongyang" in after.body.decode()
    assert len(Graph().parse(data=after.body, format="turtle")) > 3
    with pytest.raises(DataDiffersFromGraph):  # the graph still holds the old data
        kb.describe("PRK", RdfFormat.turtle, before)
