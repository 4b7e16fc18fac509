"""Caches of what was read from folders, kept only while those folders' files are unchanged.

Profiles and phrasebooks are parsed and checked once per process, which makes a batch of units
fast; a long-running `narrate serve`, or an officer's profile rewritten between two builds of
one process, must still see the edit. So a cached value carries the stamp (path, size, mtime)
of every file it was read from, and is read again when the stamp differs.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import Any

Stamp = tuple[tuple[str, int, int], ...]


def of(folders: Iterable[Path], subs: tuple[str, ...] = ("",)) -> Stamp:
    """Returns the stamp of the files directly in each folder's subs (the subfolders a loader
    reads, "" the folder itself; not deeper: a profile folder may hold anything else, and a
    build must not walk it). A missing or unreadable one counts as absent, so that it
    appearing later is a change."""
    out: list[tuple[str, int, int]] = []
    for folder in folders:
        for sub in subs:
            try:
                with os.scandir(os.path.join(folder, sub)) as entries:
                    found = sorted((e.path, e.stat()) for e in entries if e.is_file())
            except OSError:
                continue
            out += [(path, st.st_size, st.st_mtime_ns) for path, st in found]
    return tuple(out)


def kept_while_unchanged(folders_of: Callable[[tuple, Any], Iterable[Path]], subs: tuple[str, ...] = ("",), maxsize: int = 32):
    """Decorates a loader: its result is cached by its arguments, and loaded again when any
    file it reads (of(folders_of(args, result), subs)) has changed since. A loader that raises
    is not cached."""

    def decorate(load: Callable):
        entries: OrderedDict[tuple, tuple[Stamp, Any]] = OrderedDict()

        @wraps(load)
        def cached(*args):
            hit = entries.get(args)
            if hit is not None and of(folders_of(args, hit[1]), subs) == hit[0]:
                entries.move_to_end(args)
                return hit[1]
            value = load(*args)
            # Stamped after reading: a file changed while it was read is read again next time
            # only if it changes once more; loaders here read small files in milliseconds.
            entries[args] = (of(folders_of(args, value), subs), value)
            entries.move_to_end(args)
            while len(entries) > maxsize:
                entries.popitem(last=False)
            return value

        cached.cache_clear = entries.clear
        return cached

    return decorate
