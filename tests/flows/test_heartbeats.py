"""A synchronous flow's end does not wait for its heartbeat thread (`zvit.heartbeats`), and the
heartbeats still run: the thread starts with the flow and stops on its own after it."""

from __future__ import annotations

import threading

from prefect import flow
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

import flows.nightly  # noqa: F401  (applies zvit.heartbeats, as a deployment's import does)
from zvit import heartbeats


def _heartbeat_threads() -> list[threading.Thread]:
    """Prefect's heartbeat threads: their target runs `heartbeat_loop` (read off the threads'
    private `_args`, as nothing public names them)."""
    found = []
    for thread in threading.enumerate():
        args = getattr(thread, "_args", ())
        if args and getattr(args[0], "__name__", "") == "heartbeat_loop":
            found.append(thread)
    return found


def test_a_flow_returns_while_its_heartbeat_thread_finishes_its_sleep() -> None:
    assert heartbeats.apply() is True  # idempotent: already applied by the flow's module

    @flow
    def tiny() -> int:
        return len(_heartbeat_threads())

    before = set(_heartbeat_threads())
    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: 30}):
        during = tiny()
    after = [t for t in _heartbeat_threads() if t not in before]
    assert during >= 1  # heartbeats on while the flow ran
    assert len(after) == 1 and after[0].is_alive()  # not joined: still in its 1 s sleep step
    after[0].join(timeout=10)
    assert not after[0].is_alive()  # told to stop: it ends by itself, sending nothing more
