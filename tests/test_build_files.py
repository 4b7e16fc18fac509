"""`narrate build` and the files it touches: where it writes, and what it never destroys."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrate.cli import app
from unitfile import unit_yaml

OUT = Path("outputs") / "测试中心-2024-预算公开.docx"
BAD = unit_yaml("收入:\n  一般公共预算: 三百\n")
UNBALANCED = unit_yaml("收入:\n  一般公共预算: 999.00\n  合计: 999.00\n")


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "unit.yaml").write_text(unit_yaml(), encoding="utf-8")
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(app, ["build", *args])


def test_build_writes_the_default_path(folder):
    result = run("unit.yaml")
    assert result.exit_code == 0, result.output
    assert (folder / OUT).is_file()
    assert str(OUT) in result.output


def test_build_writes_where_o_says(folder):
    assert run("unit.yaml", "-o", "sub/x.docx").exit_code == 0
    assert (folder / "sub" / "x.docx").is_file()
    assert not (folder / "outputs").exists()


def test_without_input_it_builds_the_sample(folder):
    assert run("-o", "sample.docx").exit_code == 0
    assert (folder / "sample.docx").stat().st_size > 10_000


@pytest.mark.parametrize("text", [BAD, UNBALANCED], ids=["unreadable amount", "inconsistent figures"])
def test_a_failed_build_leaves_no_file(folder, text):
    (folder / "unit.yaml").write_text(text, encoding="utf-8")
    result = run("unit.yaml")
    assert result.exit_code == 1
    assert not (folder / "outputs").exists() or list((folder / "outputs").iterdir()) == []


def test_a_failed_build_never_touches_an_existing_document(folder):
    assert run("unit.yaml").exit_code == 0
    before = (folder / OUT).read_bytes()
    (folder / "unit.yaml").write_text(BAD, encoding="utf-8")
    assert run("unit.yaml").exit_code == 1
    assert (folder / OUT).read_bytes() == before
    assert sorted(p.name for p in (folder / "outputs").iterdir()) == [OUT.name]  # no temp, no .bak


def test_rebuilding_an_untouched_output_replaces_it_without_backup(folder):
    assert run("unit.yaml").exit_code == 0
    (folder / "unit.yaml").write_text(unit_yaml().replace("名称: 测试中心", "名称: 测试中心\n  日期: 2024-03-01"), encoding="utf-8")
    result = run("unit.yaml")
    assert result.exit_code == 0
    assert sorted(p.name for p in (folder / "outputs").iterdir()) == [OUT.name]


def test_the_same_input_leaves_the_file_alone(folder):
    assert run("unit.yaml").exit_code == 0
    stamp = (folder / OUT).stat().st_mtime_ns
    os.utime(folder / OUT, ns=(stamp - 10**9, stamp - 10**9))
    result = run("unit.yaml")
    assert result.exit_code == 0 and "内容未变" in result.output
    assert (folder / OUT).stat().st_mtime_ns == stamp - 10**9


def test_an_edited_output_is_kept_as_bak_before_it_is_replaced(folder):
    assert run("unit.yaml").exit_code == 0
    edited = b"not what narrate wrote: the officer saved over it"
    (folder / OUT).write_bytes(edited)
    result = run("unit.yaml")
    assert result.exit_code == 0
    backup = folder / "outputs" / (OUT.name + ".bak")
    assert backup.read_bytes() == edited
    assert backup.name in result.output
    (folder / OUT).write_bytes(edited + b"!")
    assert run("unit.yaml").exit_code == 0
    assert (folder / "outputs" / (OUT.name + ".1.bak")).read_bytes() == edited + b"!"  # the first backup stays


def test_pdf_without_libreoffice_says_so_and_keeps_the_docx(folder, monkeypatch):
    monkeypatch.setenv("PATH", str(folder / "no-bin"))
    result = run("unit.yaml", "--pdf")
    assert result.exit_code == 1
    assert "未安装 LibreOffice" in result.output
    assert (folder / OUT).is_file()
