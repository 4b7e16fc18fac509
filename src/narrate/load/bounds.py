"""The bounds of an input document, enforced while ruamel composes its node graph.

Nothing is constructed from a document until it has passed: a billion-laughs document is refused
by counting what its aliases stand for, never by expanding them; nesting is refused before the
composer's recursion gets deep. The limits are stated in docs/input-format.md (输入的上限).
"""

from __future__ import annotations

import re

from ruamel.yaml.composer import Composer
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import AliasEvent, ScalarEvent
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

# The sample unit file is 7 levels deep and holds about 1,100 values. Composing costs about
# 50 µs a value on the reference machine, so a document at MAX_VALUES takes ~2.5 s to refuse.
MAX_DEPTH = 20
MAX_ITEMS = 5_000  # items of one list, or keys of one table
MAX_VALUES = 50_000  # keys and values of the whole document, each alias counted as what it repeats
MAX_TEXT = 10_000  # characters of one text (or key)
MAX_NUMBER = 30  # characters of one unquoted number: int() of 4,300 digits raises

_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
# What YAML 1.2 lets a stream hold (ruamel's Reader refuses the rest, without a line).
_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # as ruamel counts lines


class Refused(Exception):
    """A document beyond a bound: message key, the 1-based line and params."""

    def __init__(self, key: str, line: int, **params: object):
        super().__init__(key)
        self.key, self.line, self.params = key, line, params


def check_characters(text: str) -> None:
    """Raises Refused at the first character YAML does not allow in a stream."""
    found = _UNPRINTABLE.search(text)
    if found:
        line = len(_BREAK.findall(text, 0, found.start())) + 1
        raise Refused("yaml_control_char", line, char=f"U+{ord(found.group()):04X}")


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
