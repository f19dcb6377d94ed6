"""One typed settings object holding every `ZVIT_*` environment variable.

Python reads `ZVIT_*` only through `Settings` (pydantic-settings: types, defaults, checks at
start-up); dbt reads `ZVIT_DATA_DIR` in `dbt_project/profiles.yml` and `warehouse.faults` reads
`ZVIT_FAILPOINT` itself (it must stay inert and cheap), both declared here too so `zvit config`
and the README table name every variable. Adding a setting is one annotated field with a
`Field(description=...)`: its variable is `ZVIT_` + the field name in capitals.

The capped extraction worker never imports this module (pydantic would load before its memory
cap): it gets plain `zvit.limits.Limits`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal, overload

from pydantic import AfterValidator, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from zvit.limits import (
    DEFAULT_DOCUMENT_TIMEOUT_S,
    DEFAULT_PAGES_PER_WORKER,
    DEFAULT_WORKER_MEMORY_MB,
    Limits,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
"""The checkout: where `dbt_project/`, `expectations/` and `samples/` live."""

ENV_PREFIX = "ZVIT_"
DEFAULT_DATA_DIR = "./data"
DEFAULT_WORKERS = 2
DEFAULT_MIN_FILE_AGE_S = 5.0
DEFAULT_LOCK_TIMEOUT_S = 4 * 3600.0

__all__ = ["PROJECT_DIR", "Limits", "Settings", "env_name"]


def _absolute(path: Path | None) -> Path | None:
    """Relative paths are made absolute once, here, against the directory the run started in."""
    return None if path is None else path.expanduser().resolve()


AbsolutePath = Annotated[Path, AfterValidator(_absolute)]


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


def env_name(field: str) -> str:
    """The environment variable of a settings field: `data_dir` -> `ZVIT_DATA_DIR`."""
    return ENV_PREFIX + field.upper()


class Settings(BaseSettings):
    """Where the pipeline writes and how hard it works, from `ZVIT_*` (checked on creation, so a
    typo fails at start-up, not mid-run). `Settings()` reads the environment; keyword arguments
    override it (tests)."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_ignore_empty=True,
        frozen=True,
        extra="ignore",
        ignored_types=(InDataDir,),
    )

    data_dir: AbsolutePath = Field(
        Path(DEFAULT_DATA_DIR),
        description="Where everything the pipeline writes goes (warehouse, marts, quarantine, "
        "logs, validation results); dbt's profile reads it too.",
    )
    inbox: AbsolutePath | None = Field(
        None,
        description="Folder new documents arrive in; default `<data_dir>/inbox`. `zvit run` "
        "and the nightly deployment read it.",
    )
    workers: int = Field(DEFAULT_WORKERS, ge=1, description="Extraction worker processes.")
    document_timeout_s: float = Field(
        DEFAULT_DOCUMENT_TIMEOUT_S,
        gt=0,
        description="Wall-time limit per document, seconds: its worker is killed after it and "
        "the document quarantined as `timeout`.",
    )
    worker_memory_mb: int = Field(
        DEFAULT_WORKER_MEMORY_MB,
        ge=256,
        description="Data-segment cap per extraction worker, MB (`resource_limit` above it).",
    )
    min_file_age_s: float = Field(
        DEFAULT_MIN_FILE_AGE_S,
        ge=0,
        description="A file modified more recently than this (seconds) is still being written "
        "and waits for the next run.",
    )
    lock_timeout_s: float = Field(
        DEFAULT_LOCK_TIMEOUT_S,
        gt=0,
        description="How long a run waits (seconds) for another run's hold on the warehouse.",
    )
    dbt_project_dir: AbsolutePath = Field(
        PROJECT_DIR / "dbt_project", description="The dbt project to build; default the checkout's."
    )
    pages_per_worker: int = Field(
        DEFAULT_PAGES_PER_WORKER,
        ge=0,
        description="A PDF with more pages is read in page ranges by several workers when "
        "worker slots are free (0: never); a page to be read by OCR counts as 500.",
    )
    dask_address: str | None = Field(
        None,
        description="Dask scheduler to run extraction on (`tcp://host:8786`, backfills); "
        "unset: worker processes of the run itself.",
    )
    pdf_engine: Literal["pdfium", "pdfplumber"] = Field(
        "pdfium",
        description="How PDFs are parsed: pdfium (fast) or pdfplumber (pdfminer, the reference); "
        "the reader reads the variable itself, in the capped worker.",
    )
    preflight: bool = Field(
        True,
        description="`zvit run` answers a run with nothing new before starting Prefect "
        "(`0`: always start the flow).",
    )
    dbt_process: bool = Field(
        True,
        description="`0`: build in the run's own process instead of a dbt process started (and "
        "parsing) while the documents are read.",
    )
    failpoint: str | None = Field(
        None,
        description="Tests only: kill the run at this named point (`warehouse/faults.py`).",
    )

    def __init__(self, data_dir: Path | str | None = None, /, **values: Any) -> None:
        if data_dir is not None:
            values["data_dir"] = data_dir
        super().__init__(**values)

    @classmethod
    def from_env(cls) -> Settings:
        """Settings from the `ZVIT_*` environment variables (and defaults)."""
        return cls()

    def source(self, field: str) -> Literal["env", "default", "argument"]:
        """Where a field's value came from: its environment variable, the default, or code."""
        if field not in self.model_fields_set:
            return "default"
        name = env_name(field)
        return "env" if any(k.upper() == name and v for k, v in os.environ.items()) else "argument"

    def described(self) -> list[tuple[str, str, str, str]]:
        """(variable, value, source, description) for every setting: `zvit config`, README."""
        rows = []
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            shown = "" if value is None else str(value)
            if name == "inbox" and value is None:
                shown = f"{self.inbox_dir} (<data_dir>/inbox)"
            rows.append((env_name(name), shown, self.source(name), info.description or ""))
        return rows

    warehouse_path = InDataDir(
        "warehouse.duckdb", "The loader's private DuckDB file: raw tables, ledger and dbt's build."
    )
    marts_path = InDataDir("marts.duckdb", "The published file analysts open read-only.")
    ledger_path = InDataDir(
        "ledger.duckdb",
        "A read-only copy of the ledger published at the end of every run: `zvit ledger` and "
        "`zvit quarantine` read it while a run holds the warehouse.",
    )
    validation_dir = InDataDir(
        "validation", "Great Expectations project: every validation result and its Data Docs."
    )
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
    def expectations_dir(self) -> Path:
        return PROJECT_DIR / "expectations"

    @property
    def samples_dir(self) -> Path:
        return PROJECT_DIR / "samples"

    def with_workers(self, workers: int) -> Settings:
        return self.model_copy(update={"workers": workers})

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
