"""The default output name comes from the unit name, which is user text: it becomes exactly one
safe file name inside outputs/ (docs/input-format.md, 输出文件名). `-o` paths are the user's own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrate.cli import app
from narrate.filenames import MAX_BYTES, safe_name
from unitfile import unit_yaml

SUFFIX = "-2024-预算公开.docx"

NAMES = {
    "a plain unit name": ("克孜勒苏柯尔克孜自治州电子政务服务中心", "克孜勒苏柯尔克孜自治州电子政务服务中心"),
    "climbing out with ..": ("../../x", "_._x"),
    "an absolute path": ("/etc/passwd", "_etc_passwd"),
    "folders": ("a/b/c", "a_b_c"),
    "a Windows path": ("C:\\Users\\x", "C__Users_x"),
    "characters Windows forbids": ('a<b>c:d"e|f?g*h', "a_b_c_d_e_f_g_h"),
    "control characters": ("测试\t中心\n", "测试_中心_"),
    "a right-to-left override": ("测试\u202excod.exe", "测试_xcod.exe"),
    "only dots": ("...", "_"),
    "leading and trailing dots": (".隐藏.", "隐藏"),
    "a reserved Windows name before a dot": ("CON.中心", "_CON.中心"),
    "a reserved name in lower case": ("lpt1.x", "_lpt1.x"),
    "a reserved name with a superscript digit": ("COM¹.x", "_COM¹.x"),
    "a reserved word that is only a part": ("CONTOSO.x", "CONTOSO.x"),
}


@pytest.mark.parametrize(("name", "stem"), NAMES.values(), ids=NAMES.keys())
def test_a_unit_name_becomes_one_safe_file_name(name: str, stem: str):
    made = safe_name(name, SUFFIX)
    assert made == stem + SUFFIX
    assert Path(made).name == made and os.sep not in made and ".." not in made


def test_a_long_name_is_cut_to_255_bytes_at_a_character_boundary():
    made = safe_name("电子政务服务中心" * 20, SUFFIX)
    assert len(made.encode()) <= MAX_BYTES < len(("电子政务服务中心" * 20 + SUFFIX).encode())
    assert made.endswith(SUFFIX) and made.startswith("电子政务服务中心")
    assert len(made.encode()) > MAX_BYTES - 3  # cut at the last whole character


@pytest.mark.parametrize("name", ["../../x", "{tmp}/elsewhere/x", "a/b/c"], ids=["..", "absolute", "folders"])
def test_build_writes_exactly_one_file_inside_outputs(name: str, tmp_path: Path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    name = name.format(tmp=tmp_path)
    (work / "unit.yaml").write_text(unit_yaml(f'单位:\n  名称: "{name}"\n  年度: 2024\n'), encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "unit.yaml"])
    assert result.exit_code == 0, result.output
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert len(made) == 2 and made[0] == Path("work/outputs") / made[0].name, made
    assert made[1] == Path("work/unit.yaml")


def test_the_input_format_guide_gives_the_rule_and_its_examples():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "input-format.md").read_text(encoding="utf-8")
    section = doc.split("## 输出文件名", 1)[1].split("\n## ", 1)[0]
    assert f"`outputs/{safe_name('../../x', SUFFIX)}`" in section
    assert f"`outputs/{safe_name('a/b/c', SUFFIX)}`" in section
    assert f"{MAX_BYTES} 字节" in section
