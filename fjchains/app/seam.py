"""Where the dashboard reaches past Streamlit's public API: each reach is a small function here.

Every function says what it relies on and what the user loses if that changes; each one
degrades (logs once, does nothing) instead of breaking the page. `check()`, called once per
process at start-up (dashboard.py), tries what can be tried without a session (the version,
the attributes, Streamlit's page) and logs one line for each reach that is off. The browser's
side of the seam is static/js/seam.js (selectors and Streamlit's DOM) and static/css/seam-*.css
(rules that must select Streamlit's DOM). docs/UPGRADING.md lists every name here and in those
files, and tests/test_seam.py fails when a name is missing from it or when code outside the
seam reaches past a public API.
"""

from __future__ import annotations

import asyncio
import functools
import importlib.util
import logging
import re
import sys
import time
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import streamlit

_LOG = logging.getLogger(__name__)

#: Streamlit's upload route: PUT {base}/_stcore/upload_file/{session id}/{file id} (protocol detail).
_UPLOAD_PATH = re.compile(r"/_stcore/upload_file/(?P<session>[^/]+)/(?P<file>[^/]+)/?$")


@cache
def _warn_once(what: str) -> None:
    _LOG.warning("Streamlit internal missing (%s): that protection is off; see docs/UPGRADING.md", what)


def upload_target(path: str) -> tuple[str, str] | None:
    """(session id, file id) of an upload request's path, or None for any other path.

    Relies on the upload route's URL layout; if it changes, per-session upload budgets stop
    counting (the proxy's per-address limit still holds).
    """
    match = _UPLOAD_PATH.search(path)
    return (match["session"], match["file"]) if match else None


def _runtime():
    try:
        from streamlit import runtime

        return runtime.get_instance() if runtime.exists() else None
    except (ImportError, AttributeError):
        _warn_once("streamlit.runtime.get_instance")
        return None


def _uploads():
    """Streamlit's in-memory uploaded-file manager (Runtime.uploaded_file_mgr) with its
    per-session `file_storage` dict, or None (also when `check()` found it missing: off)."""
    if not check().get("uploads", True):
        return None
    files = getattr(_runtime(), "uploaded_file_mgr", None)
    if files is None or not hasattr(files, "file_storage") or not hasattr(files, "remove_file"):
        _warn_once("Runtime.uploaded_file_mgr.file_storage/remove_file")
        return None
    return files


def script_session_id() -> str | None:
    """The id of the session whose script is running (ScriptRunContext.session_id), or None."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx(suppress_warning=True)
    except ImportError:
        _warn_once("streamlit.runtime.scriptrunner.get_script_run_ctx")
        return None
    return getattr(ctx, "session_id", None)


def keep_only_upload(session_id: str, file_id: str) -> None:
    """Drop every file the session uploaded before `file_id`: a new file replaces the old.

    If Streamlit's manager changes shape, earlier files stay until the session ends (as
    Streamlit itself keeps them).
    """
    files = _uploads()
    if files is None:
        return
    for other in list(files.file_storage.get(session_id, {})):
        if other != file_id:
            files.remove_file(session_id, other)


def release_upload(file_id: str) -> None:
    """The bytes of an upload that has been read: the session keeps what was parsed from it.

    Streamlit keeps an upload's bytes until the session ends; the uploader's value is None
    on later runs once they are gone (the page keeps the parsed data, the widget its chip).
    """
    files, session_id = _uploads(), script_session_id()
    if files is not None and session_id is not None:
        files.remove_file(session_id, file_id)


def held_upload_bytes(session_id: str | None = None) -> int:
    """Bytes of uploads Streamlit holds (for one session, or all): what tests and the log read."""
    files = _uploads()
    if files is None:
        return 0
    sessions = [session_id] if session_id else list(files.file_storage)
    return sum(len(rec.data) for sid in sessions for rec in list(files.file_storage.get(sid, {}).values()))


def reap_closed_sessions() -> int:
    """Shut down sessions whose tab closed longer ago than server.disconnectedSessionTTL, and
    drop uploads of sessions nobody holds; returns how many sessions were shut down.

    Streamlit stores a disconnected session in a TTL cache that only forgets it on its next
    write, without shutting it down: its uploads, downloads and state stayed in memory. This
    reaps that cache (`Runtime._session_mgr._session_storage._cache.expire()`) and calls
    AppSession.shutdown as Streamlit does when a session closes.
    """
    if not check().get("sessions", True):
        return 0
    runtime = _runtime()
    manager = getattr(runtime, "_session_mgr", None)
    storage = getattr(manager, "_session_storage", None)
    expire = getattr(getattr(storage, "_cache", None), "expire", None)
    if runtime is None or storage is None or not callable(expire):
        _warn_once("Runtime._session_mgr._session_storage._cache.expire")
        return 0
    with getattr(manager, "_storage_lock", None) or nullcontext():
        reaped = expire()
    for _, info in reaped:
        try:
            info.session.shutdown()
        except Exception:  # one broken session must not stop the sweep
            _LOG.exception("shutting down a closed session failed")
    files = _uploads()
    if files is not None:
        for session_id in list(files.file_storage):
            if not runtime.is_active_session(session_id) and storage.get(session_id) is None:
                files.remove_session_files(session_id)
    return len(reaped)


#: The Streamlit releases the dashboard is tested with: from the lowest release whose upgrade
#: drill passed to below the next minor after the pin (docs/UPGRADING.md, "Drills"; the same
#: range as pyproject.toml's dependency). The pin itself is in requirements.txt.
SUPPORTED_STREAMLIT = ">=1.65,<1.68"


@cache
def _warn_unsupported(version: str) -> None:
    _LOG.warning("Streamlit %s is outside the supported range %s (pin: requirements.txt): pages may "
                 "fail; see docs/UPGRADING.md, 'Drills'", version, SUPPORTED_STREAMLIT)


def check_streamlit_version(version: str | None = None) -> bool:
    """Whether Streamlit `version` (default: the running one) is in SUPPORTED_STREAMLIT.

    Outside the range one warning line is logged, once per process and version; nothing else
    changes (the seam's own reaches still degrade one by one).
    """
    from packaging.version import InvalidVersion, Version

    if version is None:
        import streamlit

        version = streamlit.__version__
    try:
        inside = Version(version) in _supported()
    except InvalidVersion:
        inside = False
    if not inside:
        _warn_unsupported(version)
    return inside


def _supported():
    from packaging.specifiers import SpecifierSet

    return SpecifierSet(SUPPORTED_STREAMLIT, prereleases=True)


# ---- session behaviour Streamlit does not promise


_F = TypeVar("_F", bound=Callable[..., Any])


def fragment(func: _F) -> _F:
    """`st.fragment` whose widgets' callbacks may ask for a whole-page rerun
    (fjchains.app.session.request_page_rerun: a chart or table selection that changes what the
    map shows).

    Relies on: after a callback of a widget inside a fragment Streamlit reruns that fragment
    alone, and `st.rerun()` in a callback does nothing; so the callback leaves a flag in the
    session and the fragment, run next, asks for the whole page (`st.rerun(scope="app")`). If
    that changes, the selection still applies, but the map and the sidebar follow only on the
    next whole-page run (the next click).
    """
    import streamlit as st

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        from fjchains.app import session

        if session.take_page_rerun():
            st.rerun(scope="app")
        return func(*args, **kwargs)

    return st.fragment(run)  # type: ignore[return-value]


def fresh_key(base: str, generation: int) -> str:
    """The key of a widget whose state Streamlit gives no way to clear (a chart's or a table's
    selection, the file uploader's file): each time `generation` goes up the widget gets a new
    key, so Streamlit makes a new, empty one. Relies on Streamlit keeping a widget's state by
    key; if it changes, a stale selection tick or file stays until the page is left.
    """
    return f"{base}_{generation}"


def drop_mirrored_widgets(state: Any, prefix: str, keep: set[str]) -> None:
    """Forget the state of every widget whose key is `prefix` + a state key (except `keep`),
    so each is seeded again from its state key on the next run (the language switch).

    Relies on: Streamlit's select widgets send back the label the user saw; in the other
    language that label names no option and came back as the label itself (the chain filter
    became "食品" on the next page). If deleting a widget's key stops resetting it, the
    sidebar's choices show in the old language until changed.
    """
    for key in [k for k in map(str, state.keys()) if k.startswith(prefix) and k[len(prefix):] in state]:
        if key not in keep:
            del state[key]


def whole_page_rerun(data: bytes) -> bytes | None:
    """A websocket message asking for a rerun, as a message asking for the whole page's rerun
    (a fragment's rerun rewritten, a whole-page one as it is); None for any other message (or
    one that does not parse).

    Relies on the client's messages being a serialized `BackMsg` whose `rerun_script` carries
    the fragment's id in `fragment_id`; if that changes, this returns None and nothing is
    rewritten: after a server restart the page's first click on the map does nothing (Streamlit
    drops a rerun of a fragment the new session has never run) until a click elsewhere.
    """
    try:
        msg = protocol().BackMsg.FromString(data)
        if msg.WhichOneof("type") != "rerun_script":
            return None
        if not msg.rerun_script.fragment_id:
            return data
        msg.rerun_script.fragment_id = ""
        return msg.SerializeToString()
    except Exception:  # not Streamlit's message, or the proto moved: leave the message alone
        return None


class WholeFirstRun:
    """ASGI middleware (serve.py): on each websocket connection, the first rerun the client asks
    for runs the whole page.

    A page that reconnects after the server restarted keeps its fragments' ids, and Streamlit
    does not rerun on reconnect: the page's next message is often a fragment's rerun (a click
    on the map, in its fragment), which the new session, having run no fragment, drops without
    an answer; the page never updates. The first rerun message of a connection (a new page
    asks for the whole page anyway) goes in as a whole-page rerun (`whole_page_rerun`).
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        first = True

        async def whole_first():
            nonlocal first
            message = await receive()
            if first and message.get("type") == "websocket.receive" and message.get("bytes"):
                whole = whole_page_rerun(message["bytes"])
                if whole is not None:
                    first = False
                    message = {**message, "bytes": whole}
            return message

        await self.app(scope, whole_first, send)


#: Streamlit's frontend bundle (read from the installed package): {base}/static/<path> is
#: streamlit/static/static/<path>, content-hashed files that a browser caches for a year.
STREAMLIT_BUNDLE = Path(streamlit.__file__).parent / "static" / "static"
#: A file we serve from memory: plain characters, a known kind, no `..` (anything else: Streamlit).
_STATIC_FILE = re.compile(r"(?:[A-Za-z0-9_@-][A-Za-z0-9_.@-]*/)*[A-Za-z0-9_@-][A-Za-z0-9_.@-]*"
                          r"\.(?:js|css|woff2?|ttf|svg|png|json|wasm)")
STATIC_CACHE_BYTES = 64 * 1024 * 1024  # Streamlit's bundle is ~25 MB; a first visit fetches ~4 MB of it
STATIC_FILE_BYTES = 8 * 1024 * 1024  # a bigger file is left to Streamlit


class StaticFromMemory:
    """ASGI middleware (serve.py): GET/HEAD of a Streamlit frontend bundle file ({base}/static/)
    or of our own static files ({base}/app/static/) answered from memory, each file read once.

    A first visit fetches ~130 of the bundle's code-split chunks and ~10 of our files (the floor
    page, a title alone, ~60). Streamlit serves each through its middleware stack and Starlette's
    `FileResponse`, which opens, reads and closes the file on worker threads: that was most of
    a page load's server CPU. Here each is one send of bytes read once, with the headers
    Streamlit gives them: the bundle's `Cache-Control: public, immutable, max-age=31536000`, our
    files' `Access-Control-Allow-Origin: *` and `X-Content-Type-Options: nosniff` (and no cache
    header, as Streamlit), an ETag each (`If-None-Match` answers 304), gzipped once for a browser
    that accepts it (Streamlit sends its bundle uncompressed to spare the CPU of compressing on
    every request, and compressed our files on every request). Our files are checked for a
    change (size, modification time) on every request; the bundle's names are hashes.

    Relies on the URL `{base}/static/<name>` mapping to `streamlit/static/static/<name>` (not a
    public API); anything else (other paths, ranges, a name not plain, a file not there or too
    big, a bundle that moved: `check()` "bundle") goes to Streamlit as before, so the worst a
    change costs is the CPU this saves.
    """

    def __init__(self, app, bundle: Path | None = None, own: Path | None = None, budget: int = STATIC_CACHE_BYTES):
        from fjchains.core import paths

        self.app = app
        mounts = [("static/", bundle or STREAMLIT_BUNDLE, True), ("app/static/", own or paths.ROOT / "static", False)]
        self.mounts = [m for m in mounts if m[1].is_dir()]
        self.budget = budget
        self.held = 0
        self.files: dict[Path, tuple[tuple[int, int], bytes, list[tuple[bytes, bytes]], bytes]] = {}
        self.gzip: dict[int, bytes | None] = {}  # id of a body in `files` -> its gzip (None: sent as it is)

    def _base(self, scope) -> str:
        from streamlit import config

        base = (config.get_option("server.baseUrlPath") or "").strip("/")
        return f"{scope.get('root_path', '')}/{base + '/' if base else ''}"

    def _load(self, root: Path, name: str, immutable: bool):
        """(body, headers, etag) of static file `name` under `root`, or None (not a plain file
        name, not there, too big, or the memory budget spent)."""
        if not _STATIC_FILE.fullmatch(name):
            return None
        path = root / name
        known = self.files.get(path)
        if known is not None and immutable:
            return known[1:]
        try:
            stat = path.stat()
            if not path.is_file() or path.is_symlink() or stat.st_size > STATIC_FILE_BYTES:
                return None
        except OSError:
            return None
        if known is not None and known[0] == (stat.st_size, stat.st_mtime_ns):
            return known[1:]
        if known is not None:
            self.held -= len(known[1]) + len(self.gzip.pop(id(known[1]), None) or b"")
            del self.files[path]
        if self.held + stat.st_size > self.budget:
            return None
        import hashlib
        import mimetypes

        try:
            body = path.read_bytes()
        except OSError:
            return None
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind.endswith(("javascript", "json")):
            kind += "; charset=utf-8"
        etag = f'"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"'.encode()
        extra = ([(b"cache-control", b"public, immutable, max-age=31536000")] if immutable else
                 [(b"access-control-allow-origin", b"*"), (b"x-content-type-options", b"nosniff")])
        self.files[path] = ((len(body), stat.st_mtime_ns), body, [(b"content-type", kind.encode()), (b"etag", etag),
                                                                  *extra], etag)
        self.held += len(body)
        return self.files[path][1:]

    def _gzipped(self, body: bytes) -> bytes | None:
        """`body` gzipped once (what Streamlit's own middleware did for our files on every
        request); None when that saves too little to be worth it or the budget is spent."""
        key = id(body)
        if key not in self.gzip:
            import gzip

            packed = gzip.compress(body, compresslevel=6, mtime=0)
            keep = len(packed) < 0.9 * len(body) and self.held + len(packed) <= self.budget
            self.gzip[key] = packed if keep else None
            self.held += len(packed) if keep else 0
        return self.gzip[key]

    def _find(self, scope):
        path = scope.get("path", "")
        base = self._base(scope)
        if not path.startswith(base) or any(k == b"range" for k, _ in scope.get("headers") or ()):
            return None
        rest = path[len(base):]
        for prefix, root, immutable in self.mounts:
            if rest.startswith(prefix):
                return self._load(root, rest[len(prefix):], immutable)
        return None

    async def __call__(self, scope, receive, send):
        found = None
        if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD"):
            found = self._find(scope)
        if found is None:
            await self.app(scope, receive, send)
            return
        body, headers, etag = found
        asked = dict(scope.get("headers") or ())
        if etag in asked.get(b"if-none-match", b""):
            await send({"type": "http.response.start", "status": 304, "headers": headers[1:]})
            await send({"type": "http.response.body", "body": b""})
            return
        packed = None
        if b"gzip" in asked.get(b"accept-encoding", b""):  # once, off the event loop (Plotly: ~0.1 s)
            packed = self.gzip[id(body)] if id(body) in self.gzip else await asyncio.to_thread(self._gzipped, body)
        if packed is not None:
            body, headers = packed, [*headers, (b"content-encoding", b"gzip"), (b"vary", b"Accept-Encoding")]
        await send({"type": "http.response.start", "status": 200,
                    "headers": [*headers, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body if scope["method"] == "GET" else b""})


def _bundle() -> bool:
    return (STREAMLIT_BUNDLE / "js").is_dir()


#: How long a generated download (a map picture, a ZIP) stays fetchable whatever other runs do.
DOWNLOAD_GRACE_S = 60.0


def keep_fresh_downloads(grace: float = DOWNLOAD_GRACE_S, mgr: Any = None) -> bool:
    """A deferred download's file outlives `grace` seconds of other sessions' runs; True once
    installed in the running server (False outside one, or with the internals gone).

    Streamlit stores the bytes a download button's callable returns as a file no session refers
    to, and every script run of any session ends with a sweep that marks such a file and deletes
    it at the next sweep: two runs anywhere on the server between the click and the browser's
    fetch (a busy server, or the page's own deferred charts) and the browser saved a 404 page
    under a hash name. This wraps `MediaFileManager.execute_deferred` on the running manager so
    the new file's metadata ignores the mark until `grace` has passed. Relies on
    `execute_deferred` returning the file's URL (`.../media/<file id>.<ext>`) and on the
    manager's `_file_metadata` and `_lock`; if they change, downloads work as Streamlit's own
    (and can fail on a busy server), logged once. `mgr`: another manager (the tests').
    """
    mgr = mgr if mgr is not None else getattr(_runtime(), "media_file_mgr", None)
    if mgr is None:
        return False
    if getattr(mgr, "_fj_keeps_fresh", False):
        return True
    from streamlit.runtime.media_file_manager import MediaFileMetadata

    execute, metadata, lock = (getattr(mgr, name, None) for name in ("execute_deferred", "_file_metadata", "_lock"))
    if not callable(execute) or not isinstance(metadata, dict) or lock is None:
        _warn_once("MediaFileManager.execute_deferred/_file_metadata")
        return False

    class Fresh(MediaFileMetadata):
        """A generated download's metadata: marked for deletion only once `grace` is over."""

        def __init__(self, kind, until: float):
            super().__init__(kind)
            self._until = until

        def mark_for_delete(self) -> None:
            if time.monotonic() >= self._until:
                super().mark_for_delete()

    def execute_deferred(file_id: str) -> str:
        url = execute(file_id)
        generated = Path(url.split("?", 1)[0]).stem
        with lock:
            known = metadata.get(generated)
            if known is not None:
                metadata[generated] = Fresh(known.kind, time.monotonic() + grace)
        return url

    mgr.execute_deferred = execute_deferred
    mgr._fj_keeps_fresh = True
    return True


# ---- Streamlit's page, pages and logs


def use_dashboard_navigation() -> bool:
    """Make a server's first request for /explorer run through dashboard.py; False if it cannot.

    Until a server has run st.navigation once, Streamlit treats a top-level pages/ folder as
    its old multipage mode, so a first visitor opening /explorer would run pages/explorer.py
    alone (no sidebar, no URL state). This switches that mode off through a Streamlit
    internal, `PagesManager.uses_pages_directory`, and reruns. If the attribute is gone the
    switch is off (`check()` said so): such a first visit shows the page without its sidebar
    until the next click or reload, as plain Streamlit does.
    """
    if not check().get("pages_manager", False):
        return False
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    return True


def _pages_manager() -> bool:
    from streamlit.runtime.pages_manager import PagesManager

    return hasattr(PagesManager, "uses_pages_directory")


#: Streamlit's own HTML page (read from the installed package), which our pages' URLs answer
#: with, our first-paint stylesheet inlined (fjchains/app/index_page.py).
STREAMLIT_INDEX_HTML = Path(streamlit.__file__).parent / "static" / "index.html"


def streamlit_page_with_head(extra: str, title: str) -> str | None:
    """Streamlit's index.html with `extra` (markup) at the end of its head and our `title` for
    its "<title>Streamlit</title>"; None if the file cannot be read or has no `</head>`.

    Relies on the page's layout; if it changes, our pages are served by Streamlit as they
    would be without serve.py's routes, so only the first-paint stylesheet is lost (the page
    slides right when the sidebar opens).
    """
    try:
        page = STREAMLIT_INDEX_HTML.read_text(encoding="utf-8")
    except OSError:
        _warn_once("streamlit/static/index.html")
        return None
    head_end = page.find("</head>")
    if head_end < 0:
        _warn_once("'</head>' in streamlit/static/index.html")
        return None
    page = page[:head_end] + extra + page[head_end:]
    return page.replace("<title>Streamlit</title>", f"<title>{title}</title>", 1)


def _index_html() -> bool:
    try:
        return "</head>" in STREAMLIT_INDEX_HTML.read_text(encoding="utf-8")
    except OSError:
        return False


#: Streamlit's logger for a deferred download's failure (streamlit/runtime/backend_operation_handler.py).
DEFERRED_DOWNLOAD_LOGGER = "streamlit.runtime.backend_operation_handler"


def filter_deferred_download_log(log_filter: logging.Filter) -> None:
    """Put `log_filter` (once) on the logger Streamlit reports a failed deferred download to.

    Relies on that logger's name (and, in the filter, on Streamlit raising `from` the
    callable's exception); if either changes, a refused map picture is logged with its
    traceback again: only the server log is noisier.
    """
    logger = logging.getLogger(DEFERRED_DOWNLOAD_LOGGER)
    if not any(type(f) is type(log_filter) for f in logger.filters):
        logger.addFilter(log_filter)


def _deferred_download_log() -> bool:
    return importlib.util.find_spec(DEFERRED_DOWNLOAD_LOGGER) is not None


def component_frame_selector(component_name: str) -> str:
    """A CSS selector of the iframes of custom component `component_name`: Streamlit titles a
    component's iframe with its name. If that changes, the page scripts find no map frame:
    after-map.js still hears the map's "drawn" message, but print.js no longer fits the map to
    the page and a map that drew before after-map.js loaded goes unnoticed until a click."""
    return f'iframe[title="{component_name}"]'


# ---- processes


#: What a child process is told `__main__` is. multiprocessing re-imports the parent's __main__
#: in each child; under `streamlit run` that is the page script itself (Streamlit installs it
#: as __main__ for each run), which would run the whole dashboard again in the child.
NEUTRAL_MAIN = types.ModuleType("__main__")


@contextmanager
def neutral_main() -> Iterator[None]:
    """Start child processes inside this: `sys.modules["__main__"]` is a module with nothing
    to re-import, put back afterwards unless a script run replaced it meanwhile.

    Relies on Streamlit installing each page script as `sys.modules["__main__"]`; if it stops,
    this changes nothing. The upload sandbox (fjchains/upload/sandbox.py) starts its children
    inside it (`install()` hands it over).
    """
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = NEUTRAL_MAIN
    try:
        yield
    finally:
        if main is not None and sys.modules.get("__main__") is NEUTRAL_MAIN:
            sys.modules["__main__"] = main


# ---- what the tests and the benchmarks read


def apptest_component_args(at: Any, component_name: str) -> list[dict]:
    """The JSON arguments of every instance of custom component `component_name` in an AppTest
    run, in page order (tests/appmap.py).

    Relies on AppTest exposing a custom component only as an unknown element
    ("component_instance") whose `proto` has `component_name` and `json_args`; if it changes,
    the page tests that read the map's arguments fail (the product is not affected).
    """
    import json

    return [json.loads(e.proto.json_args) for e in at.get("component_instance")
            if e.proto.component_name == component_name]


def protocol() -> types.SimpleNamespace:
    """Streamlit's websocket messages (`streamlit.proto`: BackMsg, ForwardMsg, WidgetState,
    Alert), for the benchmarks' sessions that speak the protocol without a browser
    (benchmarks/protocol_session.py, explorer_runs.py). The protocol is Streamlit's own and
    unversioned; if it changes, those sessions fail to open (tests/e2e/test_protocol_session.py).
    """
    from streamlit.proto.Alert_pb2 import Alert
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    return types.SimpleNamespace(Alert=Alert, BackMsg=BackMsg, ForwardMsg=ForwardMsg, WidgetState=WidgetState)


# ---- the start-up check


def _runtime_uploads() -> bool:
    """The running server's upload manager (or, outside a server, a new one) has the shape
    keep_only_upload, release_upload and held_upload_bytes use."""
    files = getattr(_runtime(), "uploaded_file_mgr", None)
    if files is None:
        from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager

        files = MemoryUploadedFileManager("/_stcore/upload_file")
    return all(hasattr(files, name) for name in ("file_storage", "remove_file", "remove_session_files"))


def _runtime_sessions() -> bool:
    """The session store reap_closed_sessions sweeps has the shape it uses."""
    runtime = _runtime()
    if runtime is not None:
        storage = getattr(getattr(runtime, "_session_mgr", None), "_session_storage", None)
        active = callable(getattr(runtime, "is_active_session", None))
    else:
        from streamlit.runtime.memory_session_storage import MemorySessionStorage

        storage, active = MemorySessionStorage(), True
    return active and callable(getattr(getattr(storage, "_cache", None), "expire", None))


def _media_downloads() -> bool:
    """The media file manager keep_fresh_downloads wraps has the shape it uses."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    mgr = MediaFileManager(MemoryMediaFileStorage("/media"))
    return callable(getattr(mgr, "execute_deferred", None)) and isinstance(getattr(mgr, "_file_metadata", None), dict)


def _script_context() -> bool:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return callable(get_script_run_ctx)


#: Each reach `check()` tries at start-up: name -> (the test, what the user loses without it).
CHECKS: dict[str, tuple[Callable[[], bool], str]] = {
    "pages_manager": (_pages_manager, "a deep link on a fresh server first shows the page without its sidebar"),
    "index_html": (_index_html, "the first-paint stylesheet (the page slides right as the sidebar opens)"),
    "deferred_download_log": (_deferred_download_log, "a refused map picture is logged with a traceback"),
    "uploads": (_runtime_uploads, "an upload's bytes stay in memory until its session ends"),
    "sessions": (_runtime_sessions, "closed tabs' sessions stay in memory until another session closes"),
    "script_context": (_script_context, "per-session upload budgets and upload release"),
    "downloads": (_media_downloads, "a map picture can be lost to other sessions' runs before the browser fetches it"),
    "bundle": (_bundle, "Streamlit's frontend files are read from disk per request (more server CPU a page load)"),
}


@cache
def check() -> dict[str, bool]:
    """Once per process (dashboard.py's first run): the version, then each of CHECKS. A reach
    whose test fails (or raises: a module moved) is off, with one log line; the rest of the
    dashboard works as plain Streamlit would there."""
    check_streamlit_version()
    found = {}
    for name, (test, lost) in CHECKS.items():
        try:
            found[name] = bool(test())
        except Exception:  # an import that moved, an attribute that changed type
            found[name] = False
        if not found[name]:
            _LOG.warning("Streamlit internal %r missing: off (%s); see docs/UPGRADING.md", name, lost)
    return found


def install() -> dict[str, bool]:
    """dashboard.py, every run (cheap after the first): `check()`, the upload sandbox's
    children start with a neutral __main__ (`neutral_main`), and generated downloads stay
    fetchable for a while (`keep_fresh_downloads`)."""
    from fjchains.upload import sandbox

    sandbox.START_GUARD = neutral_main
    keep_fresh_downloads()
    return check()
