"""The fast path of reading YAML: libyaml's C parser (PyYAML) and a tree built from its events.

It gives exactly what the round-trip reader (load/round_trip.py) gives for the documents officers
and profiles write, or says it cannot: `parse` returns None for anything it is not sure to read
the same way (a tag, an anchor, a plain scalar that YAML could resolve to something other than
text, a whole or decimal number, a date, a boolean or a null; a plain scalar with a colon; a tab
or another character the readers take differently; a duplicate key; a syntax error). The
caller then reads the document the slow way, which finds the line and says what is wrong. A
document beyond a bound (load/bounds.py) is refused here as the slow reader would refuse it, at
the same line, without its slow walk. The lines of keys and items are kept on the side, for the
problems reported later.
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from narrate.load import bounds, scalars

# The commonest numbers and dates, typed as ruamel types them without asking it (its import
# is most of the time a small file takes).
_INT = re.compile(r"[-+]?[0-9]+")
_DECIMAL = re.compile(r"[-+]?[0-9]+\.[0-9]+")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# A plain scalar starting so may be a number, date, infinity, merge key or value key: ruamel's
# resolver says which.
_UNSURE_START = frozenset("0123456789+-.<=")
_STR, _INT_TAG, _FLOAT, _TIMESTAMP = (f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "timestamp"))
# Characters the two readers take differently: libyaml follows YAML 1.1, where the first three
# also end a line (not in 1.2); it skips a byte-order mark inside the text, which ruamel keeps;
# it takes a tab inside a plain scalar as text, which ruamel refuses.
_HANDED_OVER = re.compile("[\x85\u2028\u2029\ufeff\t]")


class Unreadable(Exception):
    """Not YAML, or beyond a bound: a message key, its params and a line (the round-trip
    reader raises it)."""

    def __init__(self, key: str, line: int | None = None, **params: object):
        super().__init__(key)
        self.key, self.line, self.params = key, line, params


class _Unsure(Exception):
    """The document holds something only the round-trip reader reads right."""


def parse(text: str, marks: dict | None = None) -> Any | None:
    """Returns the document as plain dicts, lists and scalars, or None when the slow reader must
    read it (see the module's docstring); raises bounds.Refused. marks, when given, receives for
    each table and list (by id) its keys' or items' 1-based lines, for line()."""
    if _HANDED_OVER.search(text):
        return None
    try:
        tree = _build(yaml.parse(text, Loader=yaml.CSafeLoader), marks)
    except (_Unsure, yaml.YAMLError):
        return None
    # Every input, profile and phrasebook file is a table; anything else (libyaml and ruamel
    # disagree on a top-level block scalar's comment lines) the round-trip reader refuses.
    return tree if isinstance(tree, dict) else None


def _scalar(event: ScalarEvent) -> Any:
    plain, quoted = event.implicit
    value = event.value
    if not plain:  # quoted or a block (| >): text, unless a tag says otherwise
        if event.tag is not None and not quoted:
            raise _Unsure
        return value
    if value in _NULL:
        return None
    if value in _BOOL:
        return _BOOL[value]
    if ":" in value:
        # 名称:测试中心 is text to YAML, but mostly a key whose space after the colon was
        # forgotten: the round-trip reader reads it, and says so where it cannot.
        raise _Unsure
    if value[0] not in _UNSURE_START or not value.isascii():
        return value  # no other type of YAML 1.2 starts so or holds such characters
    whole, decimal, date = _INT.fullmatch(value), _DECIMAL.fullmatch(value), _DATE.fullmatch(value)
    tag = _INT_TAG if whole else _FLOAT if decimal else _TIMESTAMP if date else _resolve(value)
    if tag == _STR:
        return value
    if len(value) > bounds.MAX_NUMBER:
        raise _Unsure
    if tag == _INT_TAG:
        return scalars.whole(value)
    if tag == _FLOAT:
        return scalars.decimal(value)
    date = date or (_DATE.fullmatch(value) if tag == _TIMESTAMP else None)
    if date:
        try:
            return datetime.date(*map(int, date.groups()))
        except ValueError:  # 2024-02-30: the round-trip reader keeps such a date as text
            return value
    raise _Unsure  # a time of day, a merge key (<<), `=`


@lru_cache(maxsize=4096)
def _resolve(value: str) -> str:
    # The round-trip reader's own rules, so both readers type a plain scalar alike.
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import VersionedResolver

    return VersionedResolver().resolve(ScalarNode, value, (True, False))


def load(text: str) -> Any:
    """Returns a shipped or local data file's content: the fast reader's, else the round-trip
    reader's, which raises Unreadable with the line of what is wrong."""
    try:
        tree = parse(text)
    except bounds.Refused as exc:
        raise Unreadable(exc.key, line=exc.line, **exc.params) from None
    if tree is None:
        from narrate.load import round_trip

        tree = round_trip.load(text)
    return tree


def _build(events, marks: dict | None) -> Any:
    stack: list[list | dict] = []
    keys: list[Any] = []  # per open mapping: the key waiting for its value, or _NO_KEY
    lines: list[dict | list] = []  # per open container: its keys' or items' lines
    root: Any = None
    values = 0
    documents = 0
    for event in events:
        if isinstance(event, (ScalarEvent, MappingStartEvent, SequenceStartEvent)):
            line = event.start_mark.line + 1
            # The bounds in the order the round-trip reader's composer checks them, so a
            # document beyond one is refused here with the same message at the same line.
            expects_key = bool(stack) and isinstance(stack[-1], dict) and keys[-1] is _NO_KEY
            if stack and (expects_key or isinstance(stack[-1], list)) and len(stack[-1]) >= bounds.MAX_ITEMS:
                raise bounds.Refused("yaml_too_many_items", line, limit=bounds.MAX_ITEMS)
            if expects_key and not isinstance(event, ScalarEvent):
                raise _Unsure  # a table or list as a key
            if event.anchor is not None:
                raise _Unsure
            if len(stack) >= bounds.MAX_DEPTH:
                raise bounds.Refused("yaml_too_deep", line, limit=bounds.MAX_DEPTH)
            if isinstance(event, ScalarEvent) and len(event.value) > bounds.MAX_TEXT:
                raise bounds.Refused("yaml_text_too_long", line, limit=bounds.MAX_TEXT, length=len(event.value))
            values += 1
            if values > bounds.MAX_VALUES:
                raise bounds.Refused("yaml_too_many_values", line, limit=bounds.MAX_VALUES)
            if isinstance(event, ScalarEvent):
                node: Any = _scalar(event)
            else:
                if event.tag is not None and not event.implicit:
                    raise _Unsure
                node = {} if isinstance(event, MappingStartEvent) else []
            if not stack:
                root = node
            else:
                _attach(stack, keys, lines, node, line)
            if not isinstance(event, ScalarEvent):
                stack.append(node)
                keys.append(_NO_KEY)
                lines.append({} if isinstance(node, dict) else [])
                if marks is not None:
                    marks[id(node)] = lines[-1]
        elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            stack.pop()
            keys.pop()
            lines.pop()
        elif isinstance(event, DocumentStartEvent):
            documents += 1
            if documents > 1 or event.version is not None or event.tags:
                raise _Unsure
        elif isinstance(event, DocumentEndEvent) and event.explicit:
            raise _Unsure  # `...`: libyaml takes a second one alone, ruamel refuses it
        elif isinstance(event, AliasEvent):
            raise _Unsure
        elif isinstance(event, StreamEndEvent):
            break
    return root


class _NoKey:
    __slots__ = ()


_NO_KEY = _NoKey()


def _attach(stack: list, keys: list, lines: list, node: Any, line: int) -> None:
    parent = stack[-1]
    if isinstance(parent, list):
        parent.append(node)
        lines[-1].append(line)
        return
    key = keys[-1]
    if key is _NO_KEY:
        if node in parent:  # keys are scalars (a table or list as a key was handed over)
            raise _Unsure  # a duplicate key: the round-trip reader says which, at its line
        keys[-1] = node
        lines[-1][node] = line
        return
    parent[key] = node
    keys[-1] = _NO_KEY


def line(tree: Any, marks: dict, path: tuple[str | int, ...]) -> int:
    """Returns the 1-based line of path in a tree parse() read with these marks, or of its
    deepest part that exists (a list's item: where it starts; a table's key: its own line)."""
    node, found = tree, 1
    for part in path:
        at = marks.get(id(node))
        if isinstance(node, dict) and at is not None:
            key = next((k for k in (part, _as_int(part)) if k is not None and k in node), _NO_KEY)
            if key is _NO_KEY:
                break
            node, found = node[key], at[key]
        elif isinstance(node, list) and at is not None and isinstance(part, int) and 0 <= part < len(node):
            node, found = node[part], at[part]
        else:
            break
    return found


def _as_int(part: str | int) -> int | None:
    return int(part) if isinstance(part, str) and part.isdigit() else None
