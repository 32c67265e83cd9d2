"""Per-session and per-process budgets that keep one user from slowing another (issue 23).

- `UploadBudget`: an ASGI middleware (serve.py) that answers 429 when a session sends more
  than limits.UPLOADS_PER_WINDOW files in limits.UPLOAD_WINDOW_S, and lets a new file replace
  the session's earlier ones in memory.
- `SocketBudget`: an ASGI middleware (serve.py) that paces each websocket's messages
  (WS_BURST, WS_RATE): a client that sends faster is read no faster.
- `pace_reruns`: each run of a session spends a token; tokens come back at
  limits.RERUN_RATE a second up to limits.RERUN_BURST. A session that asks faster waits for
  its token before any work, so its requests coalesce (Streamlit restarts a run that a newer
  request overtakes at its next element) and other sessions keep the cores.
- `start_sweeper`: a daemon thread that frees closed tabs' sessions and uploads
  (seam.reap_closed_sessions) every limits.SWEEP_INTERVAL_S.
Parse children wait in line in fjchains/upload/sandbox.py; picture jobs in fjchains/app/panels/pictures.py.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import threading
import time
from collections import deque

from starlette.responses import PlainTextResponse

from fjchains.app import seam, session
from fjchains.core import limits

_LOG = logging.getLogger(__name__)

#: A websocket's messages (reruns, widget values, heartbeats): this many at once, then this many a
#: second; a page opened and clicked by a person stays well inside. Past it a message waits before
#: Streamlit reads it (and the socket is read no faster), so one client cannot hold the event loop
#: that carries every session's messages, nor start a script thread per message (Streamlit's fast
#: reruns stop the running script and start a new thread for each whole-page rerun request):
#: tests/hostile/test_replay.py floods 5 sessions' reruns while another clicks the map.
WS_BURST, WS_RATE = 30, 4.0


class Pace:
    """A token bucket: `delay()` is how long the next message waits (0.0 inside the budget)."""

    def __init__(self, burst: float = WS_BURST, rate: float = WS_RATE):
        self.burst, self.rate = burst, rate
        self._tokens, self._at = float(burst), time.monotonic()

    def delay(self, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
        self._at = now
        wait = max(0.0, (1.0 - self._tokens) / self.rate)
        self._tokens -= 1.0  # below zero while it waits: the wait pays it back
        return wait


def paced(receive, pace: Pace):
    """An ASGI `receive` that holds a websocket's messages past `pace`'s budget."""

    async def paced_receive():
        message = await receive()
        if message["type"] == "websocket.receive":
            wait = pace.delay()
            if wait > 0:
                await asyncio.sleep(wait)
        return message

    return paced_receive


class SocketBudget:
    """ASGI middleware: each websocket connection its own budget of messages (`Pace`)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":
            receive = paced(receive, Pace())
        await self.app(scope, receive, send)


class UploadBudget:
    """ASGI middleware: at most limits.UPLOADS_PER_WINDOW uploads per session per window;
    after an accepted upload, the session's earlier files are dropped from memory."""

    def __init__(self, app, uploads: int = limits.UPLOADS_PER_WINDOW, window: float = limits.UPLOAD_WINDOW_S):
        self.app, self.uploads, self.window = app, uploads, window
        self._sent: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def admit(self, session_id: str, now: float | None = None) -> bool:
        """Count one upload of `session_id`; False when it is over the budget."""
        now = time.monotonic() if now is None else now
        with self._lock:
            for key in [k for k, times in self._sent.items() if times and now - times[-1] > self.window]:
                del self._sent[key]  # sessions quiet for a window are forgotten
            times = self._sent.setdefault(session_id, deque())
            while times and now - times[0] > self.window:
                times.popleft()
            if len(times) >= self.uploads:
                return False
            times.append(now)
            return True

    async def __call__(self, scope, receive, send):
        target = seam.upload_target(scope.get("path", "")) if scope["type"] == "http" else None
        if target is None or scope.get("method") != "PUT":
            await self.app(scope, receive, send)
            return
        session_id, file_id = target
        if not self.admit(session_id):
            _LOG.warning("upload refused: more than %d files in %g s from one session", self.uploads, self.window)
            response = PlainTextResponse(f"Too many uploads: at most {self.uploads} files a minute.", status_code=429)
            await response(scope, receive, send)
            return
        status = 0

        async def send_status(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive, send_status)
        if 200 <= status < 300:
            seam.keep_only_upload(session_id, file_id)


def pace_page_run() -> None:
    """dashboard.py, first: a whole-page run spends one token (its fragments none)."""
    pace_reruns()
    session.set_value(session.PAGE_PACED, True)


def end_page_run() -> None:
    """dashboard.py, last: later runs of a fragment alone spend their own token."""
    session.forget(session.PAGE_PACED)


def pace_fragment_run() -> None:
    """A fragment's first line: a click that reruns only the fragment spends one token."""
    if not session.value(session.PAGE_PACED):
        pace_reruns()


def pace_reruns(now: float | None = None, sleep=time.sleep) -> float:
    """Spend one of the session's rerun tokens, first waiting for one if none is left;
    returns the wait (0.0 for a person clicking at any human pace)."""
    now = time.monotonic() if now is None else now
    tokens, at = session.rerun_bucket() or (float(limits.RERUN_BURST), now)
    tokens = min(float(limits.RERUN_BURST), tokens + (now - at) * limits.RERUN_RATE)
    wait = 0.0
    if tokens < 1.0:
        wait = min(limits.RERUN_MAX_DELAY_S, (1.0 - tokens) / limits.RERUN_RATE)
        sleep(wait)
        tokens += wait * limits.RERUN_RATE
    session.set_rerun_bucket(max(0.0, tokens - 1.0), now + wait)
    return wait


_sweeper_lock = threading.Lock()
_sweeper: threading.Thread | None = None


def give_back_freed_memory() -> None:
    """Return the allocator's free pages to the system (glibc's malloc_trim; elsewhere nothing).

    A closed tab's files are freed, but glibc keeps freed pages of a thread's heap for reuse,
    so the process's RSS stayed up to 50 MB above where it was after ten tabs had uploaded
    8.6 MB each and closed (tests/hostile/test_replay.py, benchmarks/floods.py).
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _sweep_forever(interval: float) -> None:
    while True:
        time.sleep(interval)
        try:
            if seam.reap_closed_sessions():
                give_back_freed_memory()
                _LOG.info("freed closed sessions; uploads held now: %d bytes", seam.held_upload_bytes())
        except Exception:  # the sweeper must outlive any one failure
            _LOG.exception("sweeping closed sessions failed")


def start_sweeper(interval: float = limits.SWEEP_INTERVAL_S) -> None:
    """Once per process: the thread that frees closed tabs' sessions and uploads."""
    global _sweeper
    with _sweeper_lock:
        if _sweeper is None:
            _sweeper = threading.Thread(target=_sweep_forever, args=(interval,), name="fj-sweeper", daemon=True)
            _sweeper.start()
