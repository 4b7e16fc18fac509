"""`narrate codes`: finding a classification code by its start or by words of its name."""

from __future__ import annotations

from typer.testing import CliRunner

from narrate.cli import app


def run(*args: str):
    return CliRunner().invoke(app, ["codes", *args])


def test_a_name_finds_its_function_codes_under_the_catalog_edition():
    result = run("信息事务")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("支出功能分类（《政府收支分类科目》2024 年版")
    assert "  2010504  信息事务" in lines and "  20105  统计信息事务" in lines


def test_a_code_start_finds_economic_items():
    result = run("3022")
    assert "  30228  工会经费" in result.output and "  30229  福利费" in result.output
    assert "支出功能分类" not in result.output


def test_a_users_own_catalog_answers_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.csv").write_text("code,name\n2010599,其他统计信息事务支出\n", encoding="utf-8")
    (tmp_path / "narrate.toml").write_text('[catalogs]\nfunction = ["mine.csv"]\n', encoding="utf-8")
    assert "  2010599  其他统计信息事务支出" in run("2010599").output


def test_nothing_found_is_exit_1_with_a_hint():
    result = run("不存在的科目")
    assert result.exit_code == 1
    assert "没有找到“不存在的科目”" in result.stderr
