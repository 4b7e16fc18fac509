"""Paths an input names stay inside its folder tree unless narrate.toml says otherwise, and a
named file of another kind is refused by its kind: no other file's content is ever quoted.

The "other file" is a readable file holding a secret, in the folder above the input (as
/etc/shadow would be); every test asserts the secret appears nowhere in what narrate prints.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrate.cli import app
from unitfile import BASE

SECRET = "secret-4f9a1c"
# Another file: as YAML, a table whose keys and values are the secret's neighbours.
OTHER = f"rootkey9: {SECRET}\nbinkey9: x-{SECRET}\n"
WITHOUT_PRIOR = re.sub(r"上年:\n(  .*\n)*", "", BASE)


def department(member_file: str) -> str:
    return BASE.replace("  年度: 2024\n", f"  年度: 2024\n  类型: 部门\n  成员单位:\n    - 名称: 甲\n      文件: {member_file}\n")


NAMING = {
    "member": lambda name: department(name),
    "prior": lambda name: WITHOUT_PRIOR + f"上年文件: {name}\n",
    "translations": lambda name: BASE + f"英文译文: {name}\n",
}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "shadow").write_text(OTHER, encoding="utf-8")
    (tmp_path / "inputs").mkdir()
    return tmp_path / "inputs"


def check(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["check", str(path)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("kind", list(NAMING))
def test_a_file_outside_the_inputs_folder_is_refused_at_the_line_naming_it(tree: Path, kind: str) -> None:
    text = NAMING[kind]("../shadow")
    (tree / "unit.yaml").write_text(text, encoding="utf-8")
    code, out = check(tree / "unit.yaml")
    assert code == 1 and SECRET not in out and "rootkey9" not in out
    line = next(n for n, l in enumerate(text.splitlines(), 1) if "../shadow" in l)
    assert f"unit.yaml:{line}: " in out and "不在本文件所在的文件夹" in out and "outside_files = true" in out


@pytest.mark.parametrize("kind", ["member", "prior"])
def test_a_named_file_of_another_kind_is_refused_by_kind_not_quoted(tree: Path, kind: str) -> None:
    (tree / "narrate.toml").write_text("outside_files = true\n", encoding="utf-8")
    (tree / "unit.yaml").write_text(NAMING[kind]("../shadow"), encoding="utf-8")
    code, out = check(tree / "unit.yaml")
    assert code == 1 and SECRET not in out and "rootkey9" not in out and "binkey9" not in out, out
    assert "shadow: 不是 narrate 的输入文件" in out


@pytest.mark.parametrize("kind", ["member", "prior"])
def test_a_file_that_is_not_yaml_at_all_is_refused_by_kind(tree: Path, kind: str) -> None:
    (tree / "notes.yaml").write_text(f"root:*:{SECRET}:0:0\n[unclosed {SECRET}\n", encoding="utf-8")
    (tree / "unit.yaml").write_text(NAMING[kind]("notes.yaml"), encoding="utf-8")
    code, out = check(tree / "unit.yaml")
    assert code == 1 and SECRET not in out and "notes.yaml: 不是 narrate 的输入文件" in out, out


def test_a_link_inside_the_folder_to_a_file_outside_is_outside(tree: Path) -> None:
    os.symlink(tree.parent / "shadow", tree / "member.yaml")
    (tree / "unit.yaml").write_text(department("member.yaml"), encoding="utf-8")
    code, out = check(tree / "unit.yaml")
    assert code == 1 and SECRET not in out and "不在本文件所在的文件夹" in out


def test_a_file_in_a_subfolder_is_read(tree: Path) -> None:
    (tree / "units").mkdir()
    (tree / "units" / "a.yaml").write_text(BASE, encoding="utf-8")
    (tree / "unit.yaml").write_text(department("units/a.yaml"), encoding="utf-8")
    code, out = check(tree / "unit.yaml")
    assert code == 0, out


def test_a_catalog_outside_the_settings_folder_is_refused(tree: Path) -> None:
    (tree / "narrate.toml").write_text('[catalogs]\nfunction = ["../shadow"]\n', encoding="utf-8")
    (tree / "unit.yaml").write_text(BASE, encoding="utf-8")
    code, out = check(tree / "unit.yaml")
    assert code == 1 and SECRET not in out and "narrate.toml:2: " in out and "不在本文件所在的文件夹" in out


def test_a_profile_folder_outside_needs_the_setting(tree: Path) -> None:
    profile = tree.parent / "profiles" / "mine"
    profile.mkdir(parents=True)
    (profile / "profile.yaml").write_text(f"extends: xj-unit\nname: {SECRET}\n", encoding="utf-8")
    (tree / "unit.yaml").write_text("格式: ../profiles/mine\n" + BASE, encoding="utf-8")
    code, out = check(tree / "unit.yaml")
    assert code == 1 and SECRET not in out and "unit.yaml:1: 格式: " in out and "不在本文件所在的文件夹" in out
    (tree / "narrate.toml").write_text("outside_files = true\n", encoding="utf-8")
    code, out = check(tree / "unit.yaml")
    assert code == 0, out


def test_extends_reaches_only_a_built_in_profile_or_one_beside(tmp_path: Path) -> None:
    (tmp_path / "far").mkdir()
    (tmp_path / "far" / "profile.yaml").write_text("extends: xj-unit\n", encoding="utf-8")
    mine = tmp_path / "profiles" / "mine"
    mine.mkdir(parents=True)
    (mine / "profile.yaml").write_text("extends: ../../far\n", encoding="utf-8")
    (tmp_path / "unit.yaml").write_text(BASE, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(tmp_path / "unit.yaml"), "--profile", str(mine)])
    assert result.exit_code == 1 and "profile.yaml:1: extends 指向的“../../far”既不是内置格式" in result.output


def test_a_phrasebook_file_linking_outside_its_folder_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine" / "explain").mkdir(parents=True)
    (tmp_path / "shadow.yaml").write_text(OTHER, encoding="utf-8")
    os.symlink(tmp_path / "shadow.yaml", tmp_path / "mine" / "explain" / "x.yaml")
    result = CliRunner().invoke(app, ["preview", "--phrasebook", "mine"])
    assert result.exit_code == 1 and SECRET not in result.output and "链接到短语库文件夹以外的文件" in result.output
