"""Turn the names people type into 6-digit adcodes: the one place that knows aliases.

A county can be typed as its full name (晋江市), short name (晋江), pinyin or English
(Jinjiang, jin jiang, Jinjiang City), a former name (龙海市, 长乐市, 梅列区), its adcode, or any
of these behind a prefecture (泉州市晋江市, Putian Licheng). Chinese aliases must be
unambiguous (build_aliases raises otherwise); English ones may not be: Licheng is both
荔城区 (Putian) and 鲤城区 (Quanzhou), so resolve() returns every candidate and the caller asks.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import weakref

import pandas as pd

from fjchains.core.errors import DataValidationError
from fjchains.core.textsafe import clean_text

_ZH_SUFFIXES = ("区", "县", "市")
_EN_SUFFIXES = ("district", "county", "city", "shi", "xian", "qu")
_PROVINCE_PREFIXES = ("福建省", "福建", "fujianprovince", "fujian")

#: English names in common use that are not the Hanyu Pinyin of name_zh: adcode -> names.
#: 金门县 is widely written "Kinmen" (the romanisation used on the island itself).
CONVENTIONAL_EN = {"350527": ("Kinmen", "Kinmen County")}


def normalise(text: str) -> str:
    """Fold width, case, spaces and apostrophes so '晋江 ', 'Jin Jiang' and "jin'jiang" meet;
    what draws nothing (zero-width characters, BOM, bidi controls: textsafe.clean_text) is gone."""
    text = unicodedata.normalize("NFKC", clean_text(text)).strip().lower()
    return re.sub(r"[\s'’‘`\-_.,，。·]", "", text)


def short_zh(name_zh: str) -> str:
    """晋江市 -> 晋江; 沙县区 -> 沙县; two-character names (沙县) stay whole."""
    if len(name_zh) > 2 and name_zh.endswith(_ZH_SUFFIXES):
        return name_zh[:-1]
    return name_zh


def _strip_en_suffix(norm: str) -> str:
    for suffix in _EN_SUFFIXES:
        if norm.endswith(suffix) and len(norm) > len(suffix) + 2:
            return norm[: -len(suffix)]
    return norm


def build_aliases(counties: pd.DataFrame, former_names: pd.DataFrame) -> pd.DataFrame:
    """All aliases: columns alias (as shown), key (normalised), adcode, kind.

    Raises DataValidationError when one Chinese alias would point at two counties.
    """
    rows = []
    for c in counties.itertuples():
        rows += [
            (c.name_zh, c.adcode, "full_zh"),
            (short_zh(c.name_zh), c.adcode, "short_zh"),
            (c.name_en, c.adcode, "full_en"),
            (c.adcode, c.adcode, "adcode"),
        ]
    for adcode, names in CONVENTIONAL_EN.items():
        if adcode in set(counties["adcode"]):
            rows += [(name, adcode, "conventional_en") for name in names]
    for f in former_names.itertuples():
        rows.append((f.former_name_zh, f.adcode, "former_zh"))
        if short_zh(f.former_name_zh) != f.former_name_zh:
            rows.append((short_zh(f.former_name_zh), f.adcode, "former_zh"))
        if f.former_name_en:
            rows.append((f.former_name_en, f.adcode, "former_en"))
    aliases = pd.DataFrame(rows, columns=["alias", "adcode", "kind"])
    aliases["key"] = aliases["alias"].map(normalise)
    en = aliases["kind"].isin(["full_en", "former_en", "conventional_en"])
    short_en = aliases[en].assign(key=lambda d: d["key"].map(_strip_en_suffix), kind="short_en")
    aliases = pd.concat([aliases, short_en], ignore_index=True).drop_duplicates(["key", "adcode"])
    zh = aliases[~aliases["kind"].str.endswith("_en")]
    clash = zh.groupby("key")["adcode"].nunique()
    if (clash > 1).any():
        key = clash[clash > 1].index[0]
        codes = ", ".join(sorted(zh.loc[zh["key"] == key, "adcode"]))
        raise DataValidationError("data/former_names.csv", f"ambiguous alias '{key}' points at {codes}")
    return aliases.reset_index(drop=True)


def _prefecture_keys(counties: pd.DataFrame) -> dict[str, str]:
    return _memo(counties, "prefectures", _build_prefecture_keys)


def _build_prefecture_keys(counties: pd.DataFrame) -> dict[str, str]:
    keys = {}
    for p in counties.drop_duplicates("prefecture_adcode").itertuples():
        for name in (p.prefecture_zh, short_zh(p.prefecture_zh), p.prefecture_en, p.prefecture_en + "shi"):
            keys[normalise(name)] = p.prefecture_adcode
    return keys


_MEMO: dict[tuple[int, str], tuple[weakref.ref, object]] = {}


def _memo(frame: pd.DataFrame, what: str, build):
    """build(frame), once per table object: look-ups run per uploaded row, tables never change."""
    memo_key = (id(frame), what)
    held = _MEMO.get(memo_key)
    if held is not None and held[0]() is frame:
        return held[1]
    value = build(frame)
    def forget(_: object, k: tuple[int, str] = memo_key) -> None:
        _MEMO.pop(k, None)

    _MEMO[memo_key] = (weakref.ref(frame, forget), value)
    return value


def _index(aliases: pd.DataFrame) -> dict:
    """key -> sorted adcodes, the keys, and the alias shown for each key."""
    return {
        "lookup": aliases.groupby("key")["adcode"].agg(lambda s: sorted(set(s))).to_dict(),
        "keys": aliases["key"].unique().tolist(),
        "shown": aliases.drop_duplicates("key").set_index("key")["alias"].to_dict(),
    }


def resolve(text: str, aliases: pd.DataFrame, counties: pd.DataFrame) -> list[str]:
    """Adcodes the text may mean: [] unknown, [one] resolved, [several] ambiguous."""
    key = normalise(text)
    for prefix in _PROVINCE_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix):]
            break
    if not key:
        return []
    lookup = _memo(aliases, "index", _index)["lookup"]
    if key in lookup:
        return lookup[key]
    for variant in (_strip_en_suffix(key), short_zh(key)):  # Jinjiangshi, 晋江县
        if variant in lookup:
            return lookup[variant]
    # "泉州市晋江市", "Putian Licheng": a prefecture name, then a county name within it.
    prefectures = _prefecture_keys(counties)
    lengths = _memo(counties, "prefecture_key_lengths", lambda c: sorted({len(k) for k in prefectures}, reverse=True))
    for length in lengths:  # longest first; a set look-up per length, not a scan of every name
        pref_code = prefectures.get(key[:length]) if len(key) > length else None
        if pref_code is not None:
            rest = key[length:]
            candidates = lookup.get(rest) or lookup.get(_strip_en_suffix(rest)) or []
            in_pref = [a for a in candidates if a[:4] == pref_code[:4]]
            if in_pref:
                return in_pref
    return []


def _close_keys(text: str, aliases: pd.DataFrame, n: int) -> list[str]:
    index = _memo(aliases, "index", _index)
    return difflib.get_close_matches(normalise(text)[:40], index["keys"], n=n, cutoff=0.5)


def suggest(text: str, aliases: pd.DataFrame, n: int = 3) -> list[str]:
    """Closest aliases as written, for 'did you mean' about a file's rows (the file's own words)."""
    shown = _memo(aliases, "index", _index)["shown"]
    return [shown[m] for m in _close_keys(text, aliases, n)]


def suggest_counties(text: str, aliases: pd.DataFrame, n: int = 3) -> list[str]:
    """Adcodes of the closest names in any form, for a 'did you mean' in the reader's language
    (the search box named Chinese counties in English when the typed text was closer to that)."""
    lookup = _memo(aliases, "index", _index)["lookup"]
    return list(dict.fromkeys(a for m in _close_keys(text, aliases, n * 3) for a in lookup[m]))[:n]


def prefecture_counties(text: str, counties: pd.DataFrame) -> list[str]:
    """Adcodes of the counties of the prefecture the text names (厦门, 厦门市, Xiamen), else []."""
    code = _prefecture_keys(counties).get(normalise(text))
    if code is None:
        return []
    return counties.loc[counties["prefecture_adcode"] == code, "adcode"].tolist()
