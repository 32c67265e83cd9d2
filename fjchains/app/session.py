"""The one module that knows the session's keys: what the user is looking at, mirrored in the URL.

Streamlit drops a widget's key when a page without that widget runs, so each choice lives
under a state key below and its widget (key "w_" + state key) is seeded from it
(`state_widget`). Pages and panels read the session through the functions here; tests use
the constants.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from fjchains.app import seam
from fjchains.core.i18n import t
from fjchains.core.textsafe import md_literal
from fjchains.data.query import parse_query, to_query
from fjchains.geo.colouring import Filters
from fjchains.geo.view import parse_view

_LOG = logging.getLogger(__name__)

# ---- state keys (values survive page switches)
LANG = "lang"
COUNTY = "county"
CHAINS = "chains"
CATS = "categories"
BASEMAP = "basemap"
LIST = "chain_list"  # "" = the opinion's examples, else a list id of data/lists.csv (fjchains.data.chain_lists)
USERDATA = "userdata"  # fjchains.upload.userdata.UserData of this session's upload, or absent
UPLOAD_ID = "_upload_id"  # the uploader's file id already read (a rerun does not read it again)
UPLOAD_ERROR = "_upload_error"  # (file name, UploadError) of the last refused file
MAP_DRAWN = "_map_drawn"  # the session's map has drawn once (or the user asked): pages send everything
CHARTS_SHOWN = "_charts_shown"  # charts came near the screen or the page was calm (or the user asked): Plotly loaded
HOLD_FOR_MAP = "_hold_for_map"  # whether this session's first run was held (fjchains/app/first_paint.py)
_PAGE_RERUN = "_page_rerun"  # a callback inside a fragment changed what the whole page shows
BARS_GENERATION = "_bars_generation"  # bumped to give the bar chart a fresh key (drops its selection)
UD_COLUMN, UD_SCHEME, UD_K, UD_BREAKS, UD_PALETTE = "ud_column", "ud_scheme", "ud_k", "ud_breaks", "ud_palette"
# spatial statistics (fjchains/app/panels/spatial_panel.py, chain_overlap.py)
SPATIAL_ON, SPATIAL_ALPHA, SPATIAL_FDR = "spatial_on", "spatial_alpha", "spatial_fdr"
SCATTER_GENERATION = "_scatter_generation"  # bumped to give the Moran scatter a fresh key (drops its selection)
PAIR = "chain_pair"  # two chain ids whose shared counties the Chains page map shows (?pair=a&pair=b), or []
HEATMAP_GENERATION = "_heatmap_generation"
TABLE_GENERATION = "_table_generation"  # bumped to give the county table a fresh key (drops a stale row tick)
UPLOAD_GENERATION = "_upload_generation"  # bumped to give the file uploader a fresh key (empties it)
COMPARE = "compare"  # adcodes shown side by side (fjchains.render.side_by_side), ?compare=350582,350181
UD_MODE = "ud_mode"  # Your data page: "numbers" (choropleth) or "values" (a text column's values)
UD_CAT_COLUMN, UD_CAT_VALUES = "ud_cat_column", "ud_cat_values"  # the text column mapped; values shown ([] = all)
RERUN_BUCKET = "_rerun_bucket"  # (tokens, monotonic time): fjchains/app/budgets.py paces a session's reruns
PAGE_PACED = "_page_paced"  # set while a whole-page run is under way: its fragments spend no second token
PICTURE_OWNER = "_picture_owner"  # a random token: whose map pictures these are (fjchains.render.picture.PictureJobs)
PICTURE_SIZE = "picture_size"  # a key of fjchains.render.captions.SIZES: "portrait" (default) or "landscape"
PICTURE_OUTLINE = "picture_outline"  # pictures outline the selected county (default True)
_READY = "_state_ready"
_URL_WARNINGS = "_url_warnings"
_ENTERED = "_entered_via_dashboard"

# ---- widget keys
W_LANG = "w_lang"
W_SEARCH = "w_search"
W_SEARCH_PICK = "w_search_pick"
W_UPLOAD = "w_upload"
W_PICK = "w_pick_county"  # the matching counties' names beside a map ("_<page>" added): the selected one


def widget_key(state_key: str) -> str:
    """The key of the widget that mirrors state_key."""
    return "w_" + state_key


def lang() -> str:
    """The interface language of this session, "zh" (default) or "en"."""
    return st.session_state.get(LANG, "zh")


@dataclass(frozen=True)
class View:
    """What the user is looking at: a typed snapshot of the session."""

    lang: str
    filters: Filters
    basemap: bool


def view() -> View:
    return View(lang(), current_filters(), bool(st.session_state.get(BASEMAP, False)))


def current_filters() -> Filters:
    return Filters(tuple(st.session_state.get(CHAINS, [])), tuple(st.session_state.get(CATS, [])),
                   st.session_state.get(COUNTY))


def list_id() -> str:
    """The list the sidebar chose: "" for the opinion's examples, else a list id."""
    return st.session_state.get(LIST) or ""


def county() -> str | None:
    return st.session_state.get(COUNTY)


def select_county(adcode: str | None) -> None:
    st.session_state[COUNTY] = adcode


def clear_selection() -> None:
    """Forget the selected county, and the search that chose it."""
    st.session_state[COUNTY] = None
    st.session_state[W_SEARCH] = ""


def compare() -> list[str]:
    """The counties shown side by side (adcodes, at most limits.MAX_COMPARE)."""
    return list(st.session_state.get(COMPARE, []))


def set_compare(adcodes: list[str]) -> None:
    st.session_state[COMPARE] = list(dict.fromkeys(adcodes))


def seed_pick(scope: str, adcodes: list[str]) -> str:
    """The key of the matching counties' names beside a map (fjchains/app/panels/overview.py),
    showing the selected county as chosen when it is one of `adcodes`: a map click or a table
    row moves the choice there too."""
    key = f"{W_PICK}_{scope}"
    selected = county()
    st.session_state[key] = selected if selected in adcodes else None
    return key


def take_pick(key: str) -> None:
    """A name was chosen: select its county (a click on the chosen one keeps it)."""
    chosen = st.session_state.get(key)
    if chosen:
        select_county(chosen)


def profile_chain(chain_ids: list[str]) -> str | None:
    """The chain the Chains page profiles: the sidebar's first chosen chain (one selector), or None."""
    chosen = current_filters().chains
    return next((c for c in chosen if c in chain_ids), None)


def show_chain(chain_id: str) -> None:
    """Open a chain's profile: the sidebar filter becomes that chain (the URL follows)."""
    set_chains([chain_id])


def set_chains(chain_ids: list[str]) -> None:
    """A chain filter chosen outside the sidebar (a bar click): the sidebar widget follows."""
    st.session_state[CHAINS] = st.session_state[widget_key(CHAINS)] = list(dict.fromkeys(chain_ids))
    bump(BARS_GENERATION)


def map_drawn() -> bool:
    return bool(st.session_state.get(MAP_DRAWN))


def mark_map_drawn() -> None:
    st.session_state[MAP_DRAWN] = True


def charts_shown() -> bool:
    return bool(st.session_state.get(CHARTS_SHOWN))


def show_charts() -> None:
    st.session_state[CHARTS_SHOWN] = st.session_state[MAP_DRAWN] = True


def request_page_rerun() -> None:
    """The one way a callback inside a fragment (which cannot call st.rerun) reruns the whole
    page: the fragment, run next, does (fjchains.app.seam.fragment)."""
    st.session_state[_PAGE_RERUN] = True


def take_page_rerun() -> bool:
    """Whether a callback asked for a whole-page rerun (and forget it): seam.fragment asks."""
    return bool(st.session_state.pop(_PAGE_RERUN, False))


def generation(key: str) -> int:
    """A counter that gives a widget a fresh key (BARS_/SCATTER_/HEATMAP_/TABLE_GENERATION)."""
    return st.session_state.get(key, 0)


def generation_key(base: str, counter: str) -> str:
    """The key of a widget renewed each time `counter` is bumped (fjchains.app.seam.fresh_key)."""
    return seam.fresh_key(base, generation(counter))


def bump(key: str) -> None:
    st.session_state[key] = st.session_state.get(key, 0) + 1


def rerun_bucket() -> tuple[float, float] | None:
    """The session's rerun tokens and when they were counted (fjchains/app/budgets.py), or None."""
    return st.session_state.get(RERUN_BUCKET)


def set_rerun_bucket(tokens: float, at: float) -> None:
    st.session_state[RERUN_BUCKET] = (tokens, at)


def picture_owner() -> str:
    """This session's token for its picture requests (one is drawn at a time; fjchains.render.picture.PictureJobs)."""
    if PICTURE_OWNER not in st.session_state:
        import secrets

        st.session_state[PICTURE_OWNER] = secrets.token_hex(8)
    return st.session_state[PICTURE_OWNER]


def chain_pair() -> list[str]:
    """The two chains whose shared counties the Chains page shows, or []."""
    return list(st.session_state.get(PAIR) or [])


def set_chain_pair(pair: list[str]) -> None:
    st.session_state[PAIR] = list(pair)
    bump(HEATMAP_GENERATION)


def value(key: str, default: Any = None) -> Any:
    """A state key's value (for the keys above that have no accessor of their own)."""
    return st.session_state.get(key, default)


def set_value(key: str, new: Any) -> None:
    st.session_state[key] = new


def forget(*keys: str) -> None:
    for key in keys:
        st.session_state.pop(key, None)


def userdata():
    """This session's upload (fjchains.upload.userdata.UserData) or None."""
    return st.session_state.get(USERDATA)


def uploader_key() -> str:
    """W_UPLOAD, then a fresh key each time the file is removed: Streamlit's uploader cannot be
    emptied through its state, and the file still in it was read again on the next run."""
    n = generation(UPLOAD_GENERATION)
    return seam.fresh_key(W_UPLOAD, n) if n else W_UPLOAD


def ambiguous_key(data, row: int) -> str:
    """The widget key of the county chosen for an ambiguous row of this upload's join report
    (the upload's identity is part of it: another file's row 3 is another row)."""
    return f"w_ud_ambiguous_{id(data.as_read or data)}_{row}"


def chosen_county(data, row: int) -> str:
    """The county chosen for an ambiguous row of the upload, or ""; seeds the row's widget."""
    key = ambiguous_key(data, row)
    if key not in st.session_state:
        st.session_state[key] = dict(data.choices).get(row, "")
    return st.session_state[key]


def choose_county(row: int) -> None:
    """An ambiguous row's widget changed: the upload takes the choice (the choices live in
    the session's UserData: fjchains.upload.userdata.with_choices), and every page sees it."""
    from fjchains.upload.userdata import with_choices

    data = userdata()
    if data is None:
        return
    choices: dict[int, str | None] = dict(data.choices)
    choices[row] = st.session_state.get(ambiguous_key(data, row))
    st.session_state[USERDATA] = with_choices(data, choices)


def forget_upload() -> None:
    forget(USERDATA, UPLOAD_ID, UPLOAD_ERROR)


def remove_upload() -> None:
    """The "remove" button: the data, and the file still in the uploader (a fresh, empty one)."""
    forget_upload()
    bump(UPLOAD_GENERATION)


def upload_changed(key: str) -> None:
    """The uploader's callback: the user removed the file (its ✕), so its data goes too. The
    key stays: choosing another file passes through "no file", and its upload still comes to
    this uploader. A page visit's new, empty uploader calls no callback: the data stays."""
    if st.session_state.get(key) is None:
        forget_upload()


# ---- entry, URL and widgets


def mark_entry() -> None:
    """Called first by dashboard.py, so pages know they run inside it."""
    st.session_state[_ENTERED] = True


def entered_via_dashboard() -> bool:
    """True once per run if dashboard.py marked this run (the mark is consumed)."""
    return bool(st.session_state.pop(_ENTERED, False))


def init_state(adcodes: set[str], chain_ids: list[str], list_ids: tuple[str, ...] = ()) -> None:
    """Once per session: take filters, county, list and language from the URL."""
    if _READY in st.session_state:
        return
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    parsed = parse_query(params, adcodes, chain_ids, list_ids)
    warnings = []
    if parsed.unknown_list:
        warnings.append(t("unknown_list_param", parsed.lang, value=md_literal(parsed.unknown_list)))
    if parsed.unknown_county:
        warnings.append(t("unknown_county_param", parsed.lang, code=md_literal(parsed.unknown_county)))
    if parsed.unknown_chains:
        warnings.append(t("unknown_chain_param", parsed.lang, ids=md_literal(", ".join(parsed.unknown_chains))))
    if "upload" in params and USERDATA not in st.session_state:
        # the address says this tab had an upload, but this session has none: the server
        # restarted (or the link was shared); say so instead of silently showing no data
        warnings.append(t("upload_lost", parsed.lang))
    from fjchains.render.side_by_side import parse_compare

    compare, unknown_compare = parse_compare(params.get("compare", []), adcodes)
    if unknown_compare:
        warnings.append(t("unknown_compare_param", parsed.lang, codes=md_literal(", ".join(unknown_compare))))
    st.session_state[COMPARE] = compare
    st.session_state.update({LANG: parsed.lang, COUNTY: parsed.filters.county, CHAINS: list(parsed.filters.chains),
                             CATS: list(parsed.filters.categories), BASEMAP: False, _READY: True,
                             LIST: parsed.list_id or "",
                             PAIR: _pair_from_url(params.get("pair", []), chain_ids),
                             _URL_WARNINGS: warnings})


def _pair_from_url(values: list[str], chain_ids: list[str]) -> list[str]:
    """?pair=a&pair=b: two known, different chains, else nothing."""
    pair = list(dict.fromkeys(v for v in values if v in chain_ids))
    return pair if len(pair) == 2 else []


def ready() -> bool:
    return _READY in st.session_state


def pop_url_warnings(keep: bool = False) -> list[str]:
    """The link's problems, until a run that sends the whole page has shown them: `keep` them
    in a held first run (fjchains/app/first_paint.py), replaced by its release a second later."""
    if keep:
        return list(st.session_state.get(_URL_WARNINGS, []))
    return st.session_state.pop(_URL_WARNINGS, [])


def sync_url() -> None:
    """Make the address bar show the current view (only writes when it changed)."""
    wanted = to_query(current_filters(), lang(), list_id() or None)
    if st.session_state.get(COMPARE):
        wanted["compare"] = ",".join(st.session_state[COMPARE])
    # the map's view, written by the browser (static/js/map-access.js): kept, if valid (fjchains.geo.view)
    wanted.update(parse_view(st.query_params.get("z"), st.query_params.get("ll")))
    if USERDATA in st.session_state:
        wanted["upload"] = "1"  # lets a restarted server tell this tab its upload is gone
    if chain_pair():
        wanted["pair"] = chain_pair()
    have = {k: (st.query_params.get_all(k) if k in ("chain", "cat", "pair") else st.query_params.get(k))
            for k in st.query_params}
    if have != wanted:
        st.query_params.from_dict(wanted)


def state_widget(widget: Callable, label: str, state_key: str, default: Any, scope: str = "", **kwargs) -> Any:
    """A widget whose value survives page switches (kept under state_key, not the widget key).

    scope: for a widget several pages show (its key gets "_<scope>"): a page's widget has an
    id of its own, and under one key a page would find the other page's widget state and
    fall back to its default instead of the state key's value.
    """
    key = widget_key(state_key) + (f"_{scope}" if scope else "")
    # Seed the widget only when Streamlit has none (first run, or after a page without it):
    # rewriting it on every run could undo a change the browser sent while a rerun was on.
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(state_key, default)
    return widget(label, key=key, on_change=lambda: st.session_state.__setitem__(state_key, st.session_state[key]),
                  **kwargs)


def reset_widget(state_key: str, new: Any) -> None:
    """Set a choice and its widget together (a new file resets the column choice)."""
    st.session_state[state_key] = st.session_state[widget_key(state_key)] = new


def on_language_change() -> None:
    # clicking the active language deselects it: keep the language instead
    if st.session_state[W_LANG] is None:
        st.session_state[W_LANG] = lang()
    st.session_state[LANG] = st.session_state[W_LANG]
    # each widget mirroring a state key is seeded again in the new language (the seam says why)
    seam.drop_mirrored_widgets(st.session_state, widget_key(""), keep={W_LANG})


def seed_language_widget() -> None:
    st.session_state.setdefault(W_LANG, lang())


def widget_value(key: str) -> Any:
    """The current value of a widget (or a component such as the map) by its key."""
    return st.session_state.get(key)
