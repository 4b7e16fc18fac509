"""Reading a file the officer named: only a regular file, of a sane size, without ever blocking.

A FIFO or a device named as input would block open() or read() forever, and a huge file would
be read whole before anything could object; both are refused before a byte is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# Every text file narrate reads (input, narrate.toml, catalog CSV, phrasebook overlay) is far
# smaller: a real unit file is about 20 KB. The limit is stated in docs/input-format.md.
MAX_BYTES = 1024 * 1024


class Refused(Exception):
    """A file narrate will not or cannot read: a message key and its params."""

    def __init__(self, key: str, **params: object):
        super().__init__(key)
        self.key, self.params = key, params


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _usable(info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise Refused("file_is_dir")
    if not stat.S_ISREG(info.st_mode):
        raise Refused("file_not_regular")


def probe(path: Path) -> None:
    """Returns when path is a regular file narrate may open; raises Refused saying why not."""
    try:
        _usable(os.stat(path))
        os.close(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)))
    except FileNotFoundError:
        raise Refused("file_missing") from None
    except OSError as exc:
        raise Refused("file_unreadable", reason=_reason(exc)) from None


def read(path: Path, limit: int = MAX_BYTES) -> bytes:
    """Returns the bytes of the regular file at path; raises Refused for anything else, or when
    it holds more than limit bytes."""
    try:
        _usable(os.stat(path))
        # O_NONBLOCK: a FIFO swapped in after the stat still cannot block the open.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise Refused("file_missing") from None
    except OSError as exc:
        raise Refused("file_unreadable", reason=_reason(exc)) from None
    with os.fdopen(fd, "rb") as handle:
        try:
            info = os.fstat(handle.fileno())
            _usable(info)
            if info.st_size > limit:
                raise Refused("file_too_large", size=_size(info.st_size), limit=_size(limit))
            data = handle.read(limit + 1)
        except OSError as exc:
            raise Refused("file_unreadable", reason=_reason(exc)) from None
    if len(data) > limit:  # it grew while we looked
        raise Refused("file_too_large", size=_size(len(data)), limit=_size(limit))
    return data


NAME_MAX = 255  # bytes of one file name: ext4, NTFS and APFS
PATH_MAX = 4096  # bytes of a whole path: Linux


def shown(path: Path | str, limit: int = 80) -> str:
    """Returns a path for a message: whole when short, else its start and end around "…"."""
    text = str(path)
    return text if len(text) <= limit else text[: limit // 2] + "…" + text[-(limit // 2):]


def name_problem(path: Path) -> tuple[str, dict] | None:
    """Returns (message key, params) when no file system could hold path (a name or the whole
    path too long), else None: os calls on such a path raise rather than answer."""
    size = len(os.fsencode(str(path)))
    if size > PATH_MAX:
        return "path_too_long", {"path": shown(path), "size": size, "limit": PATH_MAX}
    for part in Path(path).parts:
        size = len(os.fsencode(part))
        if size > NAME_MAX:
            return "name_too_long", {"path": shown(path), "size": size, "limit": NAME_MAX}
    return None


def _size(n: int) -> str:
    """Returns a byte count as people read it: whole MB when exact, else KB rounded up (so a
    file one byte over 1 MB reads 1025 KB, not 1.0 MB)."""
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MB"
    return f"{-(-n // 1024)} KB"
