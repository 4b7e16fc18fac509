"""Direction words (增加/减少/持平 …): which way a text says a figure went. Data in the phrasebook."""

from __future__ import annotations

from functools import lru_cache

from ruamel.yaml import YAML

from narrate.resources import data_dir

UP, DOWN, FLAT, NONE = "up", "down", "flat", "none"


@lru_cache(maxsize=None)
def words(lang: str = "zh") -> dict[str, tuple[str, ...]]:
    """Returns the direction words by kind (up, down, flat, none), longest first within a kind."""
    # Budget texts are Chinese whatever the message language, so zh is the default list.
    path = data_dir("phrasebook") / lang / "data" / "direction_words.yaml"
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return {kind: tuple(sorted(data.get(kind, ()), key=len, reverse=True)) for kind in (UP, DOWN, FLAT, NONE)}


def kinds_in(text: str) -> set[str]:
    """Returns every direction kind a text speaks of."""
    return {kind for kind, listed in words().items() if any(w in text for w in listed)}


def first_word(text: str, kinds: tuple[str, ...]) -> str | None:
    """Returns the first listed word of the given kinds found in text."""
    for kind in kinds:
        for w in words()[kind]:
            if w in text:
                return w
    return None
