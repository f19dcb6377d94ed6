"""The nightly flow: inbox -> claim -> extract (capped worker processes) -> validate -> load -> dbt
-> publish.

Thin on purpose: every task calls a plain function from `zvit.pipeline` or `warehouse`.
Documents are tasks, never subflows (a synchronous subflow run costs ~1 s even when empty).
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import Any

import duckdb
from prefect import flow, get_run_logger, runtime, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from warehouse import db, publish, snapshot
from warehouse import dbt as dbt_runner
from warehouse.lock import writer_lock
from zvit import heartbeats, pipeline, prefetch, warmup
from zvit.extract import Extracted
from zvit.inbox import Inbox, open_inbox
from zvit.report import publish_report
from zvit.settings import Limits, Settings
from zvit.summary import RunSummary

heartbeats.apply()  # a run's end does not wait for the heartbeat thread's next 1 s step


def _retry_on_io(task: Any, task_run: Any, state: Any) -> bool:
    """Retry only I/O failures (a busy file, a locked warehouse), never deterministic parsing."""
    try:
        state.result()
    except (OSError, duckdb.IOException):
        return True
    except Exception:
        return False
    return False


IO_RETRIES: dict[str, Any] = {
    "retries": 2,
    "retry_delay_seconds": 3,
    "retry_condition_fn": _retry_on_io,
}


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def find_documents(inbox: Inbox, settings: Settings) -> pipeline.Plan:
    """Scan and take the inbox; keep only documents the ledger has not seen in this version."""
    return pipeline.find(inbox, settings, on_wait=get_run_logger().info)


@task(cache_policy=NO_CACHE, task_run_name="extract {candidate.file_name}")
def extract_document(
    candidate: pipeline.Candidate, limits: Limits, slots: threading.Semaphore | None = None
) -> Extracted:
    """Read one document in its own capped, killable worker process, a long PDF in page ranges
    by several when `slots` are free. Without `slots` (on Dask) the cluster bounds concurrency.
    A read `zvit run` started before the flow (`zvit.prefetch`) of the same bytes is taken."""
    prefetched = prefetch.take(candidate.sha256)
    if prefetched is not None:
        return pipeline.extracted(candidate, limits, *prefetched)
    if slots is None:
        return pipeline.extract_isolated(candidate, limits)
    with slots:
        return pipeline.extract_isolated(candidate, limits, slots)


def extract_all(candidates: list[pipeline.Candidate], settings: Settings) -> list[Extracted]:
    """Extract every document: in this process's threads and worker processes, at most
    `settings.workers` processes at once, or on the Dask cluster at `settings.dask_address`
    (a backfill). Loading stays here either way: the warehouse has one writer."""
    logger = get_run_logger()
    if not candidates:
        return []
    if settings.dask_address:
        from prefect_dask import DaskTaskRunner  # imported only for a cluster: ~1 s of start-up

        with DaskTaskRunner(address=settings.dask_address) as runner:
            futures = [
                runner.submit(extract_document, {"candidate": c, "limits": settings.limits})
                for c in candidates
            ]
            return _results(candidates, futures, logger)
    slots = prefetch.slots(settings.workers)  # shared with reads `zvit run` started early
    futures = [extract_document.submit(c, settings.limits, slots) for c in candidates]
    return _results(candidates, futures, logger)


def _results(
    candidates: list[pipeline.Candidate], futures: list[Any], logger: Any
) -> list[Extracted]:
    out = []
    for done, (c, future) in enumerate(zip(candidates, futures, strict=True), 1):
        out.append(future.result())
        logger.info("extracted %d/%d: %s", done, len(futures), c.file_name)
    return out


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def load_documents(
    settings: Settings, inbox: Inbox, extracted: list[tuple[pipeline.Candidate, Extracted]]
) -> tuple[list[pipeline.Outcome], set[str]]:
    """Validate every document with one GX context, then load or quarantine each one whole; each
    result is kept and rendered into GX Data Docs under `<data_dir>/validation`.

    Also returns the raw tables this may have changed (what dbt has to rebuild from)."""
    validator = warmup.validator(settings.validation_dir)  # warmed during extraction, if started
    logger = get_run_logger()
    outcomes = []
    touched: set[str] = set()
    with db.connect(settings.warehouse_path) as con:
        pipeline.ensure_raw_tables(con)
        for candidate, result in extracted:
            touched |= pipeline.tables_touched(con, candidate.sha256, result)
            outcome = pipeline.settle(con, validator, inbox, candidate, result)
            logger.info(
                "%s %s (%s): %s",
                outcome.state,
                outcome.sha256[:12],
                outcome.doc_type,
                outcome.reason_code or f"{outcome.rows} rows",
            )
            outcomes.append(outcome)
    try:
        docs = validator.build_docs()
    except Exception as e:  # the results are stored; only their pages are missing
        logger.warning("GX Data Docs not built (%s): the results are kept in the store", e)
    else:
        if docs is not None:
            logger.info("validation results (GX Data Docs): %s", docs)
    return outcomes, touched


@task(cache_policy=NO_CACHE)
def build_marts(settings: Settings, changed: set[str] | None = None) -> dbt_runner.BuildResult:
    """Run `dbt build` once for the whole run (seeds, models, tests, unit tests): only what is
    downstream of the raw tables in `changed`, everything when it is None."""
    with db.connect(settings.warehouse_path) as con:
        pipeline.ensure_raw_tables(con)  # a first run may have loaded nothing yet
    call = pipeline.dbt_call(settings)
    select = None if changed is None else dbt_runner.downstream_of(changed)
    prepared = warmup.dbt_process(call)  # started while the documents were read
    if prepared is not None:
        return prepared.build(select)
    return dbt_runner.build(*call, select=select)


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def publish_marts(settings: Settings) -> dict[str, int]:
    """Publish the marts file analysts open; returns rows per mart."""
    return publish.publish_marts(settings.warehouse_path, settings.marts_path)


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def publish_ledger(settings: Settings) -> int:
    """Publish the ledger's read-only copy `zvit ledger` reads while a run holds the warehouse."""
    with db.connect(settings.warehouse_path) as con:
        return snapshot.publish_ledger(con, settings.ledger_path)


@flow(name="zvit-nightly", log_prints=True)
def nightly(
    inbox: str | None = None,
    keep_inbox: bool = False,
    workers: int | None = None,
) -> dict[str, Any]:
    """Take new documents from `inbox` (default `ZVIT_INBOX`) into the warehouse, publish marts.

    `keep_inbox` leaves files where they are (the bundled samples); otherwise each file is claimed
    into `processing/<run>/`, then moved to `processed/` or `quarantine/` under `ZVIT_DATA_DIR`.
    Overlapping runs queue on the warehouse lock; a run killed anywhere is repaired by the next.
    """
    settings = Settings.from_env()
    if workers:
        settings = settings.with_workers(workers)
    settings.ensure_dirs()
    logger = get_run_logger()
    inbox_dir = Path(inbox) if inbox else settings.inbox_dir
    keep_inbox = keep_inbox or inbox_dir.resolve() == settings.samples_dir  # never move samples

    run_id = str(getattr(runtime.flow_run, "id", None) or uuid.uuid4())
    # `warmup.unused_closed`: a dbt process started for this run and not used ends with it.
    with open_inbox(inbox_dir, settings, run_id, keep=keep_inbox) as files, warmup.unused_closed():
        plan = find_documents(files, settings)
        logger.info(
            "%d new document(s), %d already current, %d duplicate(s), %d waiting, %d refused",
            len(plan.todo),
            len(plan.current),
            len(plan.duplicates),
            len(plan.waiting),
            len(plan.rejected),
        )
        if plan.recovered:
            logger.warning("took back %d file(s) claimed by a run that died", len(plan.recovered))

        if plan.todo:  # GX and dbt start while the workers read (`zvit.warmup`)
            warmup.start(settings.validation_dir, pipeline.dbt_args(settings))
        extracted = list(zip(plan.todo, extract_all(plan.todo, settings), strict=True))

        outcomes: list[pipeline.Outcome] = list(plan.rejected)
        build = None
        marts: dict[str, int] = {}
        # Everything that writes the warehouse or the published file, under one lock.
        with writer_lock(settings.lock_path, settings.lock_timeout_s, logger.info):
            # No published file, or an earlier run's marker (killed, or its build failed): the
            # whole project is rebuilt; otherwise only what this run's new rows feed.
            changed = None
            full = settings.marts_stale_path.exists() or not settings.marts_path.exists()
            if extracted:
                settings.marts_stale_path.touch()
                settled, changed = load_documents(settings, files, extracted)
                outcomes += settled
            # The ledger is settled now (the build only reads it): published before the build,
            # while a dbt process started for this run may still be parsing.
            publish_ledger(settings)
            if settings.marts_stale_path.exists() or not settings.marts_path.exists():
                build = build_marts(settings, None if full else changed)
                if build.success:
                    marts = publish_marts(settings)
                    settings.marts_stale_path.unlink(missing_ok=True)
                    publish_report(settings)  # $ZVIT_DATA_DIR/report/index.html
                else:
                    logger.error("dbt build failed; the published marts are left as they were")
            else:
                marts = pipeline.mart_row_counts(settings.marts_path)
        pipeline.archive_unread(files, plan)

    summary = RunSummary(
        outcomes=outcomes,
        current=[c.file_name for c in plan.current],
        duplicates=[c.file_name for c in plan.duplicates],
        waiting=plan.waiting,
        recovered=plan.recovered,
        marts=marts,
        dbt_success=None if build is None else build.success,
        dbt_failures=[] if build is None else list(build.failures),
        marts_path=str(settings.marts_path),
        run_id=run_id,
    )
    create_markdown_artifact(
        key="zvit-nightly-summary", markdown=summary.to_markdown(), description="zvit run summary"
    )
    summary.write_log(settings.logs_dir)
    if build is not None and not build.success:
        raise RuntimeError(
            "dbt build failed: " + "; ".join(build.failures) + " (published marts unchanged)"
        )
    return summary.to_dict()
