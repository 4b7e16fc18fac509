"""The bounds of an input document. The fast reader (load/fast_yaml.py) leaves a document
beyond them to the round-trip reader, whose composer (load/round_trip.py) refuses it at its line.
The limits are stated in docs/input-format.md (输入的上限).
"""

from __future__ import annotations

import re

# The sample unit file is 7 levels deep and holds about 1,100 values. Composing costs about
# 50 µs a value on the reference machine, so a document at MAX_VALUES takes ~2.5 s to refuse.
MAX_DEPTH = 20
MAX_ITEMS = 5_000  # items of one list, or keys of one table
MAX_VALUES = 50_000  # keys and values of the whole document, each alias counted as what it repeats
MAX_TEXT = 10_000  # characters of one text (or key)
MAX_NUMBER = 30  # characters of one unquoted number: int() of 4,300 digits raises

# What YAML 1.2 lets a stream hold (ruamel's Reader refuses the rest, without a line).
_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
CONTROL = _UNPRINTABLE  # a workbook's text is held to the characters a YAML input may hold
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
