"""The seed article is fully covered by claims: every factual sentence maps to seed claims that exist in data/.

docs/coverage.md ("Seed article") holds one table row per sentence (sentence | claims | status). These tests split
the seed text into sentences independently of that table, so a sentence missing from the table, a row without a
claim, or a claim id that is not an ``rdkg:Claim`` with source ``id:source-seed`` all fail.
"""

import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace, URIRef

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "data" / "sources" / "seed-article.txt"
COVERAGE = ROOT / "docs" / "coverage.md"
RDKG = Namespace("https://w3id.org/rdkg/ontology#")
ID = Namespace("https://w3id.org/rdkg/id/")

# Lines of the seed that are not statements (documented in docs/coverage.md, "What is skipped").
BOILERPLATE = frozenset({"Link to main version", "142", "Снимка: БГНЕС/ЕРА"})
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=\S)")
TABLE_HEADER = ("#", "sentence", "claims", "status")


def seed_path() -> Path:
    assert SEED.is_file(), f"the seed article must be kept in the repo at {SEED}"
    return SEED


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph after '.', '!' or '?' (plus an optional closing quote) followed by whitespace."""
    parts: list[str] = []
    start = 0
    for match in SENTENCE_END.finditer(paragraph):
        parts.append(paragraph[start : match.start()] + match.group(0).strip())
        start = match.end()
    parts.append(paragraph[start:])
    return [p.strip() for p in parts if p.strip()]


def seed_sentences(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines()]
    paragraphs = [line for line in lines if line and line not in BOILERPLATE]
    return [s for p in paragraphs for s in split_sentences(p)]


def parse_table(markdown: str) -> list[dict[str, str]]:
    """Rows of the first Markdown table whose header is '# | sentence | claims | status'."""
    rows: list[dict[str, str]] = []
    in_table = False
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else None
        if cells is None:
            if in_table:
                break
            continue
        if tuple(cells) == TABLE_HEADER:
            in_table = True
        elif in_table and not set("".join(cells)) <= set("-: "):
            rows.append(dict(zip(TABLE_HEADER, cells, strict=True)))
    return rows


def claim_ids(row: dict[str, str]) -> list[str]:
    return [c.strip() for c in row["claims"].split(",") if c.strip()]


@cache
def data_graph() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "data").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def seed_text() -> str:
    return seed_path().read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def table() -> list[dict[str, str]]:
    rows = parse_table(COVERAGE.read_text(encoding="utf-8"))
    assert rows, f"no coverage table with header {TABLE_HEADER} in {COVERAGE}"
    return rows


def test_splitter_handles_quotes_and_headlines() -> None:
    text = 'Title line\n\n"A quote," he said. Next one.\nLast “quoted.” End'
    assert seed_sentences(text) == ["Title line", '"A quote," he said.', "Next one.", "Last “quoted.”", "End"]


def test_every_seed_sentence_is_in_the_table(seed_text: str, table: list[dict[str, str]]) -> None:
    in_table = [row["sentence"] for row in table]
    missing = [s for s in seed_sentences(seed_text) if s not in in_table]
    assert not missing, f"seed sentences without a coverage row: {missing}"


def test_every_table_row_is_a_seed_sentence(seed_text: str, table: list[dict[str, str]]) -> None:
    sentences = seed_sentences(seed_text)
    extra = [row["sentence"] for row in table if row["sentence"] not in sentences]
    assert not extra, f"coverage rows that are not sentences of the seed: {extra}"
    assert len(table) == len(sentences), f"{len(table)} rows for {len(sentences)} sentences (duplicates?)"


def test_every_row_has_a_claim_and_a_status(table: list[dict[str, str]]) -> None:
    empty = [row["#"] for row in table if not claim_ids(row) or not row["status"]]
    assert not empty, f"rows without claims or status: {empty}"


def test_every_listed_claim_is_a_seed_claim_in_data(table: list[dict[str, str]]) -> None:
    graph = data_graph()
    bad = []
    for row in table:
        for cid in claim_ids(row):
            node = URIRef(ID[cid])
            if (node, RDF.type, RDKG.Claim) not in graph or (node, RDKG.source, ID["source-seed"]) not in graph:
                bad.append(f"row {row['#']}: {cid}")
    assert not bad, f"claim ids that are not rdkg:Claim with rdkg:source id:source-seed: {bad}"


def test_every_seed_claim_is_in_the_table_and_quotes_the_seed(seed_text: str, table: list[dict[str, str]]) -> None:
    graph = data_graph()
    listed = {cid for row in table for cid in claim_ids(row)}
    seed_claims = set(graph.subjects(RDKG.source, ID["source-seed"]))
    unlisted = sorted(str(c) for c in seed_claims if str(c).removeprefix(str(ID)) not in listed)
    assert not unlisted, f"seed claims missing from the coverage table: {unlisted}"
    not_verbatim = [str(c) for c in seed_claims if str(graph.value(c, RDKG.quote)) not in seed_text]
    assert not not_verbatim, f"seed claims whose quote is not verbatim in the seed: {not_verbatim}"


def test_every_seed_claim_backs_a_node(table: list[dict[str, str]]) -> None:
    graph = data_graph()
    orphans = [
        cid
        for row in table
        for cid in claim_ids(row)
        if not any(graph.subjects(RDKG.supportedBy, ID[cid])) and not any(graph.objects(ID[cid], RDKG.concerns))
    ]
    assert not orphans, f"seed claims attached to nothing (no supportedBy, no concerns): {orphans}"
