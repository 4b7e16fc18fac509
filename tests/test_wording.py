"""Wording lives in the phrasebook, never in Python: no Chinese text in src/ but the input's keys.

model.py and facts.py are where every Chinese key narrate reads is spelled (the input's aliases,
funding sources, fact keys). Anywhere else a Chinese string literal must be exactly one of those
keys (a path component of a finding, say); any other is wording that belongs in phrasebook/.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from pydantic import BaseModel

from narrate import facts, model, sheets

SRC = Path(__file__).resolve().parents[1] / "src" / "narrate"
KEY_MODULES = {"model.py", "facts.py", "sheets.py"}
CJK = re.compile("[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def _keys() -> set[str]:
    keys: set[str] = set(facts.FIXED)
    for value in vars(model).values():
        if isinstance(value, type) and issubclass(value, BaseModel):
            keys.update(f.alias for f in value.model_fields.values() if f.alias)
        if isinstance(value, type) and issubclass(value, str) and value is not str:
            keys.update(str(m) for m in value)  # enums: sources, kinds
        if isinstance(value, str):
            keys.add(value)
    keys.update(value for value in vars(facts).values() if isinstance(value, str))
    keys.update(facts.THREE_PUBLIC_ITEMS)
    keys.update(sheets.keys())  # the workbook's own keys: sheet names, headers, labels
    return keys


def _literals(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_no_chinese_wording_in_python():
    keys = _keys()
    found = [
        f"{path.relative_to(SRC)}:{line}: {text!r}"
        for path in sorted(SRC.rglob("*.py"))
        if path.name not in KEY_MODULES
        for line, text in _literals(path)
        if CJK.search(text) and text not in keys
    ]
    assert found == []


def test_the_check_sees_a_literal_that_is_wording(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text('"""文档。"""\nA = "预算公开"\nB = "收入"\n', encoding="utf-8")
    texts = [t for _, t in _literals(sample) if CJK.search(t)]
    assert texts == ["预算公开", "收入"] and "收入" in _keys() and "预算公开" not in _keys()


def test_the_workbook_format_spells_keys_only():
    # sheets.py may spell a Chinese string only as a key of the workbook or of the model.
    keys = _keys()
    found = [f"sheets.py:{line}: {text!r}" for line, text in _literals(SRC / "sheets.py") if CJK.search(text) and text not in keys]
    assert found == []
