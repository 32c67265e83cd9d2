"""Issue 23's attack cases replayed on a live server, with what a victim sees under each.

    .venv/bin/python -m benchmarks.floods [--clicks 20] [--flood-seconds 90]

One `streamlit run serve.py` on a free 127.0.0.1 port, with a short
`server.disconnectedSessionTTL` (5 s) and closed tabs swept every second
(FJCHAINS_SWEEP_INTERVAL_S=1), so that closed sessions are freed within the run. A victim
session on /explorer (benchmarks/protocol_session.py: Streamlit's websocket protocol, no
browser) clicks counties on the map, one after the other with a short pause, and each click is
timed from the message sent to the run finished with the county's detail in it:

1. with no flood;
2. while 5 sessions send reruns of /explorer as fast as their websocket takes them;
3. while sessions of /upload send 30 uploads (PUT, 10 MB less 4 KB: just under Streamlit's
   server.maxUploadSize, which counts MiB) back to back, a fresh session after each 30
   (limits.UPLOADS_PER_WINDOW of each 30 are taken, the rest answered 429);
4. while 8 sessions of /upload upload a valid 8.6 MB file at the same moment and the app reads
   it (the uploader's widget state names the file, as the browser sends it), round after round;
5. while one session of /chains asks for 10 ZIPs of every chain's map at once (the picture
   flood: limits.PICTURE_PENDING_PER_SESSION are drawn one after another, the rest refused).

The floods run in a child process of their own, so the victim's client does not share its
interpreter with the flooders'. Also measured: the server's RSS (its own process, psutil)
before and after one session's 30 PUTs, and before, at the peak and after 10 sessions each
upload 8.6 MB and close their websocket (closed tabs), with how long the sweeper took.
Writes benchmarks/results/floods.md; exits 1 if the victim saw an error or a flood did not
happen as described.

The same helpers serve the live test of these cases, tests/hostile/test_replay.py.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import multiprocessing
import os
import random
import re
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchmarks.protocol_session import FINISHED, ProtocolSession, Run
from fjchains.app.seam import protocol
from fjchains.core import limits

Alert, BackMsg, ForwardMsg, WidgetState = protocol().Alert, protocol().BackMsg, protocol().ForwardMsg, protocol().WidgetState

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"

EXPLORER, UPLOAD, CHAINS = "explorer", "upload", "chains"
#: Counties the victim clicks in turn (晋江市, 南安市, 翔安区: wide enough to hit at any zoom).
VICTIM_COUNTIES = ("350582", "350583", "350213")
#: Closed sessions are kept this long (seconds) and swept this often, so a test sees them go.
SESSION_TTL_S, SWEEP_S = 5, 1.0
SERVER_FLAGS = ["--server.disconnectedSessionTTL", str(SESSION_TTL_S), "--server.fileWatcherType", "none",
                "--browser.gatherUsageStats", "false"]
SERVER_ENV = {"FJCHAINS_SWEEP_INTERVAL_S": f"{SWEEP_S:g}", "PYTHONUNBUFFERED": "1"}
#: Just under server.maxUploadSize (10, in MiB): Streamlit refuses a body whose Content-Length,
#: multipart framing included, is over 10 MiB, so a few KB are left for the framing.
PUT_BYTES = 10 * 1024 * 1024 - 4096
PUTS_PER_FLOOD = 30
VALID_BYTES = 8_600_000  # a valid file of the 84 counties, padded: under limits.MAX_UPLOAD_BYTES
XSRF_COOKIE = "_streamlit_xsrf"
QUEUED_MARKS = ("排在第", "in line")  # the in-line message (locales: upload_queued)
SUCCESS_MARK = "已读取"  # the join report's first words (locales: upload_ok)


def start_server(log_path: Path | None = None, timeout: float = 90):
    """serve.py as harness.server starts it for the tests, closed tabs freed within seconds."""
    from harness.server import start_app

    return start_app(ROOT / "serve.py", env=SERVER_ENV, extra=SERVER_FLAGS, timeout=timeout, log_path=log_path)


# ---- the server's memory -------------------------------------------------------------------

def rss_bytes(pid: int) -> int:
    """RSS of the server process itself (not its parse children)."""
    import psutil

    return psutil.Process(pid).memory_info().rss


def settled_rss(pid: int, tolerance: int = 2 * 2**20, every: float = 0.5, timeout: float = 30.0) -> int:
    """The server's RSS once two readings `every` seconds apart differ by less than `tolerance`
    (or the last reading after `timeout`)."""
    deadline = time.monotonic() + timeout
    last = rss_bytes(pid)
    while time.monotonic() < deadline:
        time.sleep(every)
        now = rss_bytes(pid)
        if abs(now - last) < tolerance:
            return now
        last = now
    return last


def wait_for(condition: Callable[[], bool], timeout: float, every: float = 0.5) -> bool:
    """Polls `condition` until it holds (True) or `timeout` seconds have passed (False)."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(every)


def unexpected_tracebacks(log: str, flooded: bool = False) -> list[str]:
    """The server log's tracebacks, less one of Streamlit's own: its websocket handler takes a
    socket that a client dropped mid-stream for a text frame and fails to close it twice
    (starlette_websocket.py, WebSocketDisconnected), after the session was let go. With
    `flooded`, also less a flooding session's own failed runs ("Uncaught app execution"):
    with runner.fastReruns each rerun request starts a new run beside the one it stops, and
    their widget registrations can race in that session's state; the flooder sees it, nobody else."""
    blocks = re.split(r"(?=Traceback \(most recent call last\))", log)
    tracebacks = []
    excused = False
    for before, block in zip(blocks, blocks[1:]):
        chained = before.rstrip().endswith(CHAINED)  # the same error, raised again: as the one before
        if not chained:
            excused = False
        if "starlette.websockets.WebSocketDisconnected" in block:
            excused = True
        if flooded and before.rstrip().endswith("Uncaught app execution"):
            excused = True
        if not excused:
            tracebacks.append(block[:2000])
    return tracebacks


#: How Python joins a traceback to the one it was raised while handling (or from).
CHAINED = ("During handling of the above exception, another exception occurred:",
           "The above exception was the direct cause of the following exception:")


# ---- uploads as the browser sends them -----------------------------------------------------

@dataclass(frozen=True)
class Xsrf:
    """Streamlit's double-submit XSRF pair: the cookie, and the same value in X-Xsrftoken."""

    cookie: str
    token: str


def xsrf(url: str) -> Xsrf:
    """The XSRF cookie any GET of the server sets (/_stcore/health does)."""
    with urllib.request.urlopen(f"{url.rstrip('/')}/_stcore/health", timeout=10) as response:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            if name.strip() == XSRF_COOKIE:
                token = rest.split(";", 1)[0]
                return Xsrf(f"{XSRF_COOKIE}={token}", token)
    raise RuntimeError("the server set no XSRF cookie")


def upload_path(url: str, session_id: str, file_id: str) -> str:
    return f"{urlsplit(url).path.rstrip('/')}/_stcore/upload_file/{session_id}/{file_id}"


def put_file(url: str, session_id: str, file_id: str, name: str, data: bytes, token: Xsrf,
             timeout: float = 60.0) -> int:
    """One upload as the frontend sends it: PUT {base}/_stcore/upload_file/{session}/{file id},
    a multipart form with one file (the frontend names the field after the file), the XSRF
    cookie and header; returns the status."""
    parts = urlsplit(url)
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=timeout)
    try:
        conn.putrequest("PUT", upload_path(url, session_id, file_id))
        for key, value in (("Content-Type", f"multipart/form-data; boundary={boundary}"),
                           ("Content-Length", str(len(head) + len(data) + len(tail))),
                           ("X-Xsrftoken", token.token), ("Cookie", token.cookie),
                           ("Origin", f"{parts.scheme}://{parts.netloc}")):
            conn.putheader(key, value)
        conn.endheaders()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # refused before the body was read:
            for chunk in (head, data, tail):  # the answer is waiting all the same
                conn.send(chunk)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def padded_csv(target: int = VALID_BYTES, pad_columns: int = 20, seed: int = 0) -> bytes:
    """A valid upload of about `target` bytes: the 84 counties by name, a value each, and
    `pad_columns` columns of Chinese text (3 bytes a character), every budget of
    fjchains/core/limits.py kept (rows, columns, characters per cell and per line, bytes)."""
    from fjchains.data.tables import load_tables

    counties = load_tables().counties
    rng = random.Random(seed)
    alphabet = "产业链县域经济制造物流电子信息纺织鞋服食品加工茶叶旅游港口石化机械"
    header = ["县名", "测试指标", *(f"备注{i}" for i in range(pad_columns))]
    cell_chars = (target // len(counties) - 40) // (3 * pad_columns)
    assert cell_chars <= limits.MAX_CELL_CHARS and len(header) <= limits.MAX_COLUMNS
    lines = [",".join(header)]
    for i, name in enumerate(counties["name_zh"]):
        cells = ["".join(rng.choices(alphabet, k=cell_chars)) for _ in range(pad_columns)]
        lines.append(",".join([name, str(1000 + 37 * i), *cells]))
    assert len(lines) - 1 <= limits.MAX_ROWS and max(map(len, lines)) <= limits.MAX_LINE_CHARS
    data = ("\n".join(lines) + "\n").encode("utf-8")
    assert len(data) <= limits.MAX_UPLOAD_BYTES
    return data


# ---- a session that also reads its id and the page's messages --------------------------------

class FloodSession(ProtocolSession):
    """A ProtocolSession that keeps its session id (for uploads) and each run's alerts
    ((format, body): st.info, st.success, st.error, ...) and toasts."""

    def __init__(self, url: str, page: str, keepalive: bool = True):
        super().__init__(url, page)
        self.keepalive = keepalive
        self.session_id = ""
        self.alerts: list[tuple[int, str]] = []
        self.toasts: list[str] = []
        self.deferred: dict[str, str] = {}  # download button's widget id -> its deferred file id

    async def open(self) -> Run:
        """As ProtocolSession.open; without `keepalive` no pings and a short close: a
        flooder's socket is read slowly by design, its pongs and close reply come late."""
        import websockets

        ws_url = "ws" + self.url.removeprefix("http") + "/_stcore/stream"
        quiet: dict[str, Any] = {} if self.keepalive else {"ping_interval": None, "close_timeout": 1}
        self.ws = await websockets.connect(ws_url, subprotocols=[websockets.Subprotocol("streamlit")],
                                           origin=websockets.Origin(self.url), max_size=50_000_000, **quiet)
        return await self.rerun()

    async def _read_run(self, started: float) -> Run:
        self.alerts, self.toasts = [], []
        texts: list[str] = []
        map_args: list[str] = []
        exceptions: list[str] = []
        count = size = 0
        while True:
            raw = await self.ws.recv()
            count += 1
            size += len(raw)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.session_id = fwd.new_session.initialize.session_id or self.session_id
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self._note_element(fwd.delta, texts, map_args, exceptions)
            elif kind == "script_finished" and fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return Run(time.perf_counter() - started, count, size, texts, map_args, fwd.script_finished,
                           exceptions)

    def _note_element(self, delta, texts: list[str], map_args: list[str], exceptions: list[str]) -> None:
        super()._note_element(delta, texts, map_args, exceptions)
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "alert":
            self.alerts.append((element.alert.format, element.alert.body))
        elif kind == "toast":
            self.toasts.append(element.toast.body)
        elif kind == "download_button" and element.download_button.deferred_file_id:
            self.deferred[element.download_button.id] = element.download_button.deferred_file_id

    def deferred_file(self, key: str) -> str:
        """The deferred file id of the download button with user key `key` (its callable's)."""
        for widget_id, file_id in self.deferred.items():
            if widget_id.endswith(f"-{key}"):
                return file_id
        raise LookupError(f"the page sent no download button {key!r} with a deferred file")

    async def request_files(self, file_ids: list[str], timeout: float,
                            sent: asyncio.Event | None = None) -> list[tuple[float, str, str]]:
        """Asks for deferred files as a browser does when their buttons are clicked
        (BackMsg backend_operation_request, all at once; then sets `sent`); waits for every
        answer, at most `timeout` seconds. Per request, in order: (seconds, url or "", error or "")."""
        asked: dict[str, int] = {}
        started = time.perf_counter()
        for i, file_id in enumerate(file_ids):
            msg = BackMsg()
            request = msg.backend_operation_request
            request.request_id = f"fl-{uuid.uuid4().hex}"
            request.session_id = self.session_id
            request.deferred_file.file_id = file_id
            asked[request.request_id] = i
            await self.ws.send(msg.SerializeToString())
        if sent is not None:
            sent.set()
        answers: list[tuple[float, str, str]] = [(float("nan"), "", "no answer")] * len(file_ids)
        deadline = time.monotonic() + timeout
        waiting = set(asked)
        while waiting:
            raw = await asyncio.wait_for(self.ws.recv(), max(0.01, deadline - time.monotonic()))
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            if fwd.WhichOneof("type") == "backend_operation_response":
                answer = fwd.backend_operation_response
                if answer.request_id in waiting:
                    waiting.discard(answer.request_id)
                    answers[asked[answer.request_id]] = (time.perf_counter() - started, answer.deferred_file.url,
                                                         answer.error_msg)
        return answers

    def rerun_message(self) -> bytes:
        """A whole-page rerun with the widgets' values, as a browser sends it."""
        msg = BackMsg()
        msg.rerun_script.page_name = self.page
        for value in self.values.values():
            msg.rerun_script.widget_states.widgets.add().CopyFrom(value)
        return msg.SerializeToString()


def fetch(url: str, path: str, timeout: float = 60.0) -> bytes:
    """GET a file the server made (a deferred download's URL) from 127.0.0.1."""
    parts = urlsplit(url)
    with urllib.request.urlopen(f"{parts.scheme}://{parts.netloc}{path}", timeout=timeout) as response:
        return response.read()


def errors_of(session: FloodSession) -> list[str]:
    return [body for fmt, body in session.alerts if fmt == Alert.ERROR]


@dataclass
class UploadOutcome:
    """What one upload through the page came to."""

    status: int  # the PUT's
    seconds: float = 0.0  # PUT sent → the run that read it finished
    read: bool = False  # the join report came ("已读取 …")
    queued: bool = False  # the in-line message came first
    errors: list[str] = field(default_factory=list)  # st.error bodies, exception elements, a bad order

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300 and self.read and not self.errors


async def upload_through_page(session: FloodSession, data: bytes, name: str, token: Xsrf) -> UploadOutcome:
    """As a person choosing a file on /upload: the PUT, then the rerun whose uploader state
    names the file (FileUploaderState, as the frontend sends it); waits for that run."""
    uploader = session.widget("file_uploader")
    file_id = uuid.uuid4().hex
    started = time.perf_counter()
    status = await asyncio.to_thread(put_file, session.url, session.session_id, file_id, name, data, token)
    outcome = UploadOutcome(status)
    if not 200 <= status < 300:
        return outcome
    state = WidgetState(id=uploader.id)
    info = state.file_uploader_state_value.uploaded_file_info.add()
    info.file_id, info.name, info.size = file_id, name, len(data)
    path = upload_path(session.url, session.session_id, file_id)
    info.file_urls.file_id, info.file_urls.upload_url, info.file_urls.delete_url = file_id, path, path
    session.values[uploader.id] = state
    run = await session.rerun()
    outcome.seconds = time.perf_counter() - started
    bodies = [body for _, body in session.alerts]
    read_at = next((i for i, body in enumerate(bodies) if SUCCESS_MARK in body), None)
    queued_at = next((i for i, body in enumerate(bodies) if any(m in body for m in QUEUED_MARKS)), None)
    outcome.read, outcome.queued = read_at is not None, queued_at is not None
    outcome.errors = errors_of(session) + run.exceptions
    if run.status not in FINISHED:
        outcome.errors.append(f"the run ended with status {run.status}")
    if queued_at is not None and read_at is not None and queued_at > read_at:
        outcome.errors.append("the in-line message came after the report")
    return outcome


# ---- the victim ----------------------------------------------------------------------------

async def open_victim(url: str) -> FloodSession:
    """/explorer opened as a browser does (first run, then what waits for the map)."""
    victim = FloodSession(url, EXPLORER)
    first = await victim.open()
    runs = [first, *await victim.release()]
    bad = [r for r in runs if r.status not in FINISHED or r.exceptions]
    if bad:
        raise RuntimeError(f"the victim's page did not open: {bad[0].status} {bad[0].exceptions[:1]}")
    return victim


async def victim_click(victim: FloodSession, point: dict, timeout: float) -> float:
    """Seconds from the click's message to the run finished with the county's detail heading;
    raises TimeoutError past `timeout`, RuntimeError if the run came without it."""
    run = await asyncio.wait_for(victim.click_map(point["lat"], point["lng"]), timeout)
    if run.status not in FINISHED or run.exceptions:
        raise RuntimeError(f"click on {point['name']}: status {run.status}, {run.exceptions[:1]}")
    if f"### {point['name']}" not in run.texts:
        raise RuntimeError(f"click on {point['name']}: its detail did not come")
    return run.seconds


def victim_points() -> list[dict]:
    from benchmarks.common import county_points

    points = county_points()
    return [points[code] for code in VICTIM_COUNTIES]


# ---- floods, in a process of their own -------------------------------------------------------

async def _rerun_flood(url: str, opts: dict, ready, stop) -> dict:
    """`sessions` sessions of /explorer, opened, then each sends whole-page reruns as fast as
    its websocket takes them (and reads what comes back) until `stop`, `seconds` or
    `max_messages`; then their sockets are dropped, as a killed client's are. `ready` is set
    once each has sent `under_way` messages."""
    sessions = [FloodSession(url, EXPLORER, keepalive=False) for _ in range(opts.get("sessions", 5))]
    await asyncio.gather(*(s.open() for s in sessions))
    deadline = time.monotonic() + opts.get("seconds", 60.0)
    max_messages = opts.get("max_messages", 20_000)
    sent, received, finished = ([0] * len(sessions) for _ in range(3))

    async def drain(i: int, session: FloodSession) -> None:
        async for raw in session.ws:
            received[i] += 1
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            if fwd.WhichOneof("type") == "script_finished" and fwd.script_finished in FINISHED:
                finished[i] += 1

    async def flood(i: int, session: FloodSession) -> None:
        payload = session.rerun_message()
        while sent[i] < max_messages:
            await session.ws.send(payload)  # waits while the server reads no more
            sent[i] += 1
            if sent[i] % 25 == 0:
                await asyncio.sleep(0)

    started = time.monotonic()
    tasks = [asyncio.create_task(job(i, s)) for i, s in enumerate(sessions) for job in (flood, drain)]
    under_way = min(opts.get("under_way", 1000), max_messages)  # messages each has sent when `ready` is set
    while time.monotonic() < deadline and not stop.is_set() and not all(t.done() for t in tasks[::2]):
        if not ready.is_set() and min(sent) >= under_way:
            ready.set()
        await asyncio.sleep(0.05)
    ready.set()
    seconds = time.monotonic() - started
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)  # a socket the server closed ends its flood
    for session in sessions:
        session.ws.transport.abort()
    return {"kind": "reruns", "seconds": seconds, "sent": sent, "received": received, "runs_finished": finished}


async def _put_flood(url: str, opts: dict, ready, stop) -> dict:
    """Sessions of /upload, one after the other, each sending PUTS_PER_FLOOD uploads back to
    back to fresh file ids, until `stop` or `seconds` (`rounds`: at most this many sessions)."""
    token, data = xsrf(url), b"x" * opts.get("bytes", PUT_BYTES)
    statuses: dict[int, int] = {}
    rounds, deadline = 0, time.monotonic() + opts.get("seconds", 60.0)
    started = time.monotonic()
    while rounds < opts.get("rounds", 1000) and time.monotonic() < deadline and not stop.is_set():
        session = FloodSession(url, UPLOAD)
        await session.open()
        ready.set()
        try:
            for _ in range(opts.get("puts", PUTS_PER_FLOOD)):
                status = await asyncio.to_thread(put_file, url, session.session_id, uuid.uuid4().hex, "flood.csv",
                                                 data, token)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            await session.close()
        rounds += 1
    return {"kind": "puts", "seconds": time.monotonic() - started, "rounds": rounds, "statuses": statuses}


async def _upload_flood(url: str, opts: dict, ready, stop) -> dict:
    """`sessions` sessions of /upload that upload a valid file at the same moment and have the
    app read it, round after round until `stop`, `seconds` or `rounds`; a session that has
    used its upload budget is replaced by a fresh one."""
    token, data = xsrf(url), padded_csv(opts.get("bytes", VALID_BYTES))
    count = opts.get("sessions", 8)
    sessions: list[FloodSession] = []
    outcomes: list[UploadOutcome] = []
    rounds, deadline = 0, time.monotonic() + opts.get("seconds", 60.0)
    started = time.monotonic()
    try:
        while rounds < opts.get("rounds", 1000) and time.monotonic() < deadline and not stop.is_set():
            if rounds % limits.UPLOADS_PER_WINDOW == 0:
                await asyncio.gather(*(s.close() for s in sessions))
                sessions = [FloodSession(url, UPLOAD) for _ in range(count)]
                await asyncio.gather(*(s.open() for s in sessions))
            ready.set()
            outcomes += await asyncio.gather(*(upload_through_page(s, data, f"县域数据{i}.csv", token)
                                               for i, s in enumerate(sessions)))
            rounds += 1
    finally:
        await asyncio.gather(*(s.close() for s in sessions))
    return {"kind": "uploads", "seconds": time.monotonic() - started, "rounds": rounds,
            "uploads": len(outcomes), "ok": sum(o.ok for o in outcomes), "queued": sum(o.queued for o in outcomes),
            "upload_s": [o.seconds for o in outcomes if o.ok],
            "errors": [f"{o.status}: {o.errors[:1] or 'not read'}" for o in outcomes if not o.ok][:10]}


async def _zip_flood(url: str, opts: dict, ready, stop) -> dict:
    """One session of /chains asking for `requests` ZIPs of every chain's map at once (as ten
    clicks on its button), `ready` once asked; it waits for every answer."""
    session = FloodSession(url, CHAINS)
    await session.open()
    await session.release()  # the picture buttons sit below the map
    count = opts.get("requests", 10)
    asked = asyncio.Event()
    started = time.monotonic()
    task = asyncio.create_task(session.request_files([session.deferred_file("dl_picture_chains_zip")] * count,
                                                     timeout=limits.PICTURE_WAIT_S * count + 60, sent=asked))
    try:
        await asyncio.wait_for(asked.wait(), 60)
        ready.set()
        answers = await task  # every answer, even once the victim is done (Flood.stop waits 120 s)
    finally:
        task.cancel()
        await session.close()
    return {"kind": "zips", "seconds": time.monotonic() - started, "requests": count,
            "delivered": sum(1 for a in answers if a[1]), "refused": sum(1 for a in answers if a[2]),
            "answered_s": [a[0] for a in answers]}


FLOODS = {"reruns": _rerun_flood, "puts": _put_flood, "uploads": _upload_flood, "zips": _zip_flood}


def _flood_main(kind: str, url: str, opts: dict, ready, stop, results) -> None:
    try:
        results.put(asyncio.run(FLOODS[kind](url, opts, ready, stop)))
    except BaseException as exc:  # the parent reports it
        ready.set()
        results.put({"kind": kind, "error": f"{type(exc).__name__}: {exc}"})


class Flood:
    """One flood (`kind` of FLOODS) in a child process: `with Flood(...) as flood:`, then
    flood.wait_ready(), and flood.stop() for what it did (a dict; "error" if it failed)."""

    def __init__(self, kind: str, url: str, **opts: Any):
        ctx = multiprocessing.get_context("spawn")
        self._ready, self._stop, self._results = ctx.Event(), ctx.Event(), ctx.Queue()
        self._proc = ctx.Process(target=_flood_main, args=(kind, url, opts, self._ready, self._stop, self._results),
                                 name=f"flood-{kind}", daemon=True)
        self.result: dict | None = None

    def __enter__(self) -> Flood:
        self._proc.start()
        return self

    def wait_ready(self, timeout: float = 120.0) -> bool:
        return self._ready.wait(timeout)

    def stop(self, timeout: float = 120.0) -> dict:
        if self.result is None:
            self._stop.set()
            try:
                self.result = self._results.get(timeout=timeout)
            except Exception:
                self.result = {"error": "the flood did not report in time"}
            self._proc.join(10)
            if self._proc.is_alive():
                self._proc.kill()
                self._proc.join(5)
        return self.result

    def __exit__(self, *exc) -> None:
        self.stop()


# ---- the benchmark -------------------------------------------------------------------------

async def _victim_clicks(victim: FloodSession, points: list[dict], clicks: int, timeout: float,
                         flood: Flood | None = None) -> tuple[list[float], list[str]]:
    """`clicks` clicks in turn on `points`, 0.2 s apart; stops early if the flood has ended."""
    times: list[float] = []
    errors: list[str] = []
    for i in range(clicks):
        if flood is not None and flood.result is not None:
            break
        try:
            times.append(await victim_click(victim, points[i % len(points)], timeout) * 1000)
        except (TimeoutError, RuntimeError) as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        await asyncio.sleep(0.2)
    return times, errors


async def _closed_tabs(url: str, pid: int, sessions: int, token: Xsrf, data: bytes) -> dict:
    before = settled_rss(pid)
    tabs = [FloodSession(url, UPLOAD) for _ in range(sessions)]
    await asyncio.gather(*(t.open() for t in tabs))
    statuses = [await asyncio.to_thread(put_file, url, t.session_id, uuid.uuid4().hex, "tab.csv", data, token)
                for t in tabs]
    peak = rss_bytes(pid)
    await asyncio.gather(*(t.close() for t in tabs))
    closed = time.monotonic()
    back = await asyncio.to_thread(wait_for, lambda: rss_bytes(pid) <= before + 50 * 2**20, 90.0)
    freed_after = time.monotonic() - closed
    after = await asyncio.to_thread(settled_rss, pid)
    return {"before": before, "peak": peak, "after": after, "back_within_50MB": back,
            "seconds_to_come_back": freed_after if back else None, "statuses": statuses}


async def _put_memory(url: str, pid: int, token: Xsrf) -> dict:
    session = FloodSession(url, UPLOAD)
    await session.open()
    before = await asyncio.to_thread(settled_rss, pid)
    data = b"x" * PUT_BYTES
    statuses = [await asyncio.to_thread(put_file, url, session.session_id, uuid.uuid4().hex, "flood.csv", data, token)
                for _ in range(PUTS_PER_FLOOD)]
    after = await asyncio.to_thread(settled_rss, pid)
    await session.close()
    return {"before": before, "after": after, "statuses": statuses}


def _q(values: list[float]) -> str:
    from benchmarks.common import quantiles

    q = quantiles(values)
    return "n/a" if not q["n"] else f"{q['median']:.0f} / {q['p95']:.0f} (max {q['max']:.0f}, n={q['n']})"


def _mb(value: float) -> str:
    return f"{value / 2**20:.0f}"


async def _bench(url: str, pid: int, args) -> tuple[list[tuple[str, ...]], dict, list[str]]:
    """The memory cases first (a server that has read no file yet), then the victim's clicks
    with no flood and under each flood, with the server's RSS after each."""
    points = victim_points()
    rows: list[tuple[str, ...]] = []
    errors: list[str] = []
    memory: dict = {}
    token = xsrf(url)
    print("memory: 30 PUTs, one session …", flush=True)
    memory["puts"] = await _put_memory(url, pid, token)
    print("memory: 10 closed tabs …", flush=True)
    memory["closed_tabs"] = await _closed_tabs(url, pid, 10, token, b"x" * VALID_BYTES)
    victim = await open_victim(url)
    try:
        await _victim_clicks(victim, points, 3, 60)  # warm: the detail's first build
        times, errs = await _victim_clicks(victim, points, args.clicks, 60)
        rows.append(("no flood", _q(times), "—", _mb(await asyncio.to_thread(settled_rss, pid))))
        errors += errs
        floods = [
            ("5 sessions flooding reruns", "reruns",
             {"sessions": 5, "seconds": args.flood_seconds, "max_messages": 10_000_000}),
            (f"{PUTS_PER_FLOOD} PUTs of {PUT_BYTES / 2**20:.2f} MiB per session, session after session", "puts",
             {"seconds": args.flood_seconds}),
            ("8 sessions uploading 8.6 MB at once, read by the app, round after round", "uploads",
             {"sessions": 8, "seconds": args.flood_seconds}),
            ("10 ZIPs of every chain's map asked for at once by one session", "zips", {"requests": 10}),
        ]
        for label, kind, opts in floods:
            print(f"flood: {label} …", flush=True)
            with Flood(kind, url, **opts) as flood:
                if not flood.wait_ready(180):
                    errors.append(f"{kind}: the flood did not start")
                    continue
                await asyncio.sleep(1.0)  # under way
                times, errs = await _victim_clicks(victim, points, args.clicks, 60)
                result = flood.stop()
            errors += [f"{kind}: victim: {e}" for e in errs]
            if "error" in result:
                errors.append(f"{kind}: flood failed: {result['error']}")
            if result.get("kind") == "uploads" and result["ok"] < result["uploads"]:
                errors.append(f"uploads: {result['uploads'] - result['ok']} of {result['uploads']} not read: "
                              f"{result['errors'][:3]}")
            rss = _mb(await asyncio.to_thread(settled_rss, pid))
            rows.append((label, _q(times), _flood_text(result), rss))
            print(f"  victim click p50 / p95: {_q(times)}; {_flood_text(result)}; RSS after {rss} MB", flush=True)
    finally:
        await victim.close()
    return rows, memory, errors


def _flood_text(r: dict) -> str:
    if "error" in r:
        return f"failed: {r['error']}"
    if r["kind"] == "reruns":
        rate = sum(r["sent"]) / max(r["seconds"], 1e-9)
        return (f"{sum(r['sent']):,} rerun messages in {r['seconds']:.0f} s ({rate:,.0f}/s); runs finished per "
                f"flooder: {', '.join(map(str, r['runs_finished']))} "
                f"(budget {limits.RERUN_BURST} + {limits.RERUN_RATE:g}/s)")
    if r["kind"] == "puts":
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(r["statuses"].items()))
        return f"{r['rounds']} sessions in {r['seconds']:.0f} s; PUT answers {statuses}"
    if r["kind"] == "zips":
        return (f"{r['requests']} asked: {r['delivered']} delivered, {r['refused']} refused at once "
                f"(limits.PICTURE_PENDING_PER_SESSION); answered within {max(r['answered_s'], default=0):.1f} s")
    upload = _q([s * 1000 for s in r["upload_s"]])
    return (f"{r['rounds']} rounds, {r['uploads']} uploads in {r['seconds']:.0f} s: {r['ok']} read, "
            f"{r['queued']} told their place in line first; PUT → report p50 / p95 {upload} ms"
            + (f"; not read: {r['errors']}" if r["errors"] else ""))


def _signed_mb(value: float) -> str:
    return f"{value / 2**20:+.0f}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clicks", type=int, default=20, help="victim clicks per condition (default 20)")
    parser.add_argument("--flood-seconds", type=float, default=90,
                        help="the longest a flood goes on (it stops once the victim's clicks are done; default 90)")
    args = parser.parse_args(argv)

    from benchmarks.common import machine_info
    from benchmarks.report import Report
    from harness.server import stop_app

    started, load_before = time.monotonic(), os.getloadavg()[0]
    RESULTS.joinpath("logs").mkdir(parents=True, exist_ok=True)
    log_path = RESULTS / "logs" / "floods.log"
    proc, url = start_server(log_path=log_path)
    try:
        rows, memory, errors = asyncio.run(_bench(url, proc.pid, args))
    finally:
        stop_app(proc)
    log = log_path.read_text(encoding="utf-8", errors="replace")
    if unexpected_tracebacks(log, flooded=True):
        errors.append(f"the server logged a traceback: see {log_path.relative_to(ROOT)}")
    puts, tabs = memory["puts"], memory["closed_tabs"]
    taken = sum(1 for s in puts["statuses"] if 200 <= s < 300)
    if puts["statuses"] != [204] * limits.UPLOADS_PER_WINDOW + [429] * (PUTS_PER_FLOOD - limits.UPLOADS_PER_WINDOW):
        errors.append(f"30 PUTs: answers {puts['statuses']}")
    if puts["after"] - puts["before"] > 3 * limits.MAX_UPLOAD_BYTES:
        errors.append("30 PUTs: RSS grew past 3 × MAX_UPLOAD_BYTES")
    if not tabs["back_within_50MB"]:
        errors.append("closed tabs: RSS did not come back within 50 MB")
    back = (f"yes, {tabs['seconds_to_come_back']:.1f} s after the tabs closed" if tabs["back_within_50MB"]
            else "NO (90 s)")
    report = Report("Floods: what one user's flood costs another (issue 23)",
                    f"{time.monotonic() - started:.0f} s in all · one `streamlit run serve.py`, "
                    f"server.disconnectedSessionTTL {SESSION_TTL_S} s, closed tabs swept every {SWEEP_S:g} s · "
                    f"load average (1 min) {load_before:.1f} → {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    report.section("The victim's click → detail [ms] (websocket protocol, no browser)")
    report.table(["while", "p50 / p95", "the flood", "server RSS after [MB]"], rows)
    report.section("The server's memory [MB] (RSS of its process, settled)")
    report.table(["case", "before", "peak", "after", "after − before", "criterion"], [
        [f"one session: {PUTS_PER_FLOOD} PUTs of {PUT_BYTES / 2**20:.2f} MiB back to back ({taken} taken, "
         f"{PUTS_PER_FLOOD - taken} answered 429)", _mb(puts["before"]), "—", _mb(puts["after"]),
         _signed_mb(puts["after"] - puts["before"]), f"≤ 3 × {limits.MAX_UPLOAD_BYTES / 1e6:g} MB"],
        [f"10 tabs each upload {VALID_BYTES / 1e6:.1f} MB, then close", _mb(tabs["before"]), _mb(tabs["peak"]),
         _mb(tabs["after"]), _signed_mb(tabs["after"] - tabs["before"]), f"back within 50 MB: {back}"],
    ])
    report.section("Errors").bullets(errors[:50])
    report.machine(machine_info()).command(
        "benchmarks.floods", f"--clicks {args.clicks} --flood-seconds {args.flood_seconds:g}",
        note="method: benchmarks/floods.py docstring")
    report.write(RESULTS / "floods.md")
    print(report.text())
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
