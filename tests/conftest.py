"""Session-scoped fixtures: the shipped data, loaded once."""

from __future__ import annotations

import os
import shutil

import pytest

from fjchains.core import paths
from fjchains.data.boundaries import load_boundaries
from fjchains.data.layer import build_county_layer
from fjchains.data.names import build_aliases
from fjchains.data.tables import load_tables


@pytest.fixture(scope="session", autouse=True)
def _servers_ignore_edits():
    """Servers the tests start do not watch the source tree: an edit made meanwhile (by a person
    or another run in the same tree) must not put up Streamlit's "source file changed" prompt."""
    os.environ.setdefault("STREAMLIT_SERVER_FILE_WATCHER_TYPE", "none")


@pytest.fixture(scope="session")
def tables():
    return load_tables()


@pytest.fixture(scope="session")
def boundaries(tables):
    return load_boundaries(paths.COUNTIES_GEOJSON, known_adcodes=set(tables.counties["adcode"]))


@pytest.fixture(scope="session")
def layer(boundaries, tables):
    return build_county_layer(boundaries, tables)


@pytest.fixture(scope="session")
def aliases(tables):
    return build_aliases(tables.counties, tables.former_names)


@pytest.fixture
def data_copy(tmp_path):
    """A scratch copy of data/ to corrupt."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, target)
    return target
