"""Files an input names (member files, 上年文件, 英文译文, a profile folder in 格式, a profile's
`extends`, narrate.toml's catalogs): inside the naming file's folder tree unless the settings
say otherwise.

An input may come from someone else (an upload, a shared folder): without this rule, a member
file `/etc/shadow` or `../../secret.yaml` would be read and its lines quoted back in the errors.
A path outside the tree (after following links) is refused unless narrate.toml beside the input
sets `outside_files = true` (docs/input-format.md, 输入的上限). A file inside the tree that is not
the kind named is refused by its kind, without quoting it (load/__init__.py).
"""

from __future__ import annotations

import os
from pathlib import Path

OUTSIDE_KEY = "outside_files"  # narrate.toml: files named by inputs may lie outside their folder


class Outside(Exception):
    """A path that leaves the folder tree it must stay in."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


def _real(path: Path) -> Path:
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError):
        return Path(os.path.abspath(path))


def inside(folder: Path, target: Path) -> bool:
    """Tells whether target (links followed) lies in folder or below it."""
    root, real = _real(folder), _real(target)
    return real == root or root in real.parents


def named(folder: Path, name: str, outside: bool = False) -> Path:
    """Returns the file name names, relative to folder; raises Outside when it leaves folder's
    tree and outside is not allowed."""
    target = folder / name
    if not outside and not inside(folder, target):
        raise Outside(name)
    return target
