"""narrate's cache folder: what one run computed that the next may reuse (the phrasebook's
compiled templates, the Chinese numerals). Never needed: a cache that cannot be read or written
is left alone and the work is done again, so the documents never depend on it.

NARRATE_CACHE names the folder, or turns the cache off when set to `off` (or empty); otherwise
it is $XDG_CACHE_HOME/narrate, or ~/.cache/narrate.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from jinja2 import FileSystemBytecodeCache

OFF = ("", "off", "0", "no")


def folder(part: str) -> Path | None:
    """Returns the cache's sub-folder `part`, made if need be; None when caching is off or the
    folder cannot be made."""
    chosen = os.environ.get("NARRATE_CACHE")
    if chosen is not None and chosen.strip().lower() in OFF:
        return None
    if chosen:
        root = Path(chosen)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        root = Path(xdg) / "narrate" if xdg else Path.home() / ".cache" / "narrate"
    path = root / part
    try:
        path.mkdir(parents=True, exist_ok=True)
    except (OSError, RuntimeError):  # RuntimeError: no home directory to expand
        return None
    return path


def read(part: str, name: str) -> bytes | None:
    where = folder(part)
    if where is None:
        return None
    try:
        return (where / name).read_bytes()
    except OSError:
        return None


def write(part: str, name: str, data: bytes) -> None:
    """Writes the entry atomically (other processes of a batch may be reading it), or not at all."""
    where = folder(part)
    if where is None:
        return
    try:
        fd, temporary = tempfile.mkstemp(dir=where, prefix=name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(temporary, where / name)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        pass


class _QuietBytecode(FileSystemBytecodeCache):
    """jinja2's cache, except that an entry it cannot read (cut short after its header) or write
    (a folder another user owns) means compiling again rather than stopping the build."""

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        # Compiled code carries the sandbox's bounds (sandbox.py wraps loops as it compiles):
        # keyed apart, so code compiled without them is never loaded.
        return super().get_cache_key(name, filename) + "-bounded"

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - pickle and OS errors alike: compile afresh
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def templates() -> FileSystemBytecodeCache | None:
    """Returns the bytecode cache of compiled templates; None when caching is off."""
    where = folder("templates")
    return _QuietBytecode(str(where)) if where is not None else None
