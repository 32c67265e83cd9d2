"""Start the app the way a user's server runs it, for the browser tests, the benchmarks and
`make cluster`: `streamlit run` on a free port, polled on /_stcore/health; and the headless
Chromium they all drive (Debian's package, no browser download)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from fjchains.core import paths

#: The county map's iframe (fjchains/app/map_frame.py), where the Leaflet map lives.
MAP_IFRAME = 'iframe[title="fjchains.app.map_frame.county_map"]'

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = paths.ROOT / "tests" / "artifacts"
LOCAL = ("http://localhost", "http://127.0.0.1", "data:", "blob:", "about:")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(script: Path, env: dict | None = None, timeout: float = 180, extra: list[str] | None = None,
              log_path: Path | None = None, base_path: str = "", port: int | None = None):
    """Start `streamlit run script` and wait for /_stcore/health; returns (process, base URL).

    `timeout` is generous: on a machine whose cores are all busy, Streamlit's imports alone
    have taken over a minute (the flake drill, `make flake-drill`).

    Runs from the repo root (so .streamlit/config.toml applies); `extra` adds command-line
    flags. The server's output goes to process.log_path. Used by the benchmarks and by
    deploy/cluster.py (replicas served under `base_path`, e.g. "fujian": the returned URL
    then ends in /fujian).
    """
    port = port or free_port()
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
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=10).read() == b"ok":
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
