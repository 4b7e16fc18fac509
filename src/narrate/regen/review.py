"""What the officer should re-read: edited text whose facts changed under it, figures narrate
could not place with certainty, cells it updated under the officer's words.

The checks compare the last generated and the new paragraph (both generated, so the facts are
exact). Each item names the section heading and an excerpt no other paragraph shares.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, field, replace
from typing import Any

from narrate.messages import listing
from narrate import vocabulary

_SIGNS = ((vocabulary.FLAT, 0), (vocabulary.NONE, None), (vocabulary.UP, 1), (vocabulary.DOWN, -1))
EXCERPT = 24  # characters shown of a paragraph, at least


def sign(text: str, words: vocabulary.Words | None = None) -> int | None:
    """Returns +1, -1 or 0 for a direction word (or a signed amount), None when text has none."""
    found = vocabulary.kinds_in(text, words)
    for kind, value in _SIGNS:
        if kind in found:
            return value
    if re.fullmatch(r"\s*-\s*[\d.,]+%?\s*", text):
        return -1
    return None


@dataclass(frozen=True)
class Item:
    """One thing to review: kind (a message key suffix), the generated block it concerns, what
    changed, and where: the text it is about (for the excerpt), its section heading, and the
    paragraph a comment is anchored on."""

    kind: str  # direction appeared vanished wording item_gone beside figure_edited figure_stale figure_unplaced figure_copy cell_updated cell_changed row_gone header_changed
    block: str
    detail: str = ""
    text: str = field(default="", compare=False, repr=False)
    excerpt: str = ""
    heading: str = ""
    anchor: Any = field(default=None, compare=False, repr=False)


def figures(p) -> dict[tuple[str, int], str]:
    """Returns p's figure texts keyed by (figure id, occurrence in p)."""
    out: dict[tuple[str, int], str] = {}
    seen: dict[str, int] = {}
    for run in p.runs:
        if run.figure:
            n = seen.get(run.figure, 0)
            seen[run.figure] = n + 1
            out[(run.figure, n)] = run.text
    return out


def flips(base, new, words: vocabulary.Words | None = None) -> list[str]:
    """Returns "old→new" for each direction word of base whose sign differs in new (the words
    are the profile's, data/direction_words.yaml)."""
    old, now = figures(base), figures(new)
    out = []
    for key, text in old.items():
        a, b = sign(text, words), sign(now.get(key, ""), words)
        if a is not None and b is not None and a != b:
            out.append(f"{text}→{now[key]}")
    return out


def _masked(p) -> str:
    return "".join("#" if r.figure else r.text for r in p.runs)


def edited(base, new, text: str, anchor: Any = None, words: vocabulary.Words | None = None) -> list[Item]:
    """Returns the review items for a paragraph the officer edited, whose facts went base -> new."""
    old, now = figures(base), figures(new)
    flipped = flips(base, new, words)
    at = {"text": text, "anchor": anchor}
    items = [Item("direction", base.id, listing(flipped), **at)] if flipped else []
    appeared = [now[k] for k in now if k not in old]
    vanished = [old[k] for k in old if k not in now]
    if appeared:
        items.append(Item("appeared", base.id, listing(appeared), **at))
    if vanished:
        items.append(Item("vanished", base.id, listing(vanished), **at))
    if not items and _masked(base) != _masked(new):
        items.append(Item("wording", base.id, new.text, **at))
    return items


@dataclass(frozen=True)
class Changed:
    """A figure that changed this update, with the generated text either side of it."""

    before: str
    old: str
    after: str
    new: str


CONTEXT = 6  # characters of the generated sentence either side that must come with an old figure


def copies(changed: list[Changed], texts: list[str]) -> list[tuple[int, str]]:
    """Returns (index of text, "old→new, …") for each text holding a changed figure's old text
    with the generated words beside it (at least CONTEXT characters of them, on either side):
    a copy of a generated sentence that no bookmark marks."""
    found: dict[int, list[str]] = {}
    for c in changed:
        pieces = []
        if len(c.before) >= CONTEXT:
            pieces.append(c.before[-CONTEXT:] + c.old)
        if len(c.after) >= CONTEXT:
            pieces.append(c.old + c.after[:CONTEXT])
        if not pieces:
            continue
        for k, text in enumerate(texts):
            if any(piece in text for piece in pieces):
                detail = f"{c.old}→{c.new}"
                if detail not in found.setdefault(k, []):
                    found[k].append(detail)
    return [(k, listing(details)) for k, details in sorted(found.items())]


class Rivals:
    """What an excerpt must tell apart: the paragraphs narrate generated (those that share
    openings) and the words of the whole document."""

    def __init__(self, texts: list[str], whole: str) -> None:
        self.ordered = sorted({" ".join(t.split()) for t in texts})
        self.whole = " ".join(whole.split())

    def shared_prefix(self, text: str) -> int:
        """Returns the longest start text shares with another paragraph (its neighbours in
        sorted order are the ones that share most)."""
        i = bisect.bisect_left(self.ordered, text)
        near = [self.ordered[k] for k in (i - 1, i, i + 1) if 0 <= k < len(self.ordered) and self.ordered[k] != text]
        return max((len(os.path.commonprefix([text, o])) for o in near), default=0)

    def unique(self, piece: str) -> bool:
        return self.whole.count(piece) <= 1


def excerpt(text: str, rivals: Rivals) -> str:
    """Returns a piece of text, at least EXCERPT characters, that no other paragraph contains:
    the start of text when that is enough, else the words from where it parts from the most
    similar paragraph."""
    text = " ".join(text.split())
    if len(text) <= EXCERPT:
        return text
    shared = rivals.shared_prefix(text)
    start = 0 if shared < EXCERPT - 4 else max(0, shared - 6)
    size = EXCERPT
    while start + size < len(text) and not rivals.unique(text[start : start + size]):
        size += 6
    piece = text[start : start + size]
    return ("…" if start else "") + piece + ("…" if start + size < len(text) else "")


def finish(items: list[Item], rivals: Rivals, headings: dict[str, str]) -> list[Item]:
    """Returns items with their excerpt and the heading of the section they are in (headings:
    block id -> heading text)."""
    return [replace(i, excerpt=excerpt(i.text, rivals), heading=headings.get(i.block, "")) for i in items]
