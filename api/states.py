"""Resolve the state names people type (``DPRK``, ``North Korea``, ``KP``, ``Russia``, ``RU``) to ISO ids.

The graph's State nodes (id, ISO code, name, aliases) answer first; a small table covers common codes and names
the curated aliases may lack. Unknown names are a 422 naming the parameter.
"""

from __future__ import annotations

from api.access import GraphAccess
from api.errors import InvalidParameter
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


async def resolve_state(graph: GraphAccess, term: str, param: str) -> str:
    """The id of the State named ``term``; raises InvalidParameter(param) if no state has that name."""
    text = term.strip()
    if not text:
        raise InvalidParameter(param, "empty state name")
    rows = await graph.run("resolve_state", term=text)
    if not rows and fold(text) in ALIASES:
        rows = await graph.run("resolve_state", term=ALIASES[fold(text)])
    if not rows:
        raise InvalidParameter(param, f"no state is known as {term!r} (use an ISO alpha-3 code such as PRK, RUS)")
    return str(rows[0]["id"])
