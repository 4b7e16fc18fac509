"""Many inputs at once: a batch builds the good inputs, reports the bad ones and exits 1; every
document equals a single build of its input, byte for byte, whichever worker made it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrate import batch
from narrate.cli import app
from narrate.resources import data_dir, sample_input

SAMPLES = ("kizilsu-egov-2024.yaml", "putuo-commerce-2025-unit.yaml", "putuo-commerce-2025-dept.yaml")


def _inputs(folder: Path) -> Path:
    src = folder / "in"
    src.mkdir()
    for name in SAMPLES:
        shutil.copy(data_dir("inputs") / name, src / name)
    (src / "bad.yaml").write_text("单位: {名称: 坏, 年度: 2024}\n支出:\n  - {科目: 2010504, 一般公共预算: {人员经费: 三百}}\n", encoding="utf-8")
    return src


def _single(tmp_path: Path, name: str) -> bytes:
    out = tmp_path / "single" / name.replace(".yaml", ".docx")
    out.parent.mkdir(exist_ok=True)
    result = CliRunner().invoke(app, ["build", str(data_dir("inputs") / name), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_batch_builds_the_good_inputs_reports_the_bad_and_exits_1(tmp_path, jobs):
    src = _inputs(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(src), "-o", str(out), "--jobs", jobs])
    assert result.exit_code == 1
    assert f"bad.yaml:3: 支出[1].一般公共预算.人员经费: 应为金额（数字），实际为“三百”" in result.output
    assert "共 4 个：通过 3 个，未通过 1 个" in result.output
    built = sorted(p.name for p in out.iterdir())
    assert built == ["上海市普陀区商务委员会-2025-单位预算.docx", "上海市普陀区商务委员会-2025-部门预算.docx",
                     "克孜勒苏柯尔克孜自治州电子政务服务中心-2024-预算公开.docx"]  # no temporary folder left
    assert (out / built[2]).read_bytes() == _single(tmp_path, SAMPLES[0])
    assert (out / built[0]).read_bytes() == _single(tmp_path, SAMPLES[1])


def test_inputs_of_the_same_unit_get_numbered_names_in_input_order(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(sample_input(), src / name)
    result = CliRunner().invoke(app, ["build", str(src / "a.yaml"), str(src / "b.yaml"), "-o", str(tmp_path / "out"), "-j", "2"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "克孜勒苏柯尔克孜自治州电子政务服务中心-2024-预算公开-2.docx", "克孜勒苏柯尔克孜自治州电子政务服务中心-2024-预算公开.docx"]


def test_a_batch_check_lists_each_input_and_fails_on_any(tmp_path, monkeypatch):
    src = _inputs(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["check", str(src), "--jobs", "2"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "] " in line and line.startswith("[")]
    assert len(lines) == 4 and sum("未通过" in line for line in lines) == 1
    assert not (tmp_path / "outputs").exists()  # a check writes nothing


def test_a_folder_leaves_out_the_files_an_input_names_as_its_parts(tmp_path):
    (tmp_path / "a.yaml").write_text("单位: {名称: a, 年度: 2024}\n上年文件: a-2023.yaml\n英文译文: 'a.en.yaml'  # 译文\n", encoding="utf-8")
    for name in ("a-2023.yaml", "a.en.yaml", "b.yml", "notes.txt"):
        (tmp_path / name).write_text("x: 1\n", encoding="utf-8")
    assert [p.name for p in batch.expand([tmp_path])] == ["a.yaml", "b.yml"]


def test_the_shipped_inputs_folder_is_a_batch_of_its_samples():
    names = [p.name for p in batch.expand([data_dir("inputs")])]
    final_accounts = ("putuo-finance-2024-final.yaml",)  # tests/test_final.py
    more = ("putuo-finance-2025-dept.yaml", "putuo-welfare-home-2024-unit.yaml")  # tests/test_shanghai_more.py
    assert names == sorted(SAMPLES + final_accounts + more)  # the sample's English translations are a part of it
