"""The reading layer's PDF engines against plain pdfplumber, back to back in one process.

    .venv/bin/python benchmarks/engines.py [--pdf PATH] [--repeat N]

Measures (wall seconds, best of `--repeat`): d1. `read_document` with the pdfium engine (the
default) in this process; a. plain pdfplumber `extract_tables` page by page (pages closed);
d2. `read_document` with the pdfplumber engine (the reference); d3. the document the way a zvit
run reads it: `zvit.workers.run_isolated` with one spare slot, so a lead worker and one helper
(2 capped, spawned processes, `ZVIT_PAGES_PER_WORKER` ranges) read it, wall clock including
their start and imports, and the lead also runs the document type's transforms (`extract`).
The pdfium read goes first so the process's peak RSS after it (`ru_maxrss`) is that read's peak
(imports included); d3's peak is its largest worker's (at least this process's peak when it
was spawned: Linux keeps `ru_maxrss` across exec, so d3 runs before a and d2). Ratios are
speed against (a); the machine is shared, so compare ratios measured in the same run, not
single figures; the CPU-time ratios (d1, a and d2 run in this process) move less with the load.
d1 against (a) is the like-for-like figure (one process, one core each).
"""

from __future__ import annotations

import argparse
import json
import resource
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber

from reader.read import read_document
from reader.settings import ReaderSettings
from zvit.limits import Limits
from zvit.workers import WorkerStats, run_isolated

DEFAULT_PDF = Path(__file__).resolve().parent / "data" / "plan_long.pdf"


def plain_pdfplumber(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.close()
        return len(pdf.pages)


def in_workers(path: Path) -> WorkerStats:
    """The document read as a run reads it: this document's worker plus one spare slot."""
    result, code, stats = run_isolated(path, Limits(), threading.Semaphore(1))
    if result is None:
        raise SystemExit(f"the workers did not read {path.name}: {code}")
    return stats


CPU_S: dict[str, float] = {}
"""Each in-process measurement's best CPU time (`time.process_time`): on a machine shared with
other work it moves far less than wall time, so its ratios are printed too."""


def best(fn: Callable[[], object], repeat: int, name: str = "") -> float:
    times, cpu = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    if name:
        CPU_S[name] = min(cpu)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pdf", type=Path, default=DEFAULT_PDF)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    pdfium = ReaderSettings(pdf_engine="pdfium")
    reference = ReaderSettings(pdf_engine="pdfplumber")
    d1 = best(lambda: read_document(args.pdf, pdfium), args.repeat, "d1")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # before (a) and (d2): a spawned worker starts with this process's peak RSS as its own
    runs: list[WorkerStats] = []
    d3 = best(lambda: runs.append(in_workers(args.pdf)), args.repeat)
    a = best(lambda: plain_pdfplumber(args.pdf), args.repeat, "a")
    d2 = best(lambda: read_document(args.pdf, reference), args.repeat, "d2")
    with open("/proc/loadavg") as fh:
        load = fh.read().split()[:3]
    print(
        json.dumps(
            {
                "pdf": args.pdf.name,
                "a_plain_pdfplumber_s": round(a, 2),
                "d1_reader_pdfium_s": round(d1, 2),
                "d2_reader_pdfplumber_s": round(d2, 2),
                "d3_workers_s": round(d3, 2),
                "d1_speed_vs_a": round(a / d1, 2),
                "d2_speed_vs_a": round(a / d2, 2),
                "d3_speed_vs_a": round(a / d3, 2),
                "d1_speed_vs_d2": round(d2 / d1, 2),
                "cpu_s": {k: round(v, 2) for k, v in CPU_S.items()},
                "d1_cpu_speed_vs_a": round(CPU_S["a"] / CPU_S["d1"], 2),
                "d2_cpu_speed_vs_a": round(CPU_S["a"] / CPU_S["d2"], 2),
                "peak_rss_mb_after_d1": round(peak_mb, 1),
                "d3_workers": max(r.workers for r in runs),
                "d3_largest_worker_mb": max(r.peak_rss_mb or 0 for r in runs),
                "load_average": load,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
