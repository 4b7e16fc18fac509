"""What the officer should re-read: edited paragraphs whose facts changed under their words.

Pure functions over the last generated and the new paragraph; no OOXML here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from narrate import vocabulary
from narrate.blocks import Para

_SIGNS = ((vocabulary.FLAT, 0), (vocabulary.NONE, None), (vocabulary.UP, 1), (vocabulary.DOWN, -1))


def sign(text: str) -> int | None:
    """Returns +1, -1 or 0 for a direction word (or a signed amount), None when text has none."""
    found = vocabulary.kinds_in(text)
    for kind, value in _SIGNS:
        if kind in found:
            return value
    if re.fullmatch(r"\s*-\s*[\d.,]+%?\s*", text):
        return -1
    return None


@dataclass(frozen=True)
class Item:
    """One thing to review: kind (a message key suffix), where, and what changed."""

    kind: str  # direction | appeared | vanished | wording | item_gone | beside | figure_edited
    block: str  # the generated block id it concerns
    excerpt: str  # the start of the officer's text, so they find it
    detail: str = ""


def figures(p: Para) -> dict[tuple[str, int], str]:
    """Returns p's figure texts keyed by (figure id, occurrence in p)."""
    out: dict[tuple[str, int], str] = {}
    for run in p.runs:
        if run.figure:
            n = sum(1 for key in out if key[0] == run.figure)
            out[(run.figure, n)] = run.text
    return out


def flips(base: Para, new: Para) -> list[str]:
    """Returns "old→new" for each direction word of base whose sign differs in new."""
    old, now = figures(base), figures(new)
    out = []
    for key, text in old.items():
        a, b = sign(text), sign(now.get(key, ""))
        if a is not None and b is not None and a != b:
            out.append(f"{text}→{now[key]}")
    return out


def _masked(p: Para) -> str:
    return "".join("#" if r.figure else r.text for r in p.runs)


def edited(base: Para, new: Para, excerpt: str) -> list[Item]:
    """Returns the review items for a paragraph the officer edited, whose facts went base -> new."""
    old, now = figures(base), figures(new)
    flipped = flips(base, new)
    items = [Item("direction", base.id, excerpt, "、".join(flipped))] if flipped else []
    appeared = [now[k] for k in now if k not in old]
    vanished = [old[k] for k in old if k not in now]
    if appeared:
        items.append(Item("appeared", base.id, excerpt, "、".join(appeared)))
    if vanished:
        items.append(Item("vanished", base.id, excerpt, "、".join(vanished)))
    if not items and _masked(base) != _masked(new):
        items.append(Item("wording", base.id, excerpt, new.text))
    return items


def excerpt(text: str, size: int = 24) -> str:
    """Returns the start of text, short enough for one line of the review list."""
    text = " ".join(text.split())
    return text if len(text) <= size else text[:size] + "…"
