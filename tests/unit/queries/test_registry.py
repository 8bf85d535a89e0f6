"""The canned query registry: the real catalogue loads, and every rule refuses a bad file by name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.contract import fold
from graph.errors import InvalidParameter
from queries.params import coerce, coerce_default, parse_date_prefix
from queries.registry import Mode, QueryFileError, Registry, UnknownQuery, parse_file
from queries.runner import bind_text, bind_values

REQUIRED = {
    "flows", "flow_totals", "entity_profile", "neighbours", "timeline", "claims_about", "source_document",
    "shortest_paths", "meetings", "treaties", "votes", "entity_search", "graph", "sources",
}

GOOD = """// name: {name}
// description: a test query
// mode: read
// param: id: str -- an id
// param: limit: int = 10 -- page size
MATCH (n {{id: $id}}) RETURN n LIMIT $limit
"""


def write(tmp_path: Path, filename: str, text: str) -> Path:
    path = tmp_path / filename
    path.write_text(text, encoding="utf-8")
    return path


def test_the_catalogue_loads_with_every_required_question() -> None:
    registry = Registry.load()
    assert {q.name for q in registry} >= REQUIRED, sorted(REQUIRED - {q.name for q in registry})
    for query in registry:
        assert query.mode is Mode.READ, query.name
        assert query.description and "apoc" not in query.text.lower(), query.name


def test_neighbours_filters_rel_types_by_parameter_not_text() -> None:
    query = Registry.load().get("neighbours")
    assert "type(r) IN $type" in query.text


def test_shortest_paths_caps_depth_in_text_and_filters_by_parameter() -> None:
    text = Registry.load().get("shortest_paths").text
    assert "[*..6]" in text and "length(p) <= $max_depth" in text


def test_a_good_file_parses(tmp_path: Path) -> None:
    query = parse_file(write(tmp_path, "q.cypher", GOOD.format(name="q")))
    assert query.name == "q" and [p.name for p in query.params] == ["id", "limit"]
    assert query.param("id").required and query.param("limit").default == 10  # type: ignore[union-attr]


def test_duplicate_name_is_refused_naming_both_files(tmp_path: Path) -> None:
    write(tmp_path, "a.cypher", GOOD.format(name="same"))
    write(tmp_path, "b.cypher", GOOD.format(name="same"))
    with pytest.raises(QueryFileError, match=r"b\.cypher: duplicate query name 'same' \(also in a\.cypher\)"):
        Registry.load(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.format(name="q").replace("LIMIT $limit", "LIMIT $limit + $other"), r"undeclared parameter\(s\) \$other"),
        (GOOD.format(name="q").replace(" LIMIT $limit", ""), r"never used: limit"),
        (GOOD.format(name="q").replace("RETURN n", "SET n.x = 1 RETURN n"), r"write query \(a SET clause\)"),
        (GOOD.format(name="q").replace("MATCH (n", "MERGE (n"), r"write query \(a MERGE clause\)"),
        (GOOD.format(name="q").replace("mode: read", "mode: write"), r"write query \(mode: write\)"),
        (GOOD.format(name="q").replace("RETURN n", "CALL apoc.meta.stats() YIELD x RETURN n"), "calls APOC"),
        (GOOD.format(name="q").replace("// description: a test query\n", ""), "lacks '// description:'"),
        (GOOD.format(name="q").replace("id: str", "id: string"), "unknown type 'string'"),
        (GOOD.format(name="q").replace("= 10", "= ten"), "bad default 'ten'"),
        (GOOD.format(name="q").replace("mode: read", "mode: maybe"), "mode must be 'read' or 'write'"),
        ("// name: q\n// description: d\n// mode: read\n", "no statement after the header"),
    ],
)
def test_bad_files_are_refused_with_the_file_name(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path, "broken.cypher", text)
    with pytest.raises(QueryFileError, match=r"broken\.cypher: .*" + message):
        Registry.load(tmp_path)


def test_dollar_in_strings_and_comments_does_not_count(tmp_path: Path) -> None:
    text = GOOD.format(name="q").replace("RETURN n", "// uses $ghost\nRETURN n, '$price' AS s")
    assert parse_file(write(tmp_path, "q.cypher", text)).name == "q"


def test_write_queries_load_only_where_writes_are_expected(tmp_path: Path) -> None:
    write(tmp_path, "w.cypher", GOOD.format(name="w").replace("mode: read", "mode: write").replace("MATCH", "MERGE"))
    assert Registry.load(tmp_path, expect=Mode.WRITE).get("w").mode is Mode.WRITE


def test_unknown_query_name() -> None:
    with pytest.raises(UnknownQuery, match="no canned query named 'nope'"):
        Registry.load().get("nope")


def test_date_prefixes_give_first_or_last_day() -> None:
    assert parse_date_prefix("2023") == dt.date(2023, 1, 1)
    assert parse_date_prefix("2024", end=True) == dt.date(2024, 12, 31)
    assert parse_date_prefix("2024-02", end=True) == dt.date(2024, 2, 29)
    assert parse_date_prefix("2023-09-15") == dt.date(2023, 9, 15)
    for bad in ("yesterday", "2023-13", "2023-02-30", "23"):
        with pytest.raises(ValueError):
            parse_date_prefix(bad)


def test_coercion_of_each_type() -> None:
    assert coerce("int", "5") == 5 and coerce("bool", "yes") is True and coerce("bool", "0") is False
    assert coerce("list[str]", ["FROM,TO", "VIA"]) == ["FROM", "TO", "VIA"]
    assert coerce("search", "  ŠULYKA ") == "sulyka" and fold("Ri Sŏng-chŏl") == "ri song-chol"
    assert coerce("date_end", "2023-09") == dt.date(2023, 9, 30)
    with pytest.raises(ValueError, match="64-bit"):
        coerce("int", str(2**63))
    assert coerce_default("str", "null") is None and coerce_default("list[str]", "[]") == []


def test_bind_text_names_the_bad_parameter() -> None:
    query = Registry.load().get("flows")
    with pytest.raises(InvalidParameter, match="since: expected date") as info:
        bind_text(query, {"since": "soon"})
    assert info.value.param == "since" and info.value.status_code == 422
    with pytest.raises(InvalidParameter, match="has no parameter 'colour'"):
        bind_text(query, {"colour": "red"})


def test_bind_fills_defaults_and_requires_required() -> None:
    query = Registry.load().get("neighbours")
    assert bind_text(query, {"id": "PRK"}) == {"id": "PRK", "type": [], "limit": 50, "offset": 0}
    with pytest.raises(InvalidParameter, match="requires 'id'"):
        bind_values(query, {})


def test_no_canned_query_lists_class_names_by_hand() -> None:
    """A node's class is its ``kind`` property (graph/contract.py): queries answer ``n.kind`` and filter with
    ``n.kind IN $kinds`` instead of spelling class names out in string lists (``['MaterielTransfer', …]``), which
    went stale when the ontology gained a class. Label *patterns* (``(t:Transfer)``) are the graph's structure
    and stay."""
    from graph.contract import OWNERSHIP_LABEL, default_mapping

    classes = default_mapping().labels - {OWNERSHIP_LABEL}
    found = []
    for path in sorted((Path(__file__).resolve().parents[3] / "queries").glob("*.cypher")):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.name}: '{name}'" for name in sorted(classes) if f"'{name}'" in text or f'"{name}"' in text]
    assert not found, f"class names spelt out in canned queries (use n.kind): {found}"


def test_kinds_parameters_keep_subclasses_and_refuse_unknown_classes() -> None:
    assert coerce("kinds", "Transfer") == ["CommodityTransfer", "MaterielTransfer", "PersonnelDeployment",
                                           "TechnologyTransfer", "Transfer"]
    assert coerce("kinds", ["Meeting", "Visit"]) == ["Meeting", "Visit"]
    assert coerce_default("kinds", "[]") == []
    with pytest.raises(ValueError, match="unknown class.*Weapon"):
        coerce("kinds", "Weapon")
    with pytest.raises(ValueError, match="unknown class.*Rdkg"):
        coerce("kinds", "Rdkg")


def test_a_parameter_can_go_by_the_rest_name(tmp_path: Path) -> None:
    """``from_state as from``: the Cypher binds $from_state, clients (catalogue, CLI) say `from` and only `from`."""
    text = GOOD.format(name="q").replace("// param: id: str -- an id",
                                         "// param: from_state as from: entity -- a state")
    query = parse_file(write(tmp_path, "q.cypher", text.replace("$id", "$from_state")))
    param = query.public_param("from")
    assert param is not None and (param.name, param.public, param.type) == ("from_state", "from", "entity")
    assert bind_text(query, {"from": "PRK"}) == {"from_state": "PRK", "limit": 10}
    with pytest.raises(InvalidParameter, match="from_state"):
        bind_text(query, {"from_state": "PRK"})
    twice = text.replace("// param: limit: int = 10", "// param: limit as from: int = 10")
    with pytest.raises(QueryFileError, match="declared twice"):
        parse_file(write(tmp_path, "q.cypher", twice.replace("$id", "$from_state")))
