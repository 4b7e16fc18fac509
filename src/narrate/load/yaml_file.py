"""Reads a YAML input into a tree of plain dicts, lists and scalars that can say where each key
and item stands.

Floats become Decimals straight from their text (88.20 stays 88.20, never a binary float);
whole numbers come only from decimal digits; true/false are the only booleans. Most documents
are read by libyaml (load/fast_yaml.py), which keeps the lines on the side; what it is unsure
of, a syntax error or a bound reached included, goes to ruamel's round-trip reader
(load/round_trip.py), which says what is wrong and where. The bounds are load/bounds.py's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narrate import files
from narrate.load import bounds, fast_yaml


class ReadError(Exception):
    """An input that cannot be read as YAML: a message key, its params and a line."""

    def __init__(self, key: str, line: int | None = None, **params: object):
        super().__init__(key)
        self.key, self.line, self.params = key, line, params


@dataclass(frozen=True)
class YamlDoc:
    """A parsed file: its display name, the tree, and where its keys and items stand (the fast
    reader's marks; None when the round-trip reader read it, whose tree holds its own)."""

    name: str
    tree: Any
    marks: dict | None = None

    def line(self, path: tuple[str | int, ...]) -> int | None:
        """Returns the 1-based line of path, or of its deepest part that exists."""
        if self.marks is not None:
            return fast_yaml.line(self.tree, self.marks, path)
        from narrate.load import round_trip

        return round_trip.line(self.tree, path)


def read(path: Path, name: str | None = None) -> YamlDoc:
    """Returns the parsed file; raises ReadError for a missing, non-UTF-8, empty or bad file."""
    name = name or str(path)
    try:
        raw = files.read(path)
    except files.Refused as exc:
        raise ReadError(exc.key, **exc.params) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ReadError("not_utf8", line=line) from None
    return parse(text, name)


def parse(text: str, name: str) -> YamlDoc:
    """Returns the document text as read from file `name`; raises ReadError."""
    marks: dict = {}
    try:
        bounds.check_characters(text)
        tree = fast_yaml.parse(text, marks)
    except bounds.Refused as exc:
        raise ReadError(exc.key, line=exc.line, **exc.params) from None
    if not isinstance(tree, dict):
        return YamlDoc(name, _slowly(text))
    return YamlDoc(name, tree, marks)


def _slowly(text: str) -> Any:
    from ruamel.yaml.comments import CommentedMap

    from narrate.load import round_trip

    try:
        tree = round_trip.load(text)
    except round_trip.Unreadable as exc:
        raise ReadError(exc.key, line=exc.line, **exc.params) from None
    if tree is None:
        raise ReadError("file_empty", line=1)
    if not isinstance(tree, CommentedMap):
        raise ReadError("file_not_mapping", line=1)
    return tree
