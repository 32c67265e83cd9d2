"""Widgets shared by the pages: sidebar controls, the county map, the detail panel, notes.

State lives in st.session_state under the keys below (not under widget keys, which
Streamlit drops when a page without that widget runs), and mirrors the URL so a view can
be shared: see fjchains.state.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from fjchains import maps
from fjchains.app import cached
from fjchains.app.cached import Data, figure, geometry_url, load_data
from fjchains.colouring import Colouring, Filters, colour_counties
from fjchains.errors import DataValidationError
from fjchains.i18n import STRINGS, column, pick, t
from fjchains.names import prefecture_counties, resolve, suggest
from fjchains.selection import county_at
from fjchains.state import parse_query, to_query
from fjchains.tables import CATEGORIES

LANG, COUNTY, CHAINS, CATS, BASEMAP = "lang", "county", "chains", "categories", "basemap"
USERDATA = "userdata"  # fjchains.userdata.UserData of this session's upload, or absent


def lang() -> str:
    return st.session_state.get(LANG, "zh")


def _through_dashboard() -> None:
    """Make sure dashboard.py (navigation, sidebar, URL state) wraps this page.

    While a server has not yet run st.navigation, Streamlit treats a top-level pages/
    folder as its old multipage mode, so a first visitor opening /explorer would run
    pages/explorer.py alone. Switch that mode off and rerun through dashboard.py.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if not st.session_state.pop("_entered_via_dashboard", False):
        PagesManager.uses_pages_directory = False
        st.rerun()


def mark_entry() -> None:
    """Called first by dashboard.py, so pages know they run inside it."""
    st.session_state["_entered_via_dashboard"] = True


def data_or_stop() -> Data:
    """For pages: the data, after making sure the page runs inside dashboard.py."""
    _through_dashboard()
    return load_data_or_stop()


def load_data_or_stop() -> Data:
    """Load the data; a broken file stops the page with a clear message, not a traceback."""
    try:
        return load_data()
    except DataValidationError as exc:
        st.error(f"{t('data_error', lang())}\n\n{exc}")
        st.stop()


def init_state(data: Data) -> None:
    """Once per session: take filters, county and language from the URL."""
    if "_state_ready" in st.session_state:
        return
    params = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    parsed = parse_query(params, set(data.layer["adcode"]), data.tables.chains["chain_id"].tolist())
    warnings = []
    if parsed.unknown_county:
        warnings.append(t("unknown_county_param", parsed.lang, code=parsed.unknown_county))
    if parsed.unknown_chains:
        warnings.append(t("unknown_chain_param", parsed.lang, ids=", ".join(parsed.unknown_chains)))
    st.session_state.update({LANG: parsed.lang, COUNTY: parsed.filters.county, CHAINS: list(parsed.filters.chains),
                             CATS: list(parsed.filters.categories), BASEMAP: False, "_state_ready": True,
                             "_url_warnings": warnings})


def current_filters() -> Filters:
    return Filters(tuple(st.session_state.get(CHAINS, [])), tuple(st.session_state.get(CATS, [])),
                   st.session_state.get(COUNTY))


def sync_url() -> None:
    """Make the address bar show the current view (only writes when it changed)."""
    wanted = to_query(current_filters(), lang())
    have = {k: (st.query_params.get_all(k) if k in ("chain", "cat") else st.query_params.get(k))
            for k in st.query_params.keys()}
    if have != wanted:
        st.query_params.from_dict(wanted)


def page_style() -> None:
    """Less empty space above the title, so map and panel fit a 1280x720 laptop screen."""
    st.html("<style>.block-container, [data-testid=stMainBlockContainer] { padding-top: 2.2rem; }</style>")


def _copy(widget_key: str, state_key: str):
    return lambda: st.session_state.__setitem__(state_key, st.session_state[widget_key])


def _on_language() -> None:
    # clicking the active language deselects it: keep the language instead
    if st.session_state["w_lang"] is None:
        st.session_state["w_lang"] = lang()
    st.session_state[LANG] = st.session_state["w_lang"]


def sidebar(data: Data) -> None:
    """Language, search, chain and category filters, basemap: the same on every page."""
    with st.sidebar:
        st.session_state.setdefault("w_lang", lang())
        st.segmented_control(t("language", lang()), ["zh", "en"], key="w_lang",
                             format_func=lambda v: "中文" if v == "zh" else "English",
                             on_change=_on_language)
        search_box(data)
        chains = data.tables.chains.set_index("chain_id")
        _state_widget(st.multiselect, t("filter_chains", lang()), CHAINS, [], options=chains.index.tolist(),
                      format_func=lambda c: pick(chains.loc[c], "name", lang()),
                      placeholder=t("filter_placeholder", lang()))
        _state_widget(st.multiselect, t("filter_categories", lang()), CATS, [], options=list(CATEGORIES),
                      format_func=lambda c: t(f"cat_{c}", lang()), placeholder=t("filter_placeholder", lang()))
        _state_widget(st.toggle, t("basemap", lang()), BASEMAP, False)


def _on_search(data: Data) -> None:
    found = resolve(st.session_state.get("w_search", ""), data.aliases, data.tables.counties)
    if len(found) == 1:
        st.session_state[COUNTY] = found[0]


def search_box(data: Data) -> None:
    """Type a name in any form; one match selects the county, several ask which."""
    text = st.text_input(t("search", lang()), key="w_search", help=t("search_help", lang()),
                         placeholder="晋江 / Jinjiang / 龙海市", on_change=_on_search, args=(data,))
    if not text.strip():
        return
    found = resolve(text, data.aliases, data.tables.counties)
    if len(found) == 1:
        return
    names = cached.county_names(data, lang())
    if not found:
        members = prefecture_counties(text, data.tables.counties)
        if members:
            st.info(t("search_prefecture", lang(), text=text, names="、".join(names[a] for a in members)))
            return
        st.warning(t("search_unknown", lang(), text=text))
        hints = suggest(text, data.aliases)
        if hints:
            st.caption(t("search_suggest", lang(), names="、".join(hints)))
        return
    prefectures = data.tables.counties.set_index("adcode")[column("prefecture", lang())]
    st.radio(t("search_ambiguous", lang(), text=text), found, index=None, key="w_search_pick",
             format_func=lambda a: f"{names[a]} ({prefectures[a]})",
             on_change=lambda: st.session_state.__setitem__(COUNTY, st.session_state["w_search_pick"]))


def clear_selection() -> None:
    """Forget the selected county, and the search that chose it."""
    st.session_state[COUNTY] = None
    st.session_state["w_search"] = ""


def _on_map_click(data: Data, map_key: str) -> None:
    clicked = (st.session_state.get(map_key) or {}).get("last_clicked")
    if clicked and clicked.get("lat") is not None:
        adcode = county_at(data.layer, clicked["lat"], clicked["lng"])
        if adcode:
            st.session_state[COUNTY] = adcode


def county_map(data: Data, colouring: Colouring, key: str, extra_lines: dict | None = None,
               faded: list[str] | None = None) -> dict:
    """The clickable county map; a click selects a county without remounting the map.

    Returns the style payload, so a download can show the same map.
    """
    filters = current_filters()
    payload = maps.style_payload(data.layer, data.tables.chains, colouring, filters, lang(), extra_lines, faded)
    base = maps.base_map(geometry_url(data), lang=lang(), basemap=st.session_state.get(BASEMAP, False),
                         custom_boundaries=data.custom_boundaries,
                         tips=cached.tooltips(data, lang()))
    st_folium(base, key=key, height=maps.MAP_HEIGHT, use_container_width=True,
              returned_objects=["last_clicked"], feature_group_to_add=maps.style_layer(payload),
              on_change=lambda: _on_map_click(data, key))
    return payload


@st.fragment
def map_and_detail(data: Data, colouring: Colouring, key: str, side=None, below=None) -> None:
    """The map beside the detail panel (and `side`, drawn above it; `below`, under the map).

    A fragment: a click on the map reruns only this part, so the charts and the rest of
    the page are neither rebuilt nor sent again.
    """
    left, right = st.columns([3, 2], gap="medium")
    with left:
        county_map(data, colouring, key=key)
        notes(data)
        if below is not None:
            below()
    with right:
        if side is not None:
            side()
        detail_panel(data)
    sync_url()  # a fragment rerun skips dashboard.py's own call


def filtered_chain_ids(data: Data) -> tuple[str, ...]:
    """The chains the sidebar filters leave in play (empty when nothing is filtered)."""
    from fjchains.colouring import effective_chains

    filters = current_filters()
    if not filters.chains and not filters.categories:
        return ()
    return tuple(effective_chains(filters, data.tables.chains))


def map_colouring(data: Data) -> Colouring:
    return colour_counties(data.layer, data.tables.chains, current_filters(), lang())


def detail_panel(data: Data) -> None:
    """Names, prefecture, level, chains, golden card for the selected county, each sourced."""
    adcode = st.session_state.get(COUNTY)
    st.subheader(t("detail_title", lang()))
    if not adcode:
        st.info(t("click_hint", lang()))
        return
    d = cached.detail(data, adcode, lang())
    with st.container(border=True, key="detail_panel"):
        st.markdown(f"### {d.name}")
        st.caption(f"{d.other_name} · {t('adcode', lang())} {d.adcode}")
        sep = "：" if lang() == "zh" else ": "
        st.markdown(f"**{t('prefecture', lang())}**{sep}{d.prefecture}  \n**{t('level', lang())}**{sep}{d.level}")
        if d.former_names:
            st.caption(t("former_names", lang(), names="、".join(d.former_names)))
        st.markdown(f"**{t('chains_named', lang())}**")
        if d.chains:
            for line in d.chains:
                st.markdown(f"- **{line.label}** · {line.value}", help=f"{t('source', lang())}: {line.source}")
            st.caption(t("deng_note", lang()))
        else:
            st.caption(t("no_chains", lang()))
        if d.golden_card:
            st.success(f"{d.golden_card.label}: **{d.golden_card.value}**")
            st.caption(f"{t('source', lang())}: {d.golden_card.source}")
        uploaded = st.session_state.get(USERDATA)
        if uploaded is not None:
            from fjchains.userdata import value_lines

            st.markdown(f"**{t('uploaded_values', lang())}** · {uploaded.filename}")
            rows = value_lines(uploaded, adcode, lang())
            st.table(pd.DataFrame({t("value", lang()): list(rows.values())},
                                  index=pd.Index(list(rows), name=t("column", lang()))))
        st.button(t("clear_selection", lang()), key="clear_county", on_click=clear_selection)
        for source in dict.fromkeys(line.source for line in d.chains):
            st.caption(f"{t('source', lang())}: {source}")


def notes(data: Data) -> None:
    """The caveats every map needs on screen: 等, and where the boundaries come from."""
    st.caption(t("deng_note", lang()))
    if data.custom_boundaries:
        st.caption(t("boundary_custom", lang(), path=data.boundaries_file))
    else:
        st.caption(t("boundary_note", lang()))


def kpi_value(metric: str, value: str, lang: str) -> str:
    """Short display of a headline figure (the full label and unit go in the help)."""
    if metric == "county_gdp_avg_rank":
        return f"第 {value} 位" if lang == "zh" else f"No. {value}"
    if metric == "avg_industrial_revenue":  # 亿元 = 1e8 yuan
        return f"{value} 亿元" if lang == "zh" else f"{float(value) / 10:g} bn yuan"
    units = {"top100_counties": ("个", ""), "opinion_articles": ("条", "")}
    return f"{value} {units[metric][0]}" if lang == "zh" else value


def kpi_row(data: Data) -> None:
    """Headline figures as metric cards; hover (?) shows the source and its exact words."""
    from fjchains.detail import citation

    stats = data.tables.headline_stats.set_index("metric_id")
    cards = []
    for metric in ("county_gdp_avg_rank", "top100_counties", "avg_industrial_revenue", "opinion_articles"):
        s = stats.loc[metric]
        quote = f"“{s['source_quote']}”" if s["source_quote"] else ""
        help_text = (f"{pick(s, 'label', lang())} ({s['year']}). "
                     f"{t('source', lang())}: {citation(data.tables, s['source'], lang())} {quote}")
        cards.append((f"{t('kpi_' + metric, lang())} ({s['year']})", kpi_value(metric, s["value"], lang()), help_text))
    named = int((data.layer["chain_count"] > 0).sum())
    cards.append((t("kpi_chains", lang()), str(len(data.tables.chains)), t("kpi_chains_help", lang())))
    cards.append((t("kpi_counties", lang()), f"{named} / {len(data.layer)}", t("kpi_counties_help", lang())))
    for start in range(0, len(cards), 3):
        for cell, (label, value, help_text) in zip(st.columns(3), cards[start:start + 3]):
            cell.metric(label, value, help=help_text, border=True)


def matching_list(data: Data, colouring: Colouring) -> None:
    """Count and names of the counties that match the filters."""
    if not colouring.matching:
        st.info(t("no_match", lang()))
        return
    names = cached.county_names(data, lang())
    st.markdown(f"**{t('matching', lang(), n=len(colouring.matching))}**")
    labels = [names[a] for a in colouring.matching]
    with st.container(key="matching_list"):
        st.write("、".join(labels) if lang() == "zh" else ", ".join(labels))


def _on_bar_select(key: str) -> None:
    points = (st.session_state.get(key) or {}).get("selection", {}).get("points", [])
    chosen = [p["customdata"][0] for p in points if p.get("customdata")]
    if chosen:
        st.session_state[CHAINS] = st.session_state["w_" + CHAINS] = list(dict.fromkeys(chosen))
        # a new chart key drops the chart's own selection: the sidebar filter is the state
        st.session_state["_bars_generation"] = st.session_state.get("_bars_generation", 0) + 1


def chart(name: str, chain_ids=()) -> None:
    """A cached figure of fjchains.charts, full width."""
    st.plotly_chart(figure(name, lang(), tuple(chain_ids)), width="stretch")


def chain_bar_chart(data: Data) -> None:
    """Counties per chain; clicking a bar filters the map to that chain."""
    key = f"chain_bars_{st.session_state.get('_bars_generation', 0)}"
    with st.container(key="chain_bars"):
        st.plotly_chart(figure("counties_per_chain", lang()), width="stretch",
                        key=key, on_select=lambda: _on_bar_select(key), selection_mode="points")
    st.caption(f"{t('chart_select_hint', lang())} {t('png_hint', lang())}")


def chain_picker(data: Data) -> str:
    """Which chain the profile page shows: its own choice, first the first filtered chain."""
    chains = data.tables.chains.set_index("chain_id")
    ids = chains.index.tolist()
    default = (st.session_state.get(CHAINS) or ids)[0]
    return _state_widget(st.selectbox, t("chain_pick", lang()), "profile_chain", default, options=ids,
                         format_func=lambda c: pick(chains.loc[c], "name", lang()))


def single_chain_colouring(data: Data, chain_id: str) -> Colouring:
    from fjchains.colouring import colour_by_chains

    return colour_by_chains(data.layer, data.tables.chains, Filters(chains=(chain_id,)), lang())


def chain_profile(data: Data, chain_id: str) -> None:
    """Category, counties named, the source's exact words and its citation."""
    from fjchains.detail import citation

    chain = data.tables.chains.set_index("chain_id").loc[chain_id]
    named = data.layer[data.layer["chain_ids"].map(lambda ids: chain_id in ids)]
    st.markdown(f"### {pick(chain, 'name', lang())}")
    st.markdown(f"**{t('category', lang())}**: {t('cat_' + chain['category'], lang())}")
    st.markdown(f"**{t('chain_counties', lang())}** ({len(named)})")
    st.write(("、" if lang() == "zh" else ", ").join(pick(r, "name", lang()) for _, r in named.iterrows()))
    st.markdown(f"**{t('chain_quote', lang())}**")
    st.text(chain["source_quote"])
    st.caption(f"{t('source', lang())}: {citation(data.tables, chain['source'], lang())}")


def _localised(table):
    """Column names (and level / category values) in the interface language, for display."""
    shown = table.copy()
    if "level" in shown:
        shown["level"] = shown["level"].map(lambda v: t(f"level_{v}", lang()))
    if "categories" in shown:
        shown["categories"] = shown["categories"].map(
            lambda v: "; ".join(t(f"cat_{c}", lang()) for c in v.split("; ") if c))
    return shown.rename(columns={c: t(f"col_{c}", lang()) for c in shown.columns if f"col_{c}" in STRINGS})


def county_table(data: Data) -> None:
    from fjchains.export import county_table as build

    st.dataframe(_localised(build(data.layer, data.tables, lang())), hide_index=True, width="stretch")


def download_row(data: Data, table, payload: dict, stem: str, title: str) -> None:
    """CSV, Excel, GeoJSON of a county table, and the map of `payload` as offline HTML.

    Each file is built only when its button is clicked (Streamlit calls the function on
    another thread, so everything it needs is captured here, not read from the session).
    """
    from fjchains import export
    from fjchains.app.cached import topojson_text

    lg, topo, tips = lang(), topojson_text(data), cached.tooltips(data, lang())
    note = f"{t('deng_note', lg)} {t('boundary_note', lg)}"
    files = [
        ("download_csv", lambda: export.to_csv_bytes(table), f"{stem}.csv", "text/csv"),
        ("download_xlsx", lambda: export.to_excel_bytes(table), f"{stem}.xlsx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("download_geojson", lambda: export.to_geojson_bytes(data.layer, table), f"{stem}.geojson",
         "application/geo+json"),
        ("download_html", lambda: maps.standalone_html(topo, payload, lg, title, note, tips=tips).encode("utf-8"),
         f"{stem}_map.html", "text/html"),
    ]
    for cell, (label, build, name, mime) in zip(st.columns(len(files)), files):
        cell.download_button(t(label, lg), build, name, mime, key=f"dl_{stem}_{label}")
    st.caption(t("download_note", lg))


def download_buttons(data: Data) -> None:
    """The shipped data: joined table and the current chain map."""
    from fjchains import export
    from fjchains.picture import map_title

    payload = maps.style_payload(data.layer, data.tables.chains, map_colouring(data), current_filters(), lang())
    download_row(data, export.county_table(data.layer, data.tables, lang()), payload, "fujian_county_chains",
                 map_title(data.tables.chains, current_filters(), lang()))
    map_pictures(data, key="data")


def sources_table(data: Data) -> None:
    src = data.tables.sources.rename(columns={"title_en" if lang() == "en" else "title_zh": "title"})
    st.dataframe(_localised(src[["source_id", "title", "publisher", "date", "url", "file", "licence", "note"]]),
                 hide_index=True, width="stretch")


def upload_box(data: Data) -> None:
    """File uploader + join report; the result stays in this session only."""
    from fjchains.upload import UploadError
    from fjchains.userdata import load_user_file

    st.markdown(t("upload_intro", lang()))
    from fjchains.export import to_csv_bytes

    template = data.tables.counties[["adcode", "name_zh", "name_en"]].assign(value="")
    st.download_button(t("template", lang()), to_csv_bytes(template), "county_template.csv", "text/csv",
                       key="dl_template")
    file = st.file_uploader(t("upload_label", lang()), type=["csv", "txt", "xlsx"], key="w_upload")
    if file is not None and st.session_state.get("_upload_id") != file.file_id:
        st.session_state["_upload_id"] = file.file_id
        try:
            st.session_state[USERDATA] = load_user_file(file.name, file.getvalue(), data.aliases, data.tables.counties)
            st.session_state.pop("_upload_error", None)
        except UploadError as exc:
            st.session_state.pop(USERDATA, None)
            st.session_state["_upload_error"] = (file.name, exc)
    if "_upload_error" in st.session_state:
        name, exc = st.session_state["_upload_error"]
        st.error(t("upload_error", lang(), message=exc.en if lang() == "en" else exc.zh))
    uploaded = st.session_state.get(USERDATA)
    if uploaded is not None:
        join_report(data, uploaded)
        st.button(t("clear_upload", lang()), key="clear_upload",
                  on_click=lambda: [st.session_state.pop(k, None) for k in (USERDATA, "_upload_id", "_upload_error")])


def join_report(data: Data, uploaded) -> None:
    """Matched, unmatched with suggestions, ambiguous, duplicates, counties with no row."""
    r = uploaded.report
    rows = r.matched + len(r.unmatched) + len(r.ambiguous)
    st.success(t("upload_ok", lang(), name=uploaded.filename, rows=rows, matched=r.matched, column=r.key_column,
                 kind=t(f"key_{r.key_kind}", lang())))
    names = data.layer.set_index("adcode")
    if r.unmatched:
        with st.expander(t("report_unmatched", lang(), n=len(r.unmatched)), expanded=True):
            st.dataframe([{t("row", lang()): u["row"], t("text", lang()): u["text"],
                           t("suggestions", lang()): "、".join(u["suggestions"])} for u in r.unmatched],
                         hide_index=True, key="unmatched_table")
    if r.ambiguous:
        with st.expander(t("report_ambiguous", lang(), n=len(r.ambiguous)), expanded=True):
            st.dataframe([{t("row", lang()): a["row"], t("text", lang()): a["text"],
                           t("candidates", lang()): "、".join(pick(names.loc[c], "name", lang()) + f" ({c})"
                                                             for c in a["candidates"])} for a in r.ambiguous],
                         hide_index=True)
    if r.duplicates:
        with st.expander(t("report_duplicates", lang(), n=len(r.duplicates))):
            st.dataframe([{t("county", lang()): pick(names.loc[d["adcode"]], "name", lang()),
                           t("row", lang()): ", ".join(map(str, d["rows"]))} for d in r.duplicates], hide_index=True)
    if r.missing_adcodes:
        with st.expander(t("report_missing", lang(), n=len(r.missing_adcodes))):
            st.write("、".join(pick(names.loc[a], "name", lang()) for a in r.missing_adcodes))


def _state_widget(widget, label: str, state_key: str, default, **kwargs):
    """A widget whose value survives page switches (kept under state_key, not the widget key)."""
    widget_key = "w_" + state_key
    # Seed the widget only when Streamlit has none (first run, or after a page without it):
    # rewriting it on every run could undo a change the browser sent while a rerun was on.
    if widget_key not in st.session_state:
        st.session_state[widget_key] = st.session_state.get(state_key, default)
    return widget(label, key=widget_key, on_change=_copy(widget_key, state_key), **kwargs)


def choropleth_controls(uploaded) -> dict | None:
    """Column, classification, classes/breaks and palette; None if nothing can be mapped."""
    from fjchains.classify import PALETTES, SCHEMES

    if not uploaded.numeric_columns:
        st.warning(t("no_numeric", lang()))
        return None
    if st.session_state.get("ud_column") not in uploaded.numeric_columns:  # a new file
        st.session_state["ud_column"] = st.session_state["w_ud_column"] = uploaded.numeric_columns[0]
    column = _state_widget(st.selectbox, t("map_column", lang()), "ud_column", uploaded.numeric_columns[0],
                           options=uploaded.numeric_columns)
    scheme = _state_widget(st.selectbox, t("scheme", lang()), "ud_scheme", "quantiles", options=list(SCHEMES),
                           format_func=lambda s: t(f"scheme_{s}", lang()))
    breaks = None
    k = 5
    if scheme == "user_defined":
        text = _state_widget(st.text_input, t("breaks", lang()), "ud_breaks", "")
        breaks = [b.strip() for b in text.replace("，", ",").split(",") if b.strip()]
    else:
        k = _state_widget(st.slider, t("classes", lang()), "ud_k", 5, min_value=3, max_value=7)
    palette = _state_widget(st.selectbox, t("palette", lang()), "ud_palette", "YlGnBu", options=list(PALETTES))
    return {"column": column, "scheme": scheme, "k": k, "breaks": breaks, "palette": palette}


def user_map(data: Data, uploaded, settings: dict | None) -> dict:
    """Choropleth of the chosen uploaded column (chain filter fades the others); returns the payload."""
    from fjchains.classify import ClassifyError
    from fjchains.userdata import choropleth, tooltip_extra

    if settings is None:
        return county_map(data, map_colouring(data), key="map_upload")
    def classified(scheme, k, breaks):
        return choropleth(data.layer, data.tables.chains, uploaded, settings["column"], current_filters(), lang(),
                          scheme, k, breaks, settings["palette"])

    try:
        colouring, _, faded = classified(settings["scheme"], settings["k"], settings["breaks"])
    except ClassifyError as exc:
        st.error(t("classify_error", lang(), message=exc.en if lang() == "en" else exc.zh))
        try:  # keep the user's data on the map, in the default classes
            colouring, _, faded = classified("quantiles", 5, None)
        except ClassifyError:
            return county_map(data, map_colouring(data), key="map_upload")
    extra = tooltip_extra(uploaded, settings["column"], data.layer["adcode"], lang())
    return county_map(data, colouring, key="map_upload", extra_lines=extra, faded=faded)


def user_downloads(data: Data, uploaded, payload: dict, settings: dict | None = None) -> None:
    """The joined table with the uploaded columns, and the choropleth as offline HTML and picture."""
    from fjchains import export
    from fjchains.picture import map_title, upload_view
    from fjchains.userdata import with_user_columns

    table = with_user_columns(export.county_table(data.layer, data.tables, lang()), uploaded)
    view = upload_view(uploaded, settings) if settings else None
    download_row(data, table, payload, "joined_county_data",
                 map_title(data.tables.chains, current_filters(), lang(), view))
    map_pictures(data, key="upload", uploaded=uploaded if settings else None, settings=settings)


def map_pictures(data: Data, key: str, chain_id: str | None = None, uploaded=None, settings: dict | None = None,
                 zip_all: bool = False) -> None:
    """PNG and SVG of the map shown (the sidebar filters, one chain, or an uploaded column),
    and with zip_all every chain's map as a ZIP. Drawn only when a button is clicked
    (fjchains.picture, ~1 s each); everything the drawing needs is captured here.
    """
    from pathlib import Path

    from fjchains import picture

    lg, layer, tables = lang(), data.layer, data.tables
    filters = current_filters()
    if chain_id is not None:
        filters = Filters(chains=(chain_id,), county=filters.county)
    custom = data.custom_boundaries
    options = {"custom_boundaries": custom,
               # the file's name only: a picture leaves the server, its folders stay
               "boundary_note": t("boundary_custom", lg, path=Path(data.boundaries_file).name) if custom else None}
    view = None
    if uploaded is not None and settings:
        from fjchains.classify import ClassifyError  # the upload page has loaded it already

        view = picture.upload_view(uploaded, settings)

        def build(fmt):
            try:
                return picture.upload_picture(layer, tables, uploaded, settings, filters, lg, fmt, **options)
            except ClassifyError:  # as the web map: the default classes meanwhile
                fallback = {**settings, "scheme": "quantiles", "k": 5, "breaks": None}
                return picture.upload_picture(layer, tables, uploaded, fallback, filters, lg, fmt, **options)
    else:
        def build(fmt):
            return picture.chain_picture(layer, tables, filters, lg, fmt, **options)

    cells = st.columns(3 if zip_all else 2)
    for cell, fmt in zip(cells, picture.FORMATS):
        cell.download_button(t(f"download_{fmt}", lg), lambda fmt=fmt: build(fmt),
                             picture.picture_filename(filters, fmt, view), picture.FORMATS[fmt],
                             key=f"dl_picture_{key}_{fmt}")
    if zip_all:
        cells[2].download_button(t("download_zip", lg), lambda: picture.picture_zip(layer, tables, lg, **options),
                                 f"fujian_chains_each_{picture.OPINION_YEAR}.zip", "application/zip",
                                 key=f"dl_picture_{key}_zip")


def print_style() -> None:
    """A4 print layout (static/css/print.css) and the script that fits the map and charts to
    the page before printing (static/js/print.js); the script sits in the sidebar, which
    print hides, so it takes no room on the page."""
    from fjchains import paths

    st.html(paths.STATIC_DIR / "css" / "print.css")
    script = (paths.STATIC_DIR / "js" / "print.js").read_text(encoding="utf-8")
    with st.sidebar:
        st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)
