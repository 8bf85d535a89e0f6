"""One vocabulary (issue 19): every route's parameters (from the OpenAPI document) and every canned query's
parameters (from its header) against the table in docs/api.md ("Parameter vocabulary").

No Neo4j needed: the OpenAPI document is built from the app, the catalogue from the registry.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from api.settings import ApiSettings
from queries.registry import Registry

DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"
ENTITY_MARK = "an id, ISO code, name or alias"
#: the catalogue's parameter types as the table's
CATALOGUE_TYPES = {"str": {"text"}, "entity": {"entity"}, "search": {"text"}, "int": {"integer"}, "bool": {"boolean"},
                   "date": {"date"}, "date_end": {"date"}, "list[str]": {"list"}, "kinds": {"list"},
                   "float": {"number"}}


def vocabulary() -> dict[str, dict[str, Any]]:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- vocabulary:start -->")[1].split("<!-- vocabulary:end -->")[0]
    table: dict[str, dict[str, Any]] = {}
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or not cells[0].startswith("`"):
            continue
        names = re.findall(r"`([^`]+)`", cells[0])
        catalogue = set(re.findall(r"`([^`]+)`", cells[4]))
        for name in names:
            table[name] = {"type": cells[1], "default": cells[2], "catalogue": catalogue}
    return table


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return create_app(ApiSettings()).openapi()


def _kind(param: dict[str, Any]) -> str:
    schema = param["schema"]
    types = {schema.get("type")} | {alt.get("type") for alt in schema.get("anyOf", [])}
    if "array" in types:
        return "list"
    if ENTITY_MARK in param.get("description", "") or "ISO code or alias" in param.get("description", ""):
        return "entity"  # api/resolve.py's parameters (the flow routes' states too)
    if types & {"integer", "boolean"}:
        return (types & {"integer", "boolean"}).pop()
    if "YYYY" in param.get("description", ""):
        return "date"
    return "text"


def test_every_route_parameter_is_in_the_vocabulary_with_its_type(spec: dict[str, Any]) -> None:
    table = vocabulary()
    wrong = []
    for path, ops in spec["paths"].items():
        for param in ops.get("get", {}).get("parameters", []):
            name, kind = param["name"], _kind(param)
            entry = table.get(name)
            if entry is None:
                wrong.append(f"{path} {name}: not in the vocabulary table")
            elif kind != entry["type"] and not (entry["type"] == "list" and path == "/changes" and name == "kind") \
                    and not (entry["type"] == "entity" and name == "id" and path.startswith(("/claims/", "/flows/"))):
                wrong.append(f"{path} {name}: {kind}, the table says {entry['type']}")
    assert not wrong, "\n".join(wrong)


def test_page_sizes_default_to_50_with_the_cap_in_the_openapi_document(spec: dict[str, Any]) -> None:
    for path, ops in spec["paths"].items():
        for param in ops.get("get", {}).get("parameters", []):
            if param["name"] == "limit" and path != "/paths":
                assert "default 50" in param["description"], path
                assert param["schema"].get("maximum") == ApiSettings().max_page_size, (path, param)


#: canned queries whose `id` takes the id only, as their REST routes do (/flows/{id}, /claims/{id}) or as internal
#: look-ups (node_ref, former_id): a `str`, not an `entity`
IDS_ONLY = {"flow", "claim", "node_ref", "former_id"}


def test_the_catalogue_speaks_the_same_vocabulary() -> None:
    """Issue 19: a client uses one set of names. Every catalogue parameter goes by the REST routes' name (the
    header's ``from_state as from``), with the table's type (an `entity` is resolved as on the routes) and the
    routes' default page size."""
    table = vocabulary()
    known = {alias: entry for entry in table.values() for alias in entry["catalogue"]}
    wrong = []
    for name, entry in table.items():
        if entry["catalogue"] - {name} and name not in {"term", "folded"}:
            wrong.append(f"{name}: the catalogue calls it {sorted(entry['catalogue'])}; it must use the REST name")
    for query in Registry.load():
        for param in query.params:
            entry = known.get(param.public)
            ids_only = param.public == "id" and query.name in IDS_ONLY and param.type == "str"
            if entry is None:
                wrong.append(f"{query.name}.{param.public}: not in the vocabulary table's catalogue names")
            elif entry["type"] not in CATALOGUE_TYPES[param.type] and not ids_only:
                wrong.append(f"{query.name}.{param.public}: {param.type}, the table says {entry['type']}")
            elif param.name == "limit" and query.name not in {"shortest_paths", "graph"} and param.default != 50:
                wrong.append(f"{query.name}.limit: default {param.default}, the REST routes' is 50")
    assert not wrong, "\n".join(wrong)


def test_relations_are_named_one_way_in_every_answer(spec: dict[str, Any]) -> None:
    """Issue 19, one style for relation labels: wherever an answer names a relationship (a profile's bodies, a
    neighbour, an edge of /graph or /paths) it gives the code in `relation` and the ontology's human label in
    `relation_label` — never a bare `type`, never a sentence instead of the code."""
    wrong = []
    for name, schema in spec["components"]["schemas"].items():
        props = set(schema.get("properties", {}))
        if "relation" in props and "relation_label" not in props:
            wrong.append(f"{name}: relation without relation_label")
        if "type" in props and props & {"direction", "source", "target", "node"}:
            wrong.append(f"{name}: names a relationship as `type` (use relation + relation_label)")
    assert not wrong, "\n".join(wrong)
    table = DOC.read_text(encoding="utf-8")
    assert "`relation`, `relation_label`" in table, "docs/api.md's vocabulary must name the two fields"


def test_relation_labels_come_from_the_ontology() -> None:
    from api.models.common import relation_label

    assert relation_label("SUB_ORGANIZATION_OF") == "sub-organization of"  # rdkg:subOrganizationOf rdfs:label
    assert relation_label("PART_OF_STATE") == "part of state"
    assert relation_label("HOLDS_POST_IN") == "holds a post in"  # derived: membership → post → body
    assert relation_label("IN_SCHEME") == "in scheme"  # a SKOS term: no label in our files, the code in words
