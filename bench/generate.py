"""Synthetic, ontology-valid rdkg data at a chosen scale (``python -m bench.generate``).

The curated data in ``data/*.ttl`` is the template, so the synthetic graph has exactly its shape: the same
classes in the same proportions (claims per transfer, quantities per transfer, sources per claim, memberships per
person …), the same degree distribution and the same literal sizes. The output is ``copies`` renamed copies:

- copy 0 is the curated data unchanged, so ``--copies 1`` *is* the curated graph ("1x");
- copy k >= 1 renames every individual defined in the data (``id:x`` → ``id:x-s0007``), maps the curated states
  injectively onto a pool of synthetic states (ISO 3166 user-assigned codes ``QMA``–``QZZ`` / ``XAA``–``XZZ``, so
  no real state gains a fact), shifts all dates by a seeded whole number of years (0 … ``--max-shift`` back),
  scrambles free-text literals with a seeded letter permutation (same length, word shape and language tag — the
  text is meaningless on purpose: synthetic claims must never read as real quotes) and tags URLs with the copy.

So the headline question (``flows`` from ``PRK`` to ``RUS``) has the same answer at every scale, while the graph
around it grows; date-range filters see more data spread over more years. Categories (``ontology/``) are shared.
Deterministic: the same ``--seed`` and the same ``data/`` give the same bytes.

Scale is given as ``--copies N`` or ``--triples T`` (the number of copies whose total is nearest to T; the exact
count is printed and written to ``<out>.json``).
"""

from __future__ import annotations

import argparse
import calendar
import json
import random
import string
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from ontology import ID, RDKG, allowed_values

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "data"
#: Free-text properties whose values are scrambled in synthetic copies (closed value sets, ids, codes are kept).
FREE_TEXT = frozenset(
    RDKG[p] for p in ("name", "alias", "title", "quote", "translation", "note", "summary", "designation",
                      "publisher", "author")
    if p not in allowed_values()
)
DATE_TYPES = (XSD.date, XSD.gYear, XSD.gYearMonth)
PREFIXES = {
    "rdkg": str(RDKG),
    "id": str(ID),
    "xsd": str(XSD),
    "rdf": str(RDF),
}


@dataclass(frozen=True)
class Template:
    """The curated data, split into what every copy repeats and what is shared."""

    subjects: dict[URIRef, list[tuple[URIRef, Node]]]  # non-state subjects → (predicate, object) in order
    states: list[URIRef]  # curated states (mapped per copy)
    defined: frozenset[URIRef]  # individuals defined in the data (renamed per copy)

    @property
    def triples_per_copy(self) -> int:
        return sum(len(po) for po in self.subjects.values())


def read_template(data_dir: Path = DATA_DIR) -> tuple[Template, Graph]:
    graph = Graph()
    for path in sorted(data_dir.glob("*.ttl")):
        graph.parse(path, format="turtle")
    states = sorted(s for s in graph.subjects(RDF.type, RDKG.State) if isinstance(s, URIRef))
    defined = frozenset(s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(ID))
    subjects: dict[URIRef, list[tuple[URIRef, Node]]] = defaultdict(list)
    for s, p, o in sorted(graph):
        if isinstance(s, URIRef) and s not in states:
            subjects[s].append((URIRef(p), o))
    return Template(dict(subjects), states, defined), graph


def state_pool() -> list[str]:
    """ISO 3166-1 alpha-3 user-assigned codes: never a real state."""
    letters = string.ascii_uppercase
    qs = [f"Q{a}{b}" for a in letters[letters.index("M"):] for b in letters]
    xs = [f"X{a}{b}" for a in letters for b in letters]
    return qs + xs


class Copy:
    """The renaming, state map, date shift and text scramble of copy ``k``."""

    def __init__(self, k: int, template: Template, pool: list[str], rng: random.Random, max_shift: int) -> None:
        self.k = k
        self.suffix = f"-s{k:04d}"
        self.defined = template.defined
        codes = rng.sample(pool, len(template.states))
        self.states = {s: ID[c] for s, c in zip(template.states, codes, strict=True)}
        self.shift = -rng.randint(0, max_shift)
        perm = list(string.ascii_lowercase)
        rng.shuffle(perm)
        table = dict(zip(string.ascii_lowercase, perm, strict=True))
        table.update({a.upper(): b.upper() for a, b in table.items()})
        self.table = str.maketrans(table)

    def node(self, node: Node) -> Node:
        if isinstance(node, URIRef):
            if node in self.states:
                return self.states[node]
            if node in self.defined:
                return URIRef(str(node) + self.suffix)
        return node

    def literal(self, pred: URIRef, lit: Literal) -> Literal:
        if pred in FREE_TEXT:
            return Literal(str(lit).translate(self.table), lang=lit.language, datatype=lit.datatype)
        if lit.datatype in DATE_TYPES and self.shift:
            return shift_date(lit, self.shift)
        if lit.datatype == XSD.anyURI:
            return Literal(f"{lit}#synthetic{self.suffix}", datatype=XSD.anyURI)
        return lit


def shift_date(lit: Literal, years: int) -> Literal:
    text = str(lit)
    year = int(text[:4]) + years
    rest = text[4:]
    if rest == "-02-29" and not calendar.isleap(year):
        rest = "-02-28"
    return Literal(f"{year:04d}{rest}", datatype=lit.datatype)


def term(node: Node) -> str:
    if isinstance(node, URIRef):
        text = str(node)
        if text.startswith(str(ID)) and _is_local(text[len(str(ID)):]):
            return "id:" + text[len(str(ID)):]
        if text.startswith(str(RDKG)):
            return "rdkg:" + text[len(str(RDKG)):]
        if node == RDF.type:
            return "a"
        return f"<{text}>"
    if isinstance(node, Literal):
        if node.datatype is not None and str(node.datatype).startswith(str(XSD)):
            return f'{_quoted(node)}^^xsd:{str(node.datatype)[len(str(XSD)):]}'
        return node.n3()
    raise ValueError(f"blank nodes are not allowed in rdkg data: {node!r}")


def _quoted(lit: Literal) -> str:
    return Literal(str(lit)).n3()


def _is_local(name: str) -> bool:
    return bool(name) and all(c.isalnum() or c in "_-" for c in name) and name[0].isalnum()


def subject_blocks(template: Template, copy: Copy | None) -> Iterator[str]:
    """Turtle blocks (one per subject) for copy 0 (``copy`` None) or a synthetic copy."""
    for subject, pos in template.subjects.items():
        s = subject if copy is None else copy.node(subject)
        parts = []
        for p, o in pos:
            if copy is not None:
                o = copy.literal(p, o) if isinstance(o, Literal) else copy.node(o)
            parts.append(f"{term(p)} {term(o)}")
        yield f"{term(s)} " + " ;\n    ".join(parts) + " .\n"


def state_blocks(graph: Graph, template: Template, used: set[URIRef]) -> Iterator[tuple[str, int]]:
    for state in template.states:
        pos = sorted(graph.predicate_objects(state))
        yield f"{term(state)} " + " ;\n    ".join(f"{term(p)} {term(o)}" for p, o in pos) + " .\n", len(pos)
    for state in sorted(used):
        code = str(state)[len(str(ID)):]
        yield (f'id:{code} a rdkg:State ;\n    rdkg:name "Synthetic state {code}" ;\n'
               f'    rdkg:isoCode "{code}" .\n'), 3


def copies_for(triples: int, template: Template) -> int:
    return max(1, round(triples / template.triples_per_copy))


def generate(out: Path, copies: int, *, seed: int = 7, max_shift: int = 30, data_dir: Path = DATA_DIR) -> dict:
    """Write ``copies`` copies of the curated data to ``out`` (Turtle); returns the summary also written as JSON."""
    template, graph = read_template(data_dir)
    rng = random.Random(seed)
    pool = state_pool()
    if len(template.states) > len(pool):
        raise ValueError("more curated states than synthetic codes")
    plans = [Copy(k, template, pool, rng, max_shift) for k in range(1, copies)]
    used = {s for plan in plans for s in plan.states.values()}
    total = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        fh.write("".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items()) + "\n")
        for block, n in state_blocks(graph, template, used):
            fh.write(block)
            total += n
        for copy in [None, *plans]:
            fh.writelines(subject_blocks(template, copy))
            total += template.triples_per_copy
    summary = {"file": str(out), "copies": copies, "triples": total, "seed": seed, "max_shift_years": max_shift,
               "curated_triples": len(graph), "classes": class_counts(graph, copies)}
    out.with_suffix(".json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary


def class_counts(graph: Graph, copies: int) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for o in graph.objects(None, RDF.type):
        counts[str(o).rsplit("#", 1)[-1]] += 1
    return {k: (v if k == "State" else v * copies) for k, v in sorted(counts.items(), key=lambda kv: -kv[1])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    scale = parser.add_mutually_exclusive_group(required=True)
    scale.add_argument("--copies", type=int, help="1 = the curated data (1x), 100 = 100x …")
    scale.add_argument("--triples", type=int, help="aim for this many triples (nearest whole number of copies)")
    parser.add_argument("--out", type=Path, required=True, help="Turtle file to write (a .json summary goes beside)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--max-shift", type=int, default=30, help="shift copies' dates back by up to N years")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    copies = args.copies
    if copies is None:
        template, _ = read_template(args.data_dir)
        copies = copies_for(args.triples, template)
    summary = generate(args.out, copies, seed=args.seed, max_shift=args.max_shift, data_dir=args.data_dir)
    sys.stdout.write(f"{summary['file']}: {summary['copies']} copies, {summary['triples']} triples\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
