"""The round-trip reader: ruamel.yaml, for the documents the fast reader leaves to it
(load/fast_yaml.py) and for finding the line of a key when a problem is reported.

Floats become Decimals straight from their text (88.20 stays 88.20, never a binary float);
whole numbers come only from decimal digits. Nothing is constructed from a document until it has
passed the bounds: a billion-laughs document is refused by counting what its aliases stand for,
never by expanding them; nesting is refused before the composer's recursion gets deep.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, merge_attrib
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, ScalarEvent
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from narrate.load import scalars
from narrate.load.fast_yaml import Unreadable
from narrate.load.bounds import MAX_DEPTH, MAX_ITEMS, MAX_NUMBER, MAX_TEXT, MAX_VALUES, Refused

_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


class _DecimalConstructor(RoundTripConstructor):
    pass


def _construct_decimal(constructor, node):
    return scalars.decimal(node.value)


def _construct_int(constructor, node):
    return scalars.whole(node.value)


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


class BoundedComposer(Composer):
    """ruamel's composer, counting as it goes: depth, items per collection, text length, and
    the values of the whole document with every alias expanded (by arithmetic, not copies)."""

    def __init__(self, loader=None):
        super().__init__(loader)
        self.warn_double_anchors = False  # a reused anchor is valid YAML: the later one counts
        self._depth = 0
        self._values = 0
        self._sizes: dict[int, int] = {}  # id(node) -> values it stands for, once composed
        self._line = 1  # of the last node begun: where a failure without a position is near

    def get_single_node(self):
        try:
            return super().get_single_node()
        except (YAMLError, Refused):
            raise
        except Exception:  # noqa: BLE001 - ruamel's own limits: see below
            # ruamel gives up on a few malformed inputs with an assert (%YAML 1.3) or a
            # NotImplementedError in its comment handling, with no position: say where it was.
            raise Refused("yaml_unreadable", self._line) from None

    def compose_node(self, parent, index):
        event = self.parser.peek_event()
        line = self._line = event.start_mark.line + 1
        if parent is not None and (index is None or isinstance(parent, SequenceNode)):
            if len(parent.value) >= MAX_ITEMS:
                raise Refused("yaml_too_many_items", line, limit=MAX_ITEMS)
        key = isinstance(parent, MappingNode) and index is None
        if key and not isinstance(event, (ScalarEvent, AliasEvent)):
            # `? [a, b]` or `{a: 1}: x`: no input key is a list or a table, and ruamel would
            # raise on hashing a table inside one.
            raise Refused("yaml_complex_key", line)
        if isinstance(event, AliasEvent):
            target = self.anchors.get(event.anchor)
            if key and target is not None and not isinstance(target, ScalarNode):
                raise Refused("yaml_complex_key", line)
            if target is not None:  # an undefined alias is ruamel's to report
                if id(target) not in self._sizes:
                    raise Refused("yaml_alias_recursive", line, name=event.anchor)
                self._count(self._sizes[id(target)], line, "yaml_alias_expansion")
            return super().compose_node(parent, index)
        if self._depth >= MAX_DEPTH:
            raise Refused("yaml_too_deep", line, limit=MAX_DEPTH)
        if isinstance(event, ScalarEvent) and len(event.value) > MAX_TEXT:
            raise Refused("yaml_text_too_long", line, limit=MAX_TEXT, length=len(event.value))
        start = self._values
        self._count(1, line, "yaml_too_many_values")
        self._depth += 1
        node = super().compose_node(parent, index)
        self._depth -= 1
        if isinstance(node, ScalarNode) and str(node.tag) in _NUMBER_TAGS and len(node.value) > MAX_NUMBER:
            raise Refused("yaml_number_too_long", line, limit=MAX_NUMBER)
        self._sizes[id(node)] = self._values - start
        return node

    def _count(self, values: int, line: int, key: str) -> None:
        self._values += values
        if self._values > MAX_VALUES:
            raise Refused(key, line, limit=MAX_VALUES)


def load(text: str) -> Any:
    """Returns the document as ruamel's commented maps and lists; raises Unreadable."""
    yaml = YAML(typ="rt")
    yaml.Composer = BoundedComposer
    yaml.Constructor = _DecimalConstructor
    try:
        return yaml.load(text)
    except Refused as exc:
        raise Unreadable(exc.key, line=exc.line, **exc.params) from None
    except DuplicateKeyError as exc:
        # Officers copy a block and forget to rename a key; say so in their words, not ruamel's.
        key = re.search(r'duplicate key "(.*?)"', exc.problem or "")
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise Unreadable("duplicate_key", line=line, name=key[1] if key else "") from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise Unreadable("yaml_syntax", line=line, detail=exc.problem or exc.context or "") from None
    except YAMLError as exc:
        raise Unreadable("yaml_syntax", detail=str(exc).splitlines()[0]) from None


def line(tree: Any, path: tuple[str | int, ...]) -> int:
    """Returns the 1-based line of path in a tree load() returned, or of its deepest part that exists."""
    node, found_line = tree, 1
    for part in path:
        found = _step(node, part)
        if found is None:
            break
        node, found_line = found[0], found[1] or found_line
    return found_line


def _step(node: Any, part: str | int) -> tuple[Any, int | None] | None:
    if isinstance(node, CommentedMap):
        for key in (part, _as_int(part)):
            if key is not None and key in node:
                return node[key], _key_line(node, key)
    if isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
        return node[part], node.lc.item(part)[0] + 1
    return None


def _key_line(node: CommentedMap, key: Any) -> int | None:
    """Returns the line of key in node; a key a merge (`<<: *a`) brought in is not written in
    node itself, so its line is the one in the mapping it came from (None when ruamel kept none:
    the caller keeps the line of the mapping)."""
    try:
        written = node.lc.key(key)
    except KeyError:
        written = None
    if written:
        return written[0] + 1
    for source in getattr(node, merge_attrib, ()):
        source = source[1] if isinstance(source, tuple) else source
        if isinstance(source, CommentedMap) and key in source:
            return _key_line(source, key)
    return None


def _as_int(part: str | int) -> int | None:
    return int(part) if isinstance(part, str) and part.isdigit() else None
