"""Per-type extractor versions on a real ledger: bumping one type re-reads only its documents.

Documents are settled as the nightly run settles them (`pipeline.settle`), so the versions
recorded are the ones the pipeline writes; the registry's VERSION attributes are bumped in place.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from synthetic import sha

from transforms import registry
from warehouse import ledger
from warehouse.ledger import DocumentMeta
from zvit import pipeline
from zvit.extract import Extracted
from zvit.inbox import Inbox
from zvit.settings import Settings

PLAN, ANTICORRUPTION, UNKNOWN = sha("plan"), sha("anticorruption"), sha("unknown")


class Passes:
    """A validator that passes everything: these documents have no rows."""

    def validate_frames(self, frames: object, document: str = "") -> list:
        return []


def settle(con, tmp_path: Path, sha256: str, doc_type: str | None, error: str | None = None):
    path = tmp_path / f"{sha256[:8]}.pdf"
    path.write_bytes(sha256.encode())
    extracted = Extracted(DocumentMeta(sha256, path.name, doc_type=doc_type), error_code=error)
    inbox = Inbox(tmp_path, Settings(tmp_path / "data"))
    candidate = pipeline.Candidate(path, sha256)
    return pipeline.settle(con, Passes(), inbox, candidate, extracted)


def current(con) -> dict[str, bool]:
    return {
        name: ledger.is_current(con, sha256, registry.extractor_version)
        for name, sha256 in (
            ("plan", PLAN),
            ("anticorruption", ANTICORRUPTION),
            ("unknown", UNKNOWN),
        )
    }


@pytest.fixture
def three(con, tmp_path: Path):
    """A plan and an anticorruption report loaded, a document of no known type quarantined."""
    assert settle(con, tmp_path, PLAN, "plan_execution").state == "loaded"
    assert settle(con, tmp_path, ANTICORRUPTION, "anticorruption").state == "loaded"
    assert settle(con, tmp_path, UNKNOWN, None, "unknown_type").state == "quarantined"
    return con


def test_each_document_records_the_version_of_its_type(three) -> None:
    for sha256, doc_type in ((PLAN, "plan_execution"), (UNKNOWN, None)):
        recorded = ledger.get(three, sha256)["extractor_version"]
        assert recorded == registry.extractor_version(doc_type)
    assert current(three) == {"plan": True, "anticorruption": True, "unknown": True}


def test_bumping_one_type_rereads_only_its_documents_and_those_of_no_type(
    three, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = registry.DOC_TYPES["plan_execution"]
    monkeypatch.setattr(module, "VERSION", module.VERSION + "-bumped")
    assert current(three) == {"plan": False, "anticorruption": True, "unknown": False}
    monkeypatch.undo()
    assert current(three) == {"plan": True, "anticorruption": True, "unknown": True}


def test_any_type_bump_rereads_an_unknown_type_quarantine(
    three, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, module in registry.DOC_TYPES.items():
        with monkeypatch.context() as mp:
            mp.setattr(module, "VERSION", module.VERSION + "-bumped")
            assert not current(three)["unknown"], name


def test_a_typed_document_that_fails_before_detection_is_not_reread_every_run(
    three, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan type changes; the re-read is killed before the type is known. The ledger keeps
    the type it knew, with the any-type version: current until some type changes again."""
    module = registry.DOC_TYPES["plan_execution"]
    monkeypatch.setattr(module, "VERSION", module.VERSION + "-bumped")
    assert settle(three, tmp_path, PLAN, None, "timeout").state == "quarantined"
    entry = ledger.get(three, PLAN)
    assert (entry["doc_type"], entry["reason_code"]) == ("plan_execution", "timeout")
    assert current(three)["plan"]
    anticorruption = registry.DOC_TYPES["anticorruption"]
    monkeypatch.setattr(anticorruption, "VERSION", anticorruption.VERSION + "-bumped")
    assert not current(three)["plan"]
