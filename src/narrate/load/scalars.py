"""What a YAML number becomes in narrate, for both readers (load/fast_yaml.py, load/round_trip.py)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_DECIMAL_INT = re.compile(r"[-+]?[0-9]+")


def decimal(text: str) -> Decimal | str:
    """A float's text as the exact Decimal it reads (88.20 stays 88.20); .inf and .nan stay text."""
    try:
        return Decimal(text.replace("_", ""))
    except InvalidOperation:
        return text


def whole(text: str) -> int | str:
    """An int's text as a whole number. YAML reads 0x10 and 0o17 as 16 and 15; in a budget they
    are typos, so they stay text and validation says so at their line."""
    digits = text.replace("_", "")
    return int(digits) if _DECIMAL_INT.fullmatch(digits) else text
