"""Read one document in its own process, with a memory cap and a wall-time limit.

Why a process per document and not a pool: a pool worker stuck in pdfminer cannot be stopped
(Prefect's task timeout does not interrupt blocking code in a thread, and a pool has no "kill this
job"), and a 1 MB PDF can inflate a stream into gigabytes. A process of our own can be capped
(`RLIMIT_DATA`, set before the parsers are imported) and killed at its deadline. Spawn start-up
costs ~1-2 s per document, which a nightly batch of reports does not notice.

Only stdlib (and the stdlib-only `zvit.limits`) is imported at module level: the child sets its
limits before polars, pdfminer or python-docx are loaded.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from zvit.limits import Limits

MiB = 1024 * 1024
EXIT_OUT_OF_MEMORY = 3


@dataclass(frozen=True)
class WorkerStats:
    """How the worker ended: for the run summary and the reliability figures."""

    seconds: float
    peak_rss_mb: float | None = None
    exit_code: int | None = None
    killed: bool = False
    kill_latency_s: float | None = None


def run_isolated(path: Path, limits: Limits) -> tuple[Any | None, str | None, WorkerStats]:
    """Run `zvit.extract.extract(path)` in a fresh capped process.

    Returns (result, error code, stats): the `Extracted` it sent back, or None with
    `timeout` / `resource_limit` / `extract_error` when it was killed or died.
    """
    ctx = multiprocessing.get_context("spawn")  # never fork Prefect's or DuckDB's threads
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child,
        args=(sender, str(path), limits.memory_mb * MiB),
        name=f"zvit-extract-{path.name[:40]}",
        daemon=True,
    )
    started = time.monotonic()
    proc.start()
    sender.close()  # the child holds the only write end: EOF here means it is gone
    result: Any | None = None
    code: str | None = None
    killed = False
    kill_latency = None
    if receiver.poll(limits.timeout_s):
        try:
            result = receiver.recv()
        except (EOFError, OSError):
            result = None  # died without a word: a crash or the kernel's OOM killer
    else:
        deadline = time.monotonic()
        proc.kill()
        proc.join()
        killed, kill_latency = True, time.monotonic() - deadline
        code = "timeout"
    receiver.close()
    proc.join(timeout=30)
    if proc.is_alive():  # sent its result but hangs on exit: do not wait for it
        proc.kill()
        proc.join()
    peak = None
    if isinstance(result, tuple):
        result, peak = result
    elif code is None:
        code = _death_code(proc.exitcode)
    stats = WorkerStats(
        seconds=time.monotonic() - started,
        peak_rss_mb=peak,
        exit_code=proc.exitcode,
        killed=killed,
        kill_latency_s=kill_latency,
    )
    return result, code, stats


def _death_code(exitcode: int | None) -> str:
    """A worker that died without sending: killed or aborted on allocation -> memory."""
    if exitcode == EXIT_OUT_OF_MEMORY:
        return "resource_limit"
    if exitcode is not None and -exitcode in (signal.SIGKILL, signal.SIGABRT, signal.SIGSEGV):
        return "resource_limit"
    return "extract_error"


def _child(sender: Connection, path: str, memory_bytes: int) -> None:
    """Worker entry point: cap ourselves, then import the parsers and extract."""
    _die_with_parent()
    resource.setrlimit(resource.RLIMIT_DATA, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.environ.setdefault("POLARS_MAX_THREADS", "1")  # one document, one core; fewer stacks
    try:
        from zvit.extract import extract

        result = extract(Path(path))
    except MemoryError:
        sys.exit(EXIT_OUT_OF_MEMORY)  # too little left to build a reply; the parent maps it
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sender.send((result, round(peak_mb, 1)))
    sender.close()


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when the run that started it dies (no orphans)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
