"""The inbox and the file's way through a run: scan, claim, then processed/ or quarantine/.

Files come from outside, so nothing about them is trusted: only regular files are read (a symlink
could point anywhere on this machine), only the base name of a path is ever used to build another
path, and a file still being written (modified a moment ago, or changing while we hash it) waits
for the next run.

Claiming makes overlapping runs safe: a run moves each file it takes into its own folder
`processing/<run id>/` with one atomic `rename`, so two runs never take the same file. The run
holds an `flock` on that folder's `.owner` file for its whole life; the kernel drops it when the
run dies, even by SIGKILL, so the next run can tell an orphaned claim from a live one and put the
files back into the inbox.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import stat
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

IGNORED_PREFIXES = (".", "~$")
"""Hidden files and Word's lock files (`~$report.docx`)."""

OWNER_FILE = ".owner"
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]+")


def safe_name(name: str) -> str:
    """A file name that is only a name: the last path component, no control characters, no
    leading dots, at most 150 characters. `../../etc/passwd` -> `passwd`."""
    base = re.split(r"[/\\]", name)[-1]
    base = _UNSAFE.sub("_", base).lstrip(". ") or "document"
    if len(base) > 150:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 140 - len(ext)] + dot + ext) if dot and len(ext) <= 8 else base[:150]
    return base


@dataclass(frozen=True)
class Entry:
    """Something found in the inbox that is not (yet) a document to read."""

    path: Path
    reason_code: str  # not_a_regular_file | waiting
    detail: str


@dataclass(frozen=True)
class Scan:
    ready: list[Path]
    waiting: list[Entry]
    rejected: list[Entry]


def scan(inbox: Path, min_age_s: float, now: float | None = None) -> Scan:
    """Sort the inbox into files ready to read, files still being written, and entries refused
    because they are not regular files. Never follows a link; folders are left alone."""
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox {inbox} is not a folder")
    now = time.time() if now is None else now
    ready: list[Path] = []
    waiting: list[Entry] = []
    rejected: list[Entry] = []
    for p in sorted(inbox.iterdir()):
        if p.name.startswith(IGNORED_PREFIXES):
            continue
        st = p.lstat()
        if stat.S_ISDIR(st.st_mode):
            continue
        if not stat.S_ISREG(st.st_mode):
            kind = "a symbolic link" if stat.S_ISLNK(st.st_mode) else "a special file"
            rejected.append(Entry(p, "not_a_regular_file", f"{kind}, not read"))
        elif now - st.st_mtime < min_age_s:
            waiting.append(Entry(p, "waiting", f"modified {now - st.st_mtime:.1f} s ago"))
        else:
            ready.append(p)
    return Scan(ready, waiting, rejected)


def is_stable(path: Path, before: os.stat_result) -> bool:
    """The file has the size and mtime it had before we read it (nobody is still writing)."""
    try:
        after = path.stat()
    except FileNotFoundError:
        return False
    return (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


class Claims:
    """This run's claim folder `processing/<run id>/`, locked for the life of the run."""

    def __init__(self, processing_dir: Path, run_id: str) -> None:
        self.run_id = safe_name(run_id)
        self.folder = processing_dir / self.run_id
        self.folder.mkdir(parents=True, exist_ok=True)
        self._fd: int | None = os.open(self.folder / OWNER_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        os.pwrite(self._fd, f"{os.getpid()}\n".encode(), 0)

    def take(self, path: Path) -> Path | None:
        """Move `path` into the claim folder; None when another run took it first."""
        target = self.folder / safe_name(path.name)
        try:
            os.rename(path, target)  # atomic on one filesystem; fails if the file is gone
        except FileNotFoundError:
            return None
        return target

    def give_back(self, claimed: Path, inbox: Path) -> None:
        """Return a claimed file to the inbox (it changed while we read it)."""
        if claimed.exists():
            os.rename(claimed, free_name(inbox, claimed.name))

    def release(self) -> None:
        """Drop the lock and the folder once nothing is left in it."""
        if self._fd is None:
            return
        leftovers = [p for p in self.folder.iterdir() if p.name != OWNER_FILE]
        if not leftovers:
            (self.folder / OWNER_FILE).unlink(missing_ok=True)
            self.folder.rmdir()
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> Claims:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def recover_orphans(processing_dir: Path, inbox: Path, own: Path | None = None) -> list[str]:
    """Put files claimed by runs that died back into the inbox; returns their names.

    A claim folder whose `.owner` lock can be taken has no living owner.
    """
    recovered: list[str] = []
    if not processing_dir.is_dir():
        return recovered
    for folder in sorted(processing_dir.iterdir()):
        if not folder.is_dir() or folder == own:
            continue
        fd = os.open(folder / OWNER_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a living run owns it
            for p in sorted(folder.iterdir()):
                if p.name != OWNER_FILE:
                    os.rename(p, free_name(inbox, p.name))
                    recovered.append(p.name)
            (folder / OWNER_FILE).unlink(missing_ok=True)
            folder.rmdir()
        finally:
            os.close(fd)
    return recovered


def free_name(folder: Path, name: str) -> Path:
    """`folder/name`, or `folder/name.1`, `.2` … when taken: moving never overwrites a file."""
    target = folder / name
    n = 0
    while target.exists() or target.is_symlink():
        n += 1
        target = folder / f"{name}.{n}"
    return target


def move_to(folder: Path, path: Path, name: str) -> Path | None:
    """Move `path` into `folder` under `name` without overwriting; None when it is gone."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (path.exists() or path.is_symlink()):
        return None
    target = free_name(folder, name)
    shutil.move(str(path), target)
    return target


def write_reason(target: Path, record: dict[str, object]) -> Path:
    """`<target>.reason.json` beside a quarantined file: what failed and why, no content."""
    record = {**record, "quarantined_at": datetime.now(UTC).isoformat(timespec="seconds")}
    reason_file = target.with_name(target.name + ".reason.json")
    reason_file.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    return reason_file
