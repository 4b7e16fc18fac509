"""Load stage: input file(s) -> a validated Unit, or findings that say what is wrong and where."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Union

from narrate import paths
from narrate.catalog import Catalogs
from narrate.load import codes, kinds
from narrate.load.validate import to_model
from narrate.load.yaml_file import ReadError, YamlDoc, read

from narrate.model import (FULL_BUDGET, PRIOR_ACTUAL, PRIOR_BUDGET, PRIOR_FINAL, START_BUDGET, Budget, Unit, UnitFile,
                           xml_safe)
from narrate.problems import Finding

if TYPE_CHECKING:  # the workbook reader is imported when a workbook is read
    from narrate.load.excel import ExcelDoc

# A parsed input: YAML (lines) or a workbook (cells); both answer line(path) with a location.
Doc = Union[YamlDoc, "ExcelDoc"]


@dataclass(frozen=True)
class Loaded:
    """What loading gave: the unit (None when unusable), catalogs, findings, the parsed files."""

    unit: Unit | None
    catalogs: Catalogs
    findings: list[Finding]
    doc: Doc | None
    prior_doc: Doc | None = None
    read_errors: list[tuple[str, ReadError]] = field(default_factory=list)
    prior_file: UnitFile | None = None  # last year's own file, when 上年文件 names one
    file: UnitFile | None = None  # the file as typed (checks read it, to point at lines)
    translations: dict[str, str] | None = None  # 英文译文; None when its file is missing


def read_doc(path: Path, name: str | None = None) -> Doc:
    """Returns the parsed input: a workbook by its suffix (.xlsx; .xls to say how to convert
    it), else YAML. Raises ReadError."""
    if kinds.is_workbook(path):
        from narrate.load import excel

        return excel.read(path, name)
    return read(path, name)


_UNIT_KEY = UnitFile.model_fields["unit"].alias
_PRIOR_FILE_KEY = UnitFile.model_fields["prior_file"].alias
_TRANSLATIONS_KEY = UnitFile.model_fields["translations"].alias


def is_input(tree: object) -> bool:
    """Tells whether a tree is a narrate input at all (a table with 单位), as opposed to some
    other file a path names by mistake or on purpose, which is refused by its kind: its keys
    and values are never quoted back."""
    return isinstance(tree, dict) and _UNIT_KEY in tree


def _parse(path: Path, name: str, named: bool = False) -> tuple[Doc | None, UnitFile | None, list, list]:
    try:
        doc = read_doc(path, name)
    except ReadError as exc:
        if named and exc.line is not None:  # a line of some other file: not shown
            return None, None, [], [(name, ReadError("not_narrate_input"))]
        return None, None, [], [(name, exc)]
    if named and not is_input(doc.tree):
        return None, None, [], [(name, ReadError("not_narrate_input"))]
    file, findings = to_model(doc.tree)
    return doc, file, findings, []


def load(path: Path, catalogs: Catalogs, name: str | None = None, named: bool = False, outside: bool = False) -> Loaded:
    """Returns the unit in path with last year's figures (inline, or from the file it names).
    named: path was named by another input (a member file), so a file of another kind is
    refused as such; outside: files this one names may lie outside its folder (paths.py)."""
    doc, file, findings, read_errors = _parse(path, name or str(path), named)
    if file is None:
        return Loaded(None, catalogs, findings, doc, read_errors=read_errors)
    catalogs, code_findings = codes.resolve(file, catalogs)
    findings = findings + code_findings
    prior, prior_doc, prior_file = file.prior, None, None
    if file.prior_file and file.prior is not None:
        # Two sources for last year would silently disagree; the officer must pick one.
        findings.append(Finding("input", ("上年文件",), "prior_both", {}))
        return Loaded(None, catalogs, findings, doc)
    if file.prior_file:
        try:
            prior_path = paths.named(path.parent, file.prior_file, outside)
        except paths.Outside:
            findings.append(_outside(_PRIOR_FILE_KEY, file.prior_file))
            return Loaded(None, catalogs, findings, doc)
        if not os.path.lexists(prior_path):
            findings.append(Finding("input", ("上年文件",), "prior_file_missing", {"path": file.prior_file}))
            return Loaded(None, catalogs, findings, doc)
        prior_doc, prior_file, prior_findings, prior_errors = _parse(prior_path, str(prior_path), named=True)
        findings += [replace(f, prior=True) for f in prior_findings]
        read_errors += prior_errors
        if prior_file is None:
            findings.append(Finding("input", ("上年文件",), "prior_file_bad", {"path": file.prior_file}))
            return Loaded(None, catalogs, findings, doc, prior_doc, read_errors)
        catalogs, prior_code_findings = codes.resolve(prior_file, catalogs)
        findings += [replace(f, prior=True) for f in prior_code_findings]
        prior = prior_file.budget()
    start = file.start_budget
    if file.start_budget_file:
        start, start_findings = _start_budget(path, file)
        findings += start_findings
        if start is None:
            return Loaded(None, catalogs, findings, doc, prior_doc, read_errors, prior_file, file)
    translations: dict[str, str] | None = {}
    if isinstance(file.translations, dict):
        translations = dict(file.translations)
    elif file.translations:
        try:
            found = _translations(paths.named(path.parent, file.translations, outside))
        except paths.Outside:
            return Loaded(None, catalogs, findings + [_outside(_TRANSLATIONS_KEY, file.translations)], doc,
                          prior_doc, read_errors, prior_file, file)
        if isinstance(found, tuple):
            return Loaded(None, catalogs, findings, doc, prior_doc, read_errors + [found], prior_file, file)
        translations = found
    unit = to_unit(file, prior, translations, start)
    return Loaded(unit, catalogs, findings, doc, prior_doc, read_errors, prior_file, file, translations)


def _outside(key: str, name: str) -> Finding:
    return Finding("input", (key,), "path_outside", {"path": name, "setting": paths.OUTSIDE_KEY})


def _translations(path: Path) -> dict[str, str] | None | tuple[str, ReadError]:
    """Returns the English of the officer's texts in a 英文译文 file (Chinese text: English text),
    None when there is no such file (a Chinese document does not need it; the `translations-file`
    check warns an English one), or a read error at the file's line."""
    if not path.is_file():
        return None
    try:
        doc = read(path, str(path))
    except ReadError as exc:
        return str(path), exc
    out: dict[str, str] = {}
    for key, value in doc.tree.items():
        if not isinstance(value, str) or not value.strip():
            return str(path), ReadError("translation_not_text", doc.line((key,)), text=str(key))
        out[xml_safe(str(key))] = xml_safe(value)
    return out


def _start_budget(path: Path, file: UnitFile) -> tuple[Budget | None, list[Finding]]:
    """Returns the year's budget a final-accounts input names (年初预算文件) as its 年初预算 set:
    the figures of the same year's budget input, so nothing is typed twice."""
    key = UnitFile.model_fields["start_budget_file"].alias
    if file.start_budget is not None:
        return None, [Finding("input", (key,), "start_both", {})]
    budget_path = path.parent / file.start_budget_file
    if not os.path.lexists(budget_path):
        return None, [Finding("input", (key,), "start_file_missing", {"path": file.start_budget_file})]
    _, budget_file, findings, errors = _parse(budget_path, str(budget_path))
    if budget_file is None or findings or errors:
        return None, [Finding("input", (key,), "start_file_bad", {"path": file.start_budget_file})]
    if budget_file.unit.year != file.unit.year:
        return None, [Finding("input", (key,), "start_file_year",
                              {"path": file.start_budget_file, "year": str(budget_file.unit.year)})]
    return budget_file.budget(), []


def to_unit(file: UnitFile, prior: Budget | None, translations: dict[str, str] | None = None,
            start: Budget | None = None) -> Unit:
    """Returns the unit a file describes: its info, this year's budget, the comparison sets
    (上年预算 inline or from 上年文件; 上年预算执行数; for final accounts 年初预算 inline or from
    年初预算文件, 全年预算, 上年决算), the officer's words and their English."""
    start = start if start is not None else file.start_budget
    named = ((PRIOR_BUDGET, prior), (PRIOR_ACTUAL, file.prior_actual), (START_BUDGET, start),
             (FULL_BUDGET, file.full_budget), (PRIOR_FINAL, file.prior_final))
    sets = {name: budget for name, budget in named if budget is not None}
    return Unit(info=file.unit, budget=file.budget(), comparisons=sets, words=file.words(),
                translations=translations or {}, document=file.document, final=file.final)
