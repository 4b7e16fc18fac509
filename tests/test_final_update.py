"""`narrate update` on an edited final-accounts document: the officer's edits stay, the changed
figures of the 决算 (a total, a 项 against its budget, a completion rate) are updated in place."""

from __future__ import annotations

import zipfile
from pathlib import Path

from typer.testing import CliRunner

import wordlike
from narrate.cli import app
from narrate.resources import data_dir

SAMPLE = data_dir("inputs") / "putuo-finance-2024-final.yaml"
ADDED = "本段是科长加的：决算数已经审计。"


def _visible(path: Path) -> str:
    with wordlike.editing(path) as body:
        wordlike.accept_all(body)
        return "\n".join(wordlike.text(p) for p in wordlike.paragraphs(body))


def test_update_keeps_the_officers_edits_and_brings_the_actuals_up_to_date(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(app, ["build", str(SAMPLE), "-o", "E.docx"]).exit_code == 0
    with wordlike.editing(tmp_path / "E.docx") as body:
        wordlike.add_paragraph_after(wordlike.paragraph_with(body, "一、收入支出决算总体情况说明"), ADDED)
        wordlike.type_over(wordlike.paragraph_with(body, "主要用于：委托中介机构"), "各类审计", "各类审计、评审")
    # 财政委托业务支出 100,000 元 less, spent and received alike: still balanced
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("项目支出: 4495200", "项目支出: 4395200").replace("一般公共预算: 4495200", "一般公共预算: 4395200")
    (tmp_path / "new.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["update", "E.docx", "new.yaml", "-o", "U.docx", "--date", "2025-06-01"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "U.docx") as z:
        assert 'w:author="narrate"' in z.read("word/document.xml").decode("utf-8")  # updated as tracked changes
    shown = _visible(tmp_path / "U.docx")  # the changes accepted
    assert ADDED in shown
    assert "委托中介机构开展各类审计、评审及绩效评价工作" in shown
    assert "收入支出总计2985.39万元" in shown and "收入支出总计减少66.95万元" in shown
    assert "年初预算为450.52万元，支出决算为439.52万元" in shown
    assert "完成年初预算的97.87%" in shown and "完成年初预算的98.20%" not in shown
