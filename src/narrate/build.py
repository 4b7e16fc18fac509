"""`narrate build`: a checked unit -> the disclosure .docx (and, on request, its PDF)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from narrate import docx, outline
from narrate.blocks import Block, Document
from narrate.catalog import Catalogs
from narrate.layout import Layout
from narrate.layout import load as load_layout
from narrate.model import Unit

SUFFIX = "预算公开"


def default_output(unit: Unit, folder: Path = Path("outputs")) -> Path:
    """Returns outputs/<unit>-<year>-预算公开.docx."""
    profile = unit.file.unit
    return folder / f"{profile.name}-{profile.year}-{SUFFIX}.docx"


def explainer(book=None) -> Callable[[Unit, Catalogs], tuple[Block, ...]]:
    """Returns the explanations maker (第三/第四部分) using book (loaded when None)."""
    from narrate import phrasebook, rules

    book = book or phrasebook.load()
    return lambda unit, catalogs: rules.explain(unit, catalogs, book)


def document(unit: Unit, catalogs: Catalogs, layout: Layout | None = None, book=None) -> Document:
    """Returns the whole disclosure as blocks. Pass a loaded layout and phrasebook to build many
    documents in one process without reading them again."""
    return outline.document(unit, catalogs, layout or load_layout(), explainer(book))


def compose(unit: Unit, catalogs: Catalogs, layout: Layout | None = None, book=None) -> docx.Built:
    """Returns the .docx for unit in pieces (what `narrate update` merges from)."""
    layout = layout or load_layout()
    return docx.compose(document(unit, catalogs, layout, book), layout, outline.stamp(unit))


def render(unit: Unit, catalogs: Catalogs, layout: Layout | None = None, book=None) -> bytes:
    """Returns the .docx bytes for unit: the same bytes every time for the same input."""
    return compose(unit, catalogs, layout, book).bytes()


def write(unit: Unit, catalogs: Catalogs, path: Path, layout: Layout | None = None, book=None) -> docx.Saved:
    """Writes the .docx at path: atomically, keeping a changed existing file as a backup."""
    layout = layout or load_layout()
    return docx.write(document(unit, catalogs, layout, book), path, layout, outline.stamp(unit))
