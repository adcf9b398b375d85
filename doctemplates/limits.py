"""Running untrusted work where it can be cut off: a forked child with CPU, memory and time limits.

Staff-authored templates and uploaded PDFs are hostile until proven otherwise: a Jinja expression
or a content stream can cost minutes of CPU or gigabytes of memory. :func:`run_limited` runs a
function in a child forked from this process (so it costs no interpreter start-up and needs no
setup), with

- ``RLIMIT_CPU``: at the soft limit the child gets SIGXCPU, which :func:`run_limited` turns into
  :class:`LimitHit` *inside* the child, so the function's own error handling can say where it
  was (the template tag being rendered); one second later the kernel kills it outright;
- ``RLIMIT_AS``: the child's address space may grow by ``memory_bytes`` over what it inherited,
  so a huge allocation raises MemoryError in the child instead of growing the server;
- a wall-clock deadline: SIGALRM in the child, and the parent kills it a little later (a child
  that sleeps, or deadlocks on a lock inherited through fork, uses no CPU).

The child never touches the parent's database connection or converter processes, and leaves with
``os._exit`` (no atexit handler of the parent runs in it). Results and exceptions come back
pickled; an exception that cannot be pickled comes back as :class:`ChildFailed` with its text.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """What one limited run may use."""

    cpu_seconds: int = 10
    memory_bytes: int = 512 * 1024 * 1024
    wall_seconds: float = 30.0


class LimitHit(Exception):
    """A limit was reached; ``limit`` is "cpu", "memory" or "time", ``value`` the limit's size."""

    def __init__(self, limit: str, value: float) -> None:
        super().__init__(limit, value)
        self.limit = limit
        self.value = value

    def __str__(self) -> str:
        return f"{self.limit} limit ({self.value}) reached"


class ChildFailed(Exception):
    """The child ended without an answer, or raised an exception that could not be sent back."""


def _address_space() -> int:
    """This process's current virtual memory size in bytes (VmSize), 0 if unknown."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], limits: Limits) -> bytes:
    cpu = max(1, int(limits.cpu_seconds))

    def on_cpu(_signum: int, _frame: Any) -> None:
        raise LimitHit("cpu", cpu)

    def on_alarm(_signum: int, _frame: Any) -> None:
        raise LimitHit("time", limits.wall_seconds)

    signal.signal(signal.SIGXCPU, on_cpu)
    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = int(used.ru_utime + used.ru_stime)  # a forked child starts near 0, but be exact
    resource.setrlimit(resource.RLIMIT_CPU, (spent + cpu, spent + cpu + 1))
    if limits.memory_bytes and _address_space():
        ceiling = _address_space() + int(limits.memory_bytes)
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    signal.setitimer(signal.ITIMER_REAL, max(0.01, limits.wall_seconds))
    try:
        outcome: tuple[str, Any] = ("ok", func(*args, **kwargs))
    except MemoryError:
        outcome = ("raise", LimitHit("memory", limits.memory_bytes))
    except BaseException as exc:  # everything goes back to the parent
        outcome = ("raise", exc)
    signal.setitimer(signal.ITIMER_REAL, 0)
    try:
        payload = pickle.dumps(outcome)
        pickle.loads(payload)  # noqa: S301 - our own bytes; an exception that cannot be rebuilt goes as text
    except Exception:
        detail = outcome[1] if outcome[0] == "raise" else "unpicklable result"
        payload = pickle.dumps(("raise", ChildFailed(f"{type(detail).__name__}: {detail}")))
    return payload


def run_limited(func: Callable[..., T], *args: Any, limits: Limits | None = None, **kwargs: Any) -> T:
    """``func(*args, **kwargs)`` in a forked child under ``limits``; its result, or its exception re-raised.

    Raises :class:`LimitHit` when a limit was reached (unless ``func`` caught it and raised its own
    error), :class:`ChildFailed` when the child died without an answer.
    """
    limits = limits or Limits()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        status = 0
        try:
            os.close(read_end)
            payload = _child(func, args, kwargs, limits)
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    return _collect(pid, read_end, limits)


def _collect(pid: int, read_end: int, limits: Limits) -> Any:
    chunks: list[bytes] = []
    deadline = time.monotonic() + limits.wall_seconds + 2
    timed_out = False
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            ready, _w, _x = select.select([read_end], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        if timed_out:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _pid, status, usage = os.wait4(pid, 0)
    if timed_out:
        raise LimitHit("time", limits.wall_seconds)
    if not chunks:
        if os.WIFSIGNALED(status) and usage.ru_utime + usage.ru_stime >= limits.cpu_seconds:
            raise LimitHit("cpu", limits.cpu_seconds)
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
            raise LimitHit("memory", limits.memory_bytes)  # the kernel's OOM killer
        raise ChildFailed(f"the limited child ended without an answer (status {status})")
    kind, value = pickle.loads(b"".join(chunks))  # noqa: S301 - our own child wrote it
    if kind == "raise":
        raise value
    return value
