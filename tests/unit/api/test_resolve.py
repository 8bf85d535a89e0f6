"""The one resolver (api/resolve.py) without a database: a fake graph answers its two queries as Neo4j would.

What a client notices: a state parameter (a flow's ``from``/``to``) takes an id, ISO code, name or alias, and a
common code the curated aliases lack; a node of another kind is a 422 naming the parameter and what the node is; a
name two states share is a 422 listing both; a repeated reference costs no query while the graph version stays.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest

from api.errors import NotFound
from api.resolve import STATES, AmbiguousReference, Resolver
from graph.contract import fold
from graph.errors import InvalidParameter

NODES = [
    {"id": "PRK", "name": "North Korea", "labels": ["State"], "isoCode": "PRK", "names": ["DPRK", "Северная Корея"]},
    {"id": "RUS", "name": "Russia", "labels": ["State"], "isoCode": "RUS", "names": ["RU"]},
    {"id": "sergei-shoigu", "name": "Sergei Shoigu", "labels": ["Person"], "isoCode": None, "names": ["Shoigu"]},
    # two states sharing a name (not in the curated data: how an ambiguous state name answers)
    {"id": "XAA", "name": "Freedonia", "labels": ["State"], "isoCode": "XAA", "names": []},
    {"id": "XBB", "name": "Sylvania", "labels": ["State"], "isoCode": "XBB", "names": ["Freedonia"]},
    # a node search does not index (no searchText): found by its exact id only
    {"id": "claim-seed-31", "name": "claim-seed-31", "labels": ["Claim"], "isoCode": None, "names": [],
     "unsearchable": True},
]


class FakeGraph:
    """``resolve_entity``, ``node_ref`` and ``former_id`` as the canned queries answer them (exact id first, else
    folded text over the searchable nodes)."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    async def run(self, name: str, **values: Any) -> list[dict[str, Any]]:
        self.calls[name] += 1
        if name == "former_id":
            return []
        if name == "node_ref":
            return [{k: n[k] for k in ("id", "name", "labels")} for n in NODES if n["id"] == values["id"]]
        assert name == "resolve_entity", name
        exact = [n for n in NODES if n["id"] == values["term"]]
        if exact:
            return [{**n, "former": False} for n in exact]
        folded = values["folded"]
        return [{**n, "former": False} for n in NODES if not n.get("unsearchable")
                and any(folded in fold(str(v)) for v in [n["id"], n["isoCode"], n["name"], *n["names"]] if v)]


class FakeVersion:
    current: str | None = "v1"


def _resolver() -> tuple[Resolver, FakeGraph, FakeVersion]:
    graph, version = FakeGraph(), FakeVersion()
    return Resolver(graph, version), graph, version  # type: ignore[arg-type]


def _state(resolver: Resolver, term: str, param: str = "from") -> str:
    return asyncio.run(resolver.resolve(term, param, labels=STATES, kind="state"))


@pytest.mark.parametrize("term", ["PRK", "prk", "North Korea", "north korea", "DPRK", "Северная Корея", "KP", "nk"])
def test_a_state_by_id_code_name_alias_or_common_code(term: str) -> None:
    resolver, _, _ = _resolver()
    assert _state(resolver, term) == "PRK"


def test_a_person_given_as_a_state_is_a_422_naming_the_parameter_and_the_person() -> None:
    resolver, _, _ = _resolver()
    with pytest.raises(InvalidParameter) as caught:
        _state(resolver, "Shoigu")
    assert str(caught.value).startswith("from: 'Shoigu' names sergei-shoigu (Sergei Shoigu; Person), not a state")
    assert asyncio.run(resolver.resolve("Shoigu", "participant")) == "sergei-shoigu"  # any kind: the person


def test_an_unknown_state_is_a_422_naming_the_parameter() -> None:
    resolver, _, _ = _resolver()
    with pytest.raises(InvalidParameter) as caught:
        _state(resolver, "Atlantis", "to")
    assert str(caught.value) == "to: no state is known as 'Atlantis' (give an id, a name or an alias)"


def test_a_name_two_states_share_is_a_422_listing_both() -> None:
    resolver, _, _ = _resolver()
    with pytest.raises(AmbiguousReference) as caught:
        _state(resolver, "freedonia")
    assert str(caught.value).startswith("from: 'freedonia' names 2 nodes") and "XAA" in str(caught.value)
    assert "XBB (Sylvania; State)" in str(caught.value)
    assert caught.value.status_code == 422


def test_answers_are_kept_per_graph_version() -> None:
    resolver, graph, version = _resolver()
    assert _state(resolver, "DPRK") == "PRK"
    sent = graph.calls["resolve_entity"]
    assert _state(resolver, "DPRK") == "PRK" and graph.calls["resolve_entity"] == sent
    version.current = "v2"  # a new load: asked again
    assert _state(resolver, "DPRK") == "PRK" and graph.calls["resolve_entity"] == sent + 1
    version.current = None  # no version (not loaded by rdkg load): nothing kept
    _state(resolver, "DPRK")
    _state(resolver, "DPRK")
    assert graph.calls["resolve_entity"] == sent + 3


def test_an_id_in_another_case_names_a_node_search_does_not_index() -> None:
    resolver, graph, _ = _resolver()
    claims = frozenset({"Claim"})
    assert asyncio.run(resolver.resolve("CLAIM-SEED-31", "id", labels=claims, kind="claim", in_path=True)) \
        == "claim-seed-31"
    assert graph.calls["node_ref"] == 1
    with pytest.raises(NotFound):
        asyncio.run(resolver.resolve("CLAIM-NONE", "id", labels=claims, kind="claim", in_path=True))
    with pytest.raises(NotFound):  # a state is no claim
        asyncio.run(resolver.resolve("PRK", "id", labels=claims, kind="claim", in_path=True))
