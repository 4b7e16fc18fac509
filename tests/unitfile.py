"""Test inputs: a minimal valid unit, and a way to change one section of it.

A test names the sections it replaces, written out in full beside its assertion, so the input a
test feeds is readable in the test itself. A line marked `# <-` is where the expected problem
points; `marked_line` finds it so no test hard-codes a line number it did not write.
"""

from __future__ import annotations

import re
from pathlib import Path
from textwrap import dedent

from narrate import pipeline

# Balanced, consistent and unchanged against last year: `narrate check` finds nothing in it.
BASE = dedent(
    """\
    单位:
      名称: 测试中心
      年度: 2024
    人员:
      编制数: 10
      实有人数: 9
      在职: 8
      退休: 1
    收入:
      一般公共预算: 120.00
      合计: 120.00
    支出:
      - 科目: 2010504
        一般公共预算: {人员经费: 80.00, 公用经费: 10.00, 项目支出: 30.00}
    基本支出经济分类:
      - {科目: 30101, 金额: 80.00}
      - {科目: 30201, 金额: 10.00}
    项目:
      - 名称: 运维项目
        科目: 2010504
        经济分类: {302: 30.00}
        金额: 30.00
        绩效目标:
          指标:
            - {一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 维护系统数, 指标值: "=3个", 分值: 90}
    三公经费: {公务接待: 1.00, 公务用车购置: 0, 公务用车运行: 2.00, 公务用车小计: 2.00, 合计: 3.00}
    机关运行经费: 10.00
    政府采购: {货物: 5.00, 服务: 1.00, 合计: 6.00, 面向中小企业预留: 4.00, 其中小微企业预留: 3.00}
    国有资产:
      车辆:
        一般公务用车: {数量: 1, 价值: 20.00}
        合计: {数量: 1, 价值: 20.00}
    整体绩效:
      指标:
        - {一级指标: 履职效能, 二级指标: 数量指标, 三级指标: 系统数, 指标值: "=3个", 分值: 90}
    主要用途:
      201: 人员工资和系统运维
    上年:
      人员: {在职: 8, 退休: 1}
      收入: {一般公共预算: 120.00}
      支出:
        - 科目: 2010504
          一般公共预算: {人员经费: 80.00, 公用经费: 10.00, 项目支出: 30.00}
      三公经费: {公务接待: 1.00, 公务用车运行: 2.00}
      机关运行经费: 10.00
    """
)

MARK = "# <-"


def _sections(text: str) -> dict[str, str]:
    """Returns the top-level sections of a YAML text by key, each with its indented body."""
    out: dict[str, str] = {}
    key = None
    for line in text.splitlines(keepends=True):
        if line.strip() and not line[0].isspace() and not line.startswith("#"):
            key = line.split(":", 1)[0]
            out[key] = ""
        if key is not None:
            out[key] += line
    return out


def unit_yaml(*changes: str, drop: tuple[str, ...] = (), base: str = BASE) -> str:
    """Returns base with each change (a whole top-level section) replacing its namesake or added."""
    sections = _sections(base)
    for change in changes:
        for key, body in _sections(dedent(change).lstrip("\n")).items():
            sections[key] = body if body.endswith("\n") else body + "\n"
    return "".join(body for key, body in sections.items() if key not in drop)


def marked_line(text: str) -> int:
    """Returns the 1-based number of the one line marked `# <-`."""
    lines = [n for n, line in enumerate(text.splitlines(), 1) if MARK in line]
    assert len(lines) == 1, f"expected one {MARK} mark, found {len(lines)}"
    return lines[0]


def line_of(text: str, pattern: str) -> int:
    """Returns the 1-based number of the first line matching the regular expression."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if re.search(pattern, line))


def check(folder: Path, text: str, toml: str | None = None, name: str = "unit.yaml") -> list[tuple[str, str, str]]:
    """Returns (severity, rule, 'file:line: field: message') for each problem narrate finds.

    The caller has made folder the working directory, so messages name the file as typed.
    """
    (folder / name).write_text(text, encoding="utf-8")
    if toml is not None:
        (folder / "narrate.toml").write_text(dedent(toml), encoding="utf-8")
    checked = pipeline.check(Path(name))
    return [(p.severity.value, p.rule, str(p)) for p in checked.problems]
