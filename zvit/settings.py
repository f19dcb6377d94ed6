"""One settings object for everything the pipeline writes, placed by `ZVIT_DATA_DIR`.

Python reads paths only from here; dbt reads the same variable in `dbt_project/profiles.yml`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import overload

PROJECT_DIR = Path(__file__).resolve().parent.parent
"""The checkout: where `dbt_project/`, `expectations/` and `samples/` live."""

DEFAULT_DATA_DIR = "./data"
DEFAULT_WORKERS = 2
DEFAULT_DOCUMENT_TIMEOUT_S = 600.0
DEFAULT_WORKER_MEMORY_MB = 1024
DEFAULT_MIN_FILE_AGE_S = 5.0
DEFAULT_LOCK_TIMEOUT_S = 4 * 3600.0
DEFAULT_PAGES_PER_WORKER = 80


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, got {raw!r}") from None


@dataclass(frozen=True)
class Limits:
    """Per-document limits of an extraction worker (`zvit.workers`)."""

    memory_mb: int = DEFAULT_WORKER_MEMORY_MB
    """Cap on the worker's data segment (heap and anonymous mappings), `RLIMIT_DATA`.

    Not `RLIMIT_AS`: polars reserves ~1 GiB of address space it never touches, so an address-space
    cap low enough to stop a bomb also stops polars from starting. Reading a 300-page report
    peaks near 200 MB of data segment."""
    timeout_s: float = DEFAULT_DOCUMENT_TIMEOUT_S
    pages_per_worker: int = DEFAULT_PAGES_PER_WORKER
    """A PDF with more pages is read in page ranges by several workers when slots are free;
    0 turns that off. Each worker costs ~1-2 s of start-up, which pays from ~80 pages."""


class InDataDir:
    """A path under `Settings.data_dir`, named once: `logs_dir = InDataDir("logs")`."""

    def __init__(self, name: str, doc: str = "") -> None:
        self.name = name
        self.__doc__ = doc or f"`<data_dir>/{name}`"

    @overload
    def __get__(self, settings: None, owner: type) -> InDataDir: ...
    @overload
    def __get__(self, settings: Settings, owner: type) -> Path: ...
    def __get__(self, settings: Settings | None, owner: type) -> Path | InDataDir:
        return self if settings is None else settings.data_dir / self.name


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    inbox: Path | None = None
    """Where new documents arrive (`ZVIT_INBOX`); default `<data_dir>/inbox`."""
    workers: int = DEFAULT_WORKERS
    document_timeout_s: float = DEFAULT_DOCUMENT_TIMEOUT_S
    """Wall-time limit per document (`ZVIT_DOCUMENT_TIMEOUT_S`): the worker is killed after it."""
    worker_memory_mb: int = DEFAULT_WORKER_MEMORY_MB
    """Data-segment cap per extraction worker (`ZVIT_WORKER_MEMORY_MB`)."""
    min_file_age_s: float = DEFAULT_MIN_FILE_AGE_S
    """A file modified more recently than this is still being written (`ZVIT_MIN_FILE_AGE_S`)."""
    dbt_project: Path | None = None
    """Another dbt project to build (`ZVIT_DBT_PROJECT_DIR`); default the checkout's own."""
    lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S
    """How long a run waits for another run's hold on the warehouse (`ZVIT_LOCK_TIMEOUT_S`)."""
    pages_per_worker: int = DEFAULT_PAGES_PER_WORKER
    """Split a longer PDF into page ranges read by free workers (`ZVIT_PAGES_PER_WORKER`; 0: no)."""
    dask_address: str | None = None
    """Run extraction on this Dask scheduler (`ZVIT_DASK_ADDRESS`, e.g. `tcp://host:8786`);
    unset: worker processes started by the flow process itself."""

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError(f"workers must be >= 1, got {self.workers}")
        if self.document_timeout_s <= 0:
            raise ValueError(f"document_timeout_s must be > 0, got {self.document_timeout_s}")
        if self.worker_memory_mb < 256:
            raise ValueError(f"worker_memory_mb must be >= 256, got {self.worker_memory_mb}")
        if self.min_file_age_s < 0 or self.lock_timeout_s <= 0:
            raise ValueError("min_file_age_s must be >= 0 and lock_timeout_s > 0")
        if self.pages_per_worker < 0:
            raise ValueError(f"pages_per_worker must be >= 0, got {self.pages_per_worker}")

    @classmethod
    def from_env(cls) -> Settings:
        """Settings from `ZVIT_DATA_DIR` (default `./data`), made absolute once here."""
        data_dir = Path(os.environ.get("ZVIT_DATA_DIR", DEFAULT_DATA_DIR)).expanduser().resolve()
        inbox = os.environ.get("ZVIT_INBOX")
        dbt = os.environ.get("ZVIT_DBT_PROJECT_DIR")
        return cls(
            data_dir=data_dir,
            inbox=Path(inbox).expanduser().resolve() if inbox else None,
            document_timeout_s=_env_number("ZVIT_DOCUMENT_TIMEOUT_S", DEFAULT_DOCUMENT_TIMEOUT_S),
            worker_memory_mb=int(_env_number("ZVIT_WORKER_MEMORY_MB", DEFAULT_WORKER_MEMORY_MB)),
            min_file_age_s=_env_number("ZVIT_MIN_FILE_AGE_S", DEFAULT_MIN_FILE_AGE_S),
            lock_timeout_s=_env_number("ZVIT_LOCK_TIMEOUT_S", DEFAULT_LOCK_TIMEOUT_S),
            dbt_project=Path(dbt).expanduser().resolve() if dbt else None,
            pages_per_worker=int(_env_number("ZVIT_PAGES_PER_WORKER", DEFAULT_PAGES_PER_WORKER)),
            dask_address=os.environ.get("ZVIT_DASK_ADDRESS") or None,
        )

    warehouse_path = InDataDir(
        "warehouse.duckdb", "The loader's private DuckDB file: raw tables, ledger and dbt's build."
    )
    marts_path = InDataDir("marts.duckdb", "The published file analysts open read-only.")
    quarantine_dir = InDataDir("quarantine")
    processed_dir = InDataDir("processed")
    processing_dir = InDataDir(
        "processing", "Claim folders of running runs, `processing/<run id>/`."
    )
    logs_dir = InDataDir("logs")
    lock_path = InDataDir(
        "warehouse.lock", "The writer lock every read-write use of the warehouse holds."
    )
    marts_stale_path = InDataDir(
        "marts.stale",
        "Exists from the first load of a run until its marts are published: a run killed in "
        "between leaves it, and the next run rebuilds and publishes even with nothing new.",
    )

    @property
    def inbox_dir(self) -> Path:
        return self.inbox or self.data_dir / "inbox"

    @property
    def dbt_project_dir(self) -> Path:
        return self.dbt_project or PROJECT_DIR / "dbt_project"

    @property
    def expectations_dir(self) -> Path:
        return PROJECT_DIR / "expectations"

    def with_workers(self, workers: int) -> Settings:
        return replace(self, workers=workers)

    @property
    def limits(self) -> Limits:
        return Limits(
            memory_mb=self.worker_memory_mb,
            timeout_s=self.document_timeout_s,
            pages_per_worker=self.pages_per_worker,
        )

    def ensure_dirs(self) -> None:
        for d in (
            self.data_dir,
            self.quarantine_dir,
            self.processed_dir,
            self.processing_dir,
            self.logs_dir,
        ):
            d.mkdir(parents=True, exist_ok=True)
