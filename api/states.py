"""Resolve the state names people type (``DPRK``, ``North Korea``, ``KP``, ``Russia``, ``RU``) to ISO ids.

The graph's State nodes (id, ISO code, name, aliases) answer first; a small table covers common codes and names
the curated aliases may lack. Unknown names are a 422 naming the parameter.

The State nodes are read once per graph version into an in-process map (``api.version.GraphLookups``), so a
request resolves its state parameters without a query; when there is no graph version (see ``api.version``)
each term is resolved by the ``resolve_state`` query, with the same answer.
"""

from __future__ import annotations

from api.access import GraphAccess
from api.errors import InvalidParameter
from api.version import Lookups
from queries.params import fold

#: Common names and ISO 3166-1 alpha-2 codes → alpha-3 (folded keys).
ALIASES = {
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


async def resolve_state(graph: GraphAccess, term: str, param: str, lookups: Lookups | None = None) -> str:
    """The id of the State named ``term``; raises InvalidParameter(param) if no state has that name."""
    text = term.strip()
    if not text:
        raise InvalidParameter(param, "empty state name")
    found: str | None
    if lookups is not None:
        found = lookups.states.resolve(text)
        if found is None and fold(text) in ALIASES:
            found = lookups.states.resolve(ALIASES[fold(text)])
    else:
        rows = await graph.run("resolve_state", term=text)
        if not rows and fold(text) in ALIASES:
            rows = await graph.run("resolve_state", term=ALIASES[fold(text)])
        found = str(rows[0]["id"]) if rows else None
    if found is None:
        raise InvalidParameter(param, f"no state is known as {term!r} (use an ISO alpha-3 code such as PRK, RUS)")
    return found
