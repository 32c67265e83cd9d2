"""URL query parameters <-> what the user is looking at, so links can be shared.

``?county=350582&chain=food&chain=lithium_battery&cat=pillar&lang=en``; ``?list=sanming_2023``
shows a prefecture's own list instead of the opinion's examples. Unknown values are
dropped and reported, never trusted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fjchains.data.tables import CATEGORIES
from fjchains.geo.colouring import Filters


@dataclass
class ParsedQuery:
    filters: Filters
    lang: str
    unknown_county: str | None = None
    unknown_chains: list[str] = field(default_factory=list)
    list_id: str | None = None  # a prefecture list shown instead of the opinion's examples
    unknown_list: str | None = None


def parse_query(params: dict[str, list[str]], adcodes: set[str], chain_ids: list[str],
                list_ids: tuple[str, ...] | list[str] = ()) -> ParsedQuery:
    """Filters from query params (each a list of values); `list` must be one of list_ids."""
    county = next(iter(params.get("county") or []), None)
    unknown_county = None
    if county is not None and county not in adcodes:
        unknown_county, county = county, None
    asked = [c for value in params.get("chain", []) for c in value.split(",") if c]
    chains = tuple(c for c in chain_ids if c in asked)
    cats = tuple(c for c in CATEGORIES if c in params.get("cat", []))
    lang = "en" if (params.get("lang") or ["zh"])[0] == "en" else "zh"
    list_id = next(iter(params.get("list") or []), None)
    unknown_list = None
    if list_id is not None and list_id not in list_ids:
        unknown_list, list_id = list_id, None
    return ParsedQuery(Filters(chains, cats, county), lang, unknown_county,
                       [c for c in asked if c not in chain_ids], list_id, unknown_list)


def to_query(filters: Filters, lang: str, list_id: str | None = None) -> dict[str, list[str] | str]:
    """Query params for the current view (empty values left out)."""
    query: dict[str, list[str] | str] = {}
    if list_id:
        query["list"] = list_id
    if filters.county:
        query["county"] = filters.county
    if filters.chains:
        query["chain"] = list(filters.chains)
    if filters.categories:
        query["cat"] = list(filters.categories)
    if lang == "en":
        query["lang"] = "en"
    return query

