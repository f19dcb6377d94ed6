"""`zvit`: the data engineer's command line. Every setting comes from `zvit.settings.Settings`
(`ZVIT_*`; `zvit config` lists them)."""

from __future__ import annotations

import argparse
import atexit
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from zvit.settings import Settings, env_name

console = Console(width=None if sys.stdout.isatty() else 250)
"""Off a terminal (a pipe, a log file, cron) rich would wrap at 80 columns and cut file names:
print wide there instead."""


WHOLE = {"document", "file", "table", "variable"}
"""Columns of names: never wrapped or cut, the other columns (reasons) wrap around them."""


def _table(title: str, *columns: str) -> Table:
    """A table whose cells wrap (`fold`) rather than end in an ellipsis, so names stay whole."""
    table = Table(title=title)
    for col in columns:
        table.add_column(col, overflow="fold", no_wrap=col in WHOLE)
    return table


def settings_error(e: ValidationError) -> str:
    """One sentence per invalid `ZVIT_*` variable, instead of pydantic's report."""
    parts = []
    for err in e.errors():
        field = str(err["loc"][0]) if err["loc"] else ""
        parts.append(f"{env_name(field)}={err.get('input')!r}: {err['msg']}")
    return "invalid setting: " + "; ".join(parts)


def _source(settings: Settings, field: str) -> str:
    return f"from {env_name(field)}" if settings.source(field) == "env" else "default"


def cmd_run(args: argparse.Namespace) -> int:
    """Run the nightly job now over a folder; a run with nothing new never starts Prefect."""
    settings = Settings.from_env()
    if args.samples:
        inbox = settings.samples_dir
    else:
        inbox = Path(args.inbox).resolve() if args.inbox else settings.inbox_dir
    keep_inbox = args.keep_inbox or inbox == settings.samples_dir  # never move bundled samples
    if not inbox.is_dir():
        console.print(
            f"[red]error:[/] inbox {inbox} is not a folder: put documents there, point "
            "ZVIT_INBOX or --inbox at their folder, or read the bundled ones with --samples"
        )
        return 2
    from zvit import preflight

    if preflight.enabled():
        quiet = preflight.nothing_new(inbox, settings, keep=keep_inbox)
        if quiet is not None:
            console.print("Nothing new in the inbox: the flow was not started.")
            print_summary(quiet)
            return 0
    # Prefect's temporary server gets 20 s to start by default; a fresh Prefect database on a
    # busy 2-core machine took longer (the run then failed before reading anything).
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    from zvit import prefetch, warmup

    if preflight.enabled():
        # The preflight saw new work: start reading it now, while Prefect is imported and its
        # flow (and server) start; the flow takes these reads (`zvit.prefetch`). GX and dbt are
        # warmed meanwhile too; the flow picks the warmed validator up.
        if not settings.dask_address:
            run_settings = settings.with_workers(args.workers) if args.workers else settings
            prefetch.start(inbox, run_settings)
        from zvit.pipeline import dbt_args

        warmup.start(settings.validation_dir, dbt_args(settings))
    with warmup.frozen_imports():
        from flows.nightly import nightly

    try:
        with _no_heartbeats_on_a_temporary_server():
            summary = nightly(inbox=str(inbox), keep_inbox=keep_inbox, workers=args.workers)
    except RuntimeError as e:
        console.print(f"[red]error:[/] {e}")
        return 1
    finally:
        prefetch.wait_unused()
    print_summary(summary)
    return 0


@contextmanager
def _no_heartbeats_on_a_temporary_server() -> Iterator[None]:
    """Without `PREFECT_API_URL` the run's server is a temporary one that dies with this process
    and runs no service that reads flow-run heartbeats (they tell a long-lived server that a run
    crashed). Their thread sleeps in 1 s steps and the flow's end waits for it (~1 s a run), so
    they are off there; against a real server they stay on."""
    from prefect.context import SettingsContext, get_settings_context
    from prefect.settings import get_current_settings

    current = get_current_settings()
    if current.api.url:
        yield
        return
    flows = current.flows.model_copy(update={"heartbeat_frequency": None})
    settings = current.model_copy(update={"flows": flows})
    with SettingsContext(profile=get_settings_context().profile, settings=settings):
        yield


def print_summary(summary: dict[str, Any]) -> None:
    docs = _table("Documents in this run", "document", "sha256", "type", "state", "rows / reason")
    docs.add_column("s", justify="right")
    docs.add_column("peak MB", justify="right")
    for o in summary["outcomes"]:
        detail = (
            f"{o['reason_code']}: {o['reason']}" if o["state"] == "quarantined" else str(o["rows"])
        )
        style = {"loaded": "green", "current": "yellow"}.get(o["state"], "red")
        docs.add_row(
            o["file_name"],
            o["sha256"][:12],
            o["doc_type"] or "-",
            f"[{style}]{o['state']}[/]",
            detail,
            "-" if o.get("seconds") is None else f"{o['seconds']:.1f}",
            "-" if o.get("peak_mb") is None else f"{o['peak_mb']:.0f}",
        )
    if summary["outcomes"]:
        console.print(docs)
    if summary["current"]:
        console.print(f"{len(summary['current'])} document(s) already current, not read again.")
    if summary.get("duplicates"):
        console.print(f"{len(summary['duplicates'])} duplicate(s) of a file in this run, not read.")
    if summary.get("waiting"):
        console.print(
            f"{len(summary['waiting'])} file(s) still being written, left for the next run: "
            + ", ".join(summary["waiting"])
        )
    if summary.get("recovered"):
        console.print(f"{len(summary['recovered'])} file(s) taken back from a run that died.")
    marts = _table(f"Published marts: {summary['marts_path']}", "table")
    marts.add_column("rows", justify="right")
    for name, rows in summary["marts"].items():
        marts.add_row(name, str(rows))
    console.print(marts)
    loaded = sum(o["state"] == "loaded" for o in summary["outcomes"])
    quarantined = sum(o["state"] == "quarantined" for o in summary["outcomes"])
    dbt = {None: "skipped (nothing new)", True: "passed", False: "FAILED"}[summary["dbt_success"]]
    console.print(f"loaded {loaded}, quarantined {quarantined}; dbt build {dbt}")
    data_dir = Path(summary["marts_path"]).parent
    gx_docs = "validation/gx/uncommitted/data_docs/local_site/index.html"  # Validator.docs_index
    for what, path in (
        ("report", data_dir / "report" / "index.html"),
        ("validation results (GX Data Docs)", data_dir / gx_docs),
    ):
        if path.exists():
            console.print(f"{what}: {path}", soft_wrap=True)


def _ledger_entries(settings: Settings, state: str | None) -> tuple[list[dict[str, Any]], Path]:
    """The ledger from its published copy, which no run ever holds; a data dir from before the
    copy existed falls back to the warehouse, read-only."""
    import duckdb

    from warehouse import ledger, snapshot

    if settings.ledger_path.exists():
        path = settings.ledger_path
        try:
            con = snapshot.open_ledger(path)
        except duckdb.Error as e:
            raise LookupError(f"cannot read the published ledger {path}: {e}") from None
    elif settings.warehouse_path.exists():
        path = settings.warehouse_path
        try:
            con = duckdb.connect(str(path), read_only=True)
        except duckdb.IOException:
            raise LookupError(
                f"a run holds the warehouse {path} and no published ledger exists yet "
                f"({settings.ledger_path}): try again when the run has finished"
            ) from None
    else:
        raise LookupError(f"no ledger yet in {settings.data_dir}: run `zvit run` first")
    try:
        return ledger.entries(con, state=state), path
    finally:
        con.close()


def cmd_ledger(args: argparse.Namespace) -> int:
    """Show the document ledger (its published copy: answers while a run holds the warehouse)."""
    settings = Settings.from_env()
    try:
        rows, path = _ledger_entries(settings, args.state)
    except LookupError as e:
        console.print(str(e))
        return 1
    table = _table(
        f"Ledger: {path}",
        *("sha256", "file", "type", "year", "pages", "state", "reason", "rows", "processed"),
    )
    for e in rows:
        table.add_row(
            e["sha256"][:12],
            e["file_name"],
            e["doc_type"] or "-",
            str(e["report_year"] or "-"),
            str(e["pages"] or "-"),
            e["state"],
            f"{e['reason_code']}: {e['reason'] or ''}" if e["reason_code"] else "",
            str(e["rows_loaded"] or 0),
            str(e["processed_at"])[:19],
        )
    console.print(table)
    return 0


def cmd_quarantine(args: argparse.Namespace) -> int:
    """Show quarantined documents with their reasons and where their validation results are."""
    from zvit.validation import Validator

    args.state = "quarantined"
    code = cmd_ledger(args)
    settings = Settings.from_env()
    if settings.quarantine_dir.exists():
        files = sorted(
            p.name for p in settings.quarantine_dir.iterdir() if not p.name.endswith(".json")
        )
        console.print(f"{len(files)} file(s) in {settings.quarantine_dir}")
    docs = Validator.docs_index(settings.validation_dir)
    if docs.exists():
        console.print(f"validation results (GX Data Docs): {docs}")
    return code


def cmd_requeue(args: argparse.Namespace) -> int:
    """Put a quarantined document back for the next run."""
    from zvit.pipeline import RequeueError, requeue

    settings = Settings.from_env()
    try:
        done = requeue(settings, args.document)
    except RequeueError as e:
        console.print(f"[red]error:[/] {e}")
        return 1
    _republish_ledger(settings)
    sha = done.sha256[:12] or "-"
    where = f"moved back to {done.moved_to}" if done.moved_to else "no quarantined file to move"
    marked = (
        "marked in the ledger: the next run reads it again, even at the same extractor version"
        if done.ledger_marked
        else "not in the ledger: the next run reads it as new"
    )
    console.print(f"requeued {done.file_name or '-'} (sha256 {sha}): {where}; {marked}.")
    if done.moved_to is None and done.ledger_marked:
        console.print("Put the file into the inbox again, or run over the folder that holds it.")
    return 0


def _republish_ledger(settings: Settings) -> None:
    """Refresh the ledger's published copy after `requeue` changed the ledger."""
    from warehouse import db, snapshot
    from warehouse.lock import writer_lock

    if settings.warehouse_path.exists():
        with (
            writer_lock(settings.lock_path, settings.lock_timeout_s),
            db.connect(settings.warehouse_path) as con,
        ):
            snapshot.publish_ledger(con, settings.ledger_path)


def cmd_marts(args: argparse.Namespace) -> int:
    """Show the published marts and their row counts."""
    import duckdb

    from zvit.pipeline import mart_row_counts

    settings = Settings.from_env()
    try:
        counts = mart_row_counts(settings.marts_path)
    except duckdb.Error as e:
        console.print(f"cannot read the published marts {settings.marts_path}: {e}")
        return 1
    if not counts:
        console.print(f"no published marts at {settings.marts_path}: run `zvit run` first")
        return 1
    print_summary(
        {
            "outcomes": [],
            "current": [],
            "marts": counts,
            "marts_path": str(settings.marts_path),
            "dbt_success": None,
        }
    )
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    """Print every setting with its value and where the value came from."""
    settings = Settings.from_env()
    table = _table("zvit settings", "variable", "value", "source", "meaning")
    for name, value, source, doc in settings.described():
        table.add_row(name, value, "env" if source == "env" else "default", doc)
    console.print(table)
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    """Write the dbt docs for the marts as one self-contained HTML file and print its path."""
    from warehouse import dbt as dbt_runner
    from zvit.pipeline import dbt_vars

    settings = Settings.from_env()
    target = dbt_runner.docs_generate(
        settings.dbt_project_dir, settings.dbt_project_dir, settings.data_dir, dbt_vars()
    )
    console.print(f"dbt docs written to {target} (one file: open it in a browser)", soft_wrap=True)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Rebuild the HTML report from the published marts."""
    from zvit import report

    settings = Settings.from_env()
    if not settings.marts_path.exists():
        console.print(f"no published marts at {settings.marts_path}: run `zvit run` first")
        return 1
    path = report.publish_report(settings)
    console.print(f"report written to {path} (open it in a browser; it needs no network)")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write every published mart to a file of the chosen format."""
    from zvit.export import export_marts

    settings = Settings.from_env()
    try:
        written = export_marts(settings.marts_path, Path(args.out), args.format)
    except FileNotFoundError as e:
        console.print(f"[red]error:[/] {e}")
        return 1
    table = Table(title=f"Exported to {Path(args.out).resolve()}")
    table.add_column("mart")
    table.add_column("file")
    table.add_column("rows", justify="right")
    for f in written:
        table.add_row(f.mart, f.path.name, str(f.rows))
    console.print(table)
    return 0


def build_parser() -> argparse.ArgumentParser:
    try:
        settings: Settings | None = Settings.from_env()
    except ValidationError:
        settings = None  # `main` reports it; --help still works
    parser = argparse.ArgumentParser(
        prog="zvit",
        description="ДМС report documents into a DuckDB warehouse. Everything is written under "
        "ZVIT_DATA_DIR (default ./data); `zvit config` lists every setting.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        return sub.add_parser(name, **kwargs)

    def now(field: str, fallback: str) -> str:
        """A default as it resolves now, and where it comes from."""
        if settings is None:
            return f"{env_name(field)}, else {fallback}"
        value = settings.inbox_dir if field == "inbox" else getattr(settings, field)
        return f"{value}, {_source(settings, field)}"

    run = command("run", help="run the nightly job now over an inbox folder")
    where = run.add_mutually_exclusive_group()
    where.add_argument(
        "--inbox",
        default=None,
        help=f"folder to read (default: ZVIT_INBOX, else <data dir>/inbox; now "
        f"{now('inbox', '<data dir>/inbox')})",
    )
    where.add_argument(
        "--samples",
        action="store_true",
        help="read the bundled samples/ instead (always left in place, as with --keep-inbox)",
    )
    run.add_argument(
        "--keep-inbox",
        action="store_true",
        help="leave files in the inbox (default: move them to processed/ or quarantine/)",
    )
    run.add_argument(
        "--workers",
        type=int,
        default=None,
        help=f"extraction worker processes (default: ZVIT_WORKERS; now {now('workers', '2')})",
    )
    run.set_defaults(func=cmd_run)

    led = command("ledger", help="show the document ledger")
    led.add_argument(
        "--state",
        choices=["loaded", "quarantined", "failed"],
        default=None,
        help="only documents in this state (default: every state)",
    )
    led.set_defaults(func=cmd_ledger)

    q = command("quarantine", help="show quarantined documents with reasons")
    q.set_defaults(func=cmd_quarantine)

    rq = command(
        "requeue",
        help="put a quarantined document back into the inbox for the next run",
        description="Move a quarantined document back into the inbox (ZVIT_INBOX, else "
        "<data dir>/inbox) and mark its ledger entry, so the next run reads it again even at the "
        "same extractor version: after fixing the vocabulary, the extractor or the cause.",
    )
    rq.add_argument("document", help="quarantined file (path or name), file name, or sha256 prefix")
    rq.set_defaults(func=cmd_requeue)

    m = command("marts", help="show the published marts and row counts")
    m.set_defaults(func=cmd_marts)

    c = command("config", help="print every ZVIT_* setting with its value and source")
    c.set_defaults(func=cmd_config)

    d = command("docs", help="write the dbt docs for the marts as one HTML file")
    d.set_defaults(func=cmd_docs)

    rp = command(
        "report",
        help="rebuild the HTML report (<data dir>/report/index.html) from the published marts",
    )
    rp.set_defaults(func=cmd_report)

    ex = command(
        "export",
        help="write every published mart to a CSV, Parquet or Excel file",
        description="One file per mart in --out. CSV is UTF-8 with a BOM (Excel shows Cyrillic); "
        "in CSV and Excel lists are joined with '; ' and structs written as JSON; Parquet keeps "
        "native types.",
    )
    ex.add_argument(
        "--format",
        choices=["csv", "parquet", "xlsx"],
        default="csv",
        help="file format (default: csv)",
    )
    ex.add_argument("--out", required=True, help="folder to write into (created when missing)")
    ex.set_defaults(func=cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Prefect's server telemetry logs an ERROR offline; prefect.toml turns it off when zvit runs
    # from the checkout, this wherever else it is started (an explicit setting still wins).
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ValidationError as e:
        console.print(f"[red]error:[/] {settings_error(e)}")
        return 2


def entry() -> None:
    """The `zvit` command: `main`, the exit handlers (Prefect's server stop, log flushing), then
    exit without the interpreter's teardown.

    After a run the heap holds GX's context, dbt's manifest and Prefect's client: the final
    garbage collection of a normal exit walks it all and took ~2 s of every `zvit run` here,
    freeing memory the exit returns anyway. Files are closed by then (every connection and
    writer is closed by its `with`), and the exit handlers still run, in their usual order.
    """
    rc = main()
    # A normal exit's own steps, in its order: the threads' exit hooks (Prefect drains its log
    # and event workers to the server there) and non-daemon threads, then the exit handlers.
    threading._shutdown()  # type: ignore[attr-defined]
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(rc)


if __name__ == "__main__":
    entry()
