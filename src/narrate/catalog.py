"""Classification catalogs: function (支出功能分类) and economic (支出经济分类) codes -> names.

The shipped CSVs (see catalogs/SOURCES.md for their sources and edition) are partial; a user adds
codes with catalog files of their own, listed in narrate.toml, in the same CSV format. Beside each
catalog, `<catalog>.<language>.csv` gives the codes' names in another language (code,name,source):
a document in that language prints them (`Catalogs.labelled`).
"""

from __future__ import annotations

import csv
import difflib
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

FUNCTION = "function"
ECONOMIC = "economic"

_SHIPPED = {
    FUNCTION: "function_classification.csv",
    ECONOMIC: "economic_classification.csv",
}

def _folded(name: str) -> str:
    # NFKC maps full-width brackets and the ideographic space to their ASCII forms.
    return "".join(unicodedata.normalize("NFKC", name).split())


def same_name(a: str, b: str) -> bool:
    """Returns whether two classification names are the same once brackets and spaces are folded."""
    return _folded(a) == _folded(b)


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    source: str


@dataclass(frozen=True)
class Catalog:
    """One classification: code -> entry, in catalog order."""

    kind: str
    entries: dict[str, Entry]

    def name(self, code: str) -> str | None:
        entry = self.entries.get(code)
        return entry.name if entry else None

    def nearest(self, code: str, n: int = 3) -> list[str]:
        """Returns up to n known codes that look most like code, as 'code name'."""
        same_length = [c for c in self.entries if len(c) == len(code)]
        close = difflib.get_close_matches(code, same_length, n=n, cutoff=0.5)
        return [f"{c} {self.entries[c].name}" for c in close]

    def search(self, query: str) -> list[Entry]:
        """Returns the entries whose code starts with query or whose name contains it."""
        folded = _folded(query)
        return [e for c, e in self.entries.items() if c.startswith(query) or folded in _folded(e.name)]

    def order(self, code: str) -> int:
        """Returns code's position in catalog order (unknown codes sort last)."""
        return self._positions.get(code, len(self._positions))

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.entries)}

    def with_file(self, path: Path) -> Catalog:
        """Returns this catalog extended (or corrected) by a user's CSV file."""
        merged = dict(self.entries)
        merged.update(_read(path.read_text(encoding="utf-8-sig"), str(path)))
        return Catalog(self.kind, merged)


def _read(text: str, origin: str) -> dict[str, Entry]:
    rows = csv.DictReader(text.splitlines())
    return {
        row["code"].strip(): Entry(row["code"].strip(), row["name"].strip(), row.get("source") or origin)
        for row in rows
        if row.get("code") and row.get("name")
    }


@lru_cache(maxsize=8)
def labels(kind: str, language: str) -> dict[str, Entry]:
    """Returns the shipped names of kind's codes in language (none for a language without a file)."""
    name = _SHIPPED[kind].replace(".csv", f".{language}.csv")
    file = resources.files("narrate.catalogs").joinpath(name)
    return _read(file.read_text(encoding="utf-8"), name) if file.is_file() else {}


def shipped(kind: str) -> Catalog:
    """Returns the catalog shipped with narrate for kind (FUNCTION or ECONOMIC)."""
    text = resources.files("narrate.catalogs").joinpath(_SHIPPED[kind]).read_text(encoding="utf-8")
    return Catalog(kind, _read(text, _SHIPPED[kind]))


@dataclass(frozen=True)
class Catalogs:
    function: Catalog
    economic: Catalog

    def labelled(self, language: str, translations: dict[str, str] | None = None) -> Catalogs:
        """Returns the catalogs with each code named in language: its shipped label, else the
        input's translation of its Chinese name, else that name (`untranslated` checks list
        those)."""
        translations = translations or {}

        def relabel(catalog: Catalog) -> Catalog:
            names = labels(catalog.kind, language)
            entries = {code: (names[code] if code in names else
                              Entry(code, translations.get(e.name, e.name), e.source))
                       for code, e in catalog.entries.items()}
            return Catalog(catalog.kind, entries)

        return Catalogs(relabel(self.function), relabel(self.economic))


def load(extra: dict[str, list[Path]] | None = None) -> Catalogs:
    """Returns the shipped catalogs, each extended by the user's files for its kind."""
    extra = extra or {}
    result = {}
    for kind in (FUNCTION, ECONOMIC):
        catalog = shipped(kind)
        for path in extra.get(kind, []):
            catalog = catalog.with_file(path)
        result[kind] = catalog
    return Catalogs(result[FUNCTION], result[ECONOMIC])
