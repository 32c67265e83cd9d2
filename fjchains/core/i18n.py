"""Every label the dashboard shows, in Chinese (first) and English: one catalogue per language.

Data labels (county, chain, source names) come from data/ in both languages; this module
holds the interface strings, read from fjchains/core/locales/{zh,en}.toml. ``t(key, lang)`` never
fails: an unknown key shows itself, so a missing translation is visible rather than a crash.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

_LOCALES = Path(__file__).parent / "locales"
LANGUAGES = ("zh", "en")  # the first is the default


def _catalogue(lang: str) -> dict[str, str]:
    with open(_LOCALES / f"{lang}.toml", "rb") as f:
        return tomllib.load(f)


#: One catalogue per language (fjchains/core/locales/<lang>.toml), read once.
CATALOGUES: dict[str, dict[str, str]] = {lang: _catalogue(lang) for lang in LANGUAGES}


def t(key: str, lang: str = "zh", **values) -> str:
    """The label for key in lang ("zh" or "en"), formatted with values; an unknown key shows itself."""
    text = CATALOGUES["en" if lang == "en" else "zh"].get(key, key)
    return text.format(**values) if values else text


def has_key(key: str) -> bool:
    """Whether the catalogue has a label for key."""
    return key in CATALOGUES["zh"]


def column(stem: str, lang: str) -> str:
    """'<stem>_en' or '<stem>_zh': the data tables hold both languages side by side."""
    return f"{stem}_{'en' if lang == 'en' else 'zh'}"


def pick(row, stem: str, lang: str) -> str:
    """row['<stem>_en'] or row['<stem>_zh'] by language."""
    return row[column(stem, lang)]


def chain_names(chains, lang: str) -> dict[str, str]:
    """chain_id -> the chain's name in `lang`, from the chains table (a DataFrame)."""
    return chains.set_index("chain_id")[column("name", lang)].to_dict()
