"""Versions: every upload and every generated document kept as a file in the data folder with a
row saying who, when, the digest, narrate's version and the profile.

The file is written under a temporary name, flushed to disk and renamed into place before its
row is committed: a server killed at any moment leaves either no version or a whole one (a
temporary file at most, which the next start removes). File names are the server's own (the
unit's number and a random name); nothing of an upload's name is used.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
from pathlib import Path

from narrate import __version__
from narrate.serve import db
from narrate.serve.settings import Settings

KINDS = ("input", "docx", "pdf", "edited", "updated")


def _durable(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        with open(tmp, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_dir(path.parent)


def _sync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def keep(s, settings: Settings, unit_id: int, kind: str, suffix: str, data: bytes, user_id: int | None,
         profile: str | None = None, source_id: int | None = None, ok: bool | None = None,
         report: dict | None = None) -> db.Version:
    """Writes data as a new version of the unit and returns its committed row."""
    assert kind in KINDS and suffix.startswith(".")
    folder = settings.versions / str(unit_id)
    folder.mkdir(parents=True, exist_ok=True)
    sha = hashlib.sha256(data).hexdigest()
    name = f"{kind}-{secrets.token_hex(8)}{suffix}"
    _durable(folder / name, data)
    row = db.Version(unit_id=unit_id, kind=kind, suffix=suffix, file=f"{unit_id}/{name}", sha256=sha, size=len(data),
                     narrate_version=__version__, profile=profile, created_by=user_id, created_at=db.now(),
                     source_id=source_id, ok=ok, report=report)
    s.add(row)
    s.commit()
    return row


def path(settings: Settings, version: db.Version) -> Path:
    return settings.versions / version.file


def read(settings: Settings, version: db.Version) -> bytes:
    return path(settings, version).read_bytes()


def sweep(settings: Settings, older_than: float) -> None:
    """Removes what a killed server left half-made, older than older_than seconds: temporary
    files of versions, and the scratch folders the engine's calls work in. (Several servers may
    share a data folder: one starting must not take another's files from under it.)"""
    import time

    limit = time.time() - older_than
    settings.versions.mkdir(parents=True, exist_ok=True)
    settings.scratch.mkdir(parents=True, exist_ok=True)
    for leftover in settings.versions.glob("*/.*.part"):
        if _mtime(leftover) <= limit:
            leftover.unlink(missing_ok=True)
    for folder in settings.scratch.iterdir():
        if _mtime(folder) <= limit:
            shutil.rmtree(folder, ignore_errors=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
