"""Flow-run heartbeats that do not hold up the end of a run.

Against a long-lived Prefect server a flow run sends heartbeats (events that let an automation
mark a run whose process died as crashed). Prefect 3 sends them from a thread that sleeps in 1 s
steps, and a synchronous flow's end joins that thread: every nightly run waited 0-1 s (0.5 s on
average, seen up to 0.9 s of a 9.6 s run) for the thread's next step. Prefect's asynchronous
engine already leaves the thread to stop on its own (`join_on_exit=False`); `apply` makes the
synchronous engine do the same. The heartbeats themselves are unchanged: same thread, same
events, same frequency; after the flow's end the stop flag is set and the thread sends nothing
more, it only finishes its last sleep.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_MARK = "_zvit_unjoined"


def apply() -> bool:
    """Make synchronous flow runs stop their heartbeat thread without waiting for it.

    Idempotent. Returns False, changing nothing, if this Prefect has no `_send_heartbeats` with a
    `join_on_exit` switch (the runs are then as before, only slower to end)."""
    from prefect import flow_engine

    original: Callable[..., Any] | None = getattr(flow_engine, "_send_heartbeats", None)
    if original is None:
        return False
    if getattr(original, _MARK, False):
        return True
    try:
        if "join_on_exit" not in inspect.signature(original).parameters:
            return False
    except (TypeError, ValueError):
        return False

    @contextmanager
    def send_heartbeats(engine: Any, join_on_exit: bool = True) -> Iterator[None]:
        with original(engine, join_on_exit=False):
            yield

    setattr(send_heartbeats, _MARK, True)
    send_heartbeats.__wrapped__ = original  # type: ignore[attr-defined]
    flow_engine._send_heartbeats = send_heartbeats
    return True
