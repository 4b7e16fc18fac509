"""The one rule for every file narrate writes (build, update, --pdf): atomically, and never over
a file someone changed without a backup that itself overwrites nothing.

A file is replaced without a backup only when `ours` recognises it as narrate's own output that
nobody has changed since (for a .docx: every part still matches the snapshot's digest). A
replaced file keeps its permissions; a new one gets 0644 less the umask.

Only a regular file (or a new name) is written: a FIFO would block the write and a device
(/dev/full) swallow it. An existing file is compared by a streamed digest, never read whole; one
larger than anything narrate writes is not offered to `ours` and simply kept as a backup. The
backup is written like the file itself (a temporary file, fsync, then a link to its name): a
full disk leaves no half backup, and the file is not replaced.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

NEW_FILE_MODE = 0o644
MAX_OURS = 100 * 1024 * 1024  # a file narrate wrote is smaller: a larger one is not read to ask
_CHUNK = 1024 * 1024


class NotRegular(OSError):
    """The target exists and is not a regular file (a FIFO, a device, a folder)."""

    def __init__(self, path: Path):
        from narrate.messages import say

        super().__init__(errno.EINVAL, say("output_not_regular"), str(path))


def _prefix(name: str) -> str:
    # A temporary name beside a long one must still fit the 255 bytes of a name.
    return "." + name.encode()[:80].decode("utf-8", "ignore") + "."


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
    fd, tmp = tempfile.mkstemp(prefix=_prefix(path.name), suffix=".tmp", dir=path.parent)
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


def _existing(path: Path) -> os.stat_result | None:
    """Returns the target's stat when it exists (links followed); raises NotRegular for
    anything but a regular file."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(info.st_mode):
        raise NotRegular(path)
    return info


def _open(path: Path):
    # O_NONBLOCK: a FIFO swapped in after the stat cannot block the open either.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    handle = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
        handle.close()
        raise NotRegular(path)
    return handle


def _same(path: Path, size: int, data: bytes) -> bool:
    if size != len(data):
        return False
    digest = hashlib.sha256()
    with _open(path) as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.digest() == hashlib.sha256(data).digest()


def _backup(path: Path) -> Path:
    """Copies path to a free backup name, streamed, through a temporary file: the backup is
    whole or not there."""
    fd, tmp = tempfile.mkstemp(prefix=_prefix(path.name), suffix=".bak.tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out, _open(path) as source:
            shutil.copyfileobj(source, out, _CHUNK)
            out.flush()
            os.fsync(out.fileno())
        shutil.copystat(path, tmp)
        while True:
            backup = backup_path(path)
            try:
                os.link(tmp, backup)  # never over a file that appeared meanwhile
                break
            except FileExistsError:
                continue
            except OSError:  # a file system without links
                os.replace(tmp, backup)
                break
    finally:
        Path(tmp).unlink(missing_ok=True)
    return backup


def save(path: Path, data: bytes, ours: Callable[[bytes], bool]) -> Saved:
    """Writes data to path. An existing file that `ours` does not recognise as narrate's own
    untouched output is first copied to a backup of its own. Raises NotRegular for a target
    that is not a regular file, OSError when writing fails (nothing replaced)."""
    backup = None
    info = _existing(path)
    if info is not None:
        if _same(path, info.st_size, data):
            return Saved(path, None, True)
        mine = False
        if info.st_size <= MAX_OURS:
            with _open(path) as handle:
                mine = ours(handle.read(MAX_OURS + 1))
        if not mine:
            backup = _backup(path)
    atomic_write(path, data)
    return Saved(path, backup, False)


def never(_: bytes) -> bool:
    """For files narrate cannot tell apart from an edited copy (a PDF): always keep a backup."""
    return False
