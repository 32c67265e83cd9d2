"""The headline figures as cards: value and unit from data/headline_stats.csv, nothing typed here."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from fjchains.core.i18n import pick, t
from fjchains.core.numbers import format_number
from fjchains.data.detail import citation
from fjchains.data.tables import Tables

#: The figures the overview shows, in order (the others are in the Data & sources table).
CARD_METRICS = ("county_gdp_avg_rank", "top100_counties", "avg_industrial_revenue", "opinion_articles")
#: Money units of headline_stats.csv and their size in yuan, so the number can be written
#: in the reader's units (680 亿元 -> 680亿元 / 68 billion yuan).
_YUAN = {"亿元": 1e8, "万元": 1e4, "元": 1.0}


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    help: str


def headline_value(stat: pd.Series, lang: str) -> str:
    """'第 3 位' / 'No. 3'; '680亿元' / '68 billion yuan'; otherwise value and the CSV's unit."""
    value, unit_zh = str(stat["value"]), str(stat["unit_zh"])
    if str(stat["metric_id"]).endswith("_rank"):
        return t("rank_value", lang, value=value)
    if unit_zh in _YUAN:
        return t("amount_yuan", lang, value=format_number(float(value) * _YUAN[unit_zh], lang))
    unit = pick(stat, "unit", lang)
    return f"{value} {unit}" if lang == "zh" else value


def headline_cards(tables: Tables, lang: str) -> list[Card]:
    """One card per CARD_METRICS row: short label with year (the full label is in the help,
    so a narrow English card is not cut off), value, and the source's exact words."""
    stats = tables.headline_stats.set_index("metric_id", drop=False)
    cards = []
    for metric in CARD_METRICS:
        s = stats.loc[metric]
        quote = f"“{s['source_quote']}”" if s["source_quote"] else ""
        help_text = t("kpi_help", lang, label=pick(s, "label", lang), year=s["year"],
                      source=citation(tables, s["source"], lang), quote=quote)
        label = t("kpi_label", lang, label=t("kpi_" + metric, lang), year=s["year"])
        cards.append(Card(label, headline_value(s, lang), help_text))
    return cards
