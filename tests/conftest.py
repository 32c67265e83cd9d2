"""Session-scoped fixtures: the shipped data, loaded once."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from fjchains.core import paths
from fjchains.data.boundaries import load_boundaries
from fjchains.data.layer import build_county_layer
from fjchains.data.names import build_aliases
from fjchains.data.tables import load_tables
from harness.server import CHROMIUM, CHROMIUM_ARGS

#: The browser tier's files, longest first (seconds of worker time in one run on 2 cores: about
#: 200, 165, 105, 75, 65, 60, 50, 45, 40, 40; the rest under 25 each). Under `--dist loadfile`
#: xdist hands each worker the next file in collection order and keeps one more queued; in
#: alphabetical order a worker could be left running a 60 s file (the every-page walks, the
#: cluster) for a minute after the other had finished. Longest first, the last files are short.
LONGEST_FIRST = ("tests/e2e/test_dashboard.py", "tests/e2e/test_access.py", "tests/hostile/test_replay.py",
                 "tests/e2e/test_upload.py", "tests/e2e/test_hostile.py", "tests/e2e/test_every_page.py",
                 "tests/e2e/test_map_names.py", "tests/e2e/test_print.py", "tests/e2e/test_picture_download.py",
                 "tests/e2e/test_cluster.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files of LONGEST_FIRST first, in its order; every other file after them as collected
    (the tests within a file keep their order)."""
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


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


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's) for every browser test of the session, tests/e2e and
    tests/hostile alike (Playwright's sync API allows one at a time in a thread); each new
    context carries wait_idle's probe (tests/e2e/helpers.instrument)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: run `make browser` (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield Instrumented(b)
        b.close()


class Instrumented:
    """The session's browser, whose every new context carries wait_idle's probe."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        from tests.e2e.helpers import instrument

        context = self._browser.new_context(**options)
        context.set_default_timeout(60_000)  # what a page shows may take a while on a busy machine
        instrument(context)
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)
