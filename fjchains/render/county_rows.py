"""The county table beside every map: the counties the map shows as matching, one row each.

The accessible alternative to the map (a screen reader reads a table, not a picture) and a
sortable list for everyone. Pure functions: the Streamlit layer (fjchains.app.panels.county_grid)
draws the frame and turns a selected row into a selected county.
"""

from __future__ import annotations

import pandas as pd

from fjchains.core.i18n import column, t

#: Display columns, in order (their labels are the catalogue keys "ct_<name>").
COLUMNS = ("county", "prefecture", "chains", "golden_card")


def county_rows(layer: pd.DataFrame, chains: pd.DataFrame, adcodes: list[str] | None, lang: str,
                values: pd.Series | None = None, value_label: str = "") -> pd.DataFrame:
    """One row per county in `adcodes` (None: every county), in the layer's order.

    Columns: adcode (the row's key, hidden on screen), then COLUMNS labelled in `lang`, and,
    when `values` (an uploaded column indexed by adcode) is given, that column under
    `value_label`. Chain names follow the layer's chain order, joined with the list separator.
    """
    names = chains.set_index("chain_id")[column("name", lang)]
    rows = layer if adcodes is None else layer[layer["adcode"].isin(set(adcodes))]
    sep = t("list_sep", lang)
    table = pd.DataFrame({
        "adcode": rows["adcode"].to_numpy(),
        t("ct_county", lang): rows[column("name", lang)].to_numpy(),
        t("ct_prefecture", lang): rows[column("prefecture", lang)].to_numpy(),
        t("ct_chains", lang): rows["chain_ids"].map(lambda ids: sep.join(names[c] for c in ids)).to_numpy(),
        t("ct_chain_count", lang): rows["chain_ids"].map(len).to_numpy(),  # sortable: the names sort as text
        t("ct_golden_card", lang): rows[column("card", lang)].fillna("").to_numpy(),
    })
    if values is not None:
        table[value_label] = values.reindex(table["adcode"]).to_numpy()
    return table
