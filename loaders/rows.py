"""An RDF graph → node rows and relationship rows for Neo4j, by the ontology-derived :class:`Mapping`.

Every subject must be an ``id:`` IRI with at least one class; every type and predicate must be in the mapping's
whitelist and every relationship must point at a node of the same data set — otherwise the whole set is refused
(:class:`UnknownTermsError`), naming each offending term. Each node row carries a content hash over its labels,
properties and outgoing relationships, which lets a reload skip what did not change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import RDF, BNode, Literal, URIRef
from rdflib.term import Node

from loaders.mapping import Mapping
from loaders.values import LiteralError, convert, period_end, search_text
from ontology import ID, RDKG

PRIMARY_LANGS = (None, "en")
HASH_KEY = "contentHash"


class UnknownTermsError(ValueError):
    """The data uses terms the ontology does not define, or refers to ids it does not define."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s): " + "; ".join(problems[:5]))
        self.problems = problems


@dataclass
class NodeRow:
    uri: str
    labels: tuple[str, ...]
    props: dict[str, object]
    rels: list[tuple[str, str]]  # (relationship type, target uri), sorted
    digest: str = ""


@dataclass
class _Subject:
    types: set[URIRef] = field(default_factory=set)
    literals: dict[URIRef, list[Literal]] = field(default_factory=lambda: defaultdict(list))
    links: list[tuple[str, str]] = field(default_factory=list)


def build_rows(triples: Iterable[tuple[Node, Node, Node]], mapping: Mapping) -> list[NodeRow]:
    """Map the triples to node rows (sorted by uri); raise :class:`UnknownTermsError` on anything unmapped."""
    subjects, problems = _collect(triples, mapping)
    rows: list[NodeRow] = []
    for uri, subject in sorted(subjects.items()):
        try:
            rows.append(_node_row(uri, subject, mapping))
        except (LiteralError, ValueError) as exc:
            problems.append(f"<{uri}>: {exc}")
    problems += _dangling(rows)
    if problems:
        raise UnknownTermsError(sorted(set(problems)))
    return rows


def _collect(triples: Iterable[tuple[Node, Node, Node]], mapping: Mapping) -> tuple[dict[str, _Subject], list[str]]:
    subjects: dict[str, _Subject] = defaultdict(_Subject)
    problems: list[str] = []
    id_ns, rdf_type = str(ID), RDF.type  # hoisted: namespace attribute access is slow in a hot loop
    starts = str.startswith  # rdflib's URIRef.startswith override is ~10x slower
    datatypes, relationships = mapping.datatypes, mapping.relationships
    for s, p, o in triples:
        if not isinstance(s, URIRef) or not starts(s, id_ns) or isinstance(o, BNode):
            problems.append(f"{s.n3()} {p.n3()} {o.n3()}: subjects and objects must be id: IRIs (no blank nodes)")
            continue
        entry = subjects[str(s)]
        if p == rdf_type:
            if o in mapping.class_labels or o in mapping.foreign_types:
                entry.types.add(o)  # type: ignore[arg-type]
            else:
                problems.append(f"unknown class {o.n3()} (on {s.n3()}): not defined in the ontology")
        elif p in datatypes and isinstance(o, Literal):
            entry.literals[p].append(o)  # type: ignore[index]
        elif p in relationships and isinstance(o, URIRef) and starts(o, id_ns):
            entry.links.append((relationships[p], str(o)))  # type: ignore[index]
        else:
            _refuse(s, p, o, mapping, entry, problems)
    return subjects, problems


def _refuse(s: Node, p: Node, o: Node, mapping: Mapping, entry: _Subject, problems: list[str]) -> None:
    if p in mapping.datatypes and not str(p).startswith(str(RDKG)) and isinstance(o, URIRef):
        entry.literals[p].append(Literal(str(o)))  # type: ignore[index]  # foreign IRI value → string
    elif p in mapping.datatypes or p in mapping.relationships:
        problems.append(f"{p.n3()} on {s.n3()} has a value of the wrong kind: {o.n3()}")
    else:
        problems.append(f"unknown property {p.n3()} (on {s.n3()}): not defined in the ontology")


def _node_row(uri: str, subject: _Subject, mapping: Mapping) -> NodeRow:
    if not subject.types:
        raise ValueError("has no class (rdf:type) — is the id misspelt, or its definition missing?")
    node_id = uri[len(str(ID)):]
    props: dict[str, object] = {"uri": uri, "id": node_id}
    for prop, literals in sorted(subject.literals.items()):
        _set_property(props, mapping.datatypes[prop].key, literals, mapping.datatypes[prop].is_list)
    props.setdefault("name", _fallback_name(props, node_id))
    _add_period(props)
    props["searchText"] = search_text(_names(props) + [node_id])
    row = NodeRow(uri, mapping.labels_for(subject.types), props, sorted(set(subject.links)))
    row.digest = digest(row)
    props[HASH_KEY] = row.digest
    return row


def _set_property(props: dict[str, object], key: str, literals: list[Literal], is_list: bool) -> None:
    by_lang: dict[str | None, list[Literal]] = defaultdict(list)
    for lit in literals:
        by_lang[lit.language].append(lit)
    if key == "name":
        _set_names(props, by_lang)
    elif is_list:
        _set_list(props, key, literals, by_lang)
    else:
        _set_scalar(props, key, literals)


def _set_names(props: dict[str, object], by_lang: dict[str | None, list[Literal]]) -> None:
    """``name`` = the untagged (else @en) value; ``name_<lang>`` per other language; extra values → aliases."""
    extra: list[Literal] = []
    primary = sorted(str(v) for lang in PRIMARY_LANGS for v in by_lang.get(lang, []))
    if primary:
        props["name"] = primary[0]
        extra += [lit for lang in PRIMARY_LANGS for lit in by_lang.get(lang, []) if str(lit) != primary[0]]
    for lang, values in sorted((k, v) for k, v in by_lang.items() if k not in PRIMARY_LANGS):
        ordered = sorted(values, key=str)
        props[f"name_{_lang_key(lang)}"] = str(ordered[0])
        extra += ordered[1:]
    if extra:
        props["_extraNames"] = extra


def _set_list(props: dict[str, object], key: str, literals: list[Literal],
              by_lang: dict[str | None, list[Literal]]) -> None:
    values = [convert(lit) for lit in literals]
    props[key] = sorted({v.value for v in values}, key=_sort_key)
    for lang, tagged in by_lang.items():
        if lang not in PRIMARY_LANGS:
            props[f"{key}_{_lang_key(lang)}"] = sorted({str(v) for v in tagged})


def _set_scalar(props: dict[str, object], key: str, literals: list[Literal]) -> None:
    if len(literals) > 1:
        raise ValueError(f"functional property {key!r} has {len(literals)} values")
    converted = convert(literals[0])
    props[key] = converted.value
    if converted.precision:
        props[f"{key}Precision"] = converted.precision
    if literals[0].language:
        props[f"{key}Language"] = literals[0].language


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
    extra: list[Literal] = props.pop("_extraNames", [])  # type: ignore[assignment]
    if extra:
        current: list[str] = props.get("aliases", [])  # type: ignore[assignment]
        aliases = [*current, *(str(v) for v in extra)]
        props["aliases"] = sorted(set(aliases))
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
    return [
        f"<{row.uri}> -[{rel}]-> <{target}>: the target id is not defined in the data being loaded"
        for row in rows for rel, target in row.rels if target not in known
    ]


def digest(row: NodeRow) -> str:
    payload = json.dumps([row.labels, {k: v for k, v in row.props.items() if k != HASH_KEY}, row.rels],
                         sort_keys=True, default=_sort_key, ensure_ascii=False)
    return hashlib.blake2b(payload.encode(), digest_size=16).hexdigest()
