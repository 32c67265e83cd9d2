"""Issue 23.3: per-session and per-process budgets, through the package (no server, no clock).

Uploads: a session's PUTs past the window's budget are answered 429 and a new file replaces
the old; reruns: a flooding session gets at most its rate; parsing: children wait in line
and hear their place.
"""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from fjchains.app import budgets, seam, session
from fjchains.core import limits
from fjchains.upload.sandbox import Line, SandboxError

UPLOAD = "/fujian/_stcore/upload_file/{session}/{file}"


def _call(app, method: str, path: str) -> int:
    """One ASGI request; the status the client gets."""
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(app({"type": "http", "method": method, "path": path, "headers": []}, receive, send))
    return next(m["status"] for m in sent if m["type"] == "http.response.start")


async def _ok(scope, receive, send):
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def test_upload_paths_are_recognised():
    assert seam.upload_target(UPLOAD.format(session="s1", file="f1")) == ("s1", "f1")
    assert seam.upload_target("/_stcore/upload_file/s1/f1") == ("s1", "f1")
    assert seam.upload_target("/fujian/_stcore/stream") is None
    assert seam.upload_target("/fujian/media/abc.png") is None


def test_uploads_past_the_budget_are_refused_and_others_are_not(monkeypatch):
    kept: list[tuple[str, str]] = []
    monkeypatch.setattr(seam, "keep_only_upload", lambda s, f: kept.append((s, f)))
    app = budgets.UploadBudget(_ok, uploads=limits.UPLOADS_PER_WINDOW)
    statuses = [_call(app, "PUT", UPLOAD.format(session="flood", file=f"f{i}")) for i in range(30)]
    assert statuses[:limits.UPLOADS_PER_WINDOW] == [204] * limits.UPLOADS_PER_WINDOW
    assert set(statuses[limits.UPLOADS_PER_WINDOW:]) == {429}
    assert _call(app, "PUT", UPLOAD.format(session="other", file="g")) == 204  # another session is not counted
    assert _call(app, "GET", "/fujian/_stcore/health") == 204
    assert kept[-1] == ("other", "g") and len(kept) == limits.UPLOADS_PER_WINDOW + 1


def test_the_upload_window_slides():
    app = budgets.UploadBudget(_ok, uploads=2, window=60.0)
    assert [app.admit("s", now) for now in (0.0, 1.0, 2.0)] == [True, True, False]
    assert app.admit("s", 61.5) is True  # the first has left the window


def _rec(file_id: str, size: int) -> UploadedFileRec:
    return UploadedFileRec(file_id=file_id, name=f"{file_id}.csv", type="text/csv", data=b"x" * size)


def test_a_new_upload_replaces_the_old_and_a_read_one_is_released(monkeypatch):
    files = MemoryUploadedFileManager("/_stcore/upload_file")
    monkeypatch.setattr(seam, "_uploads", lambda: files)
    for i in range(3):
        files.add_file("s", _rec(f"f{i}", 1000))
        seam.keep_only_upload("s", f"f{i}")
    files.add_file("t", _rec("g", 500))
    assert seam.held_upload_bytes("s") == 1000 and seam.held_upload_bytes() == 1500
    monkeypatch.setattr(seam, "script_session_id", lambda: "s")
    seam.release_upload("f2")
    assert seam.held_upload_bytes("s") == 0 and seam.held_upload_bytes() == 500


def test_a_flooding_session_gets_its_rate_and_a_person_never_waits(monkeypatch):
    state: dict = {}
    monkeypatch.setattr(session, "rerun_bucket", lambda: state.get("b"))
    monkeypatch.setattr(session, "set_rerun_bucket", lambda tokens, at: state.__setitem__("b", (tokens, at)))
    clock = [0.0]

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    person = [budgets.pace_reruns(now=float(i * 2), sleep=sleep) for i in range(20)]  # a click every 2 s
    assert person == [0.0] * 20
    state.clear()
    clock[0], runs = 1000.0, 0
    while clock[0] < 1010.0:  # ten seconds of a client asking 100 times a second
        budgets.pace_reruns(now=clock[0], sleep=sleep)
        runs += 1
        clock[0] += 0.01
    assert runs <= limits.RERUN_BURST + 10 * limits.RERUN_RATE + 1


def test_parse_children_wait_in_line_and_hear_their_place():
    line = Line(1)
    holding, release = threading.Event(), threading.Event()
    places: list[int] = []
    done = threading.Event()

    def first():
        with line.turn():
            holding.set()
            release.wait(30)

    def second():
        with line.turn(on_wait=places.append):
            done.set()

    a = threading.Thread(target=first)
    a.start()
    assert holding.wait(30)
    b = threading.Thread(target=second)
    b.start()
    for _ in range(3000):  # its place is told before it may start
        if places:
            break
        threading.Event().wait(0.01)
    assert places == [1] and not done.is_set()
    release.set()
    assert done.wait(30)
    a.join(30)
    b.join(30)


def test_a_line_that_does_not_move_says_busy():
    line = Line(1)
    with line.turn(), pytest.raises(SandboxError) as err, line.turn(max_wait=0.0):
        pass
    assert err.value.reason == "busy"
    with line.turn(max_wait=0.0):  # the place was given up: the line is free again
        pass


def test_the_line_holds_no_more_children_than_cores_or_memory_allow():
    assert 1 <= limits.PARSE_CHILDREN <= limits.PARSE_TOTAL_MEMORY_BYTES // limits.PARSE_MEMORY_BYTES


def test_a_websocket_flood_is_read_at_its_rate_and_a_person_never_waits():
    person = budgets.Pace(burst=30, rate=4.0)
    start = time.monotonic()  # a Pace starts counting at its creation
    assert [person.delay(now=start + i) for i in range(20)] == [0.0] * 20  # a message a second
    flood = budgets.Pace(burst=30, rate=4.0)
    now, waited = time.monotonic(), 0.0
    for _ in range(130):  # 130 messages at once: the first 30 pass, then 4 a second
        wait = flood.delay(now=now)
        waited, now = waited + wait, now + wait
    assert waited == pytest.approx(100 / 4.0)


def _rerun(fragment: str = "", query: str = "") -> bytes:
    proto = seam.protocol()
    msg = proto.BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.fragment_id = fragment
    return msg.SerializeToString()


def test_a_reconnecting_page_s_first_rerun_runs_the_whole_page():
    """After a restart the page's first message may be a fragment's rerun (a click on the map),
    which the new session, having run no fragment, would drop unanswered (seam.WholeFirstRun)."""
    got: list[bytes] = []

    async def app(scope, receive, send):
        while (message := await receive())["type"] == "websocket.receive":
            got.append(message["bytes"])

    heartbeat = seam.protocol().BackMsg(app_heartbeat=True).SerializeToString()
    incoming = [heartbeat, _rerun("map", "county=350582"), _rerun("map"), b"\xff\xff not a message"]

    async def receive():
        if not incoming:
            return {"type": "websocket.disconnect"}
        return {"type": "websocket.receive", "bytes": incoming.pop(0)}

    asyncio.run(seam.WholeFirstRun(app)({"type": "websocket"}, receive, None))
    first = seam.protocol().BackMsg.FromString(got[1]).rerun_script
    assert got[0] == heartbeat  # not a rerun: as it came
    assert first.fragment_id == "" and first.query_string == "county=350582"  # the whole page, same state
    assert got[2] == _rerun("map") and got[3] == b"\xff\xff not a message"  # later ones as they came
    assert seam.whole_page_rerun(_rerun()) == _rerun() and seam.whole_page_rerun(b"\xff\xff") is None


def _media():
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    return MediaFileManager(MemoryMediaFileStorage("/media"))


@pytest.mark.parametrize("grace, kept", [(60.0, True), (0.0, False)])
def test_a_generated_download_outlives_other_sessions_runs(grace, kept):
    """Every run's end sweeps files no session refers to; a picture made for a click used to be
    gone after two runs anywhere on the server, before the browser fetched it (a 404 saved
    under a hash name)."""
    mgr = _media()
    assert seam.keep_fresh_downloads(grace, mgr=mgr)
    placeholder = mgr.add_deferred(lambda: b"\x89PNG picture", "image/png", "coords", "fujian.png")
    url = mgr.execute_deferred(placeholder)
    for _ in range(3):  # three other sessions' runs end
        mgr.remove_orphaned_files()
    stored = url.rsplit("/", 1)[1]
    if kept:
        assert mgr._storage.get_file(stored).filename == "fujian.png"
    else:
        with pytest.raises(Exception, match="No media file"):
            mgr._storage.get_file(stored)


# ---- static files from memory (seam.StaticFromMemory, issue 25: server CPU per page load) ----


def _get(app, path: str, headers: dict[str, str] | None = None, method: str = "GET"):
    """One ASGI request: (status, headers, body) as the client gets them."""
    sent: list[dict] = []
    asked: list[int] = []

    async def receive():  # the request, then (as a client that stays) nothing more
        asked.append(1)
        if len(asked) > 1:
            await asyncio.Event().wait()
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "raw_path": path.encode(), "root_path": "",
             "query_string": b"", "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
             "scheme": "http", "server": ("127.0.0.1", 8501), "client": ("127.0.0.1", 50000), "http_version": "1.1"}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


def _streamlit_static():
    """Streamlit's own static routes (what StaticFromMemory stands in front of)."""
    from starlette.applications import Starlette
    from streamlit.web.server.starlette.starlette_static_routes import create_streamlit_static_assets_routes

    return Starlette(routes=create_streamlit_static_assets_routes(None))


def test_a_bundle_file_comes_from_memory_as_streamlit_sends_it(tmp_path):
    """The same bytes, content type and cache header as Streamlit's own handler, without asking
    it (once read); a repeat with the ETag is a 304; HEAD has no body."""
    inner = _streamlit_static()
    asked: list[str] = []

    async def counting(scope, receive, send):
        asked.append(scope["path"])
        await inner(scope, receive, send)

    chunk = "/static/" + next(p for p in (seam.STREAMLIT_BUNDLE / "js").iterdir() if p.suffix == ".js").relative_to(
        seam.STREAMLIT_BUNDLE).as_posix()
    app = seam.StaticFromMemory(counting, own=tmp_path)
    status, ours, body = _get(app, chunk)
    status_st, theirs, body_st = _get(inner, chunk)
    assert status == status_st == 200 and body == body_st and asked == []
    for header in ("content-type", "cache-control", "content-length"):
        assert ours[header].replace(" ", "").lower() == theirs[header].replace(" ", "").lower(), header
    assert _get(app, chunk, {"If-None-Match": ours["etag"]})[0] == 304
    assert _get(app, chunk, method="HEAD")[2] == b""
    assert asked == []


@pytest.mark.parametrize("path", ["/static/js/../../index.html", "/static/js/%2e%2e/x.js", "/static/index.html",
                                  "/static/js/none-such.js", "/static/../../../etc/passwd", "/_stcore/health",
                                  "/app/static/../serve.py", "/app/static/.hidden.js"])
def test_anything_but_a_plain_static_file_goes_to_streamlit(tmp_path, path):
    (tmp_path / ".hidden.js").write_text("x")
    asked: list[str] = []

    async def inner(scope, receive, send):
        asked.append(scope["path"])
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    assert _get(seam.StaticFromMemory(inner, own=tmp_path), path)[0] == 404 and asked == [path]


def test_our_static_file_changed_on_disk_is_served_new(tmp_path):
    """Our files (static/, {base}/app/static/) are checked on every request: an edit shows."""
    import os

    async def inner(scope, receive, send):
        raise AssertionError("asked Streamlit for a file that is there")

    (tmp_path / "js").mkdir()
    script = tmp_path / "js" / "a.js"
    script.write_text("one()")
    app = seam.StaticFromMemory(inner, own=tmp_path)
    status, headers, body = _get(app, "/app/static/js/a.js")
    assert (status, body) == (200, b"one()") and headers["x-content-type-options"] == "nosniff"
    assert "cache-control" not in headers  # as Streamlit: the browser asks again
    script.write_text("two(2)")
    os.utime(script, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert _get(app, "/app/static/js/a.js")[2] == b"two(2)"


def test_a_browser_that_accepts_gzip_gets_the_file_gzipped_once(tmp_path):
    """Streamlit's middleware gzipped our static files on every request; from memory they are
    gzipped once, the same bytes when unpacked (the bundle too), with Vary for caches."""
    import gzip

    async def inner(scope, receive, send):
        raise AssertionError("asked Streamlit for a file that is there")

    (tmp_path / "geo.json").write_text('{"type": "Topology", "arcs": [' + "[1, 2], " * 2000 + "[0, 0]]}")
    app = seam.StaticFromMemory(inner, own=tmp_path)
    plain = _get(app, "/app/static/geo.json")[2]
    status, headers, body = _get(app, "/app/static/geo.json", {"Accept-Encoding": "gzip, deflate, br"})
    assert status == 200 and headers["content-encoding"] == "gzip" and headers["vary"] == "Accept-Encoding"
    assert gzip.decompress(body) == plain and int(headers["content-length"]) == len(body) < len(plain) / 4
    assert len(app.gzip) == 1  # compressed once, kept
    chunk = "/static/" + next(p for p in (seam.STREAMLIT_BUNDLE / "js").iterdir() if p.suffix == ".js").relative_to(
        seam.STREAMLIT_BUNDLE).as_posix()
    assert gzip.decompress(_get(app, chunk, {"Accept-Encoding": "gzip"})[2]) == _get(app, chunk)[2]
