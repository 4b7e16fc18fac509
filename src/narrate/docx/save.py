"""The one rule for every file narrate writes (build, update, --pdf): atomically, and never over
a file someone changed without a backup that itself overwrites nothing.

A file is replaced without a backup only when `ours` recognises it as narrate's own output that
nobody has changed since (for a .docx: every part still matches the snapshot's digest). A
replaced file keeps its permissions; a new one gets 0644 less the umask.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

NEW_FILE_MODE = 0o644


@dataclass(frozen=True)
class Saved:
    """What saving did: the path written, the backup made (if any), whether bytes changed."""

    path: Path
    backup: Path | None
    unchanged: bool


def backup_path(path: Path) -> Path:
    """Returns a free backup name beside path: x.docx.bak, then x.docx.1.bak, ..."""
    candidate = path.with_name(path.name + ".bak")
    n = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.{n}.bak")
        n += 1
    return candidate


def _mode(path: Path) -> int:
    if path.exists():
        return path.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return NEW_FILE_MODE & ~umask


def atomic_write(path: Path, data: bytes) -> None:
    """Writes data to path through a temporary file in the same folder and a rename, so a reader
    (or a crash) never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # mkstemp makes the file private
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save(path: Path, data: bytes, ours: Callable[[bytes], bool]) -> Saved:
    """Writes data to path. An existing file that `ours` does not recognise as narrate's own
    untouched output is first copied to a backup of its own."""
    backup = None
    if path.exists():
        old = path.read_bytes()
        if old == data:
            return Saved(path, None, True)
        if not ours(old):
            backup = backup_path(path)
            shutil.copy2(path, backup)
    atomic_write(path, data)
    return Saved(path, backup, False)


def never(_: bytes) -> bool:
    """For files narrate cannot tell apart from an edited copy (a PDF): always keep a backup."""
    return False
