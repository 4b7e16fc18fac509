"""Direction words (增加/减少/持平 …): which way a text says a figure went. Data in the phrasebook
(data/direction_words.yaml), so a profile's or an officer's layer can add local words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from narrate import stamps
from narrate.resources import data_dir

UP, DOWN, FLAT, NONE = "up", "down", "flat", "none"
KINDS = (UP, DOWN, FLAT, NONE)
Words = Mapping[str, tuple[str, ...]]


@stamps.kept_while_unchanged(lambda args, words: args[0] if args and args[0] else (), ("data",), maxsize=16)
def words(folders: tuple[Path, ...] | None = None) -> Words:
    """Returns the direction words by kind, longest first within a kind: the shipped list, each
    later phrasebook layer replacing the kinds it names."""
    layers = folders or (data_dir("phrasebook") / "zh",)
    found: dict[str, list[str]] = {}
    for folder in layers:
        path = folder / "data" / "direction_words.yaml"
        if path.is_file():
            from narrate.load import fast_yaml  # here: narrate.load's modules read the words too

            data = fast_yaml.load(path.read_text(encoding="utf-8")) or {}
            found.update({kind: list(data[kind]) for kind in KINDS if kind in data})
    return {kind: tuple(sorted(found.get(kind, ()), key=len, reverse=True)) for kind in KINDS}


def kinds_in(text: str, listed: Words | None = None) -> set[str]:
    """Returns every direction kind a text speaks of."""
    listed = listed or words()
    return {kind for kind, ws in listed.items() if any(w in text for w in ws)}


def first_word(text: str, kinds: Iterable[str], listed: Words | None = None) -> str | None:
    """Returns the first listed word of the given kinds found in text."""
    listed = listed or words()
    for kind in kinds:
        for w in listed[kind]:
            if w in text:
                return w
    return None
