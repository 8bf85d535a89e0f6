"""The synthetic data generator (bench/generate.py): deterministic, scaled as asked, ontology-valid."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph

from bench.generate import copies_for, generate, read_template, state_pool
from bench.loader_bench import Config
from loaders.validation import validate
from ontology import ID, RDKG


@pytest.fixture(scope="module")
def two_copies(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("gen") / "two.ttl"
    return out, generate(out, 2, seed=7)


def test_two_copies_are_valid_against_the_shapes(two_copies: tuple[Path, dict]) -> None:
    path, summary = two_copies
    report = validate([path])
    assert report.conforms, [str(v) for v in report.errors[:5]]
    assert report.data_triples == summary["triples"]


def test_same_seed_same_bytes_other_seed_other_bytes(two_copies: tuple[Path, dict], tmp_path: Path) -> None:
    path, _ = two_copies
    generate(tmp_path / "again.ttl", 2, seed=7)
    generate(tmp_path / "other.ttl", 2, seed=8)
    assert (tmp_path / "again.ttl").read_bytes() == path.read_bytes()
    assert (tmp_path / "other.ttl").read_bytes() != path.read_bytes()


def test_copy_zero_is_the_curated_data_and_copies_never_touch_real_states(two_copies: tuple[Path, dict]) -> None:
    path, _ = two_copies
    template, curated = read_template()
    graph = Graph().parse(path, format="turtle")
    assert all(t in graph for t in curated), "copy 0 must be the curated data unchanged"
    synthetic = {s for s in graph.subjects() if str(s).endswith("-s0001")}
    assert synthetic, "copy 1 renames every individual with -s0001"
    real_states = set(template.states)
    for s in synthetic:
        assert not (set(graph.objects(s, RDKG["from"])) | set(graph.objects(s, RDKG.to))) & real_states
    pool = {ID[c] for c in state_pool()}
    assert set(graph.subjects(RDF.type, RDKG.State)) <= real_states | pool


def test_triple_target_picks_the_nearest_number_of_copies() -> None:
    template, _ = read_template()
    per_copy = template.triples_per_copy
    assert copies_for(per_copy * 10 + 1, template) == 10
    assert copies_for(1, template) == 1


def test_loader_config_syntax() -> None:
    assert Config.parse("rdflib-neo4j:20000+norust") == Config("rdflib-neo4j", 20000, rust=False)
    assert Config.parse("rdkg+reload").reload
    with pytest.raises(ValueError):
        Config.parse("neosemantics")
