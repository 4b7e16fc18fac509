"""What update does with each paragraph and each figure, decided from three texts alone (the
last generation's, the officer's, the new one's), before any XML is touched: merge.py asks, then
applies the answer through the OOXML layer. Kept apart so the rules read (and are tested) as
rules; docs/regeneration.md states them for people.
"""

from __future__ import annotations

from enum import StrEnum


class Para(StrEnum):
    KEEP = "keep"  # nothing changed, or the officer's text stays and nothing of it is generated anew
    REGENERATE = "regenerate"  # untouched by the officer: becomes the new text (tracked)
    MERGE = "merge"  # edited by the officer: their words stay, figures are decided one by one


class Figure(StrEnum):
    KEEP = "keep"  # shows what the data says
    REPLACE = "replace"  # shows the last generation's value, the data changed: updated (tracked)
    REPLACE_LISTED = "replace-listed"  # typed over (or a rejected revision), data changed: updated and listed
    LIST = "list"  # differs from data that did not change (typed over, or a rejected revision): kept, listed


def paragraph(base: str, current: str, new: str) -> Para:
    """Returns what becomes of a generated paragraph the officer left as current."""
    if current == base:
        return Para.KEEP if new == base else Para.REGENERATE
    return Para.MERGE


def figure(was: str, target: str, current: str) -> Figure:
    """Returns what becomes of a figure generated as was, now target, shown as current."""
    if current == target:  # already right (the officer may have typed the new value)
        return Figure.KEEP
    if was == target:
        return Figure.LIST
    return Figure.REPLACE if current == was else Figure.REPLACE_LISTED
