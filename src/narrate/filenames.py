"""A file name made from user text (the unit name): exactly one safe name inside a folder.

The rule is written for officers in docs/input-format.md (输出文件名).
"""

from __future__ import annotations

import re
import unicodedata

MAX_BYTES = 255  # ext4, NTFS and APFS all stop at 255 (bytes, or UTF-16 units: fewer)
_FORBIDDEN = frozenset('<>:"/\\|?*')  # Windows forbids them; / and \ separate folders
_INVISIBLE = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))  # controls, format marks (U+202E), breaks
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"] + [f"{p}{n}" for p in ("COM", "LPT") for n in "123456789¹²³"]
)


def _replaced(ch: str) -> str:
    return "_" if ch in _FORBIDDEN or unicodedata.category(ch) in _INVISIBLE else ch


def safe_name(stem: str, suffix: str) -> str:
    """Returns stem + suffix as one file name every common file system accepts: separators,
    characters Windows forbids and invisible characters become "_", runs of dots one dot, no dot
    or space at either end of the stem, a reserved Windows name gets "_" before it, and the
    stem is cut (at a whole character) so the name fits MAX_BYTES. suffix must be safe itself."""
    text = re.sub(r"\.{2,}", ".", "".join(map(_replaced, stem))).strip(" .")
    room = MAX_BYTES - len(suffix.encode()) - 1  # one byte spare for a "_" before a reserved name
    text = text.encode()[:room].decode("utf-8", "ignore").rstrip(" .") or "_"
    name = text + suffix
    if name.split(".")[0].rstrip(" ").upper() in _RESERVED:
        name = "_" + name
    return name
