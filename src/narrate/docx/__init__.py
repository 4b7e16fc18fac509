"""The Word writer and the OOXML layer `narrate update` shares with it. blocks.Document in,
.docx out.

    compose(doc, profile, stamp) -> Built: every part, the body tree and the snapshot
    render(doc, profile, stamp)  -> bytes, identical for identical input
    write(doc, path, profile, stamp) -> Saved (atomic; a backup before replacing a changed file)
    untouched(data)              -> whether data is narrate's output that nobody changed since
    replaceable(data, source)    -> whether it may be replaced without a backup
    read_snapshot(data)          -> the snapshot of a .docx narrate wrote, as JSON data, or None

profile is the profile's looks as plain data (Profile.writer_view()).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from narrate.blocks import Document
from narrate.docx import package, snapshot
from narrate.docx.body import StyleError, document_element
from narrate.docx.ooxml import serialize
from narrate.docx.package import DOCUMENT, SNAPSHOT_PART, PackageError
from narrate.docx.save import Saved
from narrate.docx.save import save as _save
from narrate.docx.styles import font_table_xml, styles_xml

__all__ = ["save", "Built", "StyleError", "compose", "render", "write", "untouched", "replaceable", "read_snapshot", "Saved", "SNAPSHOT_PART"]


@dataclass(frozen=True)
class Built:
    """A document the writer made, still in pieces: the w:document tree, the other parts, the
    snapshot of what it holds and where each of its bookmarks is. bytes() makes the .docx;
    `narrate update` takes the tree and the marks as they are, without parsing anything."""

    document: etree._Element
    others: dict[str, bytes]  # every part but word/document.xml and the snapshot
    snapshot: snapshot.Snapshot
    marks: dict[str, tuple[etree._Element, etree._Element | None]]

    def parts(self) -> dict[str, bytes]:
        parts = {**self.others, DOCUMENT: serialize(self.document)}
        parts[SNAPSHOT_PART] = self.snapshot.stamped(snapshot.package_digest(parts, None)).to_part()
        return parts

    def bytes(self) -> bytes:
        return package.zip_parts(self.parts())


def compose(doc: Document, profile: dict[str, Any], stamp: str) -> Built:
    """Returns the .docx for doc, still in pieces. stamp is the W3CDTF date of the properties."""
    root, records, placed = document_element(doc, profile)
    others = package.build_parts(styles_xml(profile), font_table_xml(profile), profile, doc.title, stamp)
    snap = snapshot.Snapshot.of(records, profile.get("name", ""), doc.title, dict(sorted(doc.properties.items())))
    return Built(root, others, snap, placed)


def render(doc: Document, profile: dict[str, Any], stamp: str) -> bytes:
    """Returns the .docx for doc: the same bytes for the same input."""
    return compose(doc, profile, stamp).bytes()


def _untouched(data: bytes) -> snapshot.Snapshot | None:
    try:
        parts = package.read_parts(data)
        name = snapshot.find(parts)
        if name is None:
            return None
        snap = snapshot.from_part(parts[name])
    except (PackageError, snapshot.SnapshotError):
        return None
    return snap if snap.package_sha256 and snap.package_sha256 == snapshot.package_digest(parts, name) else None


def untouched(data: bytes) -> bool:
    """Tells whether data is a .docx narrate wrote whose parts nobody has changed since."""
    return _untouched(data) is not None


def replaceable(data: bytes, source: str | None = None) -> bool:
    """Tells whether a file may be replaced without a backup: narrate wrote it, nobody changed
    any part of it since, and it holds nothing of the officer's that exists nowhere else: a
    build, or an earlier update of the very file (digest source) being updated again."""
    snap = _untouched(data)
    return snap is not None and (not snap.merged_from or snap.merged_from == source)


def read_snapshot(data: bytes) -> dict[str, Any] | None:
    """Returns the snapshot inside a .docx narrate wrote, as JSON data, or None."""
    try:
        parts = package.read_parts(data)
        name = snapshot.find(parts)
        return json.loads(snapshot.from_part(parts[name]).to_json()) if name else None
    except (PackageError, snapshot.SnapshotError):
        return None


def save(path: Path, data: bytes) -> Saved:
    """Saves a .docx narrate made at path (atomic; a changed existing file is kept as a backup)."""
    return _save(path, data, replaceable)


def write(doc: Document, path: Path, profile: dict[str, Any], stamp: str) -> Saved:
    """Renders doc and saves it at path (atomic; a changed existing file is kept as a backup)."""
    return _save(path, render(doc, profile, stamp), replaceable)
