"""One registry for the canned Cypher in ``queries/*.cypher``.

Each file holds one statement under a small header of ``//`` comment lines (aiosql-style)::

    // name: flows_between
    // description: Transfers between two states in a period, by category (both directions).
    // mode: read
    // param: state_a: str -- ISO code of one state
    // param: since: date = null -- start of the period (inclusive)
    // param: limit: int = 50 -- page size

``param`` lines give ``NAME [as PUBLIC]: TYPE [= DEFAULT] [-- help]``; a parameter without a default is required,
``= null`` makes it optional. ``as PUBLIC`` names the parameter as the REST routes do where the Cypher needs another
name (``from_state as from``: ``$from`` would read as the keyword): the catalogue (``GET /queries``, ``rdkg query``)
takes and shows the public name, the routes bind the Cypher name. Types are those of
``queries.params.PARAM_TYPES``. The registry refuses, at load time and naming the file: a missing header field, a
duplicate name, a ``$param`` used but not declared, a declared parameter that the statement never uses, a write
statement (by header or by a write clause in the text) where reads are expected, and any APOC call.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from graph.errors import EXIT_BAD_INPUT, RdkgError
from queries.params import PARAM_TYPES, coerce_default

QUERY_DIR = Path(__file__).resolve().parent

_HEADER = re.compile(r"^//\s*(name|description|mode|param)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)(?:\s+as\s+(?P<public>[A-Za-z_]\w*))?\s*:\s*(?P<type>[\w\[\]]+)\s*(?:=\s*(?P<default>.*?))?\s*(?:--\s*(?P<help>.*))?$"
)
_USED = re.compile(r"\$([A-Za-z_]\w*)")
_STRINGS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`")
_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
_WRITE = re.compile(r"\b(CREATE|MERGE|DELETE|DETACH|SET|REMOVE|DROP|FOREACH|LOAD\s+CSV)\b", re.IGNORECASE)
_APOC = re.compile(r"\bapoc\.", re.IGNORECASE)


class QueryFileError(RdkgError):
    """A ``.cypher`` file is malformed or breaks a registry rule (raised at start-up)."""

    code = "query_file_error"


class UnknownQuery(RdkgError):
    """No canned query has this name."""

    status_code = 404
    exit_code = EXIT_BAD_INPUT
    code = "unknown_query"


class Mode(StrEnum):
    READ = "read"
    WRITE = "write"


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: Any = None
    required: bool = True
    help: str = ""
    alias: str | None = None  # the REST routes' name, when the Cypher name differs

    @property
    def public(self) -> str:
        """The name clients use (the catalogue, ``rdkg query``): the REST routes' name."""
        return self.alias or self.name


@dataclass(frozen=True)
class CannedQuery:
    name: str
    description: str
    mode: Mode
    params: tuple[Param, ...]
    text: str
    path: Path = field(compare=False)

    def param(self, name: str) -> Param | None:
        """A parameter by its Cypher name (what routes bind)."""
        return next((p for p in self.params if p.name == name), None)

    def public_param(self, name: str) -> Param | None:
        """A parameter by its public name (what catalogue clients send)."""
        return next((p for p in self.params if p.public == name), None)


def _strip(text: str) -> str:
    """The statement without comments and literals, so ``$x`` in a string or comment does not count."""
    return _COMMENTS.sub(" ", _STRINGS.sub("''", text))


def _parse_param(raw: str, path: Path) -> Param:
    match = _PARAM.match(raw)
    if not match:
        raise QueryFileError(f"{path.name}: bad param line {raw!r} (expected 'NAME [as PUBLIC]: TYPE [= DEFAULT] "
                             "[-- help]')")
    name, type_, default, alias = match["name"], match["type"], match["default"], match["public"]
    if type_ not in PARAM_TYPES:
        raise QueryFileError(f"{path.name}: param {name!r} has unknown type {type_!r} (known: {sorted(PARAM_TYPES)})")
    if default is None:
        return Param(name, type_, None, True, match["help"] or "", alias)
    try:
        value = coerce_default(type_, default)
    except ValueError as exc:
        raise QueryFileError(f"{path.name}: param {name!r}: bad default {default!r}: {exc}") from exc
    return Param(name, type_, value, False, match["help"] or "", alias)


def _parse_header(path: Path, lines: list[str]) -> tuple[dict[str, str], list[Param], int]:
    fields: dict[str, str] = {}
    params: list[Param] = []
    body_start = len(lines)
    for number, line in enumerate(lines):
        match = _HEADER.match(line.strip())
        if not match:
            if line.strip().startswith("//") or not line.strip():
                continue
            body_start = number
            break
        key, value = match.groups()
        if key == "param":
            params.append(_parse_param(value, path))
        elif key in fields:
            raise QueryFileError(f"{path.name}: header field {key!r} given twice")
        else:
            fields[key] = value
    return fields, params, body_start


def parse_file(path: Path, expect: Mode = Mode.READ) -> CannedQuery:
    """Parse and check one ``.cypher`` file; raises QueryFileError naming the file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    fields, params, body_start = _parse_header(path, lines)
    for key in ("name", "description", "mode"):
        if not fields.get(key):
            raise QueryFileError(f"{path.name}: header lacks '// {key}:'")
    if fields["mode"] not in {m.value for m in Mode}:
        raise QueryFileError(f"{path.name}: mode must be 'read' or 'write', not {fields['mode']!r}")
    text = "\n".join(lines[body_start:]).strip()
    if not text:
        raise QueryFileError(f"{path.name}: no statement after the header")
    query = CannedQuery(fields["name"], fields["description"], Mode(fields["mode"]), tuple(params), text, path)
    _check(query, expect)
    return query


def _check(query: CannedQuery, expect: Mode) -> None:
    name = query.path.name
    declared = [p.name for p in query.params]
    public = [p.public for p in query.params]
    if len(set(declared)) != len(declared) or len(set(public)) != len(public):
        raise QueryFileError(f"{name}: a parameter is declared twice in {declared} (public names {public})")
    code = _strip(query.text)
    used = set(_USED.findall(code))
    if undeclared := sorted(used - set(declared)):
        raise QueryFileError(f"{name}: uses undeclared parameter(s) {', '.join('$' + p for p in undeclared)}")
    if unused := sorted(set(declared) - used):
        raise QueryFileError(f"{name}: declares parameter(s) never used: {', '.join(unused)}")
    if _APOC.search(code):
        raise QueryFileError(f"{name}: calls APOC; canned queries must run on a plain Neo4j")
    writes = _WRITE.search(code)
    if expect is Mode.READ and (query.mode is Mode.WRITE or writes):
        what = f"a {writes.group(1).upper()} clause" if writes else "mode: write"
        raise QueryFileError(f"{name}: is a write query ({what}) but the registry only accepts reads")


class Registry:
    """The canned queries by name. Build it once per process with ``Registry.load()``."""

    def __init__(self, queries: dict[str, CannedQuery]) -> None:
        self._queries = dict(sorted(queries.items()))

    @classmethod
    def load(cls, directory: Path = QUERY_DIR, expect: Mode = Mode.READ) -> Registry:
        queries: dict[str, CannedQuery] = {}
        for path in sorted(directory.glob("*.cypher")):
            query = parse_file(path, expect)
            if query.name in queries:
                raise QueryFileError(
                    f"{path.name}: duplicate query name {query.name!r} (also in {queries[query.name].path.name})"
                )
            queries[query.name] = query
        if not queries:
            raise QueryFileError(f"no *.cypher files in {directory}")
        return cls(queries)

    def get(self, name: str) -> CannedQuery:
        try:
            return self._queries[name]
        except KeyError:
            raise UnknownQuery(f"no canned query named {name!r}") from None

    def __iter__(self) -> Iterator[CannedQuery]:
        return iter(self._queries.values())

    def __len__(self) -> int:
        return len(self._queries)

    def __contains__(self, name: object) -> bool:
        return name in self._queries
