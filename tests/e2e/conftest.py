"""A real `streamlit run` on a free port (harness.server) and a watched page of the session's
headless Chromium (the `browser` fixture, tests/conftest.py): the fixtures every browser test uses."""

from __future__ import annotations

import pytest

from fjchains.core import paths
from harness.server import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, LOCAL, start_app, stop_app

__all__ = ["ARTIFACTS", "CHROMIUM", "CHROMIUM_ARGS", "LOCAL", "start_app", "stop_app"]


@pytest.fixture(scope="session")
def app_url():
    """The dashboard for the whole session; afterwards its log must hold no traceback."""
    proc, url = start_app(paths.ROOT / "serve.py")
    yield url
    stop_app(proc)
    log = proc.log_path.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log, f"the server logged a traceback: see {proc.log_path}"


class Watched:
    """A page plus every request it made that left localhost or failed."""

    def __init__(self, page):
        self.page = page
        self.external: list[str] = []
        self.failed: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", self._request)
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        page.on("dialog", self._dialog)

    def _request(self, request) -> None:
        if not request.url.startswith(LOCAL):
            self.external.append(request.url)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    watched = Watched(context.new_page())
    yield watched
    exceptions = watched.page.locator("[data-testid=stException]").count()
    context.close()
    assert exceptions == 0, "the page showed an exception"
