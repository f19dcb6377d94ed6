"""`dbt build` in a process of its own, started while the documents are still being read.

In the run's own process the build came last and cold: importing dbt (~1 s), its first parse
and adapter set-up (~1 s), then the nodes, all on the run's critical path and all competing for
one interpreter lock with Prefect and Great Expectations. `DbtProcess` starts a spawned process
when a run knows it has documents to read: it imports dbt and parses the project
(`warehouse.dbt.prepare`) while the workers read and GX validates, then waits. The flow hands it
the selection once the rows are loaded; the build starts from the parsed manifest, and its
result comes back over a pipe. The run's own process never imports dbt.

The process runs niced, below the run's own work: its parse fills time the cores would idle.
It does nothing to the warehouse before it is asked to build, and only the run holding the
warehouse lock asks. A run that needs no build closes the pipe, and so does a run that dies: the
process then exits without building. If the process dies itself, the build is reported failed
with its exit code (the published marts are left as they were, as for any failed build). Its
parse folder is cleared by the next build (`warehouse.dbt`), whichever process runs it.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Mapping, Sequence
from contextlib import suppress
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from warehouse.dbt import BuildResult


def _serve(
    conn: Connection,
    project_dir: str,
    profiles_dir: str,
    data_dir: str,
    dbt_vars: Mapping[str, Any] | None,
) -> None:
    """The process: prepare, then one build if asked (a closed pipe: exit without one)."""
    # Below the run's own work: the parse fills the time the cores would idle, and never slows
    # the reading or the validation the build has to wait for anyway.
    with suppress(OSError):
        os.nice(10)
    from warehouse import dbt

    with suppress(Exception):  # the build parses again and reports what is wrong
        dbt.prepare(project_dir, profiles_dir, data_dir, dbt_vars)
    try:
        request = conn.recv()
    except EOFError:  # no build wanted
        dbt.discard_prepared()
        return
    try:
        result = dbt.build(**request)
    except Exception as e:  # reported as the build's failure, like a failed node
        result = BuildResult(False, (f"dbt: {type(e).__name__}: {e}",))
    conn.send(result)
    conn.close()


def _normalised(
    project_dir: Path | str,
    profiles_dir: Path | str,
    data_dir: Path | str,
    dbt_vars: Mapping[str, Any] | None,
) -> tuple[str, str, str, dict[str, Any]]:
    """The arguments as the process gets them: resolved paths, the vars as a plain dict."""
    paths = (str(Path(p).resolve()) for p in (project_dir, profiles_dir, data_dir))
    return (*paths, dict(dbt_vars or {}))  # type: ignore[return-value]


class DbtProcess:
    """A dbt process prepared for one project, profile, data dir and vars; builds once."""

    def __init__(
        self,
        project_dir: Path | str,
        profiles_dir: Path | str,
        data_dir: Path | str,
        dbt_vars: Mapping[str, Any] | None = None,
    ) -> None:
        self.args = _normalised(project_dir, profiles_dir, data_dir, dbt_vars)
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._process = ctx.Process(target=_serve, args=(child, *self.args), name="zvit-dbt")
        self._process.start()
        child.close()

    def matches(
        self,
        project_dir: Path | str,
        profiles_dir: Path | str,
        data_dir: Path | str,
        dbt_vars: Mapping[str, Any] | None,
    ) -> bool:
        """Prepared for these arguments (else its parse would not be the build's)."""
        return _normalised(project_dir, profiles_dir, data_dir, dbt_vars) == self.args

    def build(self, select: Sequence[str] | None = None) -> BuildResult:
        """`warehouse.dbt.build` with the prepared arguments, in the process; waits for it."""
        project_dir, profiles_dir, data_dir, dbt_vars = self.args
        request = {
            "project_dir": project_dir,
            "profiles_dir": profiles_dir,
            "data_dir": data_dir,
            "dbt_vars": dbt_vars,
            "select": list(select) if select else None,
        }
        try:
            self._conn.send(request)
            result = self._conn.recv()
        except (EOFError, OSError):
            self._process.join(10)
            code = self._process.exitcode
            result = BuildResult(False, (f"dbt: its process ended (exit code {code})",))
        self.close()
        return result

    def close(self) -> None:
        """Let the process end: after its build it exits by itself, unused the closed pipe
        tells it to. Not waited for: its interpreter's teardown (~0.4 s; a cut-short exit would
        leave dbt's semaphores behind) overlaps the run's publishing, and multiprocessing joins
        it when this process exits."""
        self._conn.close()
