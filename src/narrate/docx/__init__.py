"""The Word writer: the only code that writes OOXML. blocks.Document in, .docx bytes out.

    render(doc, profile, stamp)  -> bytes, identical for identical input
    write(doc, path, profile, stamp) -> Saved (atomic; a .bak before overwriting an edited file)
    read_snapshot(data)          -> the snapshot dict stored in a .docx narrate wrote, or None
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from narrate.blocks import Document
from narrate.docx.body import StyleError, document_xml
from narrate.docx.marks import SNAPSHOT_FORMAT, SNAPSHOT_NS, SNAPSHOT_VERSION
from narrate.docx.package import SNAPSHOT_PART, package, read_snapshot_xml
from narrate.docx.save import Saved, save
from narrate.docx.styles import font_table_xml, styles_xml

__all__ = ["StyleError", "render", "write", "read_snapshot", "Saved", "SNAPSHOT_PART"]


def _digest(xml: str) -> str:
    return hashlib.sha256(xml.encode("utf-8")).hexdigest()


def render(doc: Document, profile: dict[str, Any], stamp: str) -> bytes:
    """Returns the .docx for doc. profile is the profile's looks (Profile.writer_view()); stamp
    is the W3CDTF date for the core properties."""
    body, blocks = document_xml(doc, profile)
    snapshot = {
        "format": SNAPSHOT_FORMAT,
        "version": SNAPSHOT_VERSION,
        "title": doc.title,
        "profile": profile.get("name", ""),
        "properties": dict(sorted(doc.properties.items())),
        "document_sha256": _digest(body),
        "blocks": blocks,
    }
    payload = json.dumps(snapshot, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return package(body, styles_xml(profile), font_table_xml(profile), profile, doc.title, stamp, payload)


def read_snapshot(data: bytes) -> dict[str, Any] | None:
    """Returns the snapshot inside a .docx narrate wrote, or None (not a zip, or no snapshot)."""
    # Found by namespace, not by part name: LibreOffice renames custom XML parts (item1 -> item2).
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if name.startswith("customXml/item") and SNAPSHOT_NS.encode() in (blob := archive.read(name))[:400]:
                    snapshot = json.loads(read_snapshot_xml(blob))
                    return snapshot if snapshot.get("format") == SNAPSHOT_FORMAT else None
    except (zipfile.BadZipFile, ValueError):
        return None
    return None


def untouched(data: bytes) -> bool:
    """Returns whether data is a .docx narrate wrote whose body nobody has changed since."""
    snapshot = read_snapshot(data)
    if snapshot is None:
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            body = archive.read("word/document.xml").decode("utf-8")
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError):
        return False
    return _digest(body) == snapshot.get("document_sha256")


def write(doc: Document, path: Path, profile: dict[str, Any], stamp: str) -> Saved:
    """Renders doc and saves it at path (atomic; an edited existing file is kept as .bak)."""
    return save(path, render(doc, profile, stamp), untouched)
