"""The year turns: `narrate template --next-year` writes next year's budget input from this
year's (figures to 上年, actuals to 上年预算执行数), `--final` the year's final-accounts input from
its budget input (年初预算文件); the officer's words come along as comments only."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from narrate import compute, pipeline
from narrate import facts as F
from narrate.cli import app
from narrate.load import yaml_file
from narrate.resources import data_dir

FINAL = data_dir("inputs") / "putuo-finance-2024-final.yaml"
BUDGET = data_dir("inputs") / "putuo-commerce-2025-unit.yaml"


def _template(*args: str):
    return CliRunner().invoke(app, ["template", *args])


def test_next_years_budget_starts_from_this_years_final_accounts(tmp_path):
    source = tmp_path / FINAL.name
    shutil.copy(FINAL, source)
    result = _template("--next-year", str(source))
    assert result.exit_code == 0, result.output
    made = tmp_path / "putuo-finance-2024-final-2025.yaml"
    tree = yaml_file.read(made).tree
    assert tree["格式"] == "sh-dept" and tree["单位"]["年度"] == 2025 and "公开类型" not in tree
    assert "支出" not in tree  # next year's figures are the officer's to type
    checked = pipeline.check(made)
    assert checked.ok, [str(p) for p in checked.problems]
    prior = compute.figures(checked.unit, (("*", "上年预算执行数"),))
    assert prior.sets["上年预算执行数"][F.GENERAL_TOTAL] == compute.facts(pipeline.check(FINAL).unit.budget)[F.GENERAL_TOTAL]
    assert prior.sets["上年预算"][F.GENERAL_TOTAL] * 10000 == 29939225  # the year's 年初预算
    # the words are hints on top, never values
    text = made.read_text(encoding="utf-8")
    assert "#   主要用途.2010601: 局本部人员经费及公用经费等的基本支出" in text
    assert "#   决算.预决算差异原因.一般公共预算.2010601: 人员进出及退休变化，减少人员经费开支" in text
    assert "主要用途" not in tree and "变动原因" not in tree and "决算" not in tree


def test_a_final_accounts_input_starts_from_the_years_budget_input(tmp_path):
    source = tmp_path / BUDGET.name
    shutil.copy(BUDGET, source)
    result = _template("--final", str(source), "-o", str(tmp_path / "final.yaml"))
    assert result.exit_code == 0, result.output
    tree = yaml_file.read(tmp_path / "final.yaml").tree
    assert tree["格式"] == "sh-unit-final" and tree["公开类型"] == "决算"
    assert tree["年初预算文件"] == BUDGET.name and tree["单位"]["年度"] == 2025
    checked = pipeline.check(tmp_path / "final.yaml")
    assert checked.unit is not None
    budget = checked.unit.comparisons["年初预算"]
    assert compute.facts(budget)[F.GENERAL_TOTAL] == compute.facts(pipeline.check(BUDGET).unit.budget)[F.GENERAL_TOTAL]
    assert "#   变动原因.财政拨款.合计:" in (tmp_path / "final.yaml").read_text(encoding="utf-8")


def test_turning_needs_an_input(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = _template("--next-year")
    assert result.exit_code == 2 and "需要给出输入文件" in result.output
    assert list(Path(tmp_path).iterdir()) == []
