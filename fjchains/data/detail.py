"""What the detail panel says about one county, with the source of every line."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from fjchains.core.i18n import pick, t
from fjchains.data.tables import Tables


@dataclass
class Line:
    """One statement and where it comes from."""

    label: str
    value: str
    source: str


@dataclass
class CountyDetail:
    adcode: str
    name: str
    other_name: str
    prefecture: str
    level: str
    chains: list[Line] = field(default_factory=list)
    golden_card: Line | None = None
    former_names: list[str] = field(default_factory=list)
    boundary_source: str = ""
    county_source: str = ""
    notes: list[str] = field(default_factory=list)  # caveats on the chains listed

    def sources(self, with_chains: bool = True) -> list[str]:
        """Each source of the panel's lines once (the chains' and the golden card's share one)."""
        lines = (self.chains if with_chains else []) + ([self.golden_card] if self.golden_card else [])
        return list(dict.fromkeys(line.source for line in lines))


def category_notes(categories, lang: str) -> list[str]:
    """Caveats to show next to chains of these categories: the pillar list is incomplete."""
    return [t("pillar_incomplete", lang)] if "pillar" in set(categories) else []


def source_url(url) -> str:
    """The first address of a sources.csv `url` cell (several are separated by ' ; '), or ''."""
    return url.split(" ; ")[0].strip() if isinstance(url, str) else ""


def citation(tables: Tables, source_id: str, lang: str) -> str:
    """Publisher, title, date and a URL a reader can open, in the interface language.

    Never the repository path of the stored copy: that is for checking quotes, not for readers.
    """
    s = tables.sources.set_index("source_id").loc[source_id]
    title = pick(s, "title", lang)
    if lang != "en" and not title.startswith("《"):
        title = f"《{title}》"
    text = t("citation", lang, publisher=pick(s, "publisher", lang), title=title, date=s["date"])
    url = source_url(s["url"])
    return f"{text} {url}" if url else text


def county_detail(adcode: str, layer: pd.DataFrame, tables: Tables, lang: str) -> CountyDetail:
    """Everything the panel shows for a county; KeyError if the adcode is unknown."""
    row = layer.set_index("adcode").loc[adcode]
    chains = tables.chains.set_index("chain_id")
    pairs = tables.county_chains[tables.county_chains["adcode"] == adcode].set_index("chain_id")
    lines = [
        Line(pick(chains.loc[c], "name", lang), t(f"cat_{chains.at[c, 'category']}", lang),
             citation(tables, pairs.at[c, "source"], lang))
        for c in row["chain_ids"]
    ]
    card = None
    cards = tables.golden_cards.set_index("adcode")
    if adcode in cards.index:
        c = cards.loc[adcode]
        card = Line(t("golden_card", lang), pick(c, "card", lang), citation(tables, c["source"], lang))
    former_rows = tables.former_names[tables.former_names["adcode"] == adcode]
    former = [(f.former_name_en or f.former_name_zh) if lang == "en" else f.former_name_zh
              for f in former_rows.itertuples()]
    county = tables.counties.set_index("adcode").loc[adcode]
    return CountyDetail(
        adcode=adcode,
        name=pick(row, "name", lang),
        other_name=row["name_zh"] if lang == "en" else row["name_en"],
        prefecture=pick(row, "prefecture", lang),
        level=t(f"level_{row['level']}", lang),
        chains=lines,
        golden_card=card,
        former_names=former,
        county_source=citation(tables, county["source"], lang),
        notes=category_notes(chains.loc[list(row["chain_ids"]), "category"], lang),
    )
