"""RDF triples → node rows for Neo4j, by the ontology-derived :class:`Mapping`.

Every subject must be an ``id:`` IRI with at least one class; every type and predicate must be in the mapping's
whitelist and every relationship must point at a node of the same data set — otherwise the whole set is refused
(:class:`UnknownTermsError`), naming each offending term. Each node row carries its kind (``kind``: its own class,
:meth:`graph.contract.Mapping.kind_of`; a node typed with two unrelated classes is refused) and a content hash over
its labels, properties and outgoing relationships, which lets a reload skip what did not change.

Two ways to group triples by subject, with identical rows as the result:

- :func:`build_rows` collects every triple first (any order; all rows in memory, sorted by uri);
- :func:`stream_rows` yields a row as soon as its subject's block of triples ends — Turtle files written one
  subject block at a time (our generator, most exports) stream in constant memory. A subject that shows up again
  after its block ended raises :class:`NotContiguous`, and the caller falls back to :func:`build_rows`.

Triples are plain terms (:mod:`loaders.terms`); rdflib terms are accepted and converted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib.term import Node
from rich.markup import escape

from graph.contract import KIND, OWNERSHIP_LABEL, DatatypeSpec, Mapping, default_mapping
from graph.errors import RdkgError
from loaders.captions import estimate_caption, quantity_caption, transfer_caption_from
from loaders.fastparse import iter_plain
from loaders.inputs import ontology_individuals
from loaders.terms import RDF_LANG_STRING, Blank, Lit, PlainTriple, Term, n3, plain
from loaders.values import LiteralError, convert_text, period_end, search_text
from ontology import ID, RDKG

PRIMARY_LANGS = (None, "en")
HASH_KEY = "contentHash"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


class UnknownTermsError(RdkgError):
    """The data uses terms the ontology does not define, or refers to ids it does not define."""

    status_code = 422
    code = "unknown_terms"

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s): " + "; ".join(problems[:5]))
        self.problems = problems

    def cli_lines(self) -> list[str]:
        return [f"[red]refused:[/red] {escape(problem)}" for problem in self.problems]


class NotContiguous(Exception):  # noqa: N818 — a signal the caller handles (mapping in memory), never an error
    """A subject's triples are not in one block: stream_rows cannot be used for this input."""


@dataclass
class NodeRow:
    uri: str
    labels: tuple[str, ...]
    props: dict[str, object]
    rels: list[tuple[str, str]]  # (relationship type, target uri), sorted
    digest: int = 0


@dataclass
class _Subject:
    types: set[str] = field(default_factory=set)
    literals: dict[str, set[Lit]] = field(default_factory=lambda: defaultdict(set))
    links: set[tuple[str, str]] = field(default_factory=set)


class RowBuilder:
    """The mapping as plain-string lookups, and the problems found so far."""

    def __init__(self, mapping: Mapping) -> None:
        self.mapping = mapping
        self.class_labels = {str(k): v for k, v in mapping.class_labels.items()}
        self.foreign_types = {str(k): v for k, v in mapping.foreign_types.items()}
        self.datatypes: dict[str, DatatypeSpec] = {str(k): v for k, v in mapping.datatypes.items()}
        self.specs = {iri: (spec.key, spec.is_list) for iri, spec in self.datatypes.items()}
        self.relationships = {str(k): v for k, v in mapping.relationships.items()}
        self.unsearchable = mapping.unsearchable
        self.kinds: dict[tuple[str, ...], str] = {}  # label set → kind (Mapping.kind_of), memoised
        self.problems: list[str] = []
        self.triples = 0  # distinct triples of the finished subjects

    def add_all(self, triples: Iterable[PlainTriple], subjects: dict[str, _Subject]) -> None:
        """Sort triples into per-subject entries (any order)."""
        for s, p, o in triples:
            entry = subjects.get(s)  # type: ignore[arg-type]
            if entry is None:
                entry = subjects[s] = _Subject()  # type: ignore[index]
            self.add(entry, s, p, o)

    def add(self, entry: _Subject, s: Term, p: str, o: Term) -> None:
        id_ns = _ID
        if type(s) is not str or not s.startswith(id_ns) or type(o) is Blank:
            self.problems.append(f"{n3(s)} {n3(p)} {n3(o)}: subjects and objects must be id: IRIs (no blank nodes)")
        elif p == RDF_TYPE:
            if o in self.class_labels or o in self.foreign_types:
                entry.types.add(o)  # type: ignore[arg-type]
            else:
                self.problems.append(f"unknown class {n3(o)} (on {n3(s)}): not defined in the ontology")
        elif type(o) is Lit:
            if p in self.datatypes:
                entry.literals[p].add(o)
            else:
                self._refuse(entry, s, p, o)
        elif p in self.relationships and o.startswith(id_ns):  # type: ignore[union-attr]
            entry.links.add((self.relationships[p], o))  # type: ignore[arg-type]
        else:
            self._refuse(entry, s, p, o)

    def _refuse(self, entry: _Subject, s: Term, p: str, o: Term) -> None:
        if p in self.datatypes and not p.startswith(_RDKG) and type(o) is str:
            entry.literals[p].add(Lit(o, None, _XSD_STRING))  # foreign IRI value → string
        elif p in self.datatypes or p in self.relationships:
            self.problems.append(f"{n3(p)} on {n3(s)} has a value of the wrong kind: {n3(o)}")
        else:
            self.problems.append(f"unknown property {n3(p)} (on {n3(s)}): not defined in the ontology")

    def row(self, uri: Term, entry: _Subject) -> NodeRow | None:
        """The row of one subject (without caption and hash), or None after recording a problem."""
        self.triples += len(entry.types) + len(entry.links) + sum(len(v) for v in entry.literals.values())
        if type(uri) is not str or not uri.startswith(_ID):
            return None  # already reported by add()
        try:
            return _node_row(uri, entry, self)
        except (LiteralError, ValueError) as exc:
            self.problems.append(f"<{uri}>: {exc}")
            return None


_ID, _RDKG = str(ID), str(RDKG)
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
TEXT_TYPES = frozenset((_XSD_STRING, RDF_LANG_STRING))  # literals kept as their lexical form


def build_rows(triples: Iterable[PlainTriple | tuple[Node, Node, Node]], mapping: Mapping,
               builder: RowBuilder | None = None) -> list[NodeRow]:
    """Map the triples (any order) to node rows sorted by uri; raise :class:`UnknownTermsError` on anything unmapped.
    Pass a ``builder`` to read its ``triples`` count afterwards."""
    builder = builder or RowBuilder(mapping)
    rows = _finish_all(builder, _plain_triples(triples))
    problems = builder.problems + _dangling(rows)
    if problems:
        raise UnknownTermsError(sorted(set(problems)))
    return rows


def _finish_all(builder: RowBuilder, triples: Iterable[PlainTriple]) -> list[NodeRow]:
    subjects: dict[str, _Subject] = {}
    builder.add_all(triples, subjects)
    captioner = Captioner()
    rows: list[NodeRow] = []
    for uri, entry in sorted(subjects.items()):
        row = builder.row(uri, entry)
        if row is not None:
            rows += captioner.accept(row)
    rows += captioner.flush()
    rows.sort(key=lambda r: r.uri)
    return rows


def stream_rows(builder: RowBuilder, first: Iterable[PlainTriple], triples: Iterable[PlainTriple],
                captioner: Captioner | None = None) -> Iterator[NodeRow]:
    """Rows in input order, one per subject block: ``first`` (any order, small — the ontology's individuals), then
    the contiguous ``triples``. Problems accumulate in ``builder.problems``; the caller checks them (and dangling
    targets) at the end. Raises :class:`NotContiguous` when a subject's block is not contiguous. A ``captioner``
    passed in is used (and flushed) instead of a fresh one: the bulk rebuild maps chunks in parallel and captions
    transfers once all chunks are done."""
    captioner = captioner if captioner is not None else Captioner()
    subjects: dict[str, _Subject] = {}
    builder.add_all(first, subjects)
    done: set[str] = set(subjects)
    for uri, first_entry in sorted(subjects.items()):
        first_row = builder.row(uri, first_entry)
        if first_row is not None:
            yield from captioner.accept(first_row)
    current: Term | None = None
    entry: _Subject | None = None
    add, row_of = builder.add, builder.row
    for s, p, o in triples:
        if s != current:
            if entry is not None:
                row = row_of(current, entry)  # type: ignore[arg-type]
                if row is not None:
                    yield from captioner.accept(row)
            if s in done:
                raise NotContiguous(f"the triples of {n3(s)} are not in one block")
            done.add(s)  # type: ignore[arg-type]
            current, entry = s, _Subject()
        add(entry, s, p, o)  # type: ignore[arg-type]
    if entry is not None:
        row = row_of(current, entry)  # type: ignore[arg-type]
        if row is not None:
            yield from captioner.accept(row)
    yield from captioner.flush()


def _plain_triples(triples: Iterable[PlainTriple | tuple[Node, Node, Node]]) -> Iterator[PlainTriple]:
    for s, p, o in triples:
        if isinstance(p, Node) or isinstance(s, Node) or isinstance(o, Node):
            yield plain(s), str(p), plain(o)  # type: ignore[arg-type]
        else:
            yield s, p, o  # type: ignore[misc]


def _node_row(uri: str, subject: _Subject, builder: RowBuilder) -> NodeRow:
    if not subject.types:
        raise ValueError("has no class (rdf:type) — is the id misspelt, or its definition missing?")
    node_id = uri[len(_ID):]
    props: dict[str, object] = {"uri": uri, "id": node_id}
    specs = builder.specs
    for prop, literals in sorted(subject.literals.items()):
        key, is_list = specs[prop]
        _set_property(props, key, literals, is_list)
    props.setdefault("name", _fallback_name(props, node_id))
    _add_period(props)
    labels = _labels_for(subject.types, builder)
    kind = builder.kinds.get(labels)
    if kind is None:
        kind = builder.kinds[labels] = builder.mapping.kind_of(labels)
    props[KIND] = kind
    names = _names(props)
    if builder.unsearchable.isdisjoint(labels):
        props["searchText"] = search_text(names + [node_id])
    return NodeRow(uri, labels, props, sorted(subject.links))


def _labels_for(types: set[str], builder: RowBuilder) -> tuple[str, ...]:
    found = {label for t in types if t in builder.class_labels for label in builder.class_labels[t]}
    if not found:
        found = {builder.foreign_types[t] for t in types if t in builder.foreign_types}
    return (OWNERSHIP_LABEL, *sorted(found))


def _set_property(props: dict[str, object], key: str, literals: set[Lit], is_list: bool) -> None:
    if key == "name":
        _set_names(props, _by_language(literals))
    elif is_list:
        _set_list(props, key, literals)
    else:
        _set_scalar(props, key, literals)


def _by_language(literals: Iterable[Lit]) -> dict[str | None, list[Lit]]:
    by_lang: dict[str | None, list[Lit]] = defaultdict(list)
    for lit in literals:
        by_lang[lit.language].append(lit)
    return by_lang


def _set_names(props: dict[str, object], by_lang: dict[str | None, list[Lit]]) -> None:
    """``name`` = the untagged (else @en) value; ``name_<lang>`` per other language; extra values → aliases."""
    extra: list[str] = []
    primary = sorted(lit.value for lang in PRIMARY_LANGS for lit in by_lang.get(lang, []))
    if primary:
        props["name"] = primary[0]
        extra += [lit.value for lang in PRIMARY_LANGS for lit in by_lang.get(lang, []) if lit.value != primary[0]]
    for lang, values in sorted((k, v) for k, v in by_lang.items() if k not in PRIMARY_LANGS):
        ordered = sorted(lit.value for lit in values)
        props[f"name_{_lang_key(lang)}"] = ordered[0]  # type: ignore[arg-type]
        extra += ordered[1:]
    if extra:
        props["_extraNames"] = extra


def _set_list(props: dict[str, object], key: str, literals: set[Lit]) -> None:
    values = {lit.value if lit.datatype in TEXT_TYPES else convert_text(lit.value, lit.datatype).value
              for lit in literals}
    props[key] = sorted(values, key=_sort_key)
    tagged = [lit for lit in literals if lit.language not in PRIMARY_LANGS]
    for lang, same in _by_language(tagged).items():
        props[f"{key}_{_lang_key(lang)}"] = sorted({lit.value for lit in same})  # type: ignore[arg-type]


def _set_scalar(props: dict[str, object], key: str, literals: set[Lit]) -> None:
    if len(literals) > 1:
        raise ValueError(f"functional property {key!r} has {len(literals)} values")
    (lit,) = literals
    if lit.datatype in TEXT_TYPES:
        props[key] = lit.value
    else:
        converted = convert_text(lit.value, lit.datatype)
        props[key] = converted.value
        if converted.precision:
            props[f"{key}Precision"] = converted.precision
    if lit.language:
        props[f"{key}Language"] = lit.language


def _lang_key(lang: str) -> str:
    return lang.lower().replace("-", "_")


def _sort_key(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _fallback_name(props: dict[str, object], node_id: str) -> str:
    for key in ("title", "prefLabel"):
        if isinstance(props.get(key), str):
            return props[key]  # type: ignore[return-value]
    return node_id


def _names(props: dict[str, object]) -> list[str]:
    extra: list[str] = props.pop("_extraNames", [])  # type: ignore[assignment]
    if extra:
        current: list[str] = props.get("aliases", [])  # type: ignore[assignment]
        props["aliases"] = sorted({*current, *extra})
    names = [str(props["name"])] + [str(v) for k, v in props.items() if k.startswith("name_")]
    return names + [str(a) for a in props.get("aliases", [])]  # type: ignore[attr-defined]


def _add_period(props: dict[str, object]) -> None:
    """``periodStart``/``periodEnd``: inclusive day bounds from date or startDate/endDate (end null = open)."""
    start_key = "startDate" if "startDate" in props else "date" if "date" in props else None
    if start_key is None and "endDate" not in props:
        return
    props["periodStart"] = props.get(start_key) if start_key else None
    if "endDate" in props:
        props["periodEnd"] = period_end(props["endDate"], str(props["endDatePrecision"]))  # type: ignore[arg-type]
    elif start_key == "date":
        props["periodEnd"] = period_end(props["date"], str(props["datePrecision"]))  # type: ignore[arg-type]
    if props["periodStart"] is None:
        del props["periodStart"]


def _dangling(rows: list[NodeRow]) -> list[str]:
    known = {row.uri for row in rows}
    return [dangling_message(row.uri, rel, target) for row in rows for rel, target in row.rels if target not in known]


def dangling_message(uri: str, rel: str, target: str) -> str:
    return f"<{uri}> -[{rel}]-> <{target}>: the target id is not defined in the data being loaded"


def digest(row: NodeRow) -> int:
    """A 64-bit content hash (a signed integer: stored inline in the node record, unlike a hex string) of the row's
    labels, properties and relationships; ``repr`` of the sorted items is deterministic for the value types the
    mapping produces (str, int, float, bool, date, sorted lists). Used only to skip unchanged nodes on a re-load:
    a collision (p ≈ n²/2⁶⁵, 10⁻⁸ at a million nodes) would leave one changed node un-updated until it changes
    again."""
    props = row.props
    if HASH_KEY in props:  # re-sealing a row (its caption changed)
        props = {key: value for key, value in props.items() if key != HASH_KEY}
    payload = repr((row.labels, sorted(props.items()), row.rels))
    return int.from_bytes(hashlib.blake2b(payload.encode(), digest_size=8).digest(), "big", signed=True)


class Captioner:
    """Captions (:mod:`loaders.captions`) and content hashes for rows arriving in any order.

    Quantity and category rows are captioned/sealed at once and remembered (caption, name); transfer rows wait for
    :meth:`flush`, since their caption needs their category's name and their first quantity's caption.
    """

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.quantities: dict[str, str | None] = {}
        self.waiting: list[NodeRow] = []

    def accept(self, row: NodeRow) -> list[NodeRow]:
        if "Quantity" in row.labels:
            caption = self.quantities[row.uri] = quantity_caption(row.props)
            if caption:
                row.props["caption"] = caption
        if "Estimate" in row.labels and (caption := estimate_caption(row.props)):
            row.props["caption"] = caption
        if "Category" in row.labels:
            self.names[row.uri] = str(row.props["name"])
        if "Transfer" in row.labels:
            self.waiting.append(row)
            return []
        return [seal(row)]

    def flush(self) -> list[NodeRow]:
        done = []
        for row in self.waiting:
            caption = transfer_caption_from(row.rels, self.names, self.quantities)
            if caption:
                row.props["caption"] = caption
            done.append(seal(row))
        self.waiting = []
        return done


def seal(row: NodeRow) -> NodeRow:
    """Set the row's content hash (after every property, caption included, is final)."""
    row.digest = digest(row)
    row.props[HASH_KEY] = row.digest
    return row


__all__ = ["Captioner", "NodeRow", "NotContiguous", "RowBuilder", "UnknownTermsError", "build_rows",
           "dangling_message", "digest", "seal", "stream_rows"]


def map_files(files: Sequence[Path], mapping: Mapping | None = None) -> tuple[list[NodeRow], int]:
    """Node rows for the data files plus the ontology's own individuals (in memory, sorted by uri); also the
    number of distinct data triples."""
    mapping = mapping or default_mapping()
    builder = RowBuilder(mapping)
    rows = build_rows([*ontology_individuals(), *iter_plain(files)], mapping, builder)
    return rows, data_triples(builder)


def data_triples(builder: RowBuilder) -> int:
    """Distinct triples mapped, without the ontology's own individuals (which every load adds)."""
    return builder.triples - len(ontology_individuals())
