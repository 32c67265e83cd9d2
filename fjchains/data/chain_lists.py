"""Chain lists published by others than the provincial opinion (e.g. 三明市 2023).

Each list is its own dataset with its own names and grouping: data/lists.csv describes the
lists (publisher, date, URL, what the stored copy lacks), data/lists/<list_id>.csv holds one
row per county and chain as the publisher names it, with the exact words. Nothing maps these
chains onto the opinion's chains or categories: the two do not share a taxonomy.

Validated as strictly as the tables of fjchains.data.tables: adcodes known and inside the list's
prefecture, source ids known, every quote verbatim in the stored copy of its source, the
industry group a row claims is the one its quote stands under, and no duplicates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fjchains.core import paths
from fjchains.core.errors import DataValidationError
from fjchains.core.i18n import column, t
from fjchains.data.layer import SHIPPED_BOUNDARIES, county_columns
from fjchains.data.tables import (
    ADCODE_RE,
    DATE_RE,
    Schema,
    Tables,
    _check_values,
    _line,
    check_quotes,
    read_csv_checked,
    source_texts,
)
from fjchains.geo.colouring import COUNT_COLOURS, Colouring

LISTS = Schema(
    "lists.csv",
    ("list_id", "prefecture_adcode", "title_zh", "title_en", "short_zh", "short_en", "publisher", "date", "url",
     "file", "source", "announced_chains", "announced_quote", "missing_zh", "missing_en", "note"),
    ("list_id", "prefecture_adcode", "title_zh", "title_en", "short_zh", "short_en", "publisher", "date", "file",
     "source"),
    ("list_id",),
)
ROWS = Schema(
    "",  # data/lists/<list_id>.csv
    ("list_id", "adcode", "name_in_source", "industry_zh", "industry_en", "chain_name_zh", "chain_name_en",
     "name_complete", "industry_ends_with_deng", "source", "source_quote"),
    ("list_id", "adcode", "name_in_source", "industry_zh", "chain_name_zh", "name_complete",
     "industry_ends_with_deng", "source", "source_quote"),
    ("list_id", "adcode", "industry_zh", "chain_name_zh"),
)
LIST_ID_RE = re.compile(r"^[a-z][a-z0-9_]{1,40}$")


@dataclass(frozen=True)
class ChainList:
    """One published list: its description (a lists.csv row) and its county–chain rows."""

    meta: pd.Series
    rows: pd.DataFrame

    @property
    def list_id(self) -> str:
        return self.meta["list_id"]


def load_lists(tables: Tables, data_dir: Path | None = None) -> dict[str, ChainList]:
    """Every list of data/lists.csv, validated; raises DataValidationError on the first problem."""
    base = Path(data_dir or paths.DATA_DIR)
    label = "data/lists.csv" if data_dir is None else str(base / "lists.csv")
    if not (base / "lists.csv").exists():
        return {}
    meta = read_csv_checked(LISTS, base / "lists.csv", label)
    source_ids = set(tables.sources["source_id"])
    _check_values(meta, "list_id", lambda v: bool(LIST_ID_RE.match(v)), "list id must be lower-case letters, digits, _")
    _check_values(meta, "source", source_ids, "unknown source (not in sources.csv)")
    _check_values(meta, "date", lambda v: bool(DATE_RE.match(v)), "date must be YYYY-MM-DD")
    prefectures = set(tables.counties["prefecture_adcode"])
    _check_values(meta, "prefecture_adcode", prefectures, "unknown prefecture adcode")
    _check_values(meta, "announced_chains", lambda v: v == "" or v.isdigit(), "must be a whole number or empty")
    texts = source_texts(tables.sources, data_dir)
    announced = meta[meta["announced_quote"] != ""].rename(columns={"announced_quote": "source_quote"})
    announced.attrs["label"] = label
    check_quotes(announced, texts)
    adcodes = set(tables.counties["adcode"])
    lists = {}
    for index, m in meta.iterrows():
        expected = f"data/lists/{m['list_id']}.csv"
        if m["file"] != expected:
            raise DataValidationError(label, f"file must be {expected}", row=_line(index), column="file")
        path = base / "lists" / f"{m['list_id']}.csv"
        row_label = expected if data_dir is None else str(path)
        if not path.exists():
            raise DataValidationError(row_label, "file is missing")
        rows = read_csv_checked(ROWS, path, row_label)
        _check_values(rows, "list_id", {m["list_id"]}, f"list id must be {m['list_id']} (the file's name)")
        _check_values(rows, "adcode", adcodes, "unknown adcode (not in counties.csv)")
        prefix = m["prefecture_adcode"][:4]
        _check_values(rows, "adcode", lambda v, prefix=prefix: bool(ADCODE_RE.match(v)) and v[:4] == prefix,
                      f"county outside the list's prefecture {m['prefecture_adcode']}")
        _check_values(rows, "source", source_ids, "unknown source (not in sources.csv)")
        _check_values(rows, "name_complete", ("true", "false"), "must be true or false")
        _check_values(rows, "industry_ends_with_deng", ("true", "false"), "must be true or false")
        check_quotes(rows, texts)
        _check_rows_against_text(rows, texts)
        lists[m["list_id"]] = ChainList(m, rows)
    return lists


def _check_rows_against_text(rows: pd.DataFrame, texts: dict[str, str]) -> None:
    """Each quote names its county and its chain, and stands under the industry it claims."""
    label = rows.attrs["label"]
    for index, r in rows.iterrows():
        quote, text = r["source_quote"], texts[r["source"]]
        if r["name_in_source"] not in quote:
            raise DataValidationError(label, f"quote does not name '{r['name_in_source']}'", row=_line(index),
                                      column="name_in_source")
        if not quote.endswith(r["chain_name_zh"]):
            raise DataValidationError(label, "chain name is not the end of the quote", row=_line(index),
                                      column="chain_name_zh")
        if r["name_complete"] == "true" and not r["chain_name_zh"].endswith("产业链"):
            raise DataValidationError(label, "a complete chain name ends with 产业链", row=_line(index),
                                      column="chain_name_zh")
        if r["name_complete"] == "false" and r["chain_name_en"]:
            raise DataValidationError(label, "no English name for a name the source cuts off", row=_line(index),
                                      column="chain_name_en")
        start = text.index(quote)
        sentence_start = max(text.rfind("。", 0, start), text.rfind("\n", 0, start)) + 1
        head = text[sentence_start:start]
        if f"{r['industry_zh']}培育" not in head or head.count("产业培育") != 1:
            raise DataValidationError(label, f"quote does not stand under '{r['industry_zh']}培育'",
                                      row=_line(index), column="industry_zh")
        end = text.find("。", start)
        ends_with_deng = end != -1 and text[end - 1] == "等"
        if ends_with_deng != (r["industry_ends_with_deng"] == "true"):
            raise DataValidationError(label, "industry_ends_with_deng does not match the source's sentence",
                                      row=_line(index), column="industry_ends_with_deng")


# --- what the map and the detail panel show for a list ---------------------------------

def chain_label(row, lang: str) -> str:
    """The chain as the list names it; English only where a faithful translation exists."""
    zh = row["chain_name_zh"] + ("" if row["name_complete"] == "true" else "…")
    if lang == "en" and row["chain_name_en"]:
        return row["chain_name_en"]
    return zh


def counts_per_county(chain_list: ChainList) -> dict[str, int]:
    """adcode -> number of the list's chains named for it (counties not named are absent)."""
    return chain_list.rows.groupby("adcode").size().astype(int).to_dict()


def colour_by_list(layer: pd.DataFrame, chain_list: ChainList, lang: str) -> Colouring:
    """Counties shaded by how many of the list's chains name them; the legend counts counties.

    The tooltips name the list's chains (not the opinion's), so the map shows one list only.
    """
    adcodes = layer["adcode"].tolist()
    counts = counts_per_county(chain_list)
    fills = {a: COUNT_COLOURS[min(counts.get(a, 0), 4)] for a in adcodes}
    buckets: dict[int, int] = {}
    for a in adcodes:
        buckets[min(counts.get(a, 0), 4)] = buckets.get(min(counts.get(a, 0), 4), 0) + 1
    legend = [(t("list_other", lang, k=buckets.get(0, 0)), COUNT_COLOURS[0])]
    for n in range(1, 5):
        if buckets.get(n):
            legend.append((t("list_bucket", lang, n=n if n < 4 else "4+", k=buckets[n]), COUNT_COLOURS[n]))
    title = t("list_legend", lang, title=short_title(chain_list, lang))
    matching = [a for a in adcodes if counts.get(a, 0) > 0]
    return Colouring(fills, legend, title, matching, tips=list_tooltips(layer, chain_list, lang),
                     list_id=chain_list.list_id)


def list_tooltips(layer: pd.DataFrame, chain_list: ChainList, lang: str) -> dict[str, list[str]]:
    """Tooltip lines per county: name, prefecture, the list's chains for it (or 'not in the list')."""
    sep = "、" if lang == "zh" else " · "
    by_county: dict[str, list[str]] = {}
    for _, r in chain_list.rows.iterrows():
        by_county.setdefault(r["adcode"], []).append(chain_label(r, lang))
    tips = {}
    for _, row in layer.iterrows():
        chains = by_county.get(row["adcode"])
        what = (f"{short_title(chain_list, lang)}{t('colon', lang)}{sep.join(chains)}" if chains
                else t("list_other_short", lang))
        tips[row["adcode"]] = [row[column("name", lang)], row[column("prefecture", lang)], what]
    return tips


def short_title(chain_list: ChainList, lang: str) -> str:
    return chain_list.meta["short_en" if lang == "en" else "short_zh"]


def list_title(chain_list: ChainList, lang: str) -> str:
    m = chain_list.meta
    return f"{m['title_en'] if lang == 'en' else m['title_zh']} ({m['date']})"


@dataclass
class ListLine:
    """One chain of a list for one county, with the source's exact words."""

    chain: str
    industry: str
    quote: str


def county_lines(chain_list: ChainList, adcode: str, lang: str) -> list[ListLine]:
    """The list's chains for a county, in the list's order."""
    rows = chain_list.rows[chain_list.rows["adcode"] == adcode]
    return [ListLine(chain_label(r, lang), r["industry_en"] if lang == "en" and r["industry_en"] else r["industry_zh"],
                     r["source_quote"]) for _, r in rows.iterrows()]


def list_source(chain_list: ChainList, tables: Tables, lang: str) -> str:
    """The citation shown under the map and in the detail panel for this list."""
    from fjchains.data.detail import citation

    return citation(tables, chain_list.meta["source"], lang)


def list_caveats(chain_list: ChainList, lang: str) -> list[str]:
    """What the user must know: a separate list with its own taxonomy, and what the copy lacks."""
    m = chain_list.meta
    notes = [t("list_separate", lang)]
    missing = m["missing_en"] if lang == "en" else m["missing_zh"]
    if missing:
        notes.append(missing)
    if (chain_list.rows["industry_ends_with_deng"] == "true").any():
        notes.append(t("list_deng", lang))
    return notes


def list_table(layer: pd.DataFrame, chain_list: ChainList, lang: str,
               boundary_source: str = SHIPPED_BOUNDARIES) -> pd.DataFrame:
    """One row per county for downloads: the list's chains, industries, exact words and source."""
    rows = chain_list.rows
    grouped = rows.groupby("adcode")
    joined = {
        "chains": grouped.apply(lambda g: "; ".join(chain_label(r, lang) for _, r in g.iterrows())),
        "chains_zh": grouped.apply(lambda g: "; ".join(chain_label(r, "zh") for _, r in g.iterrows())),
        "industries": grouped["industry_zh"].agg(lambda s: "; ".join(dict.fromkeys(s))),
        "source_quotes": grouped["source_quote"].agg(lambda s: "; ".join(dict.fromkeys(s))),
    }
    out = county_columns(layer).assign(
        list_id=chain_list.list_id,
        chain_count=layer["adcode"].map(counts_per_county(chain_list)).fillna(0).astype(int),
    )
    for name, series in joined.items():
        out[name] = out["adcode"].map(series).fillna("")
    out["source"] = chain_list.meta["source"]
    out["boundary_source"] = boundary_source
    return out.reset_index(drop=True)
