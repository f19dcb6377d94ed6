"""A run's summary: printed by the CLI, published as a Prefect artifact, kept in `logs/`.

It carries file names, hashes and reason codes, never document text.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from zvit.pipeline import Outcome


@dataclass
class RunSummary:
    outcomes: list[Outcome]
    current: list[str]
    marts: dict[str, int]
    dbt_success: bool | None
    duplicates: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    dbt_failures: list[str] = field(default_factory=list)
    marts_path: str = ""
    run_id: str = ""
    finished_at: str = field(
        default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds")
    )

    @property
    def loaded(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.state == "loaded"]

    @property
    def quarantined(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.state == "quarantined"]

    def to_dict(self) -> dict:
        return asdict(self)

    def to_markdown(self) -> str:
        lines = [
            "# zvit nightly run",
            "",
            f"- loaded: **{len(self.loaded)}**, quarantined: **{len(self.quarantined)}**, "
            f"already current: {len(self.current)}, duplicates: {len(self.duplicates)}, "
            f"still being written: {len(self.waiting)}",
            f"- dbt build: {_dbt_text(self.dbt_success)}",
            "",
            "| document | sha256 | type | state | rows / reason | s | peak MB |",
            "|---|---|---|---|---|---|---|",
        ]
        for o in self.outcomes:
            detail = str(o.rows) if o.state != "quarantined" else f"`{o.reason_code}` {o.reason}"
            lines.append(
                f"| {_cell(o.file_name)} | {o.sha256[:12] or '-'} | {o.doc_type or '-'} "
                f"| {o.state} | {detail} | {_num(o.seconds)} | {_num(o.peak_mb)} |"
            )
        if self.recovered:
            lines += ["", f"- taken back from a run that died: {len(self.recovered)} file(s)"]
        lines += ["", "| mart | rows |", "|---|---|"]
        lines += [f"| {name} | {rows} |" for name, rows in self.marts.items()]
        return "\n".join(lines) + "\n"

    def write_log(self, logs_dir: Path) -> Path:
        logs_dir.mkdir(parents=True, exist_ok=True)
        stamp = self.finished_at.replace(":", "").replace("-", "")
        # Runs finishing in the same second (overlapping runs) must not overwrite each other.
        path = logs_dir / f"run-{stamp}-{(self.run_id or 'local')[:8]}.json"
        n = 0
        while path.exists():
            n += 1
            path = path.with_name(f"run-{stamp}-{(self.run_id or 'local')[:8]}-{n}.json")
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
        return path


def _dbt_text(success: bool | None) -> str:
    if success is None:
        return "skipped (nothing new)"
    return "passed" if success else "FAILED"


def _cell(text: str) -> str:
    """A file name as a table cell: names come from outside and may hold `|` or newlines."""
    return text.replace("|", "\\|").replace("\n", " ")


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"
