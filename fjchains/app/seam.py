"""Where the dashboard reaches past Streamlit's public API: each reach is a small function here.

Every function says what it relies on and what the user loses if that changes; each one
degrades (logs once, does nothing) instead of breaking the page. docs/UPGRADING.md lists
them, and a test fails when a name here is missing from it.
"""

from __future__ import annotations

import logging
import re
from contextlib import nullcontext
from functools import cache

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
    per-session `file_storage` dict, or None."""
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
