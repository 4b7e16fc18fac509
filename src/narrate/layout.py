"""The layout profile: what the document contains, in which order, and how it looks.

Reads phrasebook/<lang>/profile.yaml (outline, tables, styles, page) and part1.yaml (the wording
of the title page, 单位概况 and the closing), and renders their jinja2 templates. A region with
another layout ships another profile; the Python that builds tables and the document stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from narrate import blocks
from narrate.resources import data_dir


@dataclass(frozen=True)
class Layout:
    """A loaded profile: the raw profile and part-1 data, with a template renderer."""

    profile: dict[str, Any]
    words: dict[str, Any]
    folder: str

    def table(self, n: int) -> dict[str, Any]:
        return next(t for t in self.profile["tables"] if t["n"] == n)

    def render(self, template: str, **names: Any) -> str:
        """Returns template rendered with names (figures still marked, see blocks.figure)."""
        return _compile(template).render(fig=_fig, **names)

    def runs(self, template: str, **names: Any) -> tuple[blocks.Run, ...]:
        """Returns template rendered and split into plain, figure and placeholder runs."""
        return blocks.runs(self.render(template, **names))


def _fig(fid: str, value: object) -> str:
    return blocks.figure(fid, str(value))


@lru_cache(maxsize=256)
def _compile(template: str):
    return _env().from_string(template)


@lru_cache(maxsize=1)
def _env():
    # Sandboxed and strict: a profile is data an officer may edit, and a typo in a name must fail
    # loudly rather than print nothing.
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


@lru_cache(maxsize=8)
def _read_yaml(path: str, mtime: float) -> dict[str, Any]:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(Path(path).read_text(encoding="utf-8"))


def load(lang: str = "zh", folder: Path | None = None) -> Layout:
    """Returns the layout of phrasebook/<lang> (or of folder, a profile of one's own)."""
    base = folder or data_dir("phrasebook") / lang
    profile_path, words_path = base / "profile.yaml", base / "part1.yaml"
    return Layout(
        _read_yaml(str(profile_path), profile_path.stat().st_mtime),
        _read_yaml(str(words_path), words_path.stat().st_mtime),
        str(base),
    )
