"""Stance review (issue 19): a claim whose quote denies, rejects or does not confirm the fact it backs is recorded
with the stance made for it (``denies`` / ``declines_to_confirm``), never as ``reports``.

The pattern lists every such quote in data/*.ttl; the reviewed exceptions below match it but are not denials of the
fact they back (each with the reason). A new denial in the data fails here until its stance is set or it is reviewed.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, Namespace

DATA = Path(__file__).resolve().parents[3] / "data"
RDKG = Namespace("https://w3id.org/rdkg/ontology#")
DENIAL = re.compile(
    r"\bden(y|ies|ied|ial|ials)\b|\bnot (been |yet )?(explicitly |officially |publicly |independently )?"
    r"(confirm|acknowledg)|declin\w* to (confirm|comment|acknowledge)|\brefus\w* to (confirm|acknowledge)|"
    r"\breject(s|ed|ing)?\b|\bdismiss(es|ed)?\b|\bunconfirmed\b|\bdenounc\w*|\bfabricat\w*|\bgroundless\b|"
    r"(could|can|would) not (be )?(independently )?(confirm|verif)", re.IGNORECASE)
#: quotes that match the pattern but are not a denial of the fact they back, each with the reason (reviewed).
NOT_DENIALS = {
    "claim-e27": "Lavrov: 'no reason to reject this sincere act of solidarity' — Russia accepts the troops (confirms)",
    "claim-a13": "backs the DPRK Foreign Ministry's announcement rejecting the MSMT report: the outlet reports that "
                 "the rejection happened (a denial recorded as `denies` here would dispute the announcement itself)",
}


def test_denials_and_non_confirmations_carry_their_stance() -> None:
    graph = Graph()
    for path in sorted(DATA.glob("*.ttl")):
        graph.parse(path, format="turtle")
    found = {}
    for claim, quote in graph.subject_objects(RDKG.quote):
        if DENIAL.search(str(quote)):
            found[str(claim).rsplit("/", 1)[-1]] = (str(graph.value(claim, RDKG.stance)), str(quote))
    assert "claim-seed-31" in found, "the pattern must catch the known non-confirmation"
    wrong = {cid: v for cid, v in found.items()
             if cid not in NOT_DENIALS and v[0] not in {"denies", "declines_to_confirm"}}
    assert not wrong, "stance should be denies or declines_to_confirm:\n" + "\n".join(
        f"{cid}: {stance}: {quote}" for cid, (stance, quote) in sorted(wrong.items()))
    assert set(NOT_DENIALS) <= set(found), "a reviewed exception no longer matches: drop it"


