"""The headline figures as cards: value and unit from data/headline_stats.csv, nothing typed here."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from fjchains.detail import citation
from fjchains.i18n import pick, t
from fjchains.tables import Tables

#: The figures the overview shows, in order (the others are in the Data & sources table).
CARD_METRICS = ("county_gdp_avg_rank", "top100_counties", "avg_industrial_revenue", "opinion_articles")
#: Units whose numbers an English reader expects in billions (亿 = 1e8).
_YI = {"亿元": 1e8}


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    help: str


def headline_value(stat: pd.Series, lang: str) -> str:
    """'第 3 位' / 'No. 3'; '680 亿元' / '68 bn yuan'; otherwise value and the CSV's unit."""
    value, unit_zh = str(stat["value"]), str(stat["unit_zh"])
    if str(stat["metric_id"]).endswith("_rank"):
        return t("rank_value", lang, value=value)
    if lang == "en" and unit_zh in _YI:
        return t("billion_yuan", lang, value=f"{float(value) * _YI[unit_zh] / 1e9:g}")
    unit = pick(stat, "unit", lang)
    return f"{value} {unit}" if lang == "zh" else value


def headline_cards(tables: Tables, lang: str) -> list[Card]:
    """One card per CARD_METRICS row: short label with year, value, and the source's exact words."""
    stats = tables.headline_stats.set_index("metric_id", drop=False)
    cards = []
    for metric in CARD_METRICS:
        s = stats.loc[metric]
        quote = f"“{s['source_quote']}”" if s["source_quote"] else ""
        help_text = (f"{pick(s, 'label', lang)} ({s['year']}). "
                     f"{t('source', lang)}{t('colon', lang)}{citation(tables, s['source'], lang)} {quote}")
        cards.append(Card(f"{t('kpi_' + metric, lang)} ({s['year']})", headline_value(s, lang), help_text))
    return cards
