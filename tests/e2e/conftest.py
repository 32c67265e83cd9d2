"""A real `streamlit run` on a free port and headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from fjchains import paths

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = paths.ROOT / "tests" / "artifacts"
LOCAL = ("http://localhost", "http://127.0.0.1", "data:", "blob:", "about:")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(script: Path, env: dict | None = None, timeout: float = 60, extra: list[str] | None = None,
              log_path: Path | None = None, base_path: str = "", port: int | None = None):
    """Start `streamlit run script` and wait for /_stcore/health; returns (process, base URL).

    Runs from the repo root (so .streamlit/config.toml applies); `extra` adds command-line
    flags. The server's output goes to process.log_path. Used by the benchmarks and by
    scripts/cluster.py (replicas served under `base_path`, e.g. "fujian": the returned URL
    then ends in /fujian).
    """
    port = port or _free_port()
    if log_path is None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        log_path = ARTIFACTS / f"streamlit-{script.stem}-{port}.log"
    log = open(log_path, "w")  # noqa: SIM115  (open for the life of the server process)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1",
         *(["--server.baseUrlPath", base_path.strip("/")] if base_path.strip("/") else []), *(extra or [])],
        cwd=paths.ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
    )
    proc.log_path = Path(log.name)  # type: ignore[attr-defined]  # the caller reads the server's log
    url = f"http://127.0.0.1:{port}" + (f"/{base_path.strip('/')}" if base_path.strip("/") else "")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}; see {log.name}")
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not become healthy")


def stop_app(proc) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def app_url():
    """The dashboard for the whole session; afterwards its log must hold no traceback."""
    proc, url = start_app(paths.ROOT / "dashboard.py")
    yield url
    stop_app(proc)
    log = proc.log_path.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log, f"the server logged a traceback: see {proc.log_path}"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: run `make browser` (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


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
