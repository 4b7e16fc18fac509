"""Caches of what was read from folders, kept only while those folders' files are unchanged.

Profiles and phrasebooks are parsed and checked once per process, which makes a batch of units
fast; a long-running `narrate serve`, or an officer's profile rewritten between two builds of
one process, must still see the edit. So a cached value carries the stamp (path, size, mtime)
of every file under the folders it was read from, and is read again when the stamp differs.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import Any

Stamp = tuple[tuple[str, int, int], ...]


def of(folders: Iterable[Path]) -> Stamp:
    """Returns the stamp of every file under folders (an unreadable or missing one counts as
    absent, so that it appearing later is a change)."""
    out: list[tuple[str, int, int]] = []
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(root, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                out.append((path, st.st_size, st.st_mtime_ns))
    return tuple(out)


def kept_while_unchanged(folders_of: Callable[[tuple, Any], Iterable[Path]], maxsize: int = 32):
    """Decorates a loader: its result is cached by its arguments, and loaded again when any
    file under folders_of(args, result) has changed since. A loader that raises is not cached."""

    def decorate(load: Callable):
        entries: OrderedDict[tuple, tuple[Stamp, Any]] = OrderedDict()

        @wraps(load)
        def cached(*args):
            hit = entries.get(args)
            if hit is not None and of(folders_of(args, hit[1])) == hit[0]:
                entries.move_to_end(args)
                return hit[1]
            value = load(*args)
            # Stamped after reading: a file changed while it was read is read again next time
            # only if it changes once more; loaders here read small files in milliseconds.
            entries[args] = (of(folders_of(args, value)), value)
            entries.move_to_end(args)
            while len(entries) > maxsize:
                entries.popitem(last=False)
            return value

        cached.cache_clear = entries.clear
        return cached

    return decorate
