"""`zvit`: the data engineer's command line. Every path comes from `ZVIT_DATA_DIR`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from zvit.settings import PROJECT_DIR, Settings

console = Console()


def cmd_run(args: argparse.Namespace) -> int:
    """Run the nightly job now over a folder."""
    from flows.nightly import nightly

    inbox = Path(args.inbox).resolve()
    if not inbox.is_dir():
        console.print(f"[red]error:[/] inbox {inbox} is not a folder")
        return 2
    try:
        summary = nightly(inbox=str(inbox), keep_inbox=args.keep_inbox, workers=args.workers)
    except RuntimeError as e:
        console.print(f"[red]error:[/] {e}")
        return 1
    print_summary(summary)
    return 0


def print_summary(summary: dict[str, Any]) -> None:
    docs = Table(title="Documents in this run")
    for col in ("document", "sha256", "type", "state", "rows / reason"):
        docs.add_column(col)
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
    marts = Table(title=f"Published marts: {summary['marts_path']}")
    marts.add_column("table")
    marts.add_column("rows", justify="right")
    for name, rows in summary["marts"].items():
        marts.add_row(name, str(rows))
    console.print(marts)
    loaded = sum(o["state"] == "loaded" for o in summary["outcomes"])
    quarantined = sum(o["state"] == "quarantined" for o in summary["outcomes"])
    dbt = {None: "skipped (nothing new)", True: "passed", False: "FAILED"}[summary["dbt_success"]]
    console.print(f"loaded {loaded}, quarantined {quarantined}; dbt build {dbt}")


def cmd_ledger(args: argparse.Namespace) -> int:
    """Show the document ledger."""
    from warehouse import db, ledger

    settings = Settings.from_env()
    if not settings.warehouse_path.exists():
        console.print(f"no warehouse yet at {settings.warehouse_path}: run `zvit run` first")
        return 1
    with db.connect(settings.warehouse_path) as con:
        rows = ledger.entries(con, state=args.state)
    table = Table(title=f"Ledger: {settings.warehouse_path}")
    for col in ("sha256", "file", "type", "year", "pages", "state", "reason", "rows", "processed"):
        table.add_column(col)
    for e in rows:
        table.add_row(
            e["sha256"][:12],
            e["file_name"],
            e["doc_type"] or "-",
            str(e["report_year"] or "-"),
            str(e["pages"] or "-"),
            e["state"],
            e["reason"] or "",
            str(e["rows_loaded"] or 0),
            str(e["processed_at"])[:19],
        )
    console.print(table)
    return 0


def cmd_quarantine(args: argparse.Namespace) -> int:
    """Show quarantined documents with their reasons."""
    args.state = "quarantined"
    code = cmd_ledger(args)
    settings = Settings.from_env()
    if settings.quarantine_dir.exists():
        files = sorted(
            p.name for p in settings.quarantine_dir.iterdir() if not p.name.endswith(".json")
        )
        console.print(f"{len(files)} file(s) in {settings.quarantine_dir}")
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


def cmd_marts(args: argparse.Namespace) -> int:
    """Show the published marts and their row counts."""
    from zvit.pipeline import mart_row_counts

    settings = Settings.from_env()
    counts = mart_row_counts(settings.marts_path)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zvit",
        description="ДМС report documents into a DuckDB warehouse. "
        "Everything is written under ZVIT_DATA_DIR (default ./data).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run the nightly job now over an inbox folder")
    run.add_argument("--inbox", default=str(PROJECT_DIR / "samples"), help="folder to read")
    run.add_argument(
        "--keep-inbox",
        action="store_true",
        help="leave files in the inbox (default: move them to processed/ or quarantine/)",
    )
    run.add_argument("--workers", type=int, default=None, help="extraction worker processes")
    run.set_defaults(func=cmd_run)

    led = sub.add_parser("ledger", help="show the document ledger")
    led.add_argument(
        "--state",
        choices=["loaded", "quarantined", "failed"],
        default=None,
        help="only documents in this state",
    )
    led.set_defaults(func=cmd_ledger)

    q = sub.add_parser("quarantine", help="show quarantined documents with reasons")
    q.set_defaults(func=cmd_quarantine)

    rq = sub.add_parser(
        "requeue",
        help="put a quarantined document back into the inbox for the next run",
        description="Move a quarantined document back into the inbox (ZVIT_INBOX, else "
        "<data dir>/inbox) and mark its ledger entry, so the next run reads it again even at the "
        "same extractor version: after fixing the vocabulary, the extractor or the cause.",
    )
    rq.add_argument("document", help="quarantined file (path or name), file name, or sha256 prefix")
    rq.set_defaults(func=cmd_requeue)

    m = sub.add_parser("marts", help="show the published marts and row counts")
    m.set_defaults(func=cmd_marts)

    d = sub.add_parser("docs", help="write the dbt docs for the marts as one HTML file")
    d.set_defaults(func=cmd_docs)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
