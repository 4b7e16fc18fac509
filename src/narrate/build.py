"""`narrate build`: a checked unit -> the disclosure .docx (and, on request, its PDF)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from narrate import docx, outline
from narrate.blocks import Block, Document
from narrate.catalog import Catalogs
from narrate.filenames import safe_name
from narrate.layout import Layout
from narrate.layout import load as load_layout
from narrate.model import Unit

SUFFIX = "预算公开"


def default_output(unit: Unit, folder: Path = Path("outputs")) -> Path:
    """Returns outputs/<unit>-<year>-预算公开.docx, the unit name made one safe file name."""
    profile = unit.file.unit
    return folder / safe_name(profile.name, f"-{profile.year}-{SUFFIX}.docx")


def explainer(book=None) -> Callable[[Unit, Catalogs], tuple[Block, ...]]:
    """Returns the explanations maker (第三/第四部分) using book (loaded when None)."""
    from narrate import phrasebook, rules

    book = book or phrasebook.load()
    return lambda unit, catalogs: rules.explain(unit, catalogs, book)


def document(unit: Unit, catalogs: Catalogs, layout: Layout | None = None, book=None) -> Document:
    """Returns the whole disclosure as blocks. Pass a loaded layout and phrasebook to build many
    documents in one process without reading them again."""
    return outline.document(unit, catalogs, layout or load_layout(), explainer(book))


def render(unit: Unit, catalogs: Catalogs, layout: Layout | None = None, book=None) -> bytes:
    """Returns the .docx bytes for unit: the same bytes every time for the same input."""
    layout = layout or load_layout()
    return docx.render(document(unit, catalogs, layout, book), layout, outline.stamp(unit))


def write(unit: Unit, catalogs: Catalogs, path: Path, layout: Layout | None = None, book=None) -> docx.Saved:
    """Writes the .docx at path: atomically, keeping an edited existing file as .bak."""
    layout = layout or load_layout()
    return docx.write(document(unit, catalogs, layout, book), path, layout, outline.stamp(unit))
