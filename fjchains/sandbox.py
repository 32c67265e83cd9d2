"""Run an untrusted parse in a child process with a wall-clock timeout and a memory cap.

A Streamlit server is one process shared by every session: a file that makes a parser
spin or allocate would stall everyone. Here the work runs in a process forked from a
forkserver (pandas and openpyxl already imported, so a fork costs milliseconds), niced,
with RLIMIT_AS and RLIMIT_CPU set, and is killed at the deadline. Only the caller waits.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import sys
import threading
import types
from collections.abc import Callable
from typing import Any

_PRELOAD = ["fjchains.userdata", "openpyxl"]
_LOG = logging.getLogger(__name__)
_context_lock = threading.Lock()
_context = None
_start_lock = threading.Lock()
#: What the child is told __main__ is. multiprocessing re-imports the parent's __main__ in
#: each child; under `streamlit run` that is the page script itself (Streamlit installs it
#: as __main__ for each run), which would run the whole dashboard again in the child.
_NEUTRAL_MAIN = types.ModuleType("__main__")


class SandboxError(RuntimeError):
    """The child ran out of time or memory, or died; `reason` is "timeout", "memory" or "crash"."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def _get_context():
    global _context
    with _context_lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(_PRELOAD)
            _context = ctx
        return _context


def _address_space() -> int:
    """Bytes of virtual memory this process maps now (VmSize)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(conn, func: Callable, args: tuple, memory: int, cpu_seconds: int) -> None:
    try:
        os.nice(10)  # a busy parse yields the core to the server's sessions
        limit = _address_space() + memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        outcome: tuple[str, Any] = ("ok", func(*args))
    except MemoryError:
        outcome = ("memory", None)
    except Exception as exc:  # handed to the caller, who decides what the user sees
        outcome = ("raised", exc)
    try:
        try:
            conn.send(outcome)
        except MemoryError:
            conn.send(("memory", None))
    except OSError:  # the caller gave up (timeout) or exited: nobody to tell
        pass
    finally:
        conn.close()


def _start(process) -> None:
    """process.start() with a __main__ that has nothing to re-import (see _NEUTRAL_MAIN)."""
    with _start_lock:
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = _NEUTRAL_MAIN
        try:
            process.start()
        finally:
            if main is not None and sys.modules.get("__main__") is _NEUTRAL_MAIN:  # unless a run replaced it
                sys.modules["__main__"] = main


def run_isolated(func: Callable, *args, timeout: float, memory: int) -> Any:
    """func(*args) in a child process; its exceptions are re-raised here.

    Raises SandboxError("timeout") after `timeout` seconds, SandboxError("memory") when the
    child exceeds `memory` extra bytes, SandboxError("crash") if it dies otherwise.
    func and args must be picklable (module-level function, plain data).
    """
    ctx = _get_context()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(sender, func, args, memory, int(timeout) + 1), daemon=True)
    _start(process)
    sender.close()
    try:
        if not receiver.poll(timeout):
            _LOG.warning("isolated %s stopped after %.1f s", getattr(func, "__name__", func), timeout)
            raise SandboxError("timeout")
        try:
            status, value = receiver.recv()
        except (EOFError, OSError):
            process.join(5)
            _LOG.warning("isolated %s died with exit code %s", getattr(func, "__name__", func), process.exitcode)
            raise SandboxError("crash") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receiver.close()
    if status == "memory":
        _LOG.warning("isolated %s ran out of its %d-byte memory budget", getattr(func, "__name__", func), memory)
        raise SandboxError("memory")
    if status == "raised":
        raise value
    return value


def _nothing() -> None:
    return None


def warm_up() -> None:
    """Start the forkserver now (it imports pandas and openpyxl: seconds), not on the first upload."""
    try:
        run_isolated(_nothing, timeout=60, memory=256_000_000)
    except SandboxError:
        _LOG.warning("the upload sandbox did not start")
