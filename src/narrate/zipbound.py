"""A zip package (a workbook, a Word document) looked at before anything reads it whole.

A few hundred kilobytes of zip can declare, or simply hold, gigabytes: each part's declared size
is checked against a bound before a byte of it is inflated, and every read is counted, so a part
that holds more than it declares is refused when the read passes the bound (zipfile also stops at
the declared size and then fails the CRC). The bounds are stated in docs/input-format.md.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO


class Refused(Exception):
    """A package beyond a bound: a message key and its params."""

    def __init__(self, key: str, **params: object):
        super().__init__(key)
        self.key, self.params = key, params


@dataclass(frozen=True)
class Limits:
    parts: int  # entries in the archive
    part: int  # bytes of one part, unpacked
    total: int  # bytes of all parts, unpacked
    # Parts read by streaming under counts of their own (a workbook's sheets) may reach `part`;
    # any other part, which some reader parses whole into objects, stops at `whole`.
    streamed: tuple[str, ...] = ()
    whole: int | None = None

    def of(self, name: str) -> int:
        """Returns the bound of the part called name."""
        if self.whole is None or name.startswith(self.streamed):
            return self.part
        return self.whole


def _mb(n: int) -> int:
    return -(-n // (1024 * 1024))


def inspect(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Raises Refused when the archive declares more parts or bigger parts than limits allow."""
    infos = archive.infolist()
    if len(infos) > limits.parts:
        raise Refused("zip_too_many_parts", count=len(infos), limit=limits.parts)
    total = 0
    for info in infos:
        bound = limits.of(info.filename)
        if info.file_size > bound:
            raise Refused("zip_part_too_big", part=info.filename[:80], size=_mb(info.file_size), limit=_mb(bound))
        total += info.file_size
    if total > limits.total:
        raise Refused("zip_too_big_unpacked", size=_mb(total), limit=_mb(limits.total))


class Bounded:
    """A part's stream that refuses to give more than limit bytes, whatever the header said."""

    def __init__(self, source: IO[bytes], name: str, limit: int):
        self.source, self.name, self.limit, self.seen = source, name, limit, 0

    def read(self, n: int = -1) -> bytes:
        room = self.limit - self.seen + 1
        data = self.source.read(room if n is None or n < 0 else min(n, room))
        self.seen += len(data)
        if self.seen > self.limit:
            raise Refused("zip_part_too_big", part=self.name[:80], size=_mb(self.seen), limit=_mb(self.limit))
        return data


def read(archive: zipfile.ZipFile, name: str | zipfile.ZipInfo, limit: int) -> bytes:
    """Returns a part's bytes, read at most limit bytes (+1 to see it is more)."""
    label = name.filename if isinstance(name, zipfile.ZipInfo) else name
    with archive.open(name) as source:
        return Bounded(source, label, limit).read()
