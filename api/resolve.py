"""One resolver for every parameter or path segment that names an entity.

A reference may be the node's id (``PRK``, ``sergei-shoigu``), its ISO code, its name or any alias, in any case and
with or without accents (``dprk``, ``North Korea``, ``Shoigu``, ``Sergei Shoigu``, ``Шойгу``). Resolution:

1. a node whose id is exactly the reference wins (one index seek, ``queries/resolve_entity.cypher``), then a node
   that had it as a former id (``rdkg:formerId``: the route sees the current id);
2. otherwise the nodes whose id, ISO code, name (in any language) or alias equals the folded reference (lower-cased,
   accents stripped — as the loader builds ``searchText``), kept to the labels the parameter accepts (a ``voter``
   or a flow's ``from`` is a State); a few common state codes and names the curated aliases lack
   (``COMMON_STATE_NAMES``) come last;
3. nothing found: the reference lower-cased as an id (one index seek, ``queries/node_ref.cypher``: ids are
   lower-case slugs, and nodes search does not index — claims, estimates — have no names to match), then an id
   the node had in an earlier release (``rdkg:formerId``, ``queries/former_id.cypher``, e.g. an old per-estimate
   transfer merged into a flow) names that node;
4. one node → its id; none → 404 for a path segment, 422 for a query parameter, naming it (a node of another kind,
   e.g. a person given as a state, is named in the message); several → 422 listing the candidates (an id always
   resolves).

Answers are kept per graph version (the ``GraphVersion`` the resolver is built with, ``api.version``), so a
repeated reference costs no query; with no version (a graph not loaded by ``rdkg load``) every reference is
resolved by the query. ``create_app`` builds the one resolver and routes receive it through ``ResolverDep``.

Routes take references through the dependencies built here, e.g.::

    signatory: Annotated[str | None, entity_query("signatory", "a state or body", labels=PARTIES)]
    id: Annotated[str, entity_path()]

and get the resolved **id** (``None`` when an optional parameter is absent). When Neo4j cannot be reached the
reference is passed on as given: the route still checks its other parameters, and its own query answers 503.
"""

# no ``from __future__ import annotations``: the dependencies below are built in closures, and FastAPI must
# evaluate their annotations (which use the closure's ``name`` and ``doc``) when the routes are declared
import logging
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request

from api.access import GRAPH_DOWN, GraphAccess
from api.errors import NotFound
from api.version import GraphVersion
from graph.contract import fold
from graph.errors import GraphUnavailable, InvalidParameter

log = logging.getLogger(__name__)

#: Labels of the parties a treaty, vote or meeting can have.
STATES = frozenset({"State"})
MAX_CACHED = 4096
#: Common names and ISO 3166-1 alpha-2 codes of states → their ids (folded keys), for the few the curated aliases
#: (``data/entities.ttl``) lack; the graph's own names answer first.
COMMON_STATE_NAMES = {
    "dprk": "PRK", "north korea": "PRK", "kp": "PRK", "n. korea": "PRK", "nk": "PRK",
    "russia": "RUS", "ru": "RUS", "russian federation": "RUS", "rf": "RUS",
    "ukraine": "UKR", "ua": "UKR",
    "south korea": "KOR", "rok": "KOR", "kr": "KOR", "republic of korea": "KOR",
    "united states": "USA", "us": "USA", "usa": "USA", "united states of america": "USA",
    "china": "CHN", "cn": "CHN", "prc": "CHN", "japan": "JPN", "jp": "JPN",
    "united kingdom": "GBR", "uk": "GBR", "gb": "GBR", "france": "FRA", "fr": "FRA",
    "germany": "DEU", "de": "DEU", "italy": "ITA", "it": "ITA", "netherlands": "NLD", "nl": "NLD",
    "canada": "CAN", "ca": "CAN", "australia": "AUS", "au": "AUS", "new zealand": "NZL", "nz": "NZL",
    "iran": "IRN", "ir": "IRN", "belarus": "BLR", "by": "BLR",
}


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    labels: tuple[str, ...]

    def describe(self) -> str:
        return f"{self.id} ({self.name}; {', '.join(self.labels)})"


class AmbiguousReference(InvalidParameter):
    """A name or alias shared by several nodes: the detail lists them (always a 422)."""


class Resolver:
    """Entity references → ids, cached per graph version."""

    def __init__(self, graph: GraphAccess, version: GraphVersion) -> None:
        self.graph = graph
        self.version = version
        self._cache: dict[tuple[str, frozenset[str] | None], str] = {}
        self._version: str | None = None

    def clear(self, version: str | None = None) -> None:
        self._cache.clear()
        self._version = version

    async def candidates(self, term: str, labels: frozenset[str] | None) -> list[Candidate]:
        """The nodes ``term`` names (an exact id alone when there is one), kept to ``labels``."""
        return (await self._lookup(term, labels))[0]

    async def _lookup(self, term: str, labels: frozenset[str] | None) -> tuple[list[Candidate], list[Candidate]]:
        """(the nodes ``term`` names kept to ``labels``, the nodes it names of other labels)."""
        folded = fold(term)
        rows = await self.graph.run("resolve_entity", term=term, folded=folded)
        if len(rows) == 1 and rows[0]["id"] == term:
            named = [_candidate(rows[0])]
        else:
            former = [_candidate(r) for r in rows if r.get("former")]
            named = former or [_candidate(r) for r in rows if folded in _keys(r)]
            if not _keep(named, labels) and (labels is None or "State" in labels) and folded in COMMON_STATE_NAMES:
                sid = COMMON_STATE_NAMES[folded]
                named = [_candidate(r) for r in await self.graph.run("resolve_entity", term=sid, folded=fold(sid))
                         if r["id"] == sid]
            # an id (any case) or ISO code beats a name that happens to equal it
            by_id = [c for c in _keep(named, labels) if fold(c.id) == folded]
            named = by_id or named
        found = _keep(named, labels)
        if not found and term != term.lower():  # an id in another case, of a node search does not index (claims)
            found = _keep([_candidate(r) for r in await self.graph.run("node_ref", id=term.lower())], labels)
        if not found:  # an id from an earlier release (rdkg:formerId) names the node it became (issue 14)
            found = [_candidate(r) for r in await self.graph.run("former_id", id=term)
                     if labels is None or labels & set(r["labels"])]
        return found, [c for c in named if c not in found]

    async def resolve(self, term: str, param: str, *, labels: frozenset[str] | None = None, kind: str = "entity",
                      in_path: bool = False, offline_ok: bool = False) -> str:
        """The id of the one node ``term`` names; NotFound (path) / InvalidParameter (query) naming ``param``."""
        text = term.strip()
        if not text:
            raise InvalidParameter(param, f"empty {kind} reference")
        version = self.version.current
        if version != self._version:
            self.clear(version)
        key = (text, labels)
        if version is not None and (hit := self._cache.get(key)) is not None:
            return hit
        try:
            found, elsewhere = await self._lookup(text, labels)
        except GraphUnavailable as exc:
            # the route's own parameter checks still answer (a bad page size stays a 422 naming it); its next query
            # answers 503 at once, without a second wait for the unreachable graph (GRAPH_DOWN, api/access.py);
            # an RDF profile is read from the files under the reference as given
            log.debug("%s=%r passed through unresolved: %s", param, text, exc)
            if not offline_ok:
                GRAPH_DOWN.set(exc)
            return text
        if not found:
            what = f"no {kind} is known as {term!r} (give an id, a name or an alias)"
            if elsewhere:  # e.g. a person given as a flow's sending state
                what = (f"{term!r} names {'; '.join(c.describe() for c in elsewhere[:10])}, not a {kind} "
                        f"(give a {kind}'s id, name or alias)")
            if in_path:
                raise NotFound(f"{param}: {what}")
            raise InvalidParameter(param, what)
        if len(found) > 1:
            raise AmbiguousReference(param, f"{term!r} names {len(found)} nodes; give one of their ids: "
                                            + "; ".join(c.describe() for c in found[:10]))
        if version is not None and self._version == version and len(self._cache) < MAX_CACHED:
            self._cache[key] = found[0].id
        return found[0].id


def _keep(found: list[Candidate], labels: frozenset[str] | None) -> list[Candidate]:
    return found if labels is None else [c for c in found if labels & set(c.labels)]


def _candidate(row: dict[str, Any]) -> Candidate:
    return Candidate(str(row["id"]), str(row["name"]), tuple(row["labels"]))


def _keys(row: dict[str, Any]) -> set[str]:
    values = [row["id"], row.get("isoCode"), row.get("name"), *(row.get("names") or [])]
    return {fold(str(v)) for v in values if v}


def get_resolver(request: Request) -> Resolver:
    return request.app.state.resolver  # type: ignore[no-any-return]


ResolverDep = Annotated[Resolver, Depends(get_resolver)]


def entity_query(name: str, description: str, *, labels: frozenset[str] | None = None, kind: str = "entity",
                 required: bool = False) -> Any:
    """A query parameter ``name`` naming an entity, as a dependency that returns its id (None when absent)."""
    doc = f"{description}: an id, ISO code, name or alias (case- and accent-insensitive)"

    if required:
        async def dependency(resolver: ResolverDep, value: Annotated[str, Query(alias=name, description=doc)]) -> str:
            return await resolver.resolve(value, name, labels=labels, kind=kind)
    else:
        async def dependency(  # type: ignore[misc]
            resolver: ResolverDep, value: Annotated[str | None, Query(alias=name, description=doc)] = None
        ) -> str | None:
            return None if value is None else await resolver.resolve(value, name, labels=labels, kind=kind)

    return Depends(dependency)


def entity_path(name: str = "id", *, labels: frozenset[str] | None = None, kind: str = "entity",
                example: str = "PRK, North Korea, vitaly-shulika, Shulika", doc: str | None = None) -> Any:
    """A path segment naming an entity, as a dependency returning its id (404 naming it when unknown)."""
    doc = doc or f"the node: an id, ISO code, name or alias (case- and accent-insensitive), e.g. {example}"

    async def dependency(request: Request, resolver: ResolverDep,
                         value: Annotated[str, Path(alias=name, description=doc)]) -> str:
        return await resolver.resolve(value, name, labels=labels, kind=kind, in_path=True,
                                      offline_ok=_wants_rdf(request))

    return Depends(dependency)


def _wants_rdf(request: Request) -> bool:
    """An RDF profile (``Accept: text/turtle`` or ``?format=``) is served from the files when Neo4j is down."""
    from api.rdf import negotiate

    try:
        return negotiate(request.headers.get("accept"), request.query_params.get("format")) is not None
    except ValueError:
        return False
