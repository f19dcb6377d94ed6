"""Failpoints: named places where a test has this process killed, to prove a crash there loses
nothing. Inert unless the environment variable `ZVIT_FAILPOINT` names the point.

A SIGKILL (not an exception) is what a power cut, the OOM killer or `kill -9` of a nightly run
does: no `finally`, no rollback by us, only what the files on disk say afterwards.
"""

from __future__ import annotations

import os
import signal

FAILPOINT_ENV = "ZVIT_FAILPOINT"

POINTS = (
    "load_mid_transaction",  # rows inserted, the ledger not yet written, nothing committed
    "after_load_commit",  # a document committed, its file not yet moved out of processing/
    "before_publish_rename",  # marts copied into the temporary file, not yet renamed
)


def failpoint(name: str) -> None:
    """Kill this process here when `ZVIT_FAILPOINT` equals `name`."""
    if name not in POINTS:
        raise ValueError(f"unknown failpoint {name!r}")
    if os.environ.get(FAILPOINT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
