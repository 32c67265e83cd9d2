"""Your data: the uploader, its join report, the choropleth settings, the map and downloads."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import streamlit as st

from fjchains.app import seam, session
from fjchains.app.cached import Data, warm_up_sandbox
from fjchains.app.panels.downloads import download_row
from fjchains.app.panels.map_panel import county_map, map_colouring
from fjchains.core import limits
from fjchains.core.errors import ClassifyError, UploadError
from fjchains.core.i18n import pick, t
from fjchains.core.textsafe import md_literal, md_text, truncate
from fjchains.geo.colouring import colour_waiting
from fjchains.render import export
from fjchains.render.captions import map_title, upload_view
from fjchains.upload.classify import PALETTES, SCHEMES, parse_breaks
from fjchains.upload.userdata import UserData, choropleth, load_user_file_isolated, tooltip_extra, with_user_columns


@dataclass(frozen=True)
class ChoroplethSettings:
    """How the uploaded column is classified and coloured."""

    column: str
    scheme: str
    k: int
    breaks: list[str] | None
    palette: str


def upload_box(data: Data, lang: str) -> None:
    """File uploader (and a refused file's message); the result stays in this session only.

    The file is read in a separate process with a time and memory budget
    (fjchains.upload.userdata.load_user_file_isolated), so a hostile file costs its sender a
    message and nobody else anything.
    """
    warm_up_sandbox()  # the reader's process starts while the user picks a file
    st.markdown(t("upload_intro", lang))
    st.caption(t("upload_limits", lang, mb=limits.MAX_UPLOAD_MB, rows=f"{limits.MAX_ROWS:,}",
                 columns=f"{limits.MAX_COLUMNS:,}", cell=f"{limits.MAX_CELL_CHARS:,}",
                 seconds=f"{limits.PARSE_TIMEOUT_S:g}"))
    template = data.tables.counties[["adcode", "name_zh", "name_en"]].assign(value="")
    st.download_button(t("template", lang), export.to_csv_bytes(template), "county_template.csv", "text/csv",
                       key="dl_template", on_click="ignore")
    key = session.uploader_key()
    file = st.file_uploader(t("upload_label", lang), type=["csv", "txt", "xlsx"], key=key,
                            on_change=session.upload_changed, args=(key,))
    if file is not None and session.value(session.UPLOAD_ID) != file.file_id:
        session.set_value(session.UPLOAD_ID, file.file_id)
        line = st.empty()  # while other files are read first: this one's place in the line
        try:
            with st.spinner(t("upload_reading", lang)):
                loaded = load_user_file_isolated(file.name, file.getvalue(), data.aliases, data.tables.counties,
                                                 on_wait=lambda place: line.info(t("upload_queued", lang, n=place)))
            session.set_value(session.USERDATA, loaded)
            session.forget(session.UPLOAD_ERROR)
            # at once and over the page: on a phone the report sits below the map (upload_report)
            st.toast(upload_ok_text(loaded, lang), icon=":material/check_circle:")
        except UploadError as exc:
            session.forget(session.USERDATA)
            session.set_value(session.UPLOAD_ERROR, (file.name, exc))
        finally:
            line.empty()
            seam.release_upload(file.file_id)  # what was read stays; the file's bytes go
    refused = session.value(session.UPLOAD_ERROR)
    if refused is not None:
        error: UploadError = refused[1]
        st.error(t("upload_error", lang, message=md_text(error.message(lang))))


def upload_report(data: Data, uploaded: UserData, lang: str) -> None:
    """The join report and the button that removes the file: beside the map, not above it, so
    the map (drawn while the user picked the file) does not move when they arrive (issue 10)."""
    join_report(data, uploaded, lang)
    st.button(t("clear_upload", lang), key="clear_upload", on_click=session.remove_upload)


def upload_ok_text(uploaded: UserData, lang: str) -> str:
    """"Read <file>: n rows, m matched, joined on <column>": the user's names as code spans."""
    r = uploaded.report
    return t("upload_ok", lang, name=md_literal(uploaded.filename), rows=f"{r.rows:,}", matched=f"{r.matched:,}",
             column=md_literal(r.key_column), kind=t(f"key_{r.key_kind}", lang))


def join_report(data: Data, uploaded: UserData, lang: str) -> None:
    """Matched, unmatched with suggestions, ambiguous, duplicates, counties with no row.

    File names, headers and cells are the user's: shown in code spans or st.dataframe,
    never as Markdown.
    """
    r = uploaded.report
    sep = t("list_sep", lang)
    st.success(upload_ok_text(uploaded, lang))
    for mixed in r.mixed_units:
        st.warning(t("report_mixed_units", lang, column=md_literal(mixed["column"]), n=f"{mixed['cells']:,}"))
    names = data.layer.set_index("adcode")
    listed = t("report_listed", lang, n=f"{limits.MAX_REPORTED:,}")
    if r.unmatched_count:
        with st.expander(t("report_unmatched", lang, n=f"{r.unmatched_count:,}"), expanded=True):
            st.dataframe([{t("row", lang): u["row"], t("text", lang): truncate(u["text"]),
                           t("suggestions", lang): sep.join(u["suggestions"])} for u in r.unmatched],
                         hide_index=True, key="unmatched_table")
            if r.unmatched_count > len(r.unmatched):
                st.caption(listed)
    if (uploaded.as_read or uploaded).report.ambiguous_count:
        ambiguous_rows(names, uploaded, lang)
    if r.duplicates:
        with st.expander(t("report_duplicates", lang, n=len(r.duplicates))):
            st.dataframe([{t("county", lang): pick(names.loc[d["adcode"]], "name", lang),
                           t("row", lang): sep.join(map(str, d["rows"]))} for d in r.duplicates], hide_index=True)
    if r.missing_adcodes:
        with st.expander(t("report_missing", lang, n=len(r.missing_adcodes))):
            st.write(sep.join(pick(names.loc[a], "name", lang) for a in r.missing_adcodes))


def candidate_label(names, adcode: str, lang: str) -> str:
    """A county an ambiguous name may mean, with its prefecture and adcode: "鲤城区 · 泉州市（350502）"
    ("" : none chosen)."""
    if not adcode:
        return t("report_unassigned", lang)
    row = names.loc[adcode]
    return f"{pick(row, 'name', lang)} · {pick(row, 'prefecture', lang)}{t('in_paren', lang, text=adcode)}"


def ambiguous_rows(names, uploaded: UserData, lang: str) -> None:
    """The file's ambiguous names ("Licheng District": 鲤城区 or 荔城区), each with its candidates
    and their prefectures, and a choice of county for the first limits.MAX_CHOSEN rows. A
    choice applies to the whole upload (session.choose_county: map, tables, downloads); a row
    left unassigned is not used. Rows are listed from the file as read, so a choice can be
    changed."""
    read = (uploaded.as_read or uploaded).report
    with st.expander(t("report_ambiguous", lang, n=f"{read.ambiguous_count:,}"), expanded=True):
        st.caption(t("report_ambiguous_choose", lang, n=f"{len(uploaded.choices):,}",
                     total=f"{read.ambiguous_count:,}"))
        for entry in read.ambiguous[: limits.MAX_CHOSEN]:
            row = entry["row"]
            session.chosen_county(uploaded, row)  # seeds the widget from the upload's choices
            st.selectbox(t("report_ambiguous_row", lang, row=row, text=md_literal(entry["text"])),
                         ["", *entry["candidates"]], key=session.ambiguous_key(uploaded, row),
                         format_func=lambda a: candidate_label(names, a, lang), on_change=session.choose_county,
                         args=(row,))
        rest = read.ambiguous[limits.MAX_CHOSEN:]
        if rest:
            st.caption(t("report_ambiguous_rest", lang, n=limits.MAX_CHOSEN))
            st.dataframe([{t("row", lang): a["row"], t("text", lang): truncate(a["text"]),
                           t("candidates", lang): t("list_sep", lang).join(
                               candidate_label(names, c, lang) for c in a["candidates"])} for a in rest],
                         hide_index=True)
        if read.ambiguous_count > len(read.ambiguous):
            st.caption(t("report_listed", lang, n=f"{limits.MAX_REPORTED:,}"))


def choropleth_controls(uploaded: UserData, lang: str) -> ChoroplethSettings | None:
    """Column, classification, classes/breaks and palette; None if nothing can be mapped."""
    if not uploaded.numeric_columns:
        st.warning(t("no_numeric", lang))
        return None
    if session.value(session.UD_COLUMN) not in uploaded.numeric_columns:  # a new file
        session.reset_widget(session.UD_COLUMN, uploaded.numeric_columns[0])
    column = session.state_widget(st.selectbox, t("map_column", lang), session.UD_COLUMN,
                                  uploaded.numeric_columns[0], options=uploaded.numeric_columns)
    scheme = session.state_widget(st.selectbox, t("scheme", lang), session.UD_SCHEME, "quantiles",
                                  options=list(SCHEMES), format_func=lambda s: t(f"scheme_{s}", lang))
    breaks, k = None, 5
    if scheme == "user_defined":
        try:  # too long or too many: refused before anything is parsed or computed
            breaks = parse_breaks(session.state_widget(st.text_input, t("breaks", lang), session.UD_BREAKS, "",
                                                       max_chars=limits.MAX_BREAKS_CHARS))
        except ClassifyError as exc:  # the map shows 5 quantile classes meanwhile, as for other bad breaks
            st.error(t("classify_error", lang, message=md_text(exc.message(lang))))
            scheme = "quantiles"
    else:
        k = session.state_widget(st.slider, t("classes", lang), session.UD_K, 5, min_value=3, max_value=7)
    palette = session.state_widget(st.selectbox, t("palette", lang), session.UD_PALETTE, "YlGnBu",
                                   options=list(PALETTES))
    return ChoroplethSettings(column, scheme, k, breaks, palette)


def user_map(data: Data, uploaded: UserData | None, settings: ChoroplethSettings | None, lang: str) -> dict:
    """Choropleth of the chosen uploaded column (chain filter fades the others); returns the payload.

    Before a file, the same map waits in light grey: it is drawn while the user picks the
    file, and the file's colours then restyle it in place (no new frame to load).
    """
    if uploaded is None:
        return county_map(data, colour_waiting(data.layer, lang), "map_upload", lang)
    if settings is None:
        return county_map(data, map_colouring(data, lang), "map_upload", lang)

    def classified(scheme: str, k: int, breaks: list[str] | None):
        return choropleth(data.layer, data.tables.chains, uploaded, settings.column, session.current_filters(), lang,
                          scheme, k, breaks, settings.palette)

    try:
        colouring, _, faded = classified(settings.scheme, settings.k, settings.breaks)
    except ClassifyError as exc:
        st.error(t("classify_error", lang, message=md_text(exc.message(lang))))
        try:  # keep the user's data on the map, in the default classes
            colouring, _, faded = classified("quantiles", 5, None)
        except ClassifyError:
            return county_map(data, map_colouring(data, lang), "map_upload", lang)
    extra = tooltip_extra(uploaded, settings.column, data.layer["adcode"], lang)
    return county_map(data, colouring, "map_upload", lang, extra_lines=extra, faded=faded)


def user_downloads(data: Data, uploaded: UserData, payload: dict, lang: str,
                   settings: ChoroplethSettings | None = None) -> None:
    """The joined table with the uploaded columns, and the choropleth as offline HTML and pictures."""
    from fjchains.app.panels.pictures import map_pictures

    table = with_user_columns(export.county_records(data.layer, data.tables, lang, data.boundary_source), uploaded)
    view = upload_view(uploaded, asdict(settings)) if settings is not None else None
    download_row(data, table, payload, "joined_county_data",
                 map_title(data.tables.chains, session.current_filters(), lang, view), lang)
    map_pictures(data, "upload", lang, uploaded=uploaded if settings else None, settings=settings)
