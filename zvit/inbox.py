"""The inbox and the file's way through a run: scan, take, then processed/ or quarantine/.

Two kinds, one interface (`Inbox`): read in place (the bundled samples: nothing is moved, a
quarantined file is copied) or claimed (`ClaimedInbox`: the inbox is consumed).

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

from zvit.settings import Settings

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


class Inbox:
    """An inbox read in place (the bundled samples): files are never moved, a quarantined file is
    copied, and nothing is claimed, so there is nothing to recover or release.

    The pipeline calls the same methods on either kind; `ClaimedInbox` consumes its files.
    """

    def __init__(self, folder: Path, settings: Settings) -> None:
        self.folder = folder
        self.settings = settings

    def recover(self) -> list[str]:
        """Put back files that runs which died had taken; returns their names."""
        return []

    def scan(self, min_age_s: float) -> Scan:
        return scan(self.folder, min_age_s)

    def take(self, path: Path) -> Path | None:
        """Take a file for this run: where to read it now, or None when another run took it."""
        return path

    def give_back(self, taken: Path) -> None:
        """Return a taken file to the inbox (it changed while we read it)."""

    def quarantine(self, taken: Path, name: str, reason: dict[str, object]) -> Path | None:
        """Put a file the run will not load into quarantine under `name`, with its reason beside
        it; None when nothing was put there. Read in place, only regular files are copied: a link
        is never followed and a special file never opened."""
        if taken.is_symlink() or not taken.is_file():
            return None
        self.settings.quarantine_dir.mkdir(parents=True, exist_ok=True)
        target = free_name(self.settings.quarantine_dir, name)
        shutil.copy2(taken, target)
        write_reason(target, reason)
        return target

    def archive(self, taken: Path, name: str) -> None:
        """Done with a file that was read, or needed no reading."""

    def release(self) -> None:
        """End of the run: let go of what this run holds."""

    def __enter__(self) -> Inbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class ClaimedInbox(Inbox):
    """An inbox that is consumed: each file is claimed into this run's folder
    `processing/<run id>/` (locked for the life of the run), then moved to `processed/` or
    `quarantine/`."""

    def __init__(self, folder: Path, settings: Settings, run_id: str) -> None:
        super().__init__(folder, settings)
        self.claim_folder = settings.processing_dir / safe_name(run_id)
        self.claim_folder.mkdir(parents=True, exist_ok=True)
        self._fd: int | None = os.open(
            self.claim_folder / OWNER_FILE, os.O_RDWR | os.O_CREAT, 0o600
        )
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        os.pwrite(self._fd, f"{os.getpid()}\n".encode(), 0)

    def recover(self) -> list[str]:
        return recover_orphans(self.settings.processing_dir, self.folder, self.claim_folder)

    def take(self, path: Path) -> Path | None:
        """Move `path` into the claim folder; None when another run took it first."""
        target = self.claim_folder / safe_name(path.name)
        try:
            os.rename(path, target)  # atomic on one filesystem; fails if the file is gone
        except FileNotFoundError:
            return None
        return target

    def give_back(self, taken: Path) -> None:
        if taken.exists():
            os.rename(taken, free_name(self.folder, taken.name))

    def quarantine(self, taken: Path, name: str, reason: dict[str, object]) -> Path | None:
        """Move the file (a link itself, never its target) into quarantine, reason beside it."""
        target = move_to(self.settings.quarantine_dir, taken, name)
        if target is not None:
            write_reason(target, reason)
        return target

    def archive(self, taken: Path, name: str) -> None:
        move_to(self.settings.processed_dir, taken, name)

    def release(self) -> None:
        """Drop the lock, and the claim folder once nothing is left in it."""
        if self._fd is None:
            return
        leftovers = [p for p in self.claim_folder.iterdir() if p.name != OWNER_FILE]
        if not leftovers:
            (self.claim_folder / OWNER_FILE).unlink(missing_ok=True)
            self.claim_folder.rmdir()
        os.close(self._fd)
        self._fd = None


def open_inbox(folder: Path, settings: Settings, run_id: str, *, keep: bool) -> Inbox:
    """The inbox of one run: read in place when `keep` (the bundled samples), else claimed."""
    return Inbox(folder, settings) if keep else ClaimedInbox(folder, settings, run_id)


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


@dataclass(frozen=True)
class QuarantineNote:
    """A quarantined file and what its reason note says about it."""

    path: Path
    note: Path
    file_name: str
    sha256: str


def quarantine_notes(quarantine_dir: Path) -> list[QuarantineNote]:
    """Every quarantined file that still has its reason note beside it."""
    if not quarantine_dir.is_dir():
        return []
    found = []
    for note in sorted(quarantine_dir.glob("*.reason.json")):
        target = note.with_name(note.name.removesuffix(".reason.json"))
        try:
            record = json.loads(note.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        found.append(
            QuarantineNote(
                target, note, str(record.get("file_name") or ""), str(record.get("sha256") or "")
            )
        )
    return found


def match_notes(notes: list[QuarantineNote], key: str) -> list[QuarantineNote]:
    """The notes `key` names: a quarantined file's path or name, a sha256 (prefix of at least 6
    hex digits), or the document's own file name."""
    base = safe_name(key)
    by_file = [n for n in notes if n.path.name == base]
    if by_file:
        return by_file
    low = key.strip().lower()
    if len(low) >= 6 and re.fullmatch(r"[0-9a-f]+", low):
        return [n for n in notes if n.sha256.startswith(low)]
    return [n for n in notes if n.file_name == base]


def unquarantine(note: QuarantineNote, inbox: Path, *, keep: bool = False) -> Path | None:
    """Move a quarantined file back into `inbox` under its own name (never overwriting) and drop
    its note; with `keep` (another copy already went back) the file is only removed."""
    note.note.unlink(missing_ok=True)
    if keep:
        note.path.unlink(missing_ok=True)
        return None
    inbox.mkdir(parents=True, exist_ok=True)
    return move_to(inbox, note.path, safe_name(note.file_name or note.path.name))
