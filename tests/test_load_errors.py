"""Bad input, as a specification: every kind earns a Chinese message at file:line and exit 1.

Each case is a set of files written into an empty folder; `narrate check unit.yaml` runs there.
The line the message must name is marked `# <-` in the case's own text (or given when the file
cannot carry a mark, like an empty one).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from typer.testing import CliRunner

from narrate.cli import app
from unitfile import BASE, marked_line, unit_yaml


@dataclass(frozen=True)
class Bad:
    files: dict[str, str | bytes]  # name -> text (or raw bytes)
    where: str  # the file the message names
    says: str  # a part of the message
    line: int | None = 0  # 0: find the `# <-` mark in `where`; None: the message has no line
    args: tuple[str, ...] = ()

    def location(self) -> str:
        if self.line is None:
            return f"{self.where}: "
        line = self.line or marked_line(self.files[self.where])
        return f"{self.where}:{line}: "


def unit(*changes: str, **more) -> Bad:
    """A case whose unit.yaml is the valid baseline with some sections changed."""
    files = {"unit.yaml": unit_yaml(*changes)}
    files.update(more.pop("files", {}))
    return Bad(files, more.pop("where", "unit.yaml"), **more)


PRIOR_OK = unit_yaml(drop=("上年",))

CASES = {
    "malformed YAML (an unclosed bracket)": Bad(
        {"unit.yaml": "单位:\n  名称: 测试中心\n  内设机构: [综合科, 财务科\n  年度: 2024  # <-\n"},
        "unit.yaml", "YAML 格式错误",
    ),
    "a tab used for indentation": Bad(
        {"unit.yaml": "单位:\n\t名称: 测试中心  # <-\n"}, "unit.yaml", "YAML 格式错误",
    ),
    "a duplicate key": Bad(
        {"unit.yaml": "单位:\n  名称: 测试中心\n  名称: 另一个中心  # <-\n  年度: 2024\n"},
        "unit.yaml", "键“名称”重复出现；同一层中每个键只能写一次",
    ),
    "a YAML version the parser does not know": Bad(
        {"unit.yaml": "%YAML 1.3  # <-\n---\n单位:\n  名称: 测试中心\n  年度: 2024\n"}, "unit.yaml", "YAML 格式有误",
    ),
    "no space after a colon, under a commented key, at the end": Bad(  # ruamel: NotImplementedError
        {"unit.yaml": "单位:  # <-\n  名称:测试中心\n\n"}, "unit.yaml", "请检查冒号后是否留了空格",
    ),
    "a table used as a key": Bad(
        {"unit.yaml": "单位:\n  {名称: 测试中心}: 2024  # <-\n"}, "unit.yaml", "键应为文字或数字，不能是列表或表",
    ),
    "a list used as a key": Bad(
        {"unit.yaml": "单位:\n  名称: 测试中心\n  ? [年度, 日期]  # <-\n  : 2024\n"}, "unit.yaml",
        "键应为文字或数字，不能是列表或表",
    ),
    "the top level is a list": Bad(
        {"unit.yaml": "- 单位  # <-\n- 2024\n"}, "unit.yaml", "文件顶层应为“键: 值”形式的表",
    ),
    "an empty file": Bad({"unit.yaml": ""}, "unit.yaml", "文件是空的", line=1),
    "a file of comments only": Bad({"unit.yaml": "# 待填写\n"}, "unit.yaml", "文件是空的", line=1),
    "GBK bytes, not UTF-8": Bad(
        {"unit.yaml": "单位:\n  名称: 测试中心\n".encode("gbk")}, "unit.yaml",
        "文件不是 UTF-8 编码", line=1,
    ),
    "GBK bytes after UTF-8 lines": Bad(
        {"unit.yaml": "单位:\n  年度: 2024\n".encode() + "  名称: 测试中心\n".encode("gbk")},
        "unit.yaml", "文件不是 UTF-8 编码", line=3,
    ),
    "a list where a mapping belongs": unit(
        "单位: [测试中心, 2024]  # <-\n", says="应为“键: 值”形式的表，实际为“['测试中心', 2024]”",
    ),
    "a mapping where a list belongs": unit(
        """
        支出:  # <-
          科目: 2010504
        """,
        says="支出: 应为列表（每项以“- ”开头）",
    ),
    "text where an amount belongs": unit(
        """
        收入:
          一般公共预算: 三百  # <-
        """,
        says="收入.一般公共预算: 应为金额（数字），实际为“三百”",
    ),
    "a negative amount": unit(
        """
        政府采购:
          货物: -5.00  # <-
        """,
        says="政府采购.货物: 不能为负数（实际为 -5.00）",
    ),
    "a fraction where a head count belongs": unit(
        """
        人员:
          在职: 8.5  # <-
        """,
        says="人员.在职: 应为整数，实际为“8.5”",
    ),
    "an unknown code without a name": unit(
        """
        支出:
          - 科目: 2010598  # <-
            一般公共预算: {人员经费: 80.00, 公用经费: 10.00, 项目支出: 30.00}
        """,
        says="科目 2010598 不在分类目录中，也没有给出名称；相近的科目：",
    ),
    "a code of the wrong length": unit(
        """
        基本支出经济分类:
          - {科目: 3010, 金额: 80.00}  # <-
        """,
        says="基本支出经济分类[1].科目: 科目编码应为 3、5 或 7 位数字，实际为“3010”",
    ),
    "a code with a letter": unit(
        """
        支出:
          - 科目: 20105O4  # <-
        """,
        says="支出[1].科目: 科目编码应为 3、5 或 7 位数字，实际为“20105O4”",
    ),
    "a missing required field (单位.名称)": unit(
        """
        单位:  # <-
          年度: 2024
        """,
        says="单位.名称: 缺少必填字段",
    ),
    "an empty unit name": unit(
        """
        单位:
          名称: ""  # <-
          年度: 2024
        """,
        says="单位.名称: 不能为空",
    ),
    "an unknown field, with a guess": unit(
        """
        人员:
          编制: 10  # <-
        """,
        says="人员.编制: 未知字段“编制”，是否应为“编制数”？",
    ),
    "an unknown top-level section, with a guess": unit(
        "三公: {公务接待: 1.00}  # <-\n", says="三公: 未知字段“三公”，是否应为“三公经费”？",
    ),
    "a date that is not a date": unit(
        """
        单位:
          名称: 测试中心
          年度: 2024
          日期: 2024年2月25日  # <-
        """,
        says="单位.日期: 应为日期（如 2024-02-25），实际为“2024年2月25日”",
    ),
    "an impossible date": unit(
        """
        单位:
          名称: 测试中心
          年度: 2024
          日期: 2024-02-30  # <-
        """,
        says="单位.日期: 应为日期（如 2024-02-25），实际为“2024-02-30”",
    ),
    "a year in words": unit(
        """
        单位:
          名称: 测试中心
          年度: 二〇二四  # <-
        """,
        says="单位.年度: 应为整数，实际为“二〇二四”",
    ),
    "a unit kind that is not 单位 or 部门": unit(
        """
        单位:
          名称: 测试中心
          年度: 2024
          类型: 局  # <-
        """,
        says="单位.类型: 应为“单位”、“部门”之一，实际为“局”",
    ),
    "an error inside last year's inline figures": unit(
        """
        上年:
          收入: {一般公共预算: 一百二十}  # <-
        """,
        says="上年.收入.一般公共预算: 应为金额（数字），实际为“一百二十”",
    ),
    "a last-year file that does not exist": Bad(
        {"unit.yaml": unit_yaml("上年文件: 测试中心-2023.yaml  # <-\n", drop=("上年",))},
        "unit.yaml", "上年文件: 上年文件不存在：测试中心-2023.yaml",
    ),
    "a last-year file with an error (named in that file)": Bad(
        {
            "unit.yaml": unit_yaml("上年文件: 2023.yaml\n", drop=("上年",)),
            "2023.yaml": unit_yaml("人员:\n  在职: 八  # <-\n", drop=("上年",)),
        },
        "2023.yaml", "人员.在职: 应为整数，实际为“八”",
    ),
    "a last-year file that is not YAML": Bad(
        {
            "unit.yaml": unit_yaml("上年文件: 2023.yaml  # <-\n", drop=("上年",)),
            "2023.yaml": "单位: [\n",
        },
        "unit.yaml", "上年文件: 上年文件有错误，见上方提示：2023.yaml",
    ),
    "both 上年 and 上年文件": unit(
        "上年文件: 2023.yaml  # <-\n", files={"2023.yaml": PRIOR_OK}, says="“上年”与“上年文件”只能填写一个",
    ),
    "a missing input file": Bad({}, "没有这个文件.yaml", "找不到文件", line=None, args=("没有这个文件.yaml",)),
    "a folder given as the input": Bad(
        {"inputs/keep": ""}, "inputs", "这是一个文件夹，其中没有输入文件", line=None, args=("inputs",),
    ),
    "a narrate.toml that is not TOML": Bad(
        {"unit.yaml": BASE, "narrate.toml": "[checks]\nbalance = error  # <-\n"},
        "narrate.toml", "配置文件错误：Invalid value",
    ),
    "a narrate.toml naming a rule that does not exist": Bad(
        {"unit.yaml": BASE, "narrate.toml": '[checks]\nbalence = "warning"  # <-\n'},
        "narrate.toml", "配置中的检查规则“balence”不存在；是否应为“balance”？",
    ),
    "a narrate.toml with a bad severity": Bad(
        {"unit.yaml": BASE, "narrate.toml": '[checks]\nbalance = "fatal"  # <-\n'},
        "narrate.toml", "检查规则“balance”的级别应为 error、warning、hint 或 off，实际为“fatal”",
    ),
    "a narrate.toml naming a catalog file that does not exist": Bad(
        {"unit.yaml": BASE, "narrate.toml": '[catalogs]\nfunction = ["我的科目.csv"]  # <-\n'},
        "narrate.toml", "找不到自定义目录文件：我的科目.csv",
    ),
    "a user catalog without code and name columns": Bad(
        {"unit.yaml": BASE, "narrate.toml": '[catalogs]\neconomic = "my.csv"  # <-\n',
         "my.csv": "编码,名称\n30250,其他\n"},
        "narrate.toml", "自定义目录文件无法读取，应为 UTF-8 编码、首行含 code,name 两列的 CSV：my.csv",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_input_is_named_at_file_and_line_and_exits_1(case: Bad, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name, content in case.files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", *(case.args or ("unit.yaml",))])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith(case.location())]
    assert any(case.says in line for line in lines), result.stderr


def test_there_are_at_least_fifteen_kinds():
    assert len(CASES) >= 15


def test_independent_problems_are_all_reported_at_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = unit_yaml("收入:\n  一般公共预算: 三百\n", "人员:\n  在职: -1\n  退休: 一\n")
    (tmp_path / "unit.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "unit.yaml"])
    assert result.exit_code == 1
    assert "检查未通过：3 个错误" in result.stderr
