"""`narrate build`: a checked unit -> the disclosure .docx (and, on request, its PDF)."""

from __future__ import annotations

from pathlib import Path

from narrate import bind, docx, outline
from narrate import phrasebook as phrases
from narrate.blocks import Document
from narrate.catalog import Catalogs
from narrate.filenames import safe_name
from narrate.model import Unit
from narrate.phrasebook import Phrasebook
from narrate.profile import Profile
from narrate.rules.context import Context, globals_of


def context(unit: Unit, catalogs: Catalogs, profile: Profile | None = None, book: Phrasebook | None = None) -> Context:
    """Returns the context every part reads. Pass a loaded profile and phrasebook to build many
    documents in one process without reading them again."""
    profile = profile or bind.profile()
    return outline.context(unit, catalogs, profile, book or phrases.load(profile=profile))


def document(unit: Unit, catalogs: Catalogs, profile: Profile | None = None, book: Phrasebook | None = None) -> Document:
    """Returns the whole disclosure as blocks."""
    return outline.document(context(unit, catalogs, profile, book))


def compose(unit: Unit, catalogs: Catalogs, profile: Profile | None = None, book: Phrasebook | None = None) -> docx.Built:
    """Returns the .docx for unit in pieces (what `narrate update` merges from)."""
    ctx = context(unit, catalogs, profile, book)
    return docx.compose(outline.document(ctx), ctx.profile.writer_view(), outline.stamp(unit))


def render(unit: Unit, catalogs: Catalogs, profile: Profile | None = None, book: Phrasebook | None = None) -> bytes:
    """Returns the .docx bytes for unit: the same bytes every time for the same input."""
    return compose(unit, catalogs, profile, book).bytes()


def write(unit: Unit, catalogs: Catalogs, path: Path, profile: Profile | None = None, book: Phrasebook | None = None) -> docx.Saved:
    """Writes the .docx at path: atomically, keeping a changed existing file as a backup."""
    ctx = context(unit, catalogs, profile, book)
    return docx.write(outline.document(ctx), path, ctx.profile.writer_view(), outline.stamp(unit))


def default_output(unit: Unit, profile: Profile | None = None, book: Phrasebook | None = None,
                   folder: Path = Path("outputs"), catalogs: Catalogs | None = None) -> Path:
    """Returns outputs/<the profile's file name for unit>.docx (phrase document.file)."""
    profile = profile or bind.profile()
    book = book or phrases.load(profile=profile)
    if catalogs is None:
        names = globals_of(unit, profile)
    else:  # the phrase may name facts (f) like any other
        names = context(unit, catalogs, profile, book).globals
    return folder / safe_name(book.render("document.file", **names), ".docx")


EXPLANATION_PARTS = frozenset({"explanations", "glossary"})


def explanations(unit: Unit, catalogs: Catalogs, profile: Profile | None = None, book: Phrasebook | None = None) -> tuple:
    """Returns the blocks of the explanation and glossary parts (新疆: parts three and four)."""
    return outline.document(context(unit, catalogs, profile, book), EXPLANATION_PARTS).blocks
