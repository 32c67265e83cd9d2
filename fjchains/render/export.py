"""Tables and files users take away: the joined county table as CSV, Excel and GeoJSON."""

from __future__ import annotations

import io

import geopandas as gpd
import pandas as pd

from fjchains.core.i18n import has_key, pick, t
from fjchains.data.layer import SHIPPED_BOUNDARIES, county_columns
from fjchains.data.tables import Tables


def county_records(layer: gpd.GeoDataFrame, tables: Tables, lang: str,
                 boundary_source: str = SHIPPED_BOUNDARIES) -> pd.DataFrame:
    """One row per county, chains and card as text, the sources named; no geometry.

    Every code column (level, chain_ids, categories, chain_sources) has a label column in
    `lang` beside it, so a download is both machine-readable and readable.
    boundary_source names the boundary file in use (the shipped one, or the configured one).
    """
    chains = tables.chains.set_index("chain_id")
    name_col = "name_en" if lang == "en" else "name_zh"
    sep = t("list_sep", lang)
    sources = tables.sources.set_index("source_id")
    out = county_columns(layer)
    out.insert(out.columns.get_loc("level") + 1, "level_label", out["level"].map(lambda v: t(f"level_{v}", lang)))
    out = out.assign(**{
        "chain_count": layer["chain_count"],
        "chains": layer["chain_ids"].map(lambda ids: sep.join(chains.at[c, name_col] for c in ids)),
        "chain_ids": layer["chain_ids"].map("; ".join),
        "categories": layer["categories"].map("; ".join),
        # 传统、特色产业 holds the list separator itself
        "category_labels": layer["categories"].map(lambda cats: t("label_sep", lang).join(t(f"cat_{c}", lang)
                                                                                         for c in cats)),
        "golden_card": layer["card_en" if lang == "en" else "card_zh"].fillna(""),
    })
    pairs = tables.county_chains.groupby("adcode")["source"].agg(lambda s: "; ".join(sorted(set(s))))
    out["chain_sources"] = out["adcode"].map(pairs).fillna("")
    out["chain_source_labels"] = out["chain_sources"].map(
        lambda ids: sep.join(source_label(sources.loc[i], lang) for i in ids.split("; ") if i))
    out["boundary_source"] = boundary_source
    return out.reset_index(drop=True)


def source_label(source: pd.Series, lang: str) -> str:
    """A source in a table cell: its publisher and date in `lang` ('福建省政府网，2024-07-29')."""
    return f"{pick(source, 'publisher', lang)}{t('date_sep', lang)}{source['date']}"


#: Code columns a downloaded county table carries beside their labels; the screen shows the labels.
CODE_COLUMNS = {"level": "level_label", "chain_ids": "chains", "categories": "category_labels",
                "chain_sources": "chain_source_labels", "source_id": "title", "file": "url"}


def localised(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """For display: labels instead of codes, column names in the interface language.

    A code column whose label column is present is dropped (the screen shows the label);
    level and category codes without one are replaced by their labels.
    """
    shown = table.drop(columns=[c for c, label in CODE_COLUMNS.items() if c in table and label in table])
    if "level" in shown:
        shown["level"] = shown["level"].map(lambda v: t(f"level_{v}", lang))
    if "categories" in shown:
        shown["categories"] = shown["categories"].map(
            lambda v: t("label_sep", lang).join(t(f"cat_{c}", lang) for c in v.split("; ") if c))
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


def to_excel_bytes(df: pd.DataFrame, sheet: str = "counties", notes: list[str] | None = None) -> bytes:
    """An .xlsx whose every text cell is stored as text: never a formula.

    `notes` (the map's title, what its lists mean, the boundaries) go on a second sheet,
    one line each: a table taken into a report keeps its caveats. The table stays the
    first sheet, so the file uploads again as it is.
    """
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        spreadsheet_safe(df).to_excel(writer, index=False, sheet_name=sheet)
        if notes:
            pd.DataFrame({"notes": [neutralise_text(n) for n in notes]}).to_excel(writer, index=False,
                                                                                 sheet_name="notes")
        for book_sheet in writer.sheets.values():
            for row in book_sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":  # belt and braces: openpyxl reads "=..." as a formula
                        cell.data_type = "s"
    return buffer.getvalue()


def to_geojson_bytes(layer: gpd.GeoDataFrame, table: pd.DataFrame) -> bytes:
    """The county layer (full-resolution geometry) with the table's columns."""
    gdf = gpd.GeoDataFrame(table, geometry=layer.geometry.values, crs=layer.crs)
    return gdf.to_json(ensure_ascii=False, drop_id=True).encode("utf-8")
