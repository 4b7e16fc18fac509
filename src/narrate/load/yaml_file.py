"""Reads a YAML input into a tree that remembers where each key and item stands.

Floats become Decimals straight from their text (88.20 stays 88.20, never a binary float);
whole numbers come only from decimal digits. The document's bounds are load/bounds.py's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from narrate import files
from narrate.load import bounds


class _DecimalConstructor(RoundTripConstructor):
    pass


def _construct_decimal(constructor, node):
    text = node.value.replace("_", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        return node.value


_DECIMAL_INT = re.compile(r"[-+]?[0-9]+")


def _construct_int(constructor, node):
    # YAML reads 0x10 and 0o17 as 16 and 15; in a budget they are typos, so they stay text and
    # validation says so at their line. Only decimal digits make a whole number.
    text = node.value.replace("_", "")
    return int(text) if _DECIMAL_INT.fullmatch(text) else node.value


def _construct_text_on_error(method):
    def construct(constructor, node):
        # A tag forced on text it does not fit (!!bool x, !!timestamp 2024-13-45) would raise
        # deep in ruamel; keep the text so validation reports the field at its line.
        try:
            return method(constructor, node)
        except (ValueError, KeyError, TypeError, AttributeError):
            return node.value

    return construct


_DecimalConstructor.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_DecimalConstructor.add_constructor("tag:yaml.org,2002:int", _construct_int)
_DecimalConstructor.add_constructor(
    "tag:yaml.org,2002:timestamp", _construct_text_on_error(RoundTripConstructor.construct_yaml_timestamp)
)
_DecimalConstructor.add_constructor(
    "tag:yaml.org,2002:bool", _construct_text_on_error(RoundTripConstructor.construct_yaml_sbool)
)


class ReadError(Exception):
    """An input that cannot be read as YAML: a message key, its params and a line."""

    def __init__(self, key: str, line: int | None = None, **params: object):
        super().__init__(key)
        self.key, self.line, self.params = key, line, params


@dataclass(frozen=True)
class YamlDoc:
    """A parsed file: its display name and the tree (ruamel's commented maps and lists)."""

    name: str
    tree: Any

    def line(self, path: tuple[str | int, ...]) -> int | None:
        """Returns the 1-based line of path, or of its deepest part that exists."""
        node, line = self.tree, 1
        for part in path:
            found = _step(node, part)
            if found is None:
                break
            node, line = found
        return line


def _step(node: Any, part: str | int) -> tuple[Any, int] | None:
    if isinstance(node, CommentedMap):
        for key in (part, _as_int(part)):
            if key is not None and key in node:
                return node[key], node.lc.key(key)[0] + 1
    if isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
        return node[part], node.lc.item(part)[0] + 1
    return None


def _as_int(part: str | int) -> int | None:
    return int(part) if isinstance(part, str) and part.isdigit() else None


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
    yaml = YAML(typ="rt")
    yaml.Composer = bounds.BoundedComposer
    yaml.Constructor = _DecimalConstructor
    try:
        bounds.check_characters(text)
        tree = yaml.load(text)
    except bounds.Refused as exc:
        raise ReadError(exc.key, line=exc.line, **exc.params) from None
    except DuplicateKeyError as exc:
        # Officers copy a block and forget to rename a key; say so in their words, not ruamel's.
        key = re.search(r'duplicate key "(.*?)"', exc.problem or "")
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise ReadError("duplicate_key", line=line, name=key[1] if key else "") from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ReadError("yaml_syntax", line=line, detail=exc.problem or exc.context or "") from None
    except YAMLError as exc:
        raise ReadError("yaml_syntax", detail=str(exc).splitlines()[0]) from None
    if tree is None:
        raise ReadError("file_empty", line=1)
    if not isinstance(tree, CommentedMap):
        raise ReadError("file_not_mapping", line=1)
    return YamlDoc(name, tree)
