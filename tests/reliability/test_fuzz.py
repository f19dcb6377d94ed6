"""A few mutated PDFs (tools/fuzz.py) through the real capped worker: each ends loaded or with a
reason code, and the parent survives them all. The full run (hundreds of files) is
`python -m tools fuzz`; its figures are in benchmarks/README.md."""

from __future__ import annotations

from pathlib import Path

from reader.errors import REASONS
from tools.fuzz import MUTATIONS, fuzz, mutate, sources


def test_every_mutation_changes_a_fixture() -> None:
    import random

    data = sources()[0].read_bytes()
    for kind in MUTATIONS:
        assert mutate(data, kind, random.Random(7)) != data, kind


def test_mutated_pdfs_end_loaded_or_refused(tmp_path: Path) -> None:
    figures = fuzz(6, seed=11, workdir=tmp_path)
    outcomes = figures["outcomes"]
    assert sum(outcomes.values()) == 6
    for outcome in outcomes:
        assert outcome == "loaded" or outcome.removeprefix("refused:") in REASONS, outcome
    assert list(tmp_path.iterdir()) == []
