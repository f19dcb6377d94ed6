"""Great Expectations validation of extracted rows, one suite per raw table (`expectations/*.json`).

GX 1.x validates pandas, not polars (GX #9649): frames are converted at this edge. One context is
built per process and reused for every document (its start-up costs seconds; a validation costs
milliseconds). Results are kept in BASIC format with no unexpected-value samples, so failure
reasons carry expectation names and counts, never document text or person names.

With a `docs_dir` (the run uses `<data_dir>/validation`) the context is a file context there:
every document's result is stored, named after the document, and `build_docs` renders them into
GX Data Docs (`<docs_dir>/gx/uncommitted/data_docs/local_site/index.html`) so an operator can see
which expectation a quarantined document broke. Without one (tests) it is ephemeral.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import polars as pl

from zvit import lazy
from zvit.settings import PROJECT_DIR

EXPECTATIONS_DIR = PROJECT_DIR / "expectations"
RESULT_FORMAT = {"result_format": "BASIC", "partial_unexpected_count": 0}


@dataclass(frozen=True)
class Failure:
    """One failed expectation: what was expected of which column, and how many rows broke it."""

    table: str
    expectation: str
    column: str | None
    unexpected_count: int | None
    kwargs: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """The expectation's arguments: how `zvit.reasons` finds the failing rows in the frame."""
    why: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    """The expectation's `meta.why` {uk, en}: why it exists, for the data owner."""

    def __str__(self) -> str:
        where = f"{self.table}.{self.column}" if self.column else self.table
        count = f" ({self.unexpected_count} rows)" if self.unexpected_count else ""
        return f"{self.expectation} on {where}{count}"


def suite_names(expectations_dir: Path = EXPECTATIONS_DIR) -> list[str]:
    """Names of the suites kept in the repo (file stem == suite name == raw table name)."""
    return sorted(p.stem for p in expectations_dir.glob("*.json"))


def load_suite_dict(name: str, expectations_dir: Path = EXPECTATIONS_DIR) -> dict[str, Any]:
    path = expectations_dir / f"{name}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("name") != name:
        raise ValueError(f"{path.name}: suite name {data.get('name')!r} must equal {name!r}")
    return data


GX_UNUSED = ("scipy.stats",)
"""Modules GX imports that zvit's suites and Data Docs never use: deferred (`zvit.lazy`)."""
GX_WITHOUT = ("sqlalchemy",)
"""Optional GX dependencies for SQL datasources, which zvit does not use (it validates pandas
frames): GX is imported as if they were not installed (`zvit.lazy.withhold`)."""


def _gx() -> Any:
    """`great_expectations`, imported with `GX_UNUSED` deferred to their first use."""
    lazy.defer(*GX_UNUSED)
    for module in GX_WITHOUT:
        lazy.withhold(module, ("great_expectations",))
    import great_expectations

    return great_expectations


def _to_pandas(frame: pl.DataFrame) -> Any:
    """Drop nested columns (GX has no expectations for lists) and convert at the edge."""
    flat = [c for c, t in frame.schema.items() if not isinstance(t, pl.List | pl.Struct | pl.Array)]
    return frame.select(flat).to_pandas()


class Validator:
    """Holds one GX context and the repo's suites; validates frames against them."""

    def __init__(self, expectations_dir: Path = EXPECTATIONS_DIR, docs_dir: Path | None = None):
        self.expectations_dir = expectations_dir
        self.docs_dir = docs_dir
        self._stored: list[Any] = []
        """Identifiers of the results stored since the last `build_docs`."""

    @cached_property
    def _context(self) -> Any:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        logging.getLogger("great_expectations").setLevel(logging.WARNING)
        gx = _gx()
        from great_expectations.data_context.types.base import ProgressBarsConfig

        if self.docs_dir is None:
            context = gx.get_context(mode="ephemeral")
        else:
            self.docs_dir.mkdir(parents=True, exist_ok=True)
            context = gx.get_context(mode="file", project_root_dir=str(self.docs_dir))
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        return context

    @cached_property
    def _batch_definition(self) -> Any:
        source = self._context.data_sources.add_or_update_pandas("zvit")
        asset = next((a for a in source.assets if a.name == "extracted"), None)
        asset = asset or source.add_dataframe_asset("extracted")
        return next(
            (b for b in asset.batch_definitions if b.name == "document"), None
        ) or asset.add_batch_definition_whole_dataframe("document")

    @cached_property
    def _suites(self) -> dict[str, Any]:
        gx = _gx()

        suites = {}
        for name in suite_names(self.expectations_dir):
            data = load_suite_dict(name, self.expectations_dir)
            suite = gx.ExpectationSuite(
                name=data["name"], expectations=data["expectations"], meta=data.get("meta", {})
            )
            suites[name] = self._context.suites.add_or_update(suite)
        return suites

    @cached_property
    def _definitions(self) -> dict[str, Any]:
        """One stored validation definition per suite: how a file context keeps results."""
        gx = _gx()

        return {
            name: self._context.validation_definitions.add_or_update(
                gx.ValidationDefinition(name=name, data=self._batch_definition, suite=suite)
            )
            for name, suite in self._suites.items()
        }

    def warm(self) -> None:
        """Import GX now, not at the first `validate` (`zvit.warmup` calls it while the
        documents are being read); an in-memory context is set up too. A file context is not:
        setting it up writes the suites and definitions into the shared validation folder, which
        only the run holding the warehouse may do (overlapping runs met each other's half-saved
        suites: "ExpectationSuite has changed since it has last been saved")."""
        _gx()
        from great_expectations.core.run_identifier import RunIdentifier  # noqa: F401

        if self.docs_dir is None:
            self._suites  # noqa: B018
            self._batch_definition  # noqa: B018

    def has_suite(self, table: str) -> bool:
        return (self.expectations_dir / f"{table}.json").exists()

    def validate(self, table: str, frame: pl.DataFrame, document: str = "") -> list[Failure]:
        """Failed expectations of `frame` against the suite named `table` (empty: it passed).

        With a `docs_dir` the result is stored under the run name `document` for Data Docs."""
        parameters = {"dataframe": _to_pandas(frame)}
        if self.docs_dir is None:
            batch = self._batch_definition.get_batch(batch_parameters=parameters)
            result = batch.validate(self._suites[table], result_format=RESULT_FORMAT)
        else:
            result = self._run_stored(table, parameters, document)
        failures = []
        for r in result.results:
            if r.success:
                continue
            kwargs = r.expectation_config.kwargs
            column = kwargs.get("column") or (
                f"{kwargs['column_A']},{kwargs['column_B']}" if "column_A" in kwargs else None
            )
            count = (r.result or {}).get("unexpected_count")
            if r.exception_info and r.exception_info.get("raised_exception"):
                count = None
            why = (r.expectation_config.meta or {}).get("why") or {}
            failures.append(
                Failure(
                    table,
                    r.expectation_config.type,
                    column,
                    count,
                    kwargs=dict(kwargs),
                    why=why if isinstance(why, dict) else {"en": str(why)},
                )
            )
        return failures

    def _run_stored(self, table: str, parameters: dict[str, Any], document: str) -> Any:
        """Validate through the stored definition, so the result lands in the results store."""
        from great_expectations.core.run_identifier import RunIdentifier

        # The run name becomes a folder name in the store and the docs: keep it short and tame.
        name = re.sub(r"[^\w.-]+", "_", document)[:100] or None
        run_id = RunIdentifier(run_name=name)
        self._stored.append(run_id.to_tuple())
        return self._definitions[table].run(
            batch_parameters=parameters, result_format=RESULT_FORMAT, run_id=run_id
        )

    def build_docs(self) -> Path | None:
        """Render the results stored since the last call into Data Docs; returns the index page.

        Only the new results' pages are rendered (and the index): cost grows with the run, not
        with the history."""
        if self.docs_dir is None or not self._stored:
            return None
        runs = set(self._stored)
        keys = [
            k
            for k in self._context.validation_results_store.list_keys()
            if k.run_id.to_tuple() in runs
        ]
        self._context.build_data_docs(resource_identifiers=keys)
        self._stored = []
        return self.docs_index(self.docs_dir)

    @staticmethod
    def docs_index(docs_dir: Path) -> Path:
        return docs_dir / "gx/uncommitted/data_docs/local_site/index.html"

    def validate_frames(self, frames: dict[str, pl.DataFrame], document: str = "") -> list[Failure]:
        """Validate every frame that has a suite; frames without one are provenance, not facts."""
        failures: list[Failure] = []
        for table, frame in frames.items():
            if self.has_suite(table):
                failures.extend(self.validate(table, frame, document))
        return failures


def failure_reason(
    failures: list[Failure], frames: dict[str, pl.DataFrame] | None = None, sha256: str = ""
) -> str:
    """A readable, text-free quarantine reason: every failed expectation, where (page, item,
    row, found from `frames`), why (its `meta.why`) and what to do (`zvit.reasons`)."""
    from zvit.reasons import validation_reason

    return validation_reason(failures, frames or {}, sha256)
