"""Read one document in its own process, with a memory cap and a wall-time limit.

Why a process per document and not a pool: a pool worker stuck in pdfminer cannot be stopped
(Prefect's task timeout does not interrupt blocking code in a thread, and a pool has no "kill this
job"), and a 1 MB PDF can inflate a stream into gigabytes. A process of our own can be capped
(`RLIMIT_DATA`, set before the parsers are imported) and killed at its deadline. Spawn start-up
costs ~1-2 s per document, which a nightly batch of reports does not notice.

Only stdlib (and the stdlib-only `zvit.limits`) is imported at module level: the child sets its
limits before polars, pdfminer or python-docx are loaded.

A long PDF is read by several such processes at once when worker slots are free (`run_isolated`
with `spare`): the lead worker counts the pages and reads the first range, helpers read the
others, and the lead stitches all pages and finishes the document, so the parent only passes
messages. Pages are read independently (`reader.pdf.read_pdf_pages`) and stitched in one place
(`reader.pdf.assemble`): the result is the one-worker result.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import multiprocessing
import os
import resource
import signal
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from zvit.limits import OCR_PAGE_WEIGHT, Limits

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
    workers: int = 1
    """Processes that read the document: more than one when it was read in page ranges."""


def run_isolated(
    path: Path, limits: Limits, spare: threading.Semaphore | None = None
) -> tuple[Any | None, str | None, WorkerStats]:
    """Run `zvit.extract.extract(path)` in a fresh capped process.

    Returns (result, error code, stats): the `Extracted` it sent back, or None with
    `timeout` / `resource_limit` / `extract_error` when it was killed or died.

    With `spare` (the run's worker slots, this document already holding one), a PDF of more
    than `limits.pages_per_worker` pages is read in page ranges by as many processes as there
    are free slots (pages OCR will read weigh `OCR_PAGE_WEIGHT` each: `_weight`); each has the
    memory cap, `limits.timeout_s` bounds the whole document.
    """
    if spare is not None and limits.pages_per_worker > 0:
        return _run_split(path, limits, spare)
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
    _cap(memory_bytes)
    try:
        from zvit.extract import extract

        result = extract(Path(path))
    except MemoryError:
        sys.exit(EXIT_OUT_OF_MEMORY)  # too little left to build a reply; the parent maps it
    peak_mb = peak_rss_mb()
    sender.send((result, round(peak_mb, 1)))
    sender.close()


def peak_rss_mb() -> float:
    """This process's own peak RSS in MB (`VmHWM`: since its exec).

    Not `ru_maxrss`: Linux carries it over an exec from the forked image, so a spawned worker's
    figure started at its parent's RSS (~250-500 MB of Prefect, GX and dbt), not its own."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cap(memory_bytes: int) -> None:
    """Limits every worker sets on itself before it imports a parser."""
    _die_with_parent()
    resource.setrlimit(resource.RLIMIT_DATA, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.environ.setdefault("POLARS_MAX_THREADS", "1")  # one document, one core; fewer stacks


def page_ranges(n_pages: int, parts: int) -> list[tuple[int, int | None]]:
    """`parts` consecutive 1-based page ranges of about equal length; the last is open-ended, so
    pages the count missed (pdfium and pdfminer may disagree on a damaged file) are still read."""
    bounds = [round(i * n_pages / parts) for i in range(parts + 1)]
    ranges: list[tuple[int, int | None]] = [(a + 1, b) for a, b in itertools.pairwise(bounds)]
    ranges[-1] = (ranges[-1][0], None)
    return ranges


def _run_split(
    path: Path, limits: Limits, spare: threading.Semaphore
) -> tuple[Any | None, str | None, WorkerStats]:
    """`run_isolated` for a document that may be read in page ranges (see the module doc)."""
    ctx = multiprocessing.get_context("spawn")
    started = time.monotonic()
    deadline = started + limits.timeout_s
    memory = limits.memory_mb * MiB
    lead_end, child_end = ctx.Pipe(duplex=True)
    lead = ctx.Process(
        target=_lead_child,
        args=(child_end, str(path), memory),
        name=f"zvit-extract-{path.name[:40]}",
        daemon=True,
    )
    lead.start()
    child_end.close()
    helpers: list[tuple[BaseProcess, Connection]] = []
    held = 0  # spare slots this document holds for its helpers
    peaks: list[float] = []
    code: str | None = None
    result: Any | None = None
    try:
        count = _receive(lead_end, deadline)
        if count is _TIMEOUT:
            code = "timeout"
        elif count is not _DIED:
            _, n_pages, weight = count
            ranges = None
            if n_pages and weight > limits.pages_per_worker:
                wanted = min(math.ceil(weight / limits.pages_per_worker), n_pages) - 1
                while held < wanted and spare.acquire(blocking=False):
                    held += 1
                if held:
                    ranges = page_ranges(n_pages, held + 1)
            with contextlib.suppress(OSError):  # a lead that died is seen at the next receive
                lead_end.send(ranges[0] if ranges else None)
            for first, last in (ranges or [])[1:]:
                helpers.append(_start_range(ctx, path, first, last, memory))
            if helpers:
                code = _feed_lead(lead_end, helpers, limits, deadline, peaks)
                if code is None:  # every helper has ended: their slots go back now
                    held = _release(spare, held)
            if code is None:
                reply = _receive(lead_end, deadline)
                if reply is _TIMEOUT:
                    code = "timeout"
                elif reply is not _DIED:
                    result, peak = reply
                    peaks.append(peak)
    finally:
        killed_at = time.monotonic()
        for proc in [lead, *(p for p, _ in helpers)]:
            if proc.is_alive():
                proc.kill()
            proc.join()
        _release(spare, held)
        lead_end.close()
    if result is None and code is None:
        code = _death_code(lead.exitcode)
    stats = WorkerStats(
        seconds=time.monotonic() - started,
        peak_rss_mb=max(peaks, default=None),
        exit_code=lead.exitcode,
        killed=code == "timeout",
        kill_latency_s=time.monotonic() - killed_at if code == "timeout" else None,
        workers=1 + len(helpers),
    )
    return result, code, stats


_TIMEOUT = object()
_DIED = object()


def _receive(conn: Connection, deadline: float) -> Any:
    """The next message on `conn` before `deadline`, `_TIMEOUT`, or `_DIED` (the other end is
    gone without a word)."""
    if not conn.poll(max(0.0, deadline - time.monotonic())):
        return _TIMEOUT
    try:
        return conn.recv()
    except (EOFError, OSError):
        return _DIED


def _release(spare: threading.Semaphore, held: int) -> int:
    for _ in range(held):
        spare.release()
    return 0


def _start_range(
    ctx: Any, path: Path, first: int, last: int | None, memory: int
) -> tuple[BaseProcess, Connection]:
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_range_child,
        args=(sender, str(path), memory, first, last),
        name=f"zvit-pages-{first}-{path.name[:30]}",
        daemon=True,
    )
    proc.start()
    sender.close()
    return proc, receiver


def _feed_lead(
    lead: Connection,
    helpers: list[tuple[BaseProcess, Connection]],
    limits: Limits,
    deadline: float,
    peaks: list[float],
) -> str | None:
    """Wait for every helper's pages and send them, in page order, to the lead worker (or the
    first failure in page order, which the lead raises after its own pages, so an error on an
    earlier page still wins, as in one worker). Returns "timeout" at the deadline; returns None
    at once when the lead ends early (it failed on its own pages; its reply says why)."""
    replies: dict[int, Any] = {}
    pending = {conn: i for i, (_, conn) in enumerate(helpers)}
    while pending:
        ready = wait([lead, *pending], timeout=max(0.0, deadline - time.monotonic()))
        if not ready:
            return "timeout"
        if lead in ready:
            for proc, _ in helpers:  # the lead's own error wins; the other ranges are moot
                if proc.is_alive():
                    proc.kill()
                proc.join()
            return None
        for conn in ready:
            i = pending.pop(conn)  # type: ignore[call-overload]
            proc = helpers[i][0]
            reply = _receive(conn, deadline)
            proc.join(timeout=30)
            if isinstance(reply, tuple):
                replies[i], peak = reply
                peaks.append(peak)
            else:
                code = _death_code(proc.exitcode)
                detail = (
                    f"a page-range worker died at the {limits.memory_mb} MB cap"
                    if code == "resource_limit"
                    else f"a page-range worker exited with code {proc.exitcode}"
                )
                replies[i] = ("error", code, detail)
    ordered = [replies[i] for i in range(len(helpers))]
    failed = next((r for r in ordered if r[0] != "ok"), None)
    with contextlib.suppress(OSError):  # the lead is gone: its exit code says why
        lead.send(failed or ("ok", [page for r in ordered for page in r[1]]))
    return None


def _lead_child(conn: Connection, path: str, memory_bytes: int) -> None:
    """Lead worker: count the pages, then extract the whole document or, as the parent says,
    read the first range, take the other ranges' pages from the parent and finish the document."""
    _cap(memory_bytes)
    try:
        census = _census(Path(path))
        n_pages = census[0] if census else None
        conn.send(("pages", n_pages, _weight(census) if census else 0.0))
        plan = conn.recv()
        from zvit.extract import extract, ranged_reader

        if plan is None:
            result = extract(Path(path))
        else:
            result = extract(Path(path), ranged_reader(*plan, rest=conn.recv))
    except MemoryError:
        sys.exit(EXIT_OUT_OF_MEMORY)
    peak_mb = peak_rss_mb()
    conn.send((result, round(peak_mb, 1)))
    conn.close()


def _range_child(
    sender: Connection, path: str, memory_bytes: int, first: int, last: int | None
) -> None:
    """Page-range worker: read pages `first`..`last`, send them unstitched."""
    _cap(memory_bytes)
    try:
        from zvit.extract import read_range

        reply = read_range(Path(path), first, last)
    except MemoryError:
        sys.exit(EXIT_OUT_OF_MEMORY)
    peak_mb = peak_rss_mb()
    sender.send((reply, round(peak_mb, 1)))
    sender.close()


CENSUS_SAMPLES = 8


def _census(path: Path) -> tuple[int, float] | None:
    """Pages of a PDF and the share of them without a text layer (OCR's work, as the reader
    tells: no character but blanks), by pypdfium2 from up to `CENSUS_SAMPLES` pages spread
    over the document (a few milliseconds, no layout); None for anything else or a file pdfium
    cannot open (the reader then says what is wrong with it)."""
    try:
        with path.open("rb") as f:
            if b"%PDF-" not in f.read(1024):
                return None
        import pypdfium2

        pdf = pypdfium2.PdfDocument(path)
        try:
            n = len(pdf)
            if not n:
                return 0, 0.0
            spread = CENSUS_SAMPLES - 1
            picked = sorted({round(i * (n - 1) / spread) for i in range(CENSUS_SAMPLES)})
            blank = sum(not _page_text(pdf, i).strip() for i in picked)
            return n, blank / len(picked)
        finally:
            pdf.close()
    except Exception:
        return None


def _page_text(pdf: Any, index: int) -> str:
    page = pdf[index]
    try:
        text = page.get_textpage()
        try:
            return text.get_text_range()
        finally:
            text.close()
    finally:
        page.close()


def _weight(census: tuple[int, float]) -> float:
    """The reading's cost in text pages: a page OCR will read weighs `OCR_PAGE_WEIGHT` (when
    OCR is installed; else such pages are only reported, as cheap as text)."""
    n_pages, scanned = census
    if scanned:
        from reader.ocr import available

        if not available():
            scanned = 0.0
    return n_pages * (1 - scanned) + n_pages * scanned * OCR_PAGE_WEIGHT


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
