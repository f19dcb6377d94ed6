"""Mutated PDFs through the real capped worker: each ends loaded or refused, none crashes the run.

    .venv/bin/python -m tools fuzz --n 300 --seed 1      # figures printed as JSON at the end

Each file is a fixture PDF with one mutation: bytes flipped, a stream cut short (the rest of the
file kept), or an object dropped (its `N 0 obj … endobj` removed, so references dangle). Every file
goes through `zvit.workers.run_isolated` with the default `Limits` exactly as a nightly run reads
it. A file "ends" when the worker sent a result (loaded, or refused with a reason code) or was
stopped with a code (`timeout`, `resource_limit`); anything else raised here is a crash of the
parent and stops the run. `extract_error` is a refusal too, but it means the reader met an error it
has no reason code for: it is counted on its own.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from zvit.settings import PROJECT_DIR, Limits
from zvit.workers import run_isolated

MUTATIONS = ("flip", "cut_stream", "drop_object")
MAX_SOURCE_BYTES = 400_000
"""Smaller fixtures only: the run tries hundreds of files, each in a fresh worker."""


def sources() -> list[Path]:
    """Fixture PDFs with a text layer to mutate (scans and bad files are left out)."""
    roots = [PROJECT_DIR / "tests/fixtures/documents", PROJECT_DIR / "tests/reader/variants"]
    found = [p for root in roots for p in sorted(root.rglob("*.pdf")) if "scan" not in p.name]
    return [p for p in found if p.stat().st_size <= MAX_SOURCE_BYTES]


def mutate(data: bytes, kind: str, rng: random.Random) -> bytes:
    """One mutation of a PDF's bytes (the original when the file has nothing of that kind)."""
    if kind == "flip":
        out = bytearray(data)
        for _ in range(rng.randint(1, 32)):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    if kind == "cut_stream":
        streams = [m.end() for m in re.finditer(rb"stream\r?\n", data)]
        if not streams:
            return data
        start = rng.choice(streams)
        end = data.find(b"endstream", start)
        if end <= start:
            return data
        cut = rng.randint(start, end - 1)
        return data[:cut] + data[end:]
    objects = list(re.finditer(rb"\d+ 0 obj\b.*?endobj", data, re.DOTALL))
    if not objects:
        return data
    m = rng.choice(objects)
    return data[: m.start()] + data[m.end() :]


def fuzz(n: int, seed: int, workdir: Path, limits: Limits | None = None) -> dict[str, Any]:
    """Read `n` mutated PDFs in capped workers; the figures of the run."""
    limits = limits or Limits()
    rng = random.Random(seed)
    pool = sources()
    outcomes: Counter[str] = Counter()
    by_mutation: dict[str, Counter[str]] = {k: Counter() for k in MUTATIONS}
    slowest = 0.0
    peak = 0.0
    started = time.monotonic()
    for i in range(n):
        source = rng.choice(pool)
        kind = MUTATIONS[i % len(MUTATIONS)]
        path = workdir / f"fuzz_{i:04d}_{kind}.pdf"
        path.write_bytes(mutate(source.read_bytes(), kind, rng))
        result, code, stats = run_isolated(path, limits)
        if result is not None:
            code = result.error_code
        outcome = "loaded" if result is not None and code is None else f"refused:{code}"
        outcomes[outcome] += 1
        by_mutation[kind][outcome] += 1
        slowest = max(slowest, stats.seconds)
        peak = max(peak, stats.peak_rss_mb or 0.0)
        path.unlink()
    return {
        "files": n,
        "seed": seed,
        "outcomes": dict(sorted(outcomes.items())),
        "by_mutation": {k: dict(sorted(v.items())) for k, v in by_mutation.items()},
        "max_seconds": round(slowest, 2),
        "max_peak_rss_mb": round(peak, 1),
        "total_seconds": round(time.monotonic() - started, 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tools fuzz", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--n", type=int, default=300, help="how many mutated files")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zvit-fuzz-") as tmp:
        figures = fuzz(args.n, args.seed, Path(tmp))
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
