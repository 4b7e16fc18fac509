"""Marks that let `narrate update` find generated content again (convention in blocks.py).

Bookmark names: `_np_<h>` at the start of each generated paragraph (a point, not a span: a
bookmark ending a paragraph makes LibreOffice add an empty line after a full last line),
`_nf_<h>` around each figure run or figure cell, `_nr_<h>` in the first cell of each table body
row; <h> is a short hash of the paragraph/table id and the figure id. Word hides bookmarks whose
name starts with '_'; LibreOffice and WPS keep them. The snapshot records, for each block, its
ids, the text narrate wrote and the bookmark names, so a merge can tell what the officer changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

PARA_PREFIX = "_np_"
FIGURE_PREFIX = "_nf_"
ROW_PREFIX = "_nr_"  # in the first cell of each generated table row
SNAPSHOT_NS = "urn:narrate:snapshot:1"
SNAPSHOT_FORMAT = "narrate-snapshot"
SNAPSHOT_VERSION = 1


def digest(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


@dataclass
class Marker:
    """Hands out unique bookmark names and w:id numbers while one document is written."""

    names: set[str] = field(default_factory=set)
    next_id: int = 1

    def name(self, prefix: str, key: str) -> str:
        base = prefix + digest(key)
        name, n = base, 1
        while name in self.names:  # the same id twice (e.g. a repeated figure) still gets its own mark
            name, n = f"{base}_{n}", n + 1
        self.names.add(name)
        return name

    def number(self) -> int:
        self.next_id += 1
        return self.next_id - 1


def figure_key(container_id: str, figure_id: str) -> str:
    return f"{container_id}/{figure_id}"
