"""Display captions for nodes whose meaning lives in their neighbours (for Neo4j Browser and graph widgets).

- a ``Quantity`` → "more than 20,000 containers", "up to 9,000,000 rounds", "100–200 pieces"
- an ``Estimate`` → its figure and as-of date, "more than 20,000 containers · 2025-05-29"
- a ``Transfer`` → "<category label> · <its first quantity>" (quantities in id order), or the category alone
Captions are derived data: computed from the rows being loaded, stored as the ``caption`` property, and part of
each row's content hash like any other property.
"""

from __future__ import annotations

from collections.abc import Sequence

QUALIFIER_WORDS = {
    "exact": "",
    "at_least": "at least",
    "more_than": "more than",
    "up_to": "up to",
    "nearly": "nearly",
    "approximately": "about",
}
IRREGULAR_PLURALS = {"person": "people", "personnel": "personnel", "barrel": "barrels"}


def transfer_caption_from(rels: Sequence[tuple[str, str]], names: dict[str, str],
                          quantities: dict[str, str | None]) -> str | None:
    """A transfer's caption — "<category label> · <its first quantity>" (quantities in id order), or the category
    alone — from the category names and quantity captions the row builder knows."""
    category = next((names[t] for rel, t in sorted(rels) if rel == "OF_CATEGORY" and t in names), None)
    quantity = next((quantities[t] for rel, t in sorted(rels) if rel == "HAS_QUANTITY" and t in quantities), None)
    return " · ".join(part for part in (category, quantity) if part) or None


def quantity_caption(props: dict[str, object]) -> str | None:
    low, high, unit = props.get("min"), props.get("max"), props.get("unit")
    if low is None and high is None:
        return None
    if low is not None and high is not None and low != high:
        amount, value = f"{_number(low)}–{_number(high)}", high
    else:
        value = low if low is not None else high
        amount = _number(value)
    words = QUALIFIER_WORDS.get(str(props.get("qualifier", "")), "")
    return " ".join(part for part in (words, amount, _unit(unit, value)) if part)


def estimate_caption(props: dict[str, object]) -> str | None:
    """An estimate's figure and date: "more than 20,000 containers · 2025-05-29" (the estimator is its neighbour)."""
    figure = quantity_caption(props)
    as_of = props.get("asOf")
    if figure is None or as_of is None:
        return figure
    text = str(as_of)
    text = {"year": text[:4], "month": text[:7]}.get(str(props.get("asOfPrecision")), text[:10])
    return f"{figure} · {text}"


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int | float) else str(value)


def _unit(unit: object, value: object) -> str:
    if not unit:
        return ""
    text = str(unit)
    if value == 1:
        return text
    return IRREGULAR_PLURALS.get(text, text if text.endswith("s") else f"{text}s")
