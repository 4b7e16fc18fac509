"""The `untranslated` check: what a document in another language than Chinese will still print
in Chinese, because the input gives no translation (英文名称, 英文译文) and narrate has no label.

A hint, not a warning: the document is usable, and a unit's own name in Chinese is often right.
Each text or code is named once, at the first line that uses it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from narrate import catalog
from narrate.model import Budget, EconLine, ExpenseLine, FinalAccounts, UnitFile, UnitInfo
from narrate.problems import Finding

if TYPE_CHECKING:
    from narrate.checks import Subject

RULE = "untranslated"
FILE_RULE = "translations-file"
# Han ideographs and CJK punctuation: what an English reader cannot read (built from code
# points so that no Chinese character sits in the source).
_CJK = re.compile("[%s-%s%s-%s%s-%s]" % (chr(0x3000), chr(0x303F), chr(0x3400), chr(0x9FFF), chr(0xFF00), chr(0xFFEF)))

# Fields that are not wording: file names, the profile, comparison sets (checked in their own
# right), the unit's name (a finding of its own) and the names typed beside codes (the code's
# label is looked for instead).
_SKIP = {
    UnitFile: {"profile", "money_unit", "prior_file", "translations", "prior", "prior_actual"},
    UnitInfo: {"name", "name_en"},
    ExpenseLine: {"name"},
    EconLine: {"name"},
}


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def _texts(value: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    """Yields (path, text) for every text in a record, its lists and its mappings' values."""
    if isinstance(value, BaseModel):
        skip = next((fields for kind, fields in _SKIP.items() if type(value) is kind), set())
        for name, field in type(value).model_fields.items():
            if name not in skip:
                yield from _texts(getattr(value, name), path + (field.alias or name,))
    elif isinstance(value, (tuple, list)):
        for i, item in enumerate(value):
            yield from _texts(item, path + (i,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, path + (key,))
    elif type(value) is str and has_cjk(value):  # enums (sources, kinds) are keys, not text
        yield path, value


def _codes(file: UnitFile) -> Iterator[tuple[str, str, tuple]]:
    """Yields (catalog kind, code, path) for every code whose name a document prints: each
    expense line's and project's code with its 类 and 款, each economic line with its 类."""
    budget: Budget = file
    for i, line in enumerate(budget.expenses):
        for code in (line.code[:3], line.code[:5], line.code):
            yield catalog.FUNCTION, code, ("支出", i, "科目")
    for i, project in enumerate(budget.projects):
        for code in (project.code[:3], project.code[:5], project.code):
            yield catalog.FUNCTION, code, ("项目", i, "科目")
    for i, econ in enumerate(budget.economic):
        for code in (econ.code[:3], econ.code):
            yield catalog.ECONOMIC, code, ("基本支出经济分类", i, "科目")
    for i, item in enumerate(budget.procurement.items):  # a procurement table prints the code's name
        if item.econ_code is not None:
            yield catalog.ECONOMIC, item.econ_code, ("政府采购", "明细", i, "经济科目")
    # Final accounts also print the lines of their income and other spending (决算表) and each
    # line the budget set has (决算情况说明: every 项 against its budget).
    lines: list[tuple[tuple, str]] = []
    if file.final is not None:
        final = _alias(UnitFile, "final")
        lines += [((final, _alias(FinalAccounts, "income"), i, "科目"), x.code) for i, x in enumerate(file.final.income)]
        lines += [((final, _alias(FinalAccounts, "other_spending"), i, "科目"), x.code)
                  for i, x in enumerate(file.final.other_spending)]
        lines += [((final, _alias(FinalAccounts, "balance_lines"), i, "科目"), x.code)
                  for i, x in enumerate(file.final.balance_lines)]
    for name in ("start_budget", "full_budget"):
        budget_set = getattr(file, name)
        if budget_set is not None:
            lines += [((_alias(UnitFile, name), "支出", i, "科目"), x.code) for i, x in enumerate(budget_set.expenses)]
    for path, line_code in lines:
        for code in (line_code[:3], line_code[:5], line_code):
            yield catalog.FUNCTION, code, path


def _alias(model, name: str) -> str:
    return model.model_fields[name].alias


def missing_file(s: Subject) -> list[Finding]:
    """In a profile whose language is not Chinese: the 英文译文 file the input names exists."""
    if s.spec.language == "zh" or s.catalogs is None or s.translations is not None:
        return []
    return [Finding(FILE_RULE, (_TRANSLATIONS,), "translations_missing", {"path": s.file.translations})]


_TRANSLATIONS = UnitFile.model_fields["translations"].alias


def untranslated(s: Subject) -> list[Finding]:
    """In a profile whose language is not Chinese: the unit without its name in that language,
    each code without a label, each of the officer's texts without a translation."""
    language = s.spec.language
    if language == "zh" or s.catalogs is None:  # no catalogs: last year's own file, never printed
        return []
    if s.translations is None:  # the 英文译文 file is missing: one warning says it (missing_file)
        return []
    given = s.translations
    out: list[Finding] = []
    info = s.file.unit
    if not info.name_en and info.name not in given:
        out.append(Finding(RULE, ("单位", "名称"), "untranslated_name", {}))
    seen: set[tuple[str, str]] = set()
    for kind, code, path in _codes(s.file):
        name = (s.catalogs.function if kind == catalog.FUNCTION else s.catalogs.economic).name(code)
        if (kind, code) in seen or not name or code in catalog.labels(kind, language) or name in given:
            continue
        seen.add((kind, code))
        out.append(Finding(RULE, path, "untranslated_code", {"code": code, "name": name}))
    texts: set[str] = set()
    for path, text in _texts(s.file, ()):
        if text not in given and text not in texts:
            texts.add(text)
            out.append(Finding(RULE, path, "untranslated_text", {"text": text}))
    return out
