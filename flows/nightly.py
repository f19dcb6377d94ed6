"""The nightly flow: inbox -> extract (worker processes) -> validate -> load -> dbt -> publish.

Thin on purpose: every task calls a plain function from `zvit.pipeline` or `warehouse`.
Documents are tasks, never subflows (a synchronous subflow run costs ~1 s even when empty).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

import duckdb
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from reader import DocumentError
from warehouse import db, publish
from warehouse import dbt as dbt_runner
from zvit import pipeline
from zvit.settings import Settings
from zvit.summary import RunSummary
from zvit.validation import Validator


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
def find_documents(inbox: Path, settings: Settings) -> pipeline.Plan:
    """List the inbox and keep only documents the ledger has not seen in this version."""
    return pipeline.find(inbox, settings)


@task(cache_policy=NO_CACHE, task_run_name="extract {candidate.file_name}")
def extract_document(
    candidate: pipeline.Candidate, pool: ProcessPoolExecutor, timeout_s: float
) -> pipeline.Extracted:
    """Read one document in a worker process; a crash or timeout becomes a quarantine reason."""
    future = pool.submit(pipeline.extract, candidate.path)
    try:
        return future.result(timeout=timeout_s)
    except FutureTimeout:
        code = "timeout"
    except Exception:
        code = "resource_limit"
    return pipeline.Extracted(
        file_name=candidate.file_name,
        sha256=candidate.sha256,
        error_code=code,
        error=DocumentError(code).message,
    )


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def load_documents(
    settings: Settings,
    extracted: list[tuple[pipeline.Candidate, pipeline.Extracted]],
    keep_inbox: bool,
) -> list[pipeline.Outcome]:
    """Validate every document with one GX context, then load or quarantine each one whole."""
    validator = Validator()
    logger = get_run_logger()
    outcomes = []
    with db.connect(settings.warehouse_path) as con:
        pipeline.ensure_raw_tables(con)
        for candidate, result in extracted:
            outcome = pipeline.settle(
                settings, con, validator, candidate, result, keep_inbox=keep_inbox
            )
            logger.info(
                "%s %s (%s): %s",
                outcome.state,
                outcome.sha256[:12],
                outcome.doc_type,
                outcome.reason_code or f"{outcome.rows} rows",
            )
            outcomes.append(outcome)
    return outcomes


@task(cache_policy=NO_CACHE)
def build_marts(settings: Settings) -> dbt_runner.BuildResult:
    """Run `dbt build` once for the whole run (seeds, models, tests, unit tests)."""
    return dbt_runner.build(settings.dbt_project_dir, settings.dbt_project_dir, settings.data_dir)


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def publish_marts(settings: Settings) -> dict[str, int]:
    """Publish the marts file analysts open; returns rows per mart."""
    return publish.publish_marts(settings.warehouse_path, settings.marts_path)


@flow(name="zvit-nightly", log_prints=True)
def nightly(
    inbox: str | None = None,
    keep_inbox: bool = False,
    workers: int | None = None,
) -> dict[str, Any]:
    """Take new documents from `inbox` (default `ZVIT_INBOX`) into the warehouse, publish marts.

    `keep_inbox` leaves files where they are (the bundled samples); otherwise loaded files move to
    `processed/` and failed ones to `quarantine/` under `ZVIT_DATA_DIR`.
    """
    settings = Settings.from_env()
    if workers:
        settings = settings.with_workers(workers)
    settings.ensure_dirs()
    logger = get_run_logger()

    plan = find_documents(Path(inbox) if inbox else settings.inbox_dir, settings)
    logger.info("%d new document(s), %d already current", len(plan.todo), len(plan.current))

    extracted: list[tuple[pipeline.Candidate, pipeline.Extracted]] = []
    if plan.todo:
        context = multiprocessing.get_context("spawn")  # no fork of Prefect's threads
        with ProcessPoolExecutor(settings.workers, mp_context=context) as pool:
            futures = [
                (c, extract_document.submit(c, pool, settings.document_timeout_s))
                for c in plan.todo
            ]
            for done, (c, f) in enumerate(futures, 1):
                extracted.append((c, f.result()))
                logger.info("extracted %d/%d", done, len(futures))

    outcomes = load_documents(settings, extracted, keep_inbox) if extracted else []

    build = None
    marts: dict[str, int] = {}
    if outcomes or not settings.marts_path.exists():
        build = build_marts(settings)
        if build.success:
            marts = publish_marts(settings)
        else:
            logger.error("dbt build failed; the published marts are left as they were")
    else:
        marts = pipeline.mart_row_counts(settings.marts_path)

    summary = RunSummary(
        outcomes=outcomes,
        current=[c.file_name for c in plan.current],
        marts=marts,
        dbt_success=None if build is None else build.success,
        dbt_failures=[] if build is None else list(build.failures),
        marts_path=str(settings.marts_path),
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
