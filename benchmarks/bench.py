"""Throughput and memory of zvit against plain pdfplumber, on one long plan report.

    .venv/bin/python benchmarks/bench.py [--pdf PATH] [--skip-pipeline]

Measures, in one run and each in its own fresh process (so one measurement's memory does not
pollute the next):

  a. plain pdfplumber: open, `page.extract_tables()` on every page, `page.close()` (the median
     of `--repeat` runs, 3 by default: the ratios' base);
  b. zvit's whole pipeline: `python -m zvit.cli run --inbox <tmp> --keep-inbox` with a fresh
     `ZVIT_DATA_DIR`;
  c. the same command again on the same inbox and data dir (nothing new: a no-op);
     b and c share a private, fresh `PREFECT_HOME`, so b also pays for creating Prefect's database;
  b2. the nightly case: a copy of the report with new bytes arriving at the warehouse b built
     (dbt's partial parse kept, a selective build);
  b3. the same with a Prefect server already up (`PREFECT_API_URL` set), as the nightly
     deployment runs: no temporary server to start and stop. The server is started before (f),
     not measured, and waited for until it has settled (`_wait_settled`), as a deployment's
     server that has been up for days has; the median of `--repeat` nights, each a new copy;
  d. the reading layer alone: `reader.read_document(path)`, in one process;
  d3. the document read as a run reads it: `zvit.workers.run_isolated` with one spare slot
     (capped, spawned workers; page ranges only past `ZVIT_PAGES_PER_WORKER` pages, 400 by
     default, so one worker for this report; it also runs the document type's transforms),
     wall clock including the workers' start;
  e. OCR: `read_document` on scans of pages of the samples, and e3 the same as d3 (a page to
     OCR weighs 500 text pages, so a scan is read in two ranges on the spare slot).

Peak memory: each command runs under a small wrapper process (`_measure`) that samples the summed
RSS of the command's whole process tree from /proc every 20 ms, and reads the largest single
process's peak from `getrusage(RUSAGE_CHILDREN).ru_maxrss` when the tree has finished. The wrapper
is itself fresh for every measurement, so `RUSAGE_CHILDREN` only sees that one command.

The long report (`benchmarks/data/plan_long.pdf`, 296 pages: the 2021 plan six times, 384
measures) is committed; if it is missing it is rendered with `python -m tools long`
(`tools/plan_execution.py`), which needs LibreOffice.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PDF = ROOT / "benchmarks" / "data" / "plan_long.pdf"
PYTHON = sys.executable
TIMEOUT_S = 3600
SAMPLE_EVERY_S = 0.02
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------------------------------------
# Children: the measured work itself


def plain_pdfplumber(pdf_path: str) -> None:
    """Extract ruled tables from every page with plain pdfplumber, closing each page."""
    import pdfplumber

    tables = 0
    with pdfplumber.open(pdf_path) as pdf:
        pages = len(pdf.pages)
        for page in pdf.pages:
            tables += len(page.extract_tables())
            page.close()
    print(json.dumps({"pages": pages, "tables": tables}))


def plain_pdfplumber_many(paths: list[str]) -> None:
    """Plain pdfplumber over several PDFs in one process (the batch baseline)."""
    import pdfplumber

    pages = tables = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            pages += len(pdf.pages)
            for page in pdf.pages:
                tables += len(page.extract_tables())
                page.close()
    print(json.dumps({"pages": pages, "tables": tables}))


def reading_layer(pdf_path: str) -> None:
    """Read the document with zvit's reading layer."""
    try:
        from reader import read_document
    except ImportError as e:
        print(json.dumps({"unavailable": f"reader.read_document not importable: {e}"}))
        return
    doc = read_document(Path(pdf_path))
    tables = getattr(doc, "tables", None)
    rows = sum(len(getattr(t, "rows", ())) for t in tables) if tables else None
    pages = getattr(doc, "pages", None)
    print(json.dumps({"tables": len(tables) if tables else None, "rows": rows, "pages": pages}))


def reading_workers(pdf_path: str) -> None:
    """Read the document in zvit's capped workers, as a run with one spare slot does."""
    import threading

    from zvit.limits import Limits
    from zvit.workers import run_isolated

    result, code, stats = run_isolated(Path(pdf_path), Limits(), threading.Semaphore(1))
    print(
        json.dumps(
            {"read": result is not None, "code": code, "workers": stats.workers}
            | {"largest_worker_mb": stats.peak_rss_mb}
        )
    )


def _tree_stat(root: int) -> tuple[int, float]:
    """Summed RSS (bytes) and CPU time (user + system, s) of `root` and all its living
    descendants, from /proc."""
    children: dict[int, list[int]] = {}
    own: dict[int, tuple[int, int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            fields = stat[stat.rindex(")") + 2 :].split()  # fields[i] is field i + 3 of proc(5)
            ppid, ticks, pages = int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[21])
        except (OSError, ValueError, IndexError):
            continue
        pid = int(entry)
        children.setdefault(ppid, []).append(pid)
        own[pid] = (pages * PAGE_SIZE, ticks)
    rss, ticks, todo = 0, 0, [root]
    while todo:
        pid = todo.pop()
        pid_rss, pid_ticks = own.get(pid, (0, 0))
        rss, ticks = rss + pid_rss, ticks + pid_ticks
        todo.extend(children.get(pid, ()))
    return rss, ticks / CLOCK_TICKS


def measure(cmd: list[str]) -> None:
    """Run `cmd`, sampling its process tree's RSS; print wall time and peaks as JSON."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_stat(proc.pid)[0])
            time.sleep(SAMPLE_EVERY_S)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    max_single_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "rc": proc.returncode,
                "wall_s": wall,
                "peak_tree_mb": peak / 2**20,
                "max_single_mb": max_single_kb / 1024,
                "stdout": out[-4000:],
                "stderr": err[-4000:],
            }
        )
    )


# ---------------------------------------------------------------------------------------------
# Parent: orchestration and the report


@dataclass
class Result:
    name: str
    wall_s: float | None = None
    pages: int | None = None
    peak_tree_mb: float | None = None
    max_single_mb: float | None = None
    note: str = ""
    failed: bool = False

    @property
    def pages_per_s(self) -> float | None:
        if self.wall_s and self.pages:
            return self.pages / self.wall_s
        return None


def run_measured(cmd: list[str], env: dict[str, str] | None = None) -> dict:
    """Run `cmd` under a fresh `_measure` wrapper process and return its JSON report."""
    wrapper = [PYTHON, str(Path(__file__).resolve()), "_measure", "--", *cmd]
    out = subprocess.run(
        wrapper, capture_output=True, text=True, env=env, cwd=ROOT, timeout=TIMEOUT_S + 60
    )
    if out.returncode != 0:
        raise RuntimeError(f"measure wrapper failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _last_json(text: str) -> dict:
    for line in reversed(text.strip().splitlines()):
        try:
            return json.loads(line)
        except json.JSONDecodeError:
            continue
    return {}


def _fail_note(report: dict) -> str:
    lines = (report["stderr"] + "\n" + report["stdout"]).strip().splitlines()
    errors = [line for line in lines if re.search(r"Error\b|error:", line)]
    last = (errors or lines or ["no output"])[-1].strip()
    return f"exit {report['rc']}: {last[:160]}"


def cli_available() -> str | None:
    """None if `zvit.cli run` can be started here, else why not."""
    probe = subprocess.run(
        [PYTHON, "-c", "import zvit.cli, flows.nightly, reader; reader.read_document"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if probe.returncode != 0:
        last = probe.stderr.strip().splitlines()
        return last[-1] if last else f"exit {probe.returncode}"
    return None


def _pipeline_env(tmp: Path, data: str = "data") -> dict[str, str]:
    """A fresh data dir and a private Prefect home: a shared one's SQLite database can be locked
    by other Prefect processes on the machine ("database is locked"), failing the run. A fresh
    Prefect database under load can take longer than Prefect's 20 s start-up timeout."""
    env = dict(
        os.environ,
        ZVIT_DATA_DIR=str(tmp / data),
        PREFECT_HOME=str(tmp / "prefect"),
        ZVIT_MIN_FILE_AGE_S="0",
    )
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    return env


def _zvit_run(name: str, inbox: Path, env: dict[str, str], pages: int | None) -> Result:
    """`zvit run --keep-inbox` over `inbox`, measured; the note says what it did, and the largest
    extraction worker's peak (from the run's summary log) when it read anything."""
    cmd = [PYTHON, "-m", "zvit.cli", "run", "--inbox", str(inbox), "--keep-inbox"]
    report = run_measured(cmd, env)
    r = Result(name, report["wall_s"], pages)
    r.peak_tree_mb, r.max_single_mb = report["peak_tree_mb"], report["max_single_mb"]
    if report["rc"] != 0:
        r.note, r.failed = _fail_note(report), True
        return r
    r.note = _summary_note(report["stdout"])
    worker = _worker_peak(Path(env["ZVIT_DATA_DIR"]) / "logs") if pages else None
    if worker:
        r.note += f"; worker peak {worker[0]:.0f} MB (max of {worker[1]})"
    return r


def _worker_peak(logs: Path) -> tuple[float, int] | None:
    """The largest `peak_mb` any extraction worker reported in the newest run log, and how many
    documents it covers (`zvit.workers.WorkerStats`, through the run summary)."""
    runs = sorted(logs.glob("run-*.json"), key=lambda p: p.stat().st_mtime)
    if not runs:
        return None
    peaks = [
        o["peak_mb"]
        for o in json.loads(runs[-1].read_text(encoding="utf-8"))["outcomes"]
        if o.get("peak_mb") is not None
    ]
    return (max(peaks), len(peaks)) if peaks else None


def _plain(pdf: Path) -> Result:
    report = run_measured([PYTHON, __file__, "_plain", str(pdf)])
    plain = Result("a. plain pdfplumber extract_tables", report["wall_s"])
    plain.peak_tree_mb, plain.max_single_mb = report["peak_tree_mb"], report["max_single_mb"]
    if report["rc"] == 0:
        info = _last_json(report["stdout"])
        plain.pages = info["pages"]
        plain.note = f"{info['tables']} tables"
    else:
        plain.note, plain.failed = _fail_note(report), True
    return plain


def _median(runs: list[Result]) -> Result:
    """One line for a measurement taken `len(runs)` times: the run with the median wall time,
    its note listing every run's; memory the largest any run reached. A failed run is shown as
    it is."""
    failed = [r for r in runs if r.failed or r.wall_s is None]
    if failed or len(runs) == 1:
        return (failed or runs)[0]
    ordered = sorted(runs, key=lambda r: r.wall_s or 0.0)
    median = ordered[(len(ordered) - 1) // 2]
    walls = " / ".join(f"{r.wall_s:.2f}" for r in runs)
    median.note = f"{median.note}; median of {len(runs)} runs: {walls} s".lstrip("; ")
    median.peak_tree_mb = max(r.peak_tree_mb or 0.0 for r in runs) or None
    median.max_single_mb = max(r.max_single_mb or 0.0 for r in runs) or None
    return median


def bench(
    pdf: Path, skip_pipeline: bool, engines: list[str], deployment: bool, repeat: int
) -> list[Result]:
    results: list[Result] = []
    plain = _median([_plain(pdf) for _ in range(repeat)])
    pages = plain.pages
    results.append(plain)

    why_not = "skipped (--skip-pipeline)" if skip_pipeline else cli_available()
    if why_not:
        note = f"not run: {why_not}"
        results.append(Result("b. zvit run (whole pipeline)", note=note))
        results.append(Result("c. zvit run again (no-op)", note=note))
    else:
        with tempfile.TemporaryDirectory(prefix="zvit-bench-") as tmp:
            inbox = Path(tmp) / "inbox"
            inbox.mkdir()
            shutil.copyfile(pdf, inbox / pdf.name)
            env = _pipeline_env(Path(tmp))
            results.append(_zvit_run("b. zvit run (whole pipeline)", inbox, env, pages))
            results.append(_zvit_run("c. zvit run again (no-op)", inbox, env, None))
            # The same no-op through the flow (the preflight turned off): what (c) cost before.
            flow_env = dict(env, ZVIT_PREFLIGHT="0")
            results.append(_zvit_run("c0. no-op through the flow", inbox, flow_env, None))
            # The nightly case: the report (new bytes, same content) arrives at the warehouse the
            # runs above built: partial parse kept, only what plan rows feed rebuilt.
            copy = _next_copy(Path(tmp) / "inbox-nightly", pdf, "the next night's copy")
            name = "b2. zvit run, into the built warehouse"
            results.append(_zvit_run(name, copy.parent, env, pages))
            if deployment:
                with _prefect_server(env) as (api, settled):
                    results.append(deployment_noop(inbox, env, api))
                    # b2 as the deployment runs it: the server is already up. Each night's
                    # copy is new bytes, loaded into the warehouse the night before built.
                    name = "b3. b2 with the Prefect server up"
                    if api is None:
                        results.append(Result(name, note="not run: no Prefect server"))
                    else:
                        server_env = dict(env, PREFECT_API_URL=api)
                        nights = []
                        for night in range(1, repeat + 1):
                            folder = Path(tmp) / f"inbox-server-{night}"
                            copy = _next_copy(folder, pdf, f"night {night}, server up")
                            nights.append(_zvit_run(name, copy.parent, server_env, pages))
                        b3 = _median(nights)
                        b3.note += f"; {settled}"
                        results.append(b3)

    for engine in engines or [""]:
        env = dict(os.environ, ZVIT_PDF_ENGINE=engine) if engine else None
        report = run_measured([PYTHON, __file__, "_reader", str(pdf)], env)
        info = _last_json(report["stdout"]) if report["rc"] == 0 else {}
        name = f"d. reading layer [{engine}]" if engine else "d. reading layer read_document"
        if "unavailable" in info:
            results.append(Result(name, note=info["unavailable"]))
        else:
            results.append(_reader_result(name, report, info, pages))
    results.append(_in_workers("d3. reading in zvit's workers", pdf, pages))
    return results


def _in_workers(name: str, pdf: Path, pages: int | None) -> Result:
    """A `_workers` child's measurement: the document read as a run with one spare slot does."""
    report = run_measured([PYTHON, __file__, "_workers", str(pdf)])
    workers = Result(name, report["wall_s"], pages)
    workers.peak_tree_mb, workers.max_single_mb = report["peak_tree_mb"], report["max_single_mb"]
    info = _last_json(report["stdout"]) if report["rc"] == 0 else {}
    workers.note = (
        f"{info['workers']} capped workers, page ranges, incl. start"
        if info.get("read")
        else info.get("code") or _fail_note(report)
    )
    return workers


def _next_copy(folder: Path, pdf: Path, note: str) -> Path:
    """A copy of `pdf` alone in `folder`, with new bytes (a comment after `%%EOF`): for the
    ledger a new document, for the reader the same pages."""
    folder.mkdir()
    copy = folder / f"next-{pdf.name}"
    shutil.copyfile(pdf, copy)
    with open(copy, "ab") as fh:
        fh.write(f"\n% zvit-bench: {note}\n".encode())
    return copy


SETTLE_WINDOW_S = 5.0
SETTLED_SHARE = 0.05
"""A Prefect server counts as settled once its processes use under 5% of a core over 5 s (a
server that has been up for a while: ~2%). A fresh one reports healthy within seconds but then
spends ~10 s of CPU on its start-up work (up to a whole core; longer on a busy machine), which a
nightly deployment's server, up for days, has long done: measured against it, b3 took 8.3 s
where the same code took 6.5-7 s against a settled server."""


def _wait_settled(pid: int, timeout_s: float) -> str:
    """Wait until the server's process tree is settled (`SETTLED_SHARE`); says how long."""
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        before = _tree_stat(pid)[1]
        time.sleep(SETTLE_WINDOW_S)
        share = (_tree_stat(pid)[1] - before) / SETTLE_WINDOW_S
        if share < SETTLED_SHARE:
            waited = time.monotonic() - start
            return f"server settled ({share:.0%} of a core) {waited:.0f} s after healthy"
    return f"server still busy {timeout_s:.0f} s after healthy"


@contextlib.contextmanager
def _prefect_server(env: dict[str, str]) -> Iterator[tuple[str | None, str]]:
    """`prefect server start` (not measured, the private `PREFECT_HOME` of `env`) for the
    lines that run as a deployment does; yields its API URL (None if it did not start) once it
    is healthy and settled (`_wait_settled`), and how long settling took."""
    port = _free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(env, PREFECT_UI_ENABLED="false", PREFECT_SERVER_ANALYTICS_ENABLED="false"),
        cwd=ROOT,
    )
    try:
        api = f"http://127.0.0.1:{port}/api"
        if _wait_healthy(api, 180):
            yield api, _wait_settled(server.pid, 240)
        else:
            yield None, "the server did not start"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def deployment_noop(inbox: Path, env: dict[str, str], api: str | None) -> Result:
    """The nightly flow with nothing new against a Prefect server that is already up (`api`), as
    a deployment's run meets it: the flow called with `PREFECT_API_URL` set (measured). A
    worker's own start-up is not included."""
    name = "f. deployment-style no-op (server up)"
    if api is None:
        return Result(name, note="not run: the Prefect server did not start in 180 s")
    code = (
        "from flows.nightly import nightly; "
        f"s = nightly(inbox={str(inbox)!r}, keep_inbox=True); "
        "print(len(s['current']), 'document(s) already current')"
    )
    report = run_measured([PYTHON, "-c", code], dict(env, PREFECT_API_URL=api))
    r = Result(name, report["wall_s"])
    r.peak_tree_mb, r.max_single_mb = report["peak_tree_mb"], report["max_single_mb"]
    r.note = _summary_note(report["stdout"]) if report["rc"] == 0 else _fail_note(report)
    return r


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(api: str, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


FIXTURE_TYPES = ("plan_execution", "anticorruption", "service_card", "assistance_project")


def batch_sources() -> list[Path]:
    """Text documents of the four types, PDF and DOCX: the samples and the fixtures with their
    variants and other producers' renders, interleaved by type (scans left out: OCR is (e))."""
    per_type: dict[str, list[Path]] = {t: [] for t in FIXTURE_TYPES}
    for t in FIXTURE_TYPES:
        folder = ROOT / "tests" / "fixtures" / "documents" / t
        for sub in ("", "variants", "producers"):
            per_type[t] += sorted(
                p for p in (folder / sub).glob("*") if p.suffix in (".pdf", ".docx")
            )
    samples = sorted(p for p in (ROOT / "samples").glob("*") if "scan" not in p.name)
    out: list[Path] = []
    pools = [samples, *per_type.values()]
    while any(pools):
        for pool in pools:
            if pool:
                out.append(pool.pop(0))
    return out


def make_batch(folder: Path, size: int) -> list[Path]:
    """`size` documents copied into `folder`, each with its own sha256: a PDF gets a comment line
    after its `%%EOF`, a DOCX a zip archive comment (both leave the content as it was); the pool
    is reused with a new mark when it runs out."""
    sources = batch_sources()
    made: list[Path] = []
    for i in range(size):
        src = sources[i % len(sources)]
        target = folder / f"{i:02d}-{src.name}"
        shutil.copyfile(src, target)
        if src.suffix == ".pdf":
            with open(target, "ab") as fh:
                fh.write(f"\n% zvit-bench copy {i}\n".encode())
        else:
            with zipfile.ZipFile(target, "a") as z:
                z.comment = f"zvit-bench copy {i}".encode()
        made.append(target)
    return made


def bench_batch(size: int, skip_pipeline: bool) -> list[Result]:
    """A batch of mixed documents through `zvit run`, against plain pdfplumber on its PDFs."""
    with tempfile.TemporaryDirectory(prefix="zvit-batch-") as tmp:
        inbox = Path(tmp) / "inbox"
        inbox.mkdir()
        files = make_batch(inbox, size)
        pdfs = [str(p) for p in files if p.suffix == ".pdf"]
        report = run_measured([PYTHON, __file__, "_plain_many", *pdfs])
        info = _last_json(report["stdout"]) if report["rc"] == 0 else {}
        base = Result(f"a. pdfplumber, the batch's {len(pdfs)} PDFs", report["wall_s"])
        base.peak_tree_mb, base.max_single_mb = report["peak_tree_mb"], report["max_single_mb"]
        base.pages = info.get("pages")
        base.note = f"{info.get('tables')} tables" if info else _fail_note(report)
        results = [base]
        name = f"b. zvit run, {len(files)} documents ({len(files) - len(pdfs)} DOCX)"
        why_not = "skipped (--skip-pipeline)" if skip_pipeline else cli_available()
        if why_not:
            results.append(Result(name, note=f"not run: {why_not}"))
            return results
        env = _pipeline_env(Path(tmp))
        # Same pages as (a) for pages/s; the DOCX files are extra work on top.
        results.append(_zvit_run(name, inbox, env, base.pages))
        results.append(_zvit_run("c. zvit run again (no-op)", inbox, env, None))
        return results


def _reader_result(name: str, report: dict, info: dict, pages: int | None) -> Result:
    """A `_reader` child's measurement: time, memory, and what it read (or why it failed)."""
    r = Result(name, report["wall_s"], pages)
    r.peak_tree_mb, r.max_single_mb = report["peak_tree_mb"], report["max_single_mb"]
    r.note = (
        f"{info.get('tables')} tables, {info.get('rows')} rows, {info.get('pages')} pages"
        if report["rc"] == 0
        else _fail_note(report)
    )
    return r


FIXTURES = ROOT / "tests" / "fixtures" / "documents"
OCR_SCANS = [
    (
        FIXTURES / "service_card/service_card_immigration.pdf",
        FIXTURES / "service_card/scans/service_card_immigration_scan150.pdf",
        FIXTURES / "service_card/scans/service_card_immigration_scan300.pdf",
    ),
    (
        FIXTURES / "plan_execution/plan_2021.pdf",
        FIXTURES / "plan_execution/scans/plan_2021_p1-3_scan150.pdf",
    ),
]
"""(text original, its scans): `tools/scan.py` makes the scans from the original's pages."""


def bench_ocr(original: Path, scans: tuple[Path, ...]) -> list[Result]:
    """OCR pages/s and peak memory (Tesseract's processes included in the tree) on scans, with
    plain pdfplumber on the text original as the base of the ratios."""
    report = run_measured([PYTHON, __file__, "_plain", str(original)])
    base = Result(f"a. pdfplumber, text {original.name[:20]}", report["wall_s"])
    base.peak_tree_mb, base.max_single_mb = report["peak_tree_mb"], report["max_single_mb"]
    info = _last_json(report["stdout"]) if report["rc"] == 0 else {}
    base.pages = info.get("pages")
    results = [base]
    for scan in scans:
        report = run_measured([PYTHON, __file__, "_reader", str(scan)])
        info = _last_json(report["stdout"]) if report["rc"] == 0 else {}
        name = f"e. OCR read_document {scan.stem[-7:]}"
        results.append(_reader_result(name, report, info, info.get("pages")))
        # As a run reads it: OCR'd pages weigh enough for page ranges on the spare slot.
        name = f"e3. OCR in zvit's workers {scan.stem[-7:]}"
        results.append(_in_workers(name, scan, info.get("pages")))
    return results


def _summary_note(stdout: str) -> str:
    """The CLI's closing lines: what was loaded, and what was already current."""
    keep = [
        line.strip()
        for line in stdout.splitlines()
        if line.startswith(("loaded ", "Nothing new")) or "already current" in line
    ]
    return "; ".join(keep)


def _fmt(value: float | None, spec: str) -> str:
    width = int(spec.split(".")[0])
    return "-".rjust(width) if value is None else format(value, spec)


def print_table(results: list[Result], pdf: Path) -> None:
    base = results[0]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\n{pdf.name}: {base.pages or '?'} pages; {os.cpu_count()} cores; "
        f"load average {load} at the end; python {PYTHON}\n"
    )
    head = (
        f"{'measurement':44} {'wall s':>8} {'pages/s':>8} {'tree MB':>8} {'max1 MB':>8} "
        f"{'speed÷a':>8} {'mem÷a':>6}  note"
    )
    print(head)
    print("-" * len(head))
    for r in results:
        speed = (
            r.pages_per_s / base.pages_per_s
            if r.pages_per_s and base.pages_per_s and r is not base
            else None
        )
        mem = (
            r.peak_tree_mb / base.peak_tree_mb
            if r.peak_tree_mb and base.peak_tree_mb and r is not base
            else None
        )
        print(
            f"{r.name:44} {_fmt(r.wall_s, '8.2f')} {_fmt(r.pages_per_s, '8.2f')} "
            f"{_fmt(r.peak_tree_mb, '8.0f')} {_fmt(r.max_single_mb, '8.0f')} "
            f"{_fmt(speed, '8.2f')} {_fmt(mem, '6.2f')}  {r.note}"
        )
    print(
        "\ntree MB: peak summed RSS of the process tree (sampled every 20 ms); max1 MB: peak RSS "
        "of its largest single process (ru_maxrss). speed÷a and mem÷a: against (a)."
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):
        child = sys.argv[1]
        if child == "_measure":
            measure(sys.argv[3:] if sys.argv[2] == "--" else sys.argv[2:])
        elif child == "_plain":
            plain_pdfplumber(sys.argv[2])
        elif child == "_plain_many":
            plain_pdfplumber_many(sys.argv[2:])
        elif child == "_reader":
            sys.path.insert(0, str(ROOT))
            reading_layer(sys.argv[2])
        elif child == "_workers":
            sys.path.insert(0, str(ROOT))
            reading_workers(sys.argv[2])
        else:
            raise SystemExit(f"unknown child command {child}")
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pdf", type=Path, default=DEFAULT_PDF, help="report to measure")
    parser.add_argument("--skip-pipeline", action="store_true", help="measure only (a) and (d)")
    parser.add_argument("--ocr-only", action="store_true", help="measure only the OCR section")
    parser.add_argument("--no-ocr", action="store_true", help="skip the OCR section")
    parser.add_argument("--batch", type=int, default=30, help="mixed documents (0: skip)")
    parser.add_argument(
        "--engines",
        default="",
        help="comma-separated ZVIT_PDF_ENGINE values for (d), e.g. pdfplumber,pdfium "
        "(default: whatever the environment says)",
    )
    parser.add_argument(
        "--no-deployment",
        action="store_true",
        help="skip (f) and (b3), the runs against a running server",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of (a) and (b3), the ratio's two ends: each reported as its median",
    )
    args = parser.parse_args()
    if not args.no_ocr:
        for original, *scans in OCR_SCANS:
            print_table(bench_ocr(original, tuple(scans)), original)
    if args.ocr_only:
        return
    pdf: Path = args.pdf.resolve()
    if not pdf.exists():
        if pdf != DEFAULT_PDF:
            raise SystemExit(f"no such file: {pdf}")
        print(f"{pdf} missing: rendering it with tools/plan_execution.py (needs LibreOffice)")
        sys.path.insert(0, str(ROOT))
        from tools.plan_execution import make_long

        make_long(pdf)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    results = bench(pdf, args.skip_pipeline, engines, not args.no_deployment, max(1, args.repeat))
    print_table(results, pdf)
    if args.batch:
        print_table(bench_batch(args.batch, args.skip_pipeline), Path(f"batch of {args.batch}"))


if __name__ == "__main__":
    main()
