"""Warm Great Expectations and dbt in a background thread while the run waits on other things.

A run that has documents to read spends seconds waiting: on Prefect's temporary server starting
(a separate process), then on the capped worker processes reading the documents. Meanwhile the
main process is idle, and the steps after extraction start cold: importing GX (~2-3 s), opening
its file context with the suites and validation definitions (~0.4 s), importing dbt (~1.5 s).
`start` does that work in a daemon thread during the wait; `validator` hands the warmed
`Validator` to the load step (joining the thread first, so nothing is touched by two threads).

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

from zvit.validation import Validator

log = logging.getLogger(__name__)

_lock = threading.Lock()
_thread: threading.Thread | None = None
_validator: Validator | None = None


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


def _warm(validator: Validator) -> None:
    with frozen_imports():
        try:
            validator.warm()
        except Exception:  # met again, and reported, by the load step
            log.debug("warming the GX context failed", exc_info=True)
        try:
            from warehouse import dbt

            dbt.warm()
        except Exception:  # met again, and reported, by the dbt build
            log.debug("warming dbt failed", exc_info=True)


def start(docs_dir: Path) -> None:
    """Start warming a `Validator` for `docs_dir` (and dbt) once per process; idempotent."""
    global _thread, _validator
    with _lock:
        if _thread is not None and _validator is not None and _validator.docs_dir == docs_dir:
            return
        _validator = Validator(docs_dir=docs_dir)
        _thread = threading.Thread(
            target=_warm, args=(_validator,), name="zvit-warm-up", daemon=True
        )
        _thread.start()


def validator(docs_dir: Path) -> Validator:
    """The warmed `Validator` for `docs_dir` once its thread is done, else a new (cold) one.

    A warmed validator is handed out once: a second run in the same process starts its own."""
    global _thread, _validator
    with _lock:
        thread, warmed = _thread, _validator
        _thread = _validator = None
    if thread is None or warmed is None:
        return Validator(docs_dir=docs_dir)
    thread.join()
    return warmed if warmed.docs_dir == docs_dir else Validator(docs_dir=docs_dir)
