"""Run dbt in-process: `dbt build` (seeds, models, data tests, unit tests) and `dbt docs generate`
(`--static`: one self-contained HTML file).

One `dbtRunner` per process: importing dbt costs ~2 s, a repeat build in the same process ~0.5 s.
The DuckDB path comes from `ZVIT_DATA_DIR` (read by `dbt_project/profiles.yml`), set here to the
absolute data dir for the call. dbt's target/ and logs/ go under `<data_dir>/dbt/`, so a build
never writes into the checkout.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from warehouse.publish import MARTS_SCHEMA

DATA_DIR_ENV = "ZVIT_DATA_DIR"
SOURCE = "reports"
"""The dbt source (`models/staging/_reports__sources.yml`) naming the raw tables."""
PER_DOCUMENT = frozenset({"documents", "document_rows", "document_titles"})
"""Raw tables every document writes, read by the type marts only for their own documents."""
CORE_MARTS = "path:models/marts/core"
FAILED_STATUSES = frozenset({"error", "fail", "runtime error"})

_runner: Any = None
_lock = threading.Lock()


@dataclass(frozen=True)
class BuildResult:
    """What a `dbt build` did: success, the nodes that failed and why, rows per mart table."""

    success: bool
    failures: tuple[str, ...] = ()
    """`<node name>: <message>` for every node with status error/fail."""
    row_counts: dict[str, int] = field(default_factory=dict)
    """`marts.<table>` -> rows, read from the warehouse after the build."""


def target_dirs(data_dir: Path | str) -> tuple[Path, Path]:
    """Where dbt writes its target/ and logs/ for this data dir."""
    base = Path(data_dir).resolve() / "dbt"
    return base / "target", base / "logs"


def _get_runner() -> Any:
    """The process's one dbtRunner, created on first use (no work at import time)."""
    global _runner
    if _runner is None:
        from dbt.cli.main import dbtRunner

        _runner = dbtRunner()
    return _runner


def warm() -> None:
    """Import dbt and its DuckDB adapter and create the runner now, not at the first build
    (`zvit.warmup` calls it while the documents are being read)."""
    with _lock:
        _get_runner()
        import dbt.adapters.duckdb  # noqa: F401


@contextmanager
def _data_dir_env(data_dir: Path) -> Iterator[None]:
    """Set `ZVIT_DATA_DIR` for dbt's `env_var()` during one call, then restore it."""
    old = os.environ.get(DATA_DIR_ENV)
    os.environ[DATA_DIR_ENV] = str(data_dir)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(DATA_DIR_ENV, None)
        else:
            os.environ[DATA_DIR_ENV] = old


def _invoke(
    command: list[str],
    project_dir: Path | str,
    profiles_dir: Path | str,
    data_dir: Path | str,
    dbt_vars: Mapping[str, Any] | None = None,
    runner: Any = None,
    paths: tuple[Path, Path] | None = None,
) -> Any:
    """Run one dbt command with zvit's paths and `dbt_vars` (`--vars`); dbt changes the working
    directory, so restore it. `runner` (one holding a parsed manifest) and `paths` (its own
    target/ and logs/) are for `prepare`."""
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    target_path, log_path = paths or target_dirs(data_dir)
    args = [
        *command,
        "--project-dir",
        str(Path(project_dir).resolve()),
        "--profiles-dir",
        str(Path(profiles_dir).resolve()),
        "--target-path",
        str(target_path),
        "--log-path",
        str(log_path),
        "--no-send-anonymous-usage-stats",
        "--no-use-colors",
        "--log-level",
        "warn",  # the console: warnings and errors only
        "--log-level-file",
        "info",  # <data_dir>/dbt/logs/dbt.log: every node's result
    ]
    if dbt_vars:
        args += ["--vars", json.dumps(dbt_vars, ensure_ascii=False)]
    cwd = Path.cwd()
    with _lock, _data_dir_env(data_dir):
        try:
            return (runner or _get_runner()).invoke(args)
        finally:
            os.chdir(cwd)
            _release_duckdb()


def _release_duckdb() -> None:
    """Close the DuckDB file dbt-duckdb keeps open after an in-process run.

    dbt-duckdb 1.11 caches its environment on the connection manager class and, after a
    `dbtRunner` invocation, still holds the database open (its handle count is back at 0, but the
    connection stays). The same process then cannot open the file with another configuration
    (read-only for publishing) and other processes are locked out until exit. Closing it here is
    safe: the next invocation creates a new environment.
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        env = DuckDBConnectionManager._ENV
        if env is not None:
            env.close()
            DuckDBConnectionManager._ENV = None


def downstream_of(raw_tables: Iterable[str]) -> list[str]:
    """`--select` arguments for everything built from these raw tables (`source:reports.<t>+`):
    their staging views, the marts made from them, and (dbt's eager indirect selection) every
    test and unit test on those nodes.

    The shared per-document tables (`PER_DOCUMENT`: the ledger, row provenance, titles) change
    with every document settled, and in dbt's lineage every type's marts hang below them. But a
    type's marts read them only for their own rows' documents (the `is_latest_report` and
    `read_from_pages` macros look up `source_sha256`), and those rows change only when that
    type's own tables do, which are then selected too. So for these tables only their staging
    views and the core marts that read them whole (`dim_documents`, ...) are selected, with
    everything built on the core marts.
    """
    select: list[str] = []
    for table in sorted(set(raw_tables)):
        if table in PER_DOCUMENT:
            select += [f"source:{SOURCE}.{table}+1", f"{CORE_MARTS}+"]
        else:
            select.append(f"source:{SOURCE}.{table}+")
    return select


@dataclass
class _Prepared:
    key: tuple[str, ...]
    runner: Any
    folder: Path
    """The parse's own target/ (and logs/): its partial-parse file replaces the shared one at
    the build, which holds the warehouse lock."""


_prepared: _Prepared | None = None
_preparing = threading.Lock()
WARM_PREFIX = "target-warm-"


def _vars_json(dbt_vars: Mapping[str, Any] | None) -> str:
    return json.dumps(dict(dbt_vars or {}), sort_keys=True, ensure_ascii=False)


def _key(
    project_dir: Path | str,
    profiles_dir: Path | str,
    data_dir: Path | str,
    vars_json: str,
    project: str,
) -> tuple[str, ...]:
    """What a prepared parse must match: the paths, the vars (`_vars_json`) and the project's
    fingerprint (`project_fingerprint`)."""
    paths = (str(Path(p).resolve()) for p in (project_dir, profiles_dir, data_dir))
    return (*paths, vars_json, project)


def prepare(
    project_dir: Path | str,
    profiles_dir: Path | str,
    data_dir: Path | str,
    dbt_vars: Mapping[str, Any] | None = None,
) -> bool:
    """Parse the project now, so the next `build` with the same arguments skips its parse.

    Runs outside the warehouse lock (while documents are read), so it writes nothing another
    run reads: it parses into a folder of its own (`<data_dir>/dbt/target-warm-<pid>/`), from a
    copy of the shared partial-parse file (a copy torn by another run's write only costs a full
    parse). Returns False, preparing nothing, if the parse failed: the build then parses, and
    reports what is wrong."""
    with _preparing:
        return _prepare(project_dir, profiles_dir, data_dir, dbt_vars)


def _prepare(
    project_dir: Path | str,
    profiles_dir: Path | str,
    data_dir: Path | str,
    dbt_vars: Mapping[str, Any] | None,
) -> bool:
    global _prepared
    target, _ = target_dirs(data_dir)
    folder = target.parent / f"{WARM_PREFIX}{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "target").mkdir(parents=True)
    shared = target / "partial_parse.msgpack"
    if shared.exists():
        with suppress(OSError):
            shutil.copyfile(shared, folder / "target" / shared.name)
    from dbt.cli.main import dbtRunner

    paths = (folder / "target", folder / "logs")
    res = _invoke(
        ["parse", "--no-write-json"],
        project_dir,
        profiles_dir,
        data_dir,
        dbt_vars,
        runner=dbtRunner(),
        paths=paths,
    )
    if not res.success or res.result is None:
        shutil.rmtree(folder, ignore_errors=True)
        return False
    project = project_fingerprint(project_dir)
    key = _key(project_dir, profiles_dir, data_dir, _vars_json(dbt_vars), project)
    _prepared = _Prepared(key, dbtRunner(manifest=res.result), folder)
    return True


def _take_prepared(key: tuple[str, ...], target: Path) -> Any:
    """The prepared runner if it was parsed for `key` (once), else None; either way its folder
    is cleared, its partial-parse file first moved to the shared target (the caller holds the
    warehouse lock). Folders other processes left behind when killed go too."""
    global _prepared
    prepared, _prepared = _prepared, None
    if prepared is not None:
        parsed = prepared.folder / "target" / "partial_parse.msgpack"
        if prepared.key == key and parsed.exists():
            target.mkdir(parents=True, exist_ok=True)
            os.replace(parsed, target / parsed.name)
        shutil.rmtree(prepared.folder, ignore_errors=True)
    for folder in target.parent.glob(f"{WARM_PREFIX}*"):
        pid = folder.name.removeprefix(WARM_PREFIX)
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
    return prepared.runner if prepared is not None and prepared.key == key else None


def discard_prepared() -> None:
    """Drop a prepared parse nobody will build from, and its folder."""
    global _prepared
    with _preparing:
        prepared, _prepared = _prepared, None
    if prepared is not None:
        shutil.rmtree(prepared.folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def build(
    project_dir: Path | str,
    profiles_dir: Path | str,
    data_dir: Path | str,
    dbt_vars: Mapping[str, Any] | None = None,
    select: Sequence[str] | None = None,
) -> BuildResult:
    """`dbt build` into `<data_dir>/warehouse.duckdb`; never raises for a failed node.

    `select` (dbt node selectors, e.g. from `downstream_of`) builds only those nodes, plus
    whatever changed in the dbt project since the last successful build (`state:modified+`
    against its manifest, kept in `<data_dir>/dbt/state/`); None or empty builds everything, and
    so does a build with no kept manifest or with other vars than the last good build's. When
    the project's files are unchanged too (`project_fingerprint`), the state comparison is
    skipped and unit tests are left out: they test model code, which passed them at that build.
    Nodes not selected keep the tables an earlier build left in the warehouse, which the publish
    step copies like the rebuilt ones.
    """
    command = ["build"]
    state = target_dirs(data_dir)[0].parent / "state"
    fingerprint = _vars_json(dbt_vars)
    kept, kept_project = state / "vars.json", state / "project.sha256"
    project = project_fingerprint(project_dir)
    unchanged = False  # the project as at the last good build: its kept manifest still holds
    if select and (state / "manifest.json").exists() and _read(kept) == fingerprint:
        command += ["--select", *dict.fromkeys(select)]
        unchanged = _read(kept_project) == project
        if unchanged:
            # The project's files and dbt are as at the last good build, so nothing is modified
            # (no state comparison needed) and its unit tests, which check model code against
            # fixed inputs, passed on this very code: only the data tests run again. Its
            # manifest is the kept one, so dbt does not write it again (1.3 MB of JSON and the
            # graph's pickle, ~0.3 s of a nightly run); run_results.json is written below.
            command += ["--exclude-resource-type", "unit_test", "--no-write-json"]
        else:
            # Models, tests or seeds changed since the last good build, and what is built on
            # them. A vocabulary change (the vars) is invisible to dbt's state comparison: it
            # builds all (above).
            command += ["state:modified+", "--state", str(state)]
    target = target_dirs(data_dir)[0]
    with _preparing:  # a parse under way for this build is waited for, not done twice
        key = _key(project_dir, profiles_dir, data_dir, fingerprint, project)
        runner = _take_prepared(key, target)
    res = _invoke(command, project_dir, profiles_dir, data_dir, dbt_vars, runner=runner)
    if unchanged and hasattr(res.result, "write"):  # what every node did, for the operator
        res.result.write(str(target / "run_results.json"))
    failures: list[str] = []
    for r in getattr(res.result, "results", None) or []:
        if str(r.status) in FAILED_STATUSES:
            message = " ".join(str(r.message or "").split())
            failures.append(f"{r.node.name}: {message}")
    if res.exception is not None:
        failures.append(f"dbt: {type(res.exception).__name__}: {res.exception}")
    success = bool(res.success) and not failures
    manifest = target / "manifest.json"
    if success and not unchanged and manifest.exists():
        state.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(manifest, state / "manifest.json")
        kept.write_text(fingerprint, encoding="utf-8")
        kept_project.write_text(project, encoding="utf-8")
    return BuildResult(success, tuple(failures), mart_row_counts(Path(data_dir).resolve()))


def project_fingerprint(project_dir: Path | str) -> str:
    """sha256 over the dbt project's files (relative paths and bytes; dbt's own target/, logs/
    and packages left out) and the versions of dbt and its DuckDB adapter: equal fingerprints
    mean dbt would parse the same manifest."""
    from importlib.metadata import PackageNotFoundError, version

    root = Path(project_dir).resolve()
    digest = hashlib.sha256()
    for name in ("dbt-core", "dbt-duckdb"):
        try:
            digest.update(f"{name}=={version(name)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{name} missing\n".encode())
    skip = {"target", "logs", "dbt_packages", "__pycache__"}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_dir() or skip.intersection(rel.parts) or rel.name.startswith("."):
            continue
        digest.update(f"{rel.as_posix()}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


def mart_row_counts(data_dir: Path) -> dict[str, int]:
    """Rows per table of schema `marts` in the warehouse (empty if it has none yet)."""
    path = data_dir / "warehouse.duckdb"
    if not path.exists():
        return {}
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = current_database() and table_schema = ? "
            "and table_type = 'BASE TABLE' order by 1",
            [MARTS_SCHEMA],
        ).fetchall()
        return {
            f"{MARTS_SCHEMA}.{t}": con.execute(
                f'select count(*) from {MARTS_SCHEMA}."{t}"'
            ).fetchone()[0]
            for (t,) in tables
        }
    finally:
        con.close()


def docs_generate(
    project_dir: Path | str,
    profiles_dir: Path | str,
    data_dir: Path | str,
    dbt_vars: Mapping[str, Any] | None = None,
) -> Path:
    """`dbt docs generate --static`; returns its `static_index.html`: one self-contained file
    with the manifest and catalog inline, which a browser opens from disk (the plain `index.html`
    fetches `manifest.json`, which browsers refuse for file:// pages)."""
    res = _invoke(["docs", "generate", "--static"], project_dir, profiles_dir, data_dir, dbt_vars)
    if not res.success:
        raise RuntimeError(f"dbt docs generate failed: {res.exception or 'see the dbt log'}")
    return target_dirs(data_dir)[0] / "static_index.html"
