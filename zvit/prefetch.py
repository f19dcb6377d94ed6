"""Start reading new documents before the flow starts (`zvit run` only).

`zvit run` spends its first second importing Prefect and creating the flow run, and without
`PREFECT_API_URL` several more starting Prefect's temporary server; meanwhile the second core is
idle and nothing is read. Once the preflight has seen new work, `start` reads the inbox's new
documents in the same capped worker processes the flow uses (`zvit.workers.run_isolated`), at
most `workers` at once, in a thread of this process. Each is read from a snapshot (a hard link,
else a copy, under `<data_dir>/.prefetch-*/`): a claimed inbox moves its files while they are
read. The flow's extraction step then takes a
finished read (`take`) instead of starting one, for the same bytes only: the worker hashes what
it read, and a result whose hash is not the claimed file's is dropped and the file read again.

What a read produces does not depend on when it runs, so the flow's outcome is the same; what is
prefetched is only the work the flow would do first. Which files: regular files in the inbox
that have stopped changing, each first copy of its bytes, not current in the ledger (read
read-only, and only if no other run holds the warehouse: then nothing is prefetched). Worker
slots are shared with the flow (`slots`), so a run never has more than `workers` processes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import threading
from concurrent.futures import Future
from pathlib import Path

from reader.sniff import sha256_file
from zvit import inbox as inbox_files
from zvit.extract import Extracted
from zvit.settings import Limits, Settings
from zvit.workers import WorkerStats, run_isolated

log = logging.getLogger(__name__)

Read = tuple[Extracted | None, str | None, WorkerStats]
"""What `run_isolated` returns: the result (None if the worker was killed), its code, stats."""

_lock = threading.Lock()
_slots: dict[int, threading.Semaphore] = {}
_reads: dict[str, Future[Read]] = {}
"""sha256 -> the read of those bytes, started here."""
_runs: list[tuple[threading.Thread, threading.Event]] = []
"""Prefetch threads, each with the event it sets once its reads are registered in `_reads`."""


def slots(workers: int) -> threading.Semaphore:
    """The process's worker slots for `workers`: one semaphore shared by prefetch and flow."""
    with _lock:
        return _slots.setdefault(workers, threading.Semaphore(workers))


def start(inbox_dir: Path, settings: Settings) -> None:
    """Begin reading the new documents of `inbox_dir` in the background; returns at once."""
    listed = threading.Event()
    thread = threading.Thread(
        target=_run, args=(inbox_dir, settings, listed), name="zvit-prefetch", daemon=True
    )
    with _lock:
        _runs.append((thread, listed))
    thread.start()


def _run(inbox_dir: Path, settings: Settings, listed: threading.Event) -> None:
    folder = None
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=".prefetch-", dir=settings.data_dir))
        futures = _register(_new_files(inbox_dir, settings), folder)
    except Exception:  # the flow finds the files itself and reports what is wrong
        log.debug("prefetch: listing the inbox failed", exc_info=True)
        futures = []
    finally:
        listed.set()  # `take` waits for this, whatever happened
    pool = slots(settings.workers)
    threads = []
    for path, future in futures:
        pool.acquire()  # released when that read ends: at most `workers` processes at once
        thread = threading.Thread(
            target=_read, args=(path, settings.limits, pool, future), daemon=True
        )
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _register(new: list[tuple[Path, str]], folder: Path) -> list[tuple[Path, Future[Read]]]:
    """A snapshot and a pending read for each new file not being read already."""
    futures: list[tuple[Path, Future[Read]]] = []
    with _lock:
        for index, (path, sha) in enumerate(new):
            if sha in _reads:
                continue
            snapshot = _snapshot(path, folder / str(index))
            if snapshot is not None:
                future: Future[Read] = Future()
                _reads[sha] = future
                futures.append((snapshot, future))
    return futures


def _snapshot(path: Path, folder: Path) -> Path | None:
    """The file's bytes at a path of their own (a hard link, else a copy), under its own name:
    a claimed inbox moves the file while it is read, the snapshot stays. None if it is gone."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    try:
        try:
            os.link(path, target)
        except OSError:
            shutil.copyfile(path, target)
    except FileNotFoundError:
        return None
    return target


def _read(path: Path, limits: Limits, pool: threading.Semaphore, future: Future[Read]) -> None:
    try:
        future.set_result(run_isolated(path, limits, pool))
    except Exception as e:
        future.set_exception(e)
    finally:
        pool.release()
        path.unlink(missing_ok=True)


def _new_files(inbox_dir: Path, settings: Settings) -> list[tuple[Path, str]]:
    """Ready files of the inbox whose bytes the ledger does not hold current, each once."""
    from zvit.preflight import current_in_ledger

    found = inbox_files.scan(inbox_dir, settings.min_file_age_s)
    hashed: dict[str, Path] = {}
    for path in found.ready:
        before = path.stat()
        sha = sha256_file(path)
        if inbox_files.is_stable(path, before):
            hashed.setdefault(sha, path)
    current = current_in_ledger(settings, list(hashed))
    if current is None:  # another run holds the warehouse: leave everything to the flow
        return []
    return [(path, sha) for sha, path in hashed.items() if sha not in current]


def take(sha256: str) -> Read | None:
    """The prefetched read of these bytes (waiting for it to finish), once; None if none was
    started or it failed to run. Waits first for prefetches still listing the inbox."""
    with _lock:
        pending = [listed for _, listed in _runs]
    for listed in pending:
        listed.wait()
    with _lock:
        future = _reads.pop(sha256, None)
    if future is None:
        return None
    try:
        result, code, stats = future.result()
    except Exception:
        log.debug("prefetch: a read failed to run", exc_info=True)
        return None
    if result is not None and result.document.sha256 != sha256:
        return None  # the file changed (or moved) under the read: the flow reads it again
    return result, code, stats


def wait_unused() -> None:
    """Wait for every read started here, and drop those the flow did not take (a file it did
    not read after all): no worker or snapshot outlives the run."""
    with _lock:
        runs = list(_runs)
        _runs.clear()
    for thread, _ in runs:  # all its reads done, its snapshots removed
        thread.join()
    with _lock:
        futures = list(_reads.values())
        _reads.clear()
    for future in futures:
        with contextlib.suppress(Exception):
            future.result()
