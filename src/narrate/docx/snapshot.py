"""The snapshot: what narrate generated, stored inside the .docx it wrote. One typed schema,
written and read here and nowhere else.

For each block it records the ids, the texts, the figure ids and the bookmark names the writer
used, so the merge compares base (this), the officer's file and a new build without recomputing
anything. It travels as JSON in a custom XML part (namespace NS), found by its namespace, not
its part name: LibreOffice renames custom XML parts (item1 -> item2). `package_sha256` is a
digest of every other part as written, so a later build can tell whether anyone changed any part
of the package since (then it keeps a backup); `merged_from` tells an update's output, which
holds the officer's work, from a build.

Version 1 (before package_sha256) is read too; it never counts as untouched.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Literal, Union

from lxml import etree
from pydantic import Field, TypeAdapter, ValidationError

from narrate.docx import grid
from narrate.docx.ooxml import XML_HEAD, text
from narrate.docx.ooxml import parse as parse_xml

NS = "urn:narrate:snapshot:1"
FORMAT = "narrate-snapshot"
VERSION = 2
_PART = re.compile(r"customXml/item\d+\.xml")


class SnapshotError(ValueError):
    """A stored snapshot that cannot be used; reason is "bad" (unreadable) or "empty"."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    figure: str | None = None
    mark: str | None = None  # the figure's bookmark name
    placeholder: bool = False


@dataclass(frozen=True, slots=True)
class Para:
    type: Literal["p"]
    id: str
    style: str
    mark: str  # the paragraph's bookmark name
    text: str
    runs: tuple[Run, ...]
    rule: str = ""
    outline: int | None = None  # the heading level, for headings


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    figure: str | None = None
    mark: str | None = None
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    cells: tuple[Cell, ...]
    mark: str | None = None


@dataclass(frozen=True, slots=True)
class Table:
    type: Literal["table"]
    id: str
    rows: tuple[Row, ...]
    header: tuple[tuple[Cell, ...], ...] = ()
    landscape: bool = False

    def columns(self) -> dict[str, dict[int, Cell]]:
        """Returns each body row's cells by the grid column they start in."""
        return dict(zip((r.id for r in self.rows), _by_column(r.cells for r in self.rows)))

    def header_columns(self) -> list[dict[int, Cell]]:
        return _by_column(self.header)


def _by_column(rows) -> list[dict[int, Cell]]:
    return grid.by_column(rows, lambda c: c.colspan, lambda c: c.rowspan)


Block = Annotated[Union[Para, Table], Field(discriminator="type")]


@dataclass(frozen=True, slots=True)
class Snapshot:
    format: str
    version: int
    title: str
    profile: str
    properties: dict[str, str]
    blocks: tuple[Block, ...]
    package_sha256: str = ""
    merged_from: str = ""  # an update's output: the digest of the officer's file it was merged into

    @classmethod
    def of(cls, blocks, profile: str, title: str, properties: dict[str, str]) -> Snapshot:
        return cls(FORMAT, VERSION, title, profile, properties, tuple(blocks))

    def by_id(self) -> dict[str, Para | Table]:
        return {b.id: b for b in self.blocks}

    def stamped(self, package_sha256: str, merged_from: str = "") -> Snapshot:
        """Returns the snapshot recording the digest of the package it travels in (and, for an
        update's output, of the officer's file it was merged into)."""
        return Snapshot(FORMAT, VERSION, self.title, self.profile, self.properties, self.blocks, package_sha256, merged_from)

    def to_json(self) -> str:
        return _ADAPTER.dump_json(self, exclude_defaults=True).decode("utf-8")

    def to_part(self) -> bytes:
        """Returns the custom XML part that carries the snapshot."""
        return f'{XML_HEAD}<narrate xmlns="{NS}">{text(self.to_json())}</narrate>'.encode("utf-8")


_ADAPTER = TypeAdapter(Snapshot)


def parse(payload: str | bytes) -> Snapshot:
    """Returns the snapshot stored as payload (JSON); raises SnapshotError when it is not one
    narrate can merge against (another format, damaged, or without blocks)."""
    try:
        snap = _ADAPTER.validate_json(payload)
    except ValidationError as exc:
        raise SnapshotError("bad", str(exc).splitlines()[0]) from None
    if snap.format != FORMAT or snap.version not in (1, VERSION):
        raise SnapshotError("bad", "not a narrate snapshot")
    if not snap.blocks:
        raise SnapshotError("empty")
    return snap


def is_part(name: str, blob: bytes) -> bool:
    """Tells whether the package part name holding blob is narrate's snapshot."""
    return bool(_PART.fullmatch(name)) and NS.encode() in blob[:400]


def find(parts: Mapping[str, bytes]) -> str | None:
    """Returns the name of the part holding the snapshot, or None."""
    return next((name for name, blob in parts.items() if is_part(name, blob)), None)


def from_part(blob: bytes) -> Snapshot:
    """Returns the snapshot in a part is_part recognised; raises SnapshotError."""
    try:
        root = parse_xml(blob)
    except etree.XMLSyntaxError:
        raise SnapshotError("bad", "not XML") from None
    if etree.QName(root).namespace != NS:
        raise SnapshotError("bad", "another namespace")
    return parse(root.text or "")


def package_digest(parts: Mapping[str, bytes], snapshot_part: str | None) -> str:
    """Returns the digest of every part but the snapshot: what "untouched" is checked against."""
    h = hashlib.sha256()
    for name in sorted(n for n in parts if n != snapshot_part):
        h.update(name.encode("utf-8") + b"\0" + hashlib.sha256(parts[name]).digest())
    return h.hexdigest()
