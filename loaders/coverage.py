"""Coverage of the fact bases and the seed article by the curated data: every row → the claims and nodes that carry it.

``python -m loaders.coverage`` rewrites the generated tables of ``docs/coverage.md`` (between the markers);
``--print`` writes them to stdout; ``--check`` exits 1 and names what is wrong when a fact-base row is not carried
or the committed tables are stale. ``tests/unit/loaders/test_coverage.py`` runs the same checks.

A row is *carried* when its claim ``id:claim-<row>`` (row id lower-cased, e.g. ``claim-k7``) is an ``rdkg:Claim``
whose source is the row's ``Src``, and each of the row's claims — that one and the further ones from its notes or
the discrepancy table, ``claim-<row>-2`` … — backs at least one node (``?node rdkg:supportedBy ?claim``) or, for a
statement that is no fact (an assessment, an UNVERIFIED item), at least ``rdkg:concerns`` one.
Conventions: ``docs/conventions.md``.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import RDF, Graph, Namespace, URIRef

from ontology import replace_section

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SOURCES = DATA / "sources"
DOC = ROOT / "docs" / "coverage.md"
FACT_BASES = (SOURCES / "fact-base.md", SOURCES / "fact-base-2025-2026.md")
RDKG = Namespace("https://w3id.org/rdkg/ontology#")
ID = Namespace("https://w3id.org/rdkg/id/")
COMMAND = "python -m loaders.coverage"

ROW_LINE = re.compile(r"^\| ([A-Z]\d+) \|(.*)\|\s*$", re.MULTILINE)
CLAIM_ID = re.compile(r"^claim-([a-z])(\d+)(?:-(\d+))?$")
FACT_WIDTH = 90


def begin_marker(name: str) -> str:
    return f"<!-- BEGIN GENERATED {name} ({COMMAND}) -->"


def end_marker(name: str) -> str:
    return f"<!-- END GENERATED {name} -->"


@dataclass(frozen=True)
class Row:
    """One row of a fact base's fact table."""

    id: str  # "K7"
    fact: str
    src: str  # "S223"
    line: str  # the whole table line, for quote checks
    fact_base: str  # file name

    @property
    def claim_id(self) -> str:
        return f"claim-{self.id.lower()}"


@dataclass
class RowCoverage:
    row: Row
    claims: list[str] = field(default_factory=list)
    nodes: list[str] = field(default_factory=list)  # "`id`" or "`id` (concerns)"
    problems: list[str] = field(default_factory=list)


def normalise(text: str) -> str:
    """Whitespace-normalised text (the only normalisation the quote checks allow)."""
    return re.sub(r"\s+", " ", text).strip()


def parse_rows(text: str, fact_base: str = "") -> list[Row]:
    """The fact-table rows (``| A1 | fact | date | actors | quantity | quote | Src | URL | Conf | Notes |``)."""
    rows = []
    for match in ROW_LINE.finditer(text):
        cells = [c.strip() for c in match.group(2).split("|")]
        if len(cells) < 6 or not re.fullmatch(r"S\d+", cells[5]):
            continue  # not a fact row (e.g. the source list: | S01 | …)
        rows.append(Row(match.group(1), cells[0], cells[5], normalise(match.group(0)), fact_base))
    return rows


@cache
def fact_base_rows() -> tuple[Row, ...]:
    rows: list[Row] = []
    for path in FACT_BASES:
        rows.extend(parse_rows(path.read_text(encoding="utf-8"), path.name))
    return tuple(rows)


@cache
def data_graphs() -> tuple[Graph, dict[URIRef, str]]:
    """All of data/*.ttl in one graph, and for each typed node the file that types it."""
    graph = Graph()
    defined_in: dict[URIRef, str] = {}
    for path in sorted(DATA.glob("*.ttl")):
        part = Graph()
        part.parse(path, format="turtle")
        for node in part.subjects(RDF.type, None):
            if isinstance(node, URIRef):
                defined_in.setdefault(node, path.name)
        graph += part
    return graph, defined_in


def local(node: object) -> str:
    return str(node).removeprefix(str(ID))


def claim_sort_key(claim_id: str) -> tuple[str, int, int]:
    m = CLAIM_ID.match(claim_id)
    if not m:
        return (claim_id, 0, 0)
    return (m.group(1), int(m.group(2)), int(m.group(3) or 1))


def row_claims(graph: Graph) -> dict[str, list[str]]:
    """Row id (upper case) → its claim ids in data, main claim first."""
    by_row: dict[str, list[str]] = defaultdict(list)
    for claim in graph.subjects(RDF.type, RDKG.Claim):
        cid = local(claim)
        m = CLAIM_ID.match(cid)
        if m and m.group(1) != "s":  # claim-seed-NN is not a row claim (no digits after 'seed' anyway)
            by_row[(m.group(1) + m.group(2)).upper()].append(cid)
    return {row: sorted(ids, key=claim_sort_key) for row, ids in by_row.items()}


def backed_nodes(graph: Graph, claim_id: str) -> tuple[list[str], list[str]]:
    """(nodes the claim supports, nodes it only concerns), as ids."""
    claim = ID[claim_id]
    supported = sorted({local(s) for s in graph.subjects(RDKG.supportedBy, claim)})
    concerns = sorted({local(o) for o in graph.objects(claim, RDKG.concerns)})
    return supported, concerns


def coverage(rows: Iterable[Row] | None = None, graph: Graph | None = None) -> list[RowCoverage]:
    """Every fact-base row with its claims and nodes, and what is wrong with it (empty when carried)."""
    rows = list(rows if rows is not None else fact_base_rows())
    graph = graph if graph is not None else data_graphs()[0]
    claims_by_row = row_claims(graph)
    result = []
    for row in rows:
        cov = RowCoverage(row, claims_by_row.get(row.id, []))
        main = ID[row.claim_id]
        if (main, RDF.type, RDKG.Claim) not in graph:
            cov.problems.append(f"{row.id}: no claim id:{row.claim_id} in data/")
        else:
            source = graph.value(main, RDKG.source)
            fbid = graph.value(source, RDKG.factBaseId) if source is not None else None
            if str(fbid) != row.src:
                cited = fbid or local(source)
                cov.problems.append(f"{row.id}: id:{row.claim_id} cites {cited}, the row cites {row.src}")
        supported_all: set[str] = set()
        concerns_all: set[str] = set()
        idle = []
        for cid in cov.claims:
            supported, concerns = backed_nodes(graph, cid)
            supported_all.update(supported)
            concerns_all.update(concerns)
            if not supported and not concerns:
                idle.append(cid)
        if idle:
            cov.problems.append(f"{row.id}: {', '.join(idle)} back(s) no node and concern(s) none")
        cov.nodes = [f"`{n}`" for n in sorted(supported_all)] + [
            f"`{n}` (concerns)" for n in sorted(concerns_all - supported_all)
        ]
        result.append(cov)
    return result


def orphan_row_claims(rows: Iterable[Row] | None = None, graph: Graph | None = None) -> list[str]:
    """Claim ids of the form claim-<row>[-N] whose row is in no fact base."""
    known = {r.id for r in (rows if rows is not None else fact_base_rows())}
    graph = graph if graph is not None else data_graphs()[0]
    return sorted(cid for row, ids in row_claims(graph).items() if row not in known for cid in ids)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _short(text: str, width: int = FACT_WIDTH) -> str:
    if len(text) <= width:
        return text
    cut = text[:width].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + " …"


def fact_base_table(fact_base: str) -> str:
    covs = [c for c in coverage() if c.row.fact_base == fact_base]
    carried = sum(1 for c in covs if not c.problems)
    claims = sum(len(c.claims) for c in covs)
    lines = [
        f"{len(covs)} rows, {carried} carried, {claims} claims.",
        "",
        "| row | fact (shortened) | claims | carried by |",
        "|---|---|---|---|",
    ]
    for c in covs:
        nodes = ", ".join(c.nodes) if c.nodes else "**NOT CARRIED**"
        lines.append(f"| {c.row.id} | {_cell(_short(c.row.fact))} | {', '.join(c.claims) or '—'} | {nodes} |")
    return "\n".join(lines)


def seed_attach_table() -> str:
    """Where the seed article's claims attach: node (file that defines it) → seed claims."""
    graph, defined_in = data_graphs()
    seed_claims = sorted(
        (local(c) for c in graph.subjects(RDKG.source, ID["source-seed"])),
        key=lambda cid: int(cid.rsplit("-", 1)[1]) if cid.rsplit("-", 1)[1].isdigit() else 0,
    )
    nodes: dict[str, list[str]] = {}
    for cid in seed_claims:
        supported, concerns = backed_nodes(graph, cid)
        for n in supported:
            nodes.setdefault(f"`{n}` ({defined_in.get(ID[n], '?')})", []).append(cid)
        for n in concerns:
            nodes.setdefault(f"`{n} (concerns)` ({defined_in.get(ID[n], '?')})", []).append(cid)
    lines = ["| node (defined in) | seed claims |", "|---|---|"]
    lines += [f"| {node} | {', '.join(cids)} |" for node, cids in nodes.items()]
    return "\n".join(lines)


def sections() -> dict[str, str]:
    """Marker name → generated body."""
    out = {f"fact-base {Path(p).name}": fact_base_table(Path(p).name) for p in FACT_BASES}
    out["seed-attach"] = seed_attach_table()
    return out


def render(text: str) -> str:
    for name, body in sections().items():
        text = replace_section(text, begin_marker(name), end_marker(name), body)
    return text


def committed_section(text: str, name: str) -> str:
    begin, end = begin_marker(name), end_marker(name)
    if begin not in text or end not in text:
        return ""
    return text.split(begin, 1)[1].split(end, 1)[0].strip()


def stale_sections(text: str | None = None) -> list[str]:
    text = text if text is not None else DOC.read_text(encoding="utf-8")
    return [name for name, body in sections().items() if committed_section(text, name) != body.strip()]


def problems() -> list[str]:
    found = [p for c in coverage() for p in c.problems]
    found += [f"{cid}: no row {cid.split('-')[1].upper()} in the fact bases" for cid in orphan_row_claims()]
    found += [f"{DOC.name}: section '{name}' is stale — run: {COMMAND}" for name in stale_sections()]
    return found


def main(argv: list[str]) -> int:
    if "--print" in argv:
        for name, body in sections().items():
            print(f"## {name}\n\n{body}\n")
        return 0
    if "--check" in argv:
        found = problems()
        for p in found:
            print(p, file=sys.stderr)
        return 1 if found else 0
    DOC.write_text(render(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    uncarried = [p for c in coverage() for p in c.problems]
    for p in uncarried:
        print(p, file=sys.stderr)
    return 1 if uncarried else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
