"""Streamlit caches around the plain loaders: parsed once per process, not per rerun."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from fjchains.core import paths
from fjchains.data.boundaries import load_boundaries
from fjchains.data.layer import build_county_layer
from fjchains.data.names import build_aliases
from fjchains.data.tables import Tables, load_tables
from fjchains.geo.webgeo import publish, web_topojson


@dataclass(frozen=True)
class Data:
    """Everything a page needs, loaded and validated."""

    tables: Tables
    layer: gpd.GeoDataFrame
    aliases: pd.DataFrame
    boundaries_file: str
    lists: dict = field(default_factory=dict)  # list_id -> fjchains.data.chain_lists.ChainList

    @property
    def custom_boundaries(self) -> bool:
        return self.boundaries_file != str(paths.COUNTIES_GEOJSON)

    @property
    def boundary_source(self) -> str:
        """The boundary file in use, as exports name it (never a server directory)."""
        from fjchains.data.layer import SHIPPED_BOUNDARIES

        return Path(self.boundaries_file).name if self.custom_boundaries else SHIPPED_BOUNDARIES


@st.cache_resource(show_spinner=False)
def _load(boundaries_file: str) -> Data:
    # cache_resource, not cache_data: the layer is shared read-only by every session and
    # rerun, so one copy per process (cache_data would unpickle a copy on every call).
    tables = load_tables()
    boundaries = load_boundaries(boundaries_file, known_adcodes=set(tables.counties["adcode"]))
    layer = build_county_layer(boundaries, tables)
    from fjchains.data.chain_lists import load_lists

    return Data(tables, layer, build_aliases(tables.counties, tables.former_names), boundaries_file,
                load_lists(tables))


def load_data() -> Data:
    """The validated data for the configured boundary file (raises DataValidationError)."""
    return _load(str(paths.boundaries_path()))


@st.cache_resource(show_spinner=False)
def _topojson(boundaries_file: str) -> str:
    return web_topojson(_load(boundaries_file).layer)


def topojson_text(data: Data) -> str:
    """The lean county TopoJSON (for inlining into a standalone map)."""
    return _topojson(data.boundaries_file)


@st.cache_resource(show_spinner=False)
def _geometry_url(boundaries_file: str) -> str:
    return publish(_topojson(boundaries_file))


@st.cache_resource(show_spinner=False, max_entries=64)
def figure(name: str, lang: str, chain_ids: tuple[str, ...] = ()):
    """A plotly figure from fjchains.render.charts; building one takes 30-70 ms, so once per argument set.

    cache_resource, not cache_data: st.plotly_chart only reads the figure, and unpickling a
    cached copy on every call cost ~100 ms a chart (plotly validates each property again).
    """
    from fjchains.render import charts

    tables = load_data().tables
    builders = {
        "counties_per_chain": lambda: charts.counties_per_chain(tables, lang, list(chain_ids) or None),
        "pairs_per_prefecture": lambda: charts.pairs_per_prefecture(tables, lang, list(chain_ids) or None),
        "category_mix": lambda: charts.category_mix(tables, lang),
    }
    return builders[name]()


@st.cache_resource(show_spinner=False)
def _tooltips(boundaries_file: str, lang: str) -> dict:
    from fjchains.geo.maps import tooltips

    data = _load(boundaries_file)
    return tooltips(data.layer, data.tables.chains, lang)


def tooltips(data: Data, lang: str) -> dict[str, list[str]]:
    """Default tooltip lines per county (they change with the language only)."""
    return _tooltips(data.boundaries_file, lang)


@st.cache_resource(show_spinner=False)
def _names(boundaries_file: str, lang: str) -> dict[str, str]:
    layer = _load(boundaries_file).layer
    return dict(zip(layer["adcode"], layer["name_en" if lang == "en" else "name_zh"]))


def county_names(data: Data, lang: str) -> dict[str, str]:
    """adcode -> county name in the language."""
    return _names(data.boundaries_file, lang)


@st.cache_resource(show_spinner=False)
def _headline_cards(boundaries_file: str, lang: str) -> tuple[tuple[str, str, str], ...]:
    from fjchains.data.headline import headline_cards

    return tuple((c.label, c.value, c.help) for c in headline_cards(_load(boundaries_file).tables, lang))


def headline_cards(data: Data, lang: str) -> tuple[tuple[str, str, str], ...]:
    """fjchains.data.headline.headline_cards as (label, value, help), once per language (shared:
    a tuple, so no caller can change another's)."""
    return _headline_cards(data.boundaries_file, lang)


@st.cache_data(show_spinner=False, max_entries=512)
def _detail(boundaries_file: str, adcode: str, lang: str):
    from fjchains.data.detail import county_detail

    data = _load(boundaries_file)
    return county_detail(adcode, data.layer, data.tables, lang)


def detail(data: Data, adcode: str, lang: str):
    """fjchains.data.detail.county_detail, once per county and language."""
    return _detail(data.boundaries_file, adcode, lang)


@st.cache_resource(show_spinner=False)
def _sandbox_started() -> bool:
    import threading

    from fjchains.upload.sandbox import warm_up

    threading.Thread(target=warm_up, name="sandbox-warm-up", daemon=True).start()
    return True


def warm_up_sandbox() -> None:
    """Start the upload parser's forkserver once per process, in the background, so the
    first upload does not wait seconds for pandas to import."""
    _sandbox_started()


# ---- spatial statistics (fjchains.geo.neighbours, fjchains.analysis.spatial, fjchains.analysis.chain_vs_rest)


@st.cache_resource(show_spinner=False)
def _neighbours(boundaries_file: str):
    from fjchains.geo.neighbours import queen_neighbours

    return queen_neighbours(_load(boundaries_file).layer)


def neighbours(data: Data):
    """Queen neighbours of the boundary file in use (fjchains.geo.neighbours.Neighbours), once per process."""
    return _neighbours(data.boundaries_file)


@st.cache_data(show_spinner=False, max_entries=64)
def _moran(boundaries_file: str, column: str, values: tuple[tuple[str, float], ...]):
    from fjchains.analysis.spatial import moran_analysis

    return moran_analysis(pd.Series(dict(values), dtype=float), _neighbours(boundaries_file))


def moran(data: Data, column: str, values: pd.Series):
    """fjchains.analysis.spatial.moran_analysis once per boundary file, column and values (a file's
    column): a rerun, a click or another session with the same file reuses it.
    Raises fjchains.analysis.spatial.SpatialError (cached as such: Streamlit does not cache errors, so
    an unusable column is checked again, which is cheap)."""
    return _moran(data.boundaries_file, column, tuple(values.items()))


@st.cache_data(show_spinner=False, max_entries=64)
def _chain_vs_rest(values: tuple[tuple[str, float], ...], named: tuple[str, ...]):
    from fjchains.analysis.chain_vs_rest import compare_groups

    return compare_groups(pd.Series(dict(values), dtype=float), list(named))


def chain_vs_rest(values: pd.Series, named: list[str]):
    """fjchains.analysis.chain_vs_rest.compare_groups once per values and group."""
    return _chain_vs_rest(tuple(values.items()), tuple(named))


@st.cache_resource(show_spinner=False)
def _inner_points(boundaries_file: str) -> dict[str, list[float]]:
    from fjchains.geo import maps

    return maps.inner_points(_load(boundaries_file).layer)


def inner_points(data: Data) -> dict[str, list[float]]:
    """A point inside each county, where a keyboard selection clicks (fjchains.geo.maps.inner_points)."""
    return _inner_points(data.boundaries_file)


@st.cache_resource(show_spinner=False)
def _frame_base(boundaries_file: str, lang: str, basemap: bool) -> dict:
    from fjchains.geo import maps

    data = _load(boundaries_file)
    return maps.frame_base(_geometry_url(boundaries_file), lang, basemap, data.custom_boundaries,
                   _tooltips(boundaries_file, lang), _inner_points(boundaries_file))


def frame_base(data: Data, lang: str, basemap: bool) -> dict:
    """The map frame's constant part (fjchains.geo.maps.frame_base), built once per language and
    basemap: it holds every county's tooltip lines and keyboard point. Shared: never changed."""
    return _frame_base(data.boundaries_file, lang, basemap)


@st.cache_resource(show_spinner=False, max_entries=64)
def _chain_overlap(boundaries_file: str, lang: str, chain_ids: tuple[str, ...]):
    from fjchains.core.i18n import chain_names
    from fjchains.geo.neighbours import chain_clusters, shared_counties
    from fjchains.render import export
    from fjchains.render.spatial_views import clusters_table, shared_heatmap

    data = _load(boundaries_file)
    names = chain_names(data.tables.chains, lang)
    matrix = shared_counties(data.layer, list(chain_ids))
    by_chain = {c: chain_clusters(_neighbours(boundaries_file), data.layer, c) for c in data.tables.chains["chain_id"]}
    return (shared_heatmap(matrix, names, lang),
            export.to_csv_bytes(matrix.rename(index=names, columns=names).reset_index(names="chain")),
            export.to_csv_bytes(clusters_table(data.layer, by_chain, names)))


def chain_overlap(data: Data, lang: str, chain_ids: tuple[str, ...]):
    """The Chains page's heatmap of shared counties (a Plotly figure, shared read-only as
    `figure`'s are) and its two CSV files (shared counties; every chain's clusters), once per
    chains and language: each run of every session's chains page built them again."""
    return _chain_overlap(data.boundaries_file, lang, chain_ids)
