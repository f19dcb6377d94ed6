"""Warm Great Expectations and dbt in a background thread while the run waits on other things.

A run that has documents to read spends seconds waiting: on Prefect's temporary server starting
(a separate process), then on the capped worker processes reading the documents. Meanwhile the
main process is idle, and the steps after extraction start cold: importing GX (~2-3 s), opening
its file context with the suites and validation definitions (~0.4 s), importing dbt (~1.5 s).
`start` does that work in a daemon thread during the wait; `validator` hands the warmed
`Validator` to the load step once the thread is done with it (so nothing is touched by two
threads), while the thread goes on importing dbt; the dbt build waits for that import on
`warehouse.dbt`'s lock.

Nothing here changes what a run does: the same context, suites and runner are created, only
earlier. A failure while warming is not reported here: the real call meets it again and reports
it where it belongs (a run with nothing to validate never starts a warm-up, so it still imports
neither GX nor dbt).
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zvit.validation import Validator

if TYPE_CHECKING:
    from warehouse.dbt_process import DbtProcess

log = logging.getLogger(__name__)

_lock = threading.Lock()
_ready: threading.Event | None = None
"""Set once the warm-up thread is done with GX (it goes on with dbt)."""
_validator: Validator | None = None
_dbt: DbtProcess | None = None
DbtArgs = tuple[Path, Path, Path, dict[str, Any]]
"""What `warehouse.dbt.build` is called with besides the selection: project dir, profiles dir,
data dir, vars."""


@contextmanager
def frozen_imports() -> Iterator[None]:
    """No cyclic garbage collection while frameworks are imported and set up, then move what
    they built out of its reach (`gc.freeze`).

    Prefect, GX and dbt leave a heap of millions of long-lived objects; every full collection
    walks all of it, and their imports alone set off several: full collections took ~3 s of a
    run here. Imports make next to no cyclic garbage, so pausing the collector costs nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _warm(validator: Validator, gx_ready: threading.Event, with_dbt: bool) -> None:
    with frozen_imports():
        try:
            validator.warm()
        except Exception:  # met again, and reported, by the load step
            log.debug("warming the GX context failed", exc_info=True)
        finally:
            gx_ready.set()  # the validator is the load step's from here on: not touched again
        if not with_dbt:
            return
        try:
            from warehouse import dbt

            dbt.warm()  # the dbt build waits for this (`warehouse.dbt`'s lock), not the load
        except Exception:  # met again, and reported, by the dbt build
            log.debug("warming dbt failed", exc_info=True)


def start(docs_dir: Path, dbt: DbtArgs | None = None) -> None:
    """Start warming a `Validator` for `docs_dir` once per process (idempotent), and dbt: with
    `dbt` (project dir, profiles dir, data dir, vars) in a process of its own that parses that
    project (`warehouse.dbt_process`), else imported in this process's warm-up thread."""
    global _ready, _validator, _dbt
    with _lock:
        if _ready is not None and _validator is not None and _validator.docs_dir == docs_dir:
            return
        _validator, _ready = Validator(docs_dir=docs_dir), threading.Event()
        if dbt is not None and _dbt is None:
            from warehouse.dbt_process import DbtProcess

            _dbt = DbtProcess(*dbt)
        thread = threading.Thread(
            target=_warm, args=(_validator, _ready, dbt is None), name="zvit-warm-up", daemon=True
        )
        thread.start()


def validator(docs_dir: Path) -> Validator:
    """The warmed `Validator` for `docs_dir` once GX is warm, else a new (cold) one.

    A warmed validator is handed out once: a second run in the same process starts its own."""
    global _ready, _validator
    with _lock:
        ready, warmed = _ready, _validator
        _ready = _validator = None
    if ready is None or warmed is None:
        return Validator(docs_dir=docs_dir)
    ready.wait()
    return warmed if warmed.docs_dir == docs_dir else Validator(docs_dir=docs_dir)


def _take_dbt() -> DbtProcess | None:
    """The dbt process `start` began and nobody took yet; from now on the caller's."""
    global _dbt
    with _lock:
        process, _dbt = _dbt, None
    return process


def dbt_process(dbt: DbtArgs) -> DbtProcess | None:
    """The dbt process `start` began, if it was prepared for exactly these arguments (handed
    out once); one prepared for others is closed."""
    process = _take_dbt()
    if process is None:
        return None
    if process.matches(*dbt):
        return process
    process.close()
    return None


@contextmanager
def unused_closed() -> Iterator[None]:
    """On leaving, close a dbt process nobody took (the run needed no build, or failed
    before it)."""
    try:
        yield
    finally:
        process = _take_dbt()
        if process is not None:
            process.close()
