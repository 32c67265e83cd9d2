"""Run an untrusted parse in a child process with a wall-clock timeout and a memory cap.

A Streamlit server is one process shared by every session: a file that makes a parser
spin or allocate would stall everyone. Here the work runs in a process forked from a
forkserver (pandas and openpyxl already imported, so a fork costs milliseconds), niced,
with RLIMIT_AS and RLIMIT_CPU set, and is killed at the deadline. Only the caller waits.

Children run at most `limits.PARSE_CHILDREN` at a time (the cores, and no more than the
total memory budget allows): later callers wait in line, first come first served, and are
told their place; a child's time budget starts when it starts, not when its caller asked.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from fjchains.core import limits

_PRELOAD = ["fjchains.upload.userdata", "openpyxl"]
_LOG = logging.getLogger(__name__)
_context_lock = threading.Lock()
_context = None
_start_lock = threading.Lock()
#: Each child is started inside this. The app layer hands over fjchains.app.seam.neutral_main
#: (seam.install): multiprocessing re-imports the parent's __main__ in each child, and under
#: `streamlit run` that is the page script, which would run the whole dashboard in the child.
START_GUARD: Callable[[], AbstractContextManager[Any]] = nullcontext


class SandboxError(RuntimeError):
    """The child ran out of time or memory, or died, or its caller waited too long in line;
    `reason` is "timeout", "memory", "crash" or "busy"."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class Line:
    """At most `slots` holders at a time; the others wait in the order they came."""

    def __init__(self, slots: int):
        self.slots = slots
        self._free = slots
        self._waiting: deque[object] = deque()
        self._cond = threading.Condition()

    def _place(self, ticket: object) -> int:
        """0 when it is `ticket`'s turn, else its place in the line (1 = next)."""
        index = self._waiting.index(ticket)
        return 0 if index == 0 and self._free > 0 else index + 1

    @contextmanager
    def turn(self, on_wait: Callable[[int], object] | None = None,
             max_wait: float = limits.PARSE_MAX_WAIT_S) -> Iterator[None]:
        """Hold a slot inside the block. `on_wait(place)` is called (outside the lock) each
        time the caller's place changes while it waits; SandboxError("busy") after `max_wait`."""
        ticket = object()
        deadline = time.monotonic() + max_wait
        told = None
        with self._cond:
            self._waiting.append(ticket)
        try:
            while True:
                with self._cond:
                    place = self._place(ticket)
                    if place == 0:
                        self._waiting.popleft()
                        self._free -= 1
                        break
                    if place == told:
                        if time.monotonic() >= deadline:
                            raise SandboxError("busy")
                        self._cond.wait(timeout=1.0)
                        continue
                if on_wait is not None:
                    on_wait(place)  # may raise (the user left): the handler below gives the place up
                told = place
        except BaseException:
            with self._cond:
                if ticket in self._waiting:
                    self._waiting.remove(ticket)
                    self._cond.notify_all()
            raise
        try:
            yield
        finally:
            with self._cond:
                self._free += 1
                self._cond.notify_all()


#: The children's line: as many at once as cores, within the total memory budget.
LINE = Line(limits.PARSE_CHILDREN)


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
    """process.start() inside START_GUARD (one start at a time)."""
    with _start_lock, START_GUARD():
        process.start()


def run_isolated(func: Callable, *args, timeout: float, memory: int,
                 on_wait: Callable[[int], object] | None = None) -> Any:
    """func(*args) in a child process, once a place in LINE is free; its exceptions are re-raised here.

    Raises SandboxError("timeout") after `timeout` seconds of the child's own run,
    SandboxError("memory") when the child exceeds `memory` extra bytes, SandboxError("crash")
    if it dies otherwise, SandboxError("busy") if the line did not move in
    limits.PARSE_MAX_WAIT_S. `on_wait(place)` hears the caller's place in the line while it
    waits. func and args must be picklable (module-level function, plain data).
    """
    with LINE.turn(on_wait):
        return _run_child(func, args, timeout, memory)


def _run_child(func: Callable, args: tuple, timeout: float, memory: int) -> Any:
    ctx = _get_context()
    receiver, sender = ctx.Pipe(duplex=False)
    # the budget is the child's own CPU time (RLIMIT_CPU: SIGXCPU at `timeout`), so a parse on a
    # busy machine is not refused for the time other work took; the wall clock is a backstop for
    # a child that blocks without computing
    process = ctx.Process(target=_child, args=(sender, func, args, memory, math.ceil(timeout)), daemon=True)
    _start(process)
    sender.close()
    try:
        if not receiver.poll(timeout * limits.PARSE_WALL_FACTOR):
            _LOG.warning("isolated %s stopped after %.1f s", getattr(func, "__name__", func),
                         timeout * limits.PARSE_WALL_FACTOR)
            raise SandboxError("timeout")
        try:
            status, value = receiver.recv()
        except (EOFError, OSError):
            process.join(5)
            _LOG.warning("isolated %s died with exit code %s", getattr(func, "__name__", func), process.exitcode)
            raise SandboxError("timeout" if process.exitcode == -signal.SIGXCPU else "crash") from None
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
