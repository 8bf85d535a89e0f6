"""Every claim's quote is verbatim in the document its source row cites (docs/conventions.md, docs/coverage.md).

- a row's main claim ``id:claim-<row>``: its quote is in that row of the fact base, and its source is the row's Src;
- a row's further claims ``id:claim-<row>-N`` (from the row's notes or the discrepancy table): the quote is in the
  same fact base, and the source is one of that fact base's S-ids;
- a seed claim ``id:claim-seed-NN``: the quote is in the seed article.
Only whitespace is normalised (runs of spaces and line breaks → one space); quotation marks, ellipses, case and
punctuation must match. Every claim is one of these three kinds, so every quote in data/ is checked.
"""

from __future__ import annotations

import re
from functools import cache

from rdflib import RDF

from loaders import coverage as cov

SEED = cov.SOURCES / "seed-article.txt"
SEED_CLAIM = re.compile(r"^claim-seed-\d+$")
SOURCE_ID = re.compile(r"^\| (S\d+) \|", re.MULTILINE)


@cache
def fact_base_text(name: str) -> str:
    return cov.normalise((cov.SOURCES / name).read_text(encoding="utf-8"))


@cache
def fact_base_source_ids(name: str) -> frozenset[str]:
    return frozenset(SOURCE_ID.findall((cov.SOURCES / name).read_text(encoding="utf-8")))


def quote_problems() -> list[str]:
    graph, _ = cov.data_graphs()
    rows = {row.id: row for row in cov.fact_base_rows()}
    seed = cov.normalise(SEED.read_text(encoding="utf-8"))
    bad: list[str] = []
    for claim in sorted(graph.subjects(RDF.type, cov.RDKG.Claim)):
        cid = cov.local(claim)
        quotes = list(graph.objects(claim, cov.RDKG.quote))
        if len(quotes) != 1:
            bad.append(f"{cid}: {len(quotes)} quotes (exactly one expected)")
            continue
        quote = cov.normalise(str(quotes[0]))
        source = graph.value(claim, cov.RDKG.source)
        fbid = str(graph.value(source, cov.RDKG.factBaseId)) if source is not None else None
        if SEED_CLAIM.match(cid):
            if quote not in seed:
                bad.append(f"{cid}: quote not verbatim in the seed article: {quote[:60]!r}")
            continue
        m = cov.CLAIM_ID.match(cid)
        row = rows.get((m.group(1) + m.group(2)).upper()) if m else None
        if row is None:
            bad.append(f"{cid}: not a seed claim nor a claim of a fact-base row")
            continue
        if m and m.group(3) is None:
            if quote not in row.line:
                bad.append(f"{cid}: quote not verbatim in row {row.id} of {row.fact_base}: {quote[:60]!r}")
            if fbid != row.src:
                bad.append(f"{cid}: source {fbid} is not the row's {row.src}")
        else:
            if quote not in fact_base_text(row.fact_base):
                bad.append(f"{cid}: quote not verbatim in {row.fact_base}: {quote[:60]!r}")
            if fbid not in fact_base_source_ids(row.fact_base):
                bad.append(f"{cid}: source {fbid} is not in the source list of {row.fact_base}")
    return bad


def test_every_quote_is_verbatim_in_its_fact_base_or_the_seed() -> None:
    bad = quote_problems()
    assert not bad, "\n".join(bad)


def test_every_claim_is_checked() -> None:
    graph, _ = cov.data_graphs()
    claims = [cov.local(c) for c in graph.subjects(RDF.type, cov.RDKG.Claim)]
    assert len(claims) > 300
    assert all(SEED_CLAIM.match(c) or cov.CLAIM_ID.match(c) for c in claims)


def test_normalisation_is_whitespace_only() -> None:
    line = cov.normalise("| K7 | f | “Around 2,000 North Korean\n   soldiers” |")
    assert cov.normalise("Around 2,000  North Korean soldiers") in line
    assert cov.normalise("Around 2000 North Korean soldiers") not in line  # a changed figure fails
    assert cov.normalise("around 2,000 North Korean soldiers") not in line  # so does case


def test_both_fact_bases_list_their_sources() -> None:
    assert {"S01", "S132"} <= fact_base_source_ids("fact-base.md")
    assert {"S201", "S337"} <= fact_base_source_ids("fact-base-2025-2026.md")
    assert not fact_base_source_ids("fact-base.md") & fact_base_source_ids("fact-base-2025-2026.md")

