"""One settings object for everything the pipeline writes, placed by `ZVIT_DATA_DIR`.

Python reads paths only from here; dbt reads the same variable in `dbt_project/profiles.yml`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
"""The checkout: where `dbt_project/`, `expectations/` and `samples/` live."""

DEFAULT_DATA_DIR = "./data"
DEFAULT_WORKERS = 2
DEFAULT_DOCUMENT_TIMEOUT_S = 600.0


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    inbox: Path | None = None
    """Where new documents arrive (`ZVIT_INBOX`); default `<data_dir>/inbox`."""
    workers: int = DEFAULT_WORKERS
    document_timeout_s: float = DEFAULT_DOCUMENT_TIMEOUT_S

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError(f"workers must be >= 1, got {self.workers}")
        if self.document_timeout_s <= 0:
            raise ValueError(f"document_timeout_s must be > 0, got {self.document_timeout_s}")

    @classmethod
    def from_env(cls) -> Settings:
        """Settings from `ZVIT_DATA_DIR` (default `./data`), made absolute once here."""
        data_dir = Path(os.environ.get("ZVIT_DATA_DIR", DEFAULT_DATA_DIR)).expanduser().resolve()
        inbox = os.environ.get("ZVIT_INBOX")
        return cls(data_dir=data_dir, inbox=Path(inbox).expanduser().resolve() if inbox else None)

    @property
    def warehouse_path(self) -> Path:
        """The loader's private DuckDB file: raw tables, ledger and dbt's build."""
        return self.data_dir / "warehouse.duckdb"

    @property
    def marts_path(self) -> Path:
        """The published file analysts open read-only."""
        return self.data_dir / "marts.duckdb"

    @property
    def inbox_dir(self) -> Path:
        return self.inbox or self.data_dir / "inbox"

    @property
    def quarantine_dir(self) -> Path:
        return self.data_dir / "quarantine"

    @property
    def processed_dir(self) -> Path:
        return self.data_dir / "processed"

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def dbt_project_dir(self) -> Path:
        return PROJECT_DIR / "dbt_project"

    @property
    def expectations_dir(self) -> Path:
        return PROJECT_DIR / "expectations"

    def with_workers(self, workers: int) -> Settings:
        return replace(self, workers=workers)

    def ensure_dirs(self) -> None:
        for d in (self.data_dir, self.quarantine_dir, self.processed_dir, self.logs_dir):
            d.mkdir(parents=True, exist_ok=True)
