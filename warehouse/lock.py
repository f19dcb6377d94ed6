"""One writer at a time: an advisory file lock around every read-write use of the warehouse.

DuckDB itself refuses a second read-write process with an error; overlapping nightly runs should
queue instead. `flock` is released by the kernel when its holder dies, SIGKILL included, so a
killed run never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class LockTimeout(RuntimeError):
    """Another run held the warehouse longer than we were willing to wait."""


@contextmanager
def writer_lock(
    lock_path: Path,
    timeout_s: float,
    on_wait: Callable[[str], None] | None = None,
    poll_s: float = 0.2,
) -> Iterator[None]:
    """Hold the warehouse lock; wait up to `timeout_s` for another holder, telling `on_wait` once.

    Not re-entrant: a second acquisition in the same process would wait for itself.
    """
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        started = time.monotonic()
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not told and on_wait is not None:
                    on_wait(f"the warehouse is in use by process {_holder(fd)}; waiting")
                    told = True
                if time.monotonic() - started > timeout_s:
                    raise LockTimeout(
                        f"the warehouse stayed locked by process {_holder(fd)} for more than "
                        f"{timeout_s:.0f} s ({lock_path})"
                    ) from None
                time.sleep(poll_s)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _holder(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode().strip() or "?"
    except OSError:
        return "?"
