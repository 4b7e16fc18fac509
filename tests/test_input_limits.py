"""Inputs built to exhaust narrate are refused quickly, at the line, each limit with its message.

The limits are in docs/input-format.md (输入的上限); the last test keeps that section true.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrate import files, model
from narrate.cli import app
from narrate.load import bounds
from unitfile import BASE, unit_yaml


@dataclass(frozen=True)
class Limit:
    text: str  # the whole unit.yaml
    says: str  # a part of the message
    line: int  # the line the message names
    seconds: float = 10.0  # a hang guard, not a speed target (a blow-up runs for minutes; bench/ measures speed)


def nested_flow(depth: int) -> str:
    return "单位: " + "[" * depth + "]" * depth + "\n"


def nested_block(depth: int) -> str:
    return "单位:\n" + "".join(f"{'  ' * level}k{level}:\n" for level in range(1, depth)) + "  " * depth + "x: 1\n"


def laughs(levels: int = 9, width: int = 10) -> str:
    """Returns the 'billion laughs': each anchor is a list of `width` aliases of the one before."""
    lines = ['a0: &a0 "哈"']
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def first_line_over(text: str, pattern: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if re.search(pattern, line))


def laughs_line(text: str) -> int:
    """Returns the line of the anchor whose expansion takes the document past MAX_VALUES."""
    total, size = 1, 1  # the top-level mapping; an anchor's expanded size
    for number, line in enumerate(text.splitlines(), 1):
        size = 1 if number == 1 else 1 + 10 * size
        total += 1 + size  # its key and its value
        if total > bounds.MAX_VALUES:
            return number
    raise AssertionError("the laughs stay within MAX_VALUES")


def many_lists_line(text: str) -> int:
    """Returns the line of the value that takes MANY_LISTS past MAX_VALUES (keys count too)."""
    total = 1  # the top-level mapping
    for number, line in enumerate(text.splitlines(), 1):
        total += 2 if line.startswith("l") else 1  # a key and its list, or one item
        if total > bounds.MAX_VALUES:
            return number
    raise AssertionError("MANY_LISTS stays within MAX_VALUES")


LAUGHS = laughs()
LONG_LIST = "单位:\n  主要职能:\n" + "    - 职能\n" * (bounds.MAX_ITEMS + 1)
LONG_TABLE = "变动原因:\n" + "".join(f"  k{i}: 原因\n" for i in range(bounds.MAX_ITEMS + 1))
# Every list within its limit, the document together over MAX_VALUES.
MANY_LISTS = "".join(f"l{n}:\n" + "- 0\n" * bounds.MAX_ITEMS for n in range(bounds.MAX_VALUES // bounds.MAX_ITEMS + 1))

CASES = {
    "nesting 1,000 deep in brackets": Limit(nested_flow(1000), "层级过深", 1),
    # the mapping on line n is n levels deep, its keys one more
    "nesting 1,000 deep by indentation": Limit(nested_block(1000), "层级过深", bounds.MAX_DEPTH),
    "a billion laughs (9 levels × 10 aliases)": Limit(LAUGHS, "别名展开后", laughs_line(LAUGHS)),
    "an alias inside its own anchor": Limit("单位: &a [1, *a]\n", "指向包含它自身的内容", 1),
    "a list one item over the limit": Limit(LONG_LIST, "项数过多", bounds.MAX_ITEMS + 3),
    "a table one key over the limit": Limit(LONG_TABLE, "项数过多", bounds.MAX_ITEMS + 2),
    # parsing up to the limit is what takes the time: about 50 µs a value on the reference machine
    "too many values in all": Limit(MANY_LISTS, "值过多", many_lists_line(MANY_LISTS), seconds=40.0),
    "a text one character over the limit": Limit(
        unit_yaml(f"其他事项: {'字' * (bounds.MAX_TEXT + 1)}\n"), "文字过长",
        first_line_over(unit_yaml("其他事项: 字\n"), "^其他事项"),
    ),
    "a count of 4,400 digits": Limit(
        unit_yaml(f"人员:\n  编制数: {'9' * 4400}\n"), "数字过长",
        first_line_over(unit_yaml("人员:\n  编制数: 9\n"), "编制数"),
    ),
    "an amount of 40 characters": Limit(
        unit_yaml(f"机关运行经费: {'9' * 37}.00\n"), "数字过长",
        first_line_over(unit_yaml("机关运行经费: 9\n"), "机关运行经费"),
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_an_input_over_a_limit_is_refused_at_its_line_quickly(case: Limit, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "unit.yaml").write_text(case.text, encoding="utf-8")
    started = time.perf_counter()
    result = CliRunner().invoke(app, ["check", "unit.yaml"])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 1, result.output[-2000:]
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert any(line.startswith(f"unit.yaml:{case.line}: ") and case.says in line for line in result.stderr.splitlines()), result.stderr[-2000:]
    assert elapsed < case.seconds, f"took {elapsed:.2f} s"


CONTROLS = {"BEL": "\x07", "ESC": "\x1b", "U+FFFE": "\ufffe", "NUL": "\x00", "DEL in a comment": "\x7f"}


@pytest.mark.parametrize(("name", "char"), CONTROLS.items(), ids=CONTROLS.keys())
def test_a_raw_control_character_is_named_at_its_line(name: str, char: str, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = unit_yaml(f"其他事项: 无。  # 注{char}\n" if "comment" in name else f"其他事项: 无{char}。\n")
    (tmp_path / "unit.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "unit.yaml"])
    assert result.exit_code == 1, result.output
    line = first_line_over(text, "^其他事项")
    code = f"U+{ord(char):04X}"
    assert any(l.startswith(f"unit.yaml:{line}: ") and code in l for l in result.stderr.splitlines()), result.stderr


def test_a_file_at_the_size_limit_is_read_and_one_byte_more_is_not(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    padding = files.MAX_BYTES - len(BASE.encode())
    (tmp_path / "unit.yaml").write_text(BASE + "#" * (padding - 1) + "\n", encoding="utf-8")
    assert CliRunner().invoke(app, ["check", "unit.yaml"]).exit_code == 0
    (tmp_path / "unit.yaml").write_text(BASE + "#" * padding + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "unit.yaml"])
    assert result.exit_code == 1
    assert "unit.yaml: 文件过大（1025 KB）" in result.stderr


DOC = Path(__file__).resolve().parents[1] / "docs" / "input-format.md"


def test_the_input_format_guide_states_every_limit():
    section = DOC.read_text(encoding="utf-8").split("## 输入的上限", 1)[1].split("\n## ", 1)[0]
    for number in (files.MAX_BYTES // 1024 // 1024, bounds.MAX_DEPTH, bounds.MAX_ITEMS, bounds.MAX_VALUES,
                   bounds.MAX_TEXT, bounds.MAX_NUMBER, model.MAX_AMOUNT, model.MAX_COUNT, model.AMOUNT_PLACES):
        assert f"{number:,}".replace(",", "") in section.replace(",", ""), number


def test_a_huge_value_is_shown_by_its_beginning_without_rendering_the_rest():
    from narrate.load.validate import _show

    class Endless(list):
        def __iter__(self):  # a list that would never finish printing
            while True:
                yield "哈"

    assert _show(Endless()) == "['哈', '哈', '哈', '哈', '哈', '哈', '哈', '..."  # 37 characters and ...
    assert _show({"名称": ["测试中心", 2024], "年度": True}) == "{'名称': ['测试中心', 2024], '年度': true}"


def test_a_problem_repeated_down_the_file_is_shown_ten_times_then_counted(tmp_path):
    from narrate import problems

    items = "".join(f"  - {{名称: p{i}, 科目: 2010504, 经济分类: {{302: 1}}, 金额: abc}}\n" for i in range(300))
    path = tmp_path / "many.yaml"
    path.write_text(BASE.replace("项目:\n", "项目:\n" + items), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path)])
    lines = result.stderr.splitlines()
    assert result.exit_code == 1 and len(lines) == problems.PER_KIND + 2, lines
    assert all("应为金额（数字），实际为“abc”" in line for line in lines[: problems.PER_KIND])
    assert lines[problems.PER_KIND] == "  ……还有 290 处同类问题" and lines[-1].startswith("检查未通过：300 个错误")
