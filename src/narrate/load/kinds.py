"""Which reader a file goes to, by its suffix: here, so that choosing does not import the
workbook reader (load/excel.py) for a YAML input."""

from __future__ import annotations

from pathlib import Path

SUFFIXES = (".xlsx", ".xlsm")
OLD_SUFFIX = ".xls"


def is_workbook(path: Path) -> bool:
    """Returns whether path is read as a workbook (by its suffix; .xls too, to say how to convert it)."""
    return path.suffix.lower() in SUFFIXES + (OLD_SUFFIX,)
