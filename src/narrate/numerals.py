"""Whole numbers in words: Chinese numerals from cn2an, other languages' words from num2words.

Importing cn2an takes longer than the rest of a build's start-up (it builds all its converters
at import), and a document needs a few small numerals (一、二、 … for headings and lists). So
cn2an writes 0..SMALL once into narrate's cache (cache.py), under a name that changes with its
installed code; a process that finds them there does not import it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from functools import lru_cache
from pathlib import Path

from narrate import cache

SMALL = 200


def chinese(n: int) -> str:
    """Returns n in Chinese numerals (12 -> 十二), as cn2an writes it."""
    n = int(n)
    small = _small()
    if 0 <= n < len(small):
        return small[n]
    return _an2cn(n)


def words(n: int, language: str) -> str:
    """Returns n in words in language (an ISO code num2words knows)."""
    if language == "zh":
        return chinese(n)
    from num2words import num2words  # only for documents in other languages

    return num2words(int(n), lang=language)


def _an2cn(n: int) -> str:
    import cn2an

    return cn2an.an2cn(n)


@lru_cache(maxsize=1)
def _small() -> tuple[str, ...]:
    name = _entry()
    if name is not None:
        stored = cache.read("numerals", name)
        if stored is not None:
            try:
                table = json.loads(stored)
                if isinstance(table, list) and len(table) == SMALL + 1 and all(isinstance(t, str) for t in table):
                    return tuple(table)
            except ValueError:
                pass  # a damaged entry: made again below
    table = [_an2cn(i) for i in range(SMALL + 1)]
    if name is not None:
        cache.write("numerals", name, json.dumps(table, ensure_ascii=False).encode("utf-8"))
    return tuple(table)


def _entry() -> str | None:
    """Returns the cache entry's name: a digest of cn2an's installed files (sizes and times),
    so an upgraded cn2an writes its own; None when cn2an's files cannot be found."""
    try:
        spec = importlib.util.find_spec("cn2an")  # finds the package without importing it
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    digest = hashlib.sha256()
    try:
        for path in sorted(Path(spec.submodule_search_locations[0]).glob("*.py")):
            stat = path.stat()
            digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    except OSError:
        return None
    return f"{digest.hexdigest()[:24]}-{SMALL}.json"
