"""Two to four counties side by side: names, prefecture, level, chains, categories, golden
card and any uploaded values. Pure functions; fjchains.app.panels.compare_panel draws the result."""

from __future__ import annotations

import pandas as pd

from fjchains.core import limits
from fjchains.core.i18n import column, t
from fjchains.core.numbers import format_value


def parse_compare(values: list[str], adcodes: set[str]) -> tuple[list[str], list[str]]:
    """Adcodes from `?compare=350582,350181` (one or several parameters, comma separated).

    Returns (known adcodes in the order given, without repeats, at most
    limits.MAX_COMPARE; the values that are not adcodes of the layer).
    """
    asked = [v.strip() for value in values for v in value.split(",") if v.strip()]
    known = list(dict.fromkeys(a for a in asked if a in adcodes))[:limits.MAX_COMPARE]
    unknown = [a for a in asked if a not in adcodes][:limits.MAX_COMPARE]
    return known, unknown


def compare_table(layer: pd.DataFrame, chains: pd.DataFrame, adcodes: list[str], lang: str,
                  uploaded: pd.DataFrame | None = None) -> pd.DataFrame:
    """One column per county (headed by its name), one row per attribute, as text to read.

    Lists are joined with the catalogue's cell_sep ("／" in Chinese, "; " in English), so
    their items can be told apart even where a name holds the list separator itself (the
    category 传统、特色产业 made "支柱产业、传统、特色产业" read as three); the number of chains
    named is a row of its own. `uploaded`: the upload's values (rows indexed by adcode,
    columns already named for the screen), one row each, numbers written as the county
    details write them (format_value: 3,207.4, 13.7亿), other cells as in the file; the
    caller shows user text as text (it is not Markdown).
    """
    by_code = layer.set_index("adcode")
    names = chains.set_index("chain_id")[column("name", lang)]
    sep = t("cell_sep", lang)
    columns = {}
    for adcode in adcodes:
        row = by_code.loc[adcode]
        card = row[column("card", lang)]
        cells = {
            t("cmp_adcode", lang): adcode,
            t("ct_prefecture", lang): row[column("prefecture", lang)],
            t("cmp_level", lang): t(f"level_{row['level']}", lang),
            t("ct_chain_count", lang): str(len(row["chain_ids"])),
            t("ct_chains", lang): sep.join(names[c] for c in row["chain_ids"]) or t("no_chains", lang),
            t("cmp_categories", lang): sep.join(t(f"cat_{c}", lang) for c in row["categories"]) or "—",
            t("ct_golden_card", lang): card if isinstance(card, str) and card else "—",
        }
        if uploaded is not None:
            for header in uploaded.columns:
                value = uploaded[header].get(adcode) if adcode in uploaded.index else None
                cells[str(header)] = "—" if value is None or pd.isna(value) else _cell(value, lang)
        columns[f"{row[column('name', lang)]}"] = cells
    return pd.DataFrame(columns)


def _cell(value, lang: str) -> str:
    """An uploaded cell: a number as details write it, anything else as written."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_value(float(value), lang)
    return str(value)
