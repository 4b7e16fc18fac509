"""Procurement items (政府采购.明细) and the table that lists them (`kind: procurement`).

The input side: every figure entered once (the category amounts are the items' sums; a typed
category or 合计 is checked and a mismatch names both numbers at its line), located errors for a
bad item, the workbook sheet, departments. The format side: the table's keys checked by the bind
step at their lines, a table with no items (the category-only table), and `narrate update`
finding the items' figures again. The two Jiangsu documents' 表12 are in test_jiangsu.py.
"""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrate import build, compute, pipeline
from narrate.cli import app
from narrate.model import Budget
from narrate.resources import data_dir

COURT = "js-high-court-2019.yaml"
ITEMS_HEAD = "政府采购:\n  明细:\n"


def _jiangsu(tmp_path: Path) -> Path:
    folder = tmp_path / "jiangsu"
    shutil.copytree(data_dir("inputs") / "jiangsu", folder)  # its narrate.toml and 2019 codes
    return folder


def _edited(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    path = _jiangsu(tmp_path) / COURT
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return path


def _line(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def _problems(path: Path) -> list[str]:
    return [str(p) for p in pipeline.check(path).problems]


def _j12(path: Path) -> list[list[str]]:
    checked = pipeline.check(path)
    assert checked.ok, [str(p) for p in checked.problems]
    document = build.document(checked.unit, checked.catalogs, checked.profile)
    table = next(b for b in document.blocks if getattr(b, "id", "") == "j12")
    return [[c.text for c in row] for row in table.rows]


# -- the input ------------------------------------------------------------------------------------


def test_a_typed_category_beside_its_items_is_checked_and_a_mismatch_names_both(tmp_path):
    path = _edited(tmp_path, (ITEMS_HEAD, "政府采购:\n  货物: 1637.72\n  服务: 3049.87\n  合计: 5227.59\n  明细:\n"))
    assert _problems(path) == [
        f"{path}:{_line(path, '服务: 3049.87')}: 政府采购.服务: 政府采购服务填写 3049.87 万元，与明细中服务各项之和 3059.87 万元不符"]


def test_a_typed_total_beside_the_items_is_checked(tmp_path):
    path = _edited(tmp_path, (ITEMS_HEAD, "政府采购:\n  合计: 5200.00\n  明细:\n"))
    assert _problems(path) == [
        f"{path}:{_line(path, '合计: 5200.00')}: 政府采购.合计: 政府采购合计填写 5200.00 万元，与货物 + 工程 + 服务 = 5227.59 万元不符"]


def test_typed_amounts_that_agree_with_the_items_pass(tmp_path):
    path = _edited(tmp_path, (ITEMS_HEAD, "政府采购:\n  货物: 1637.72\n  工程: 530\n  服务: 3059.87\n  合计: 5227.59\n  明细:\n"))
    assert _problems(path) == []


def test_a_bad_item_is_refused_at_its_line(tmp_path):
    path = _edited(
        tmp_path,
        ("{类别: 工程, 项目: 商品和服务支出", "{类别: 工程类, 项目: 商品和服务支出"),
        ("品目: 家具用具, 组织形式: 分散自行组织, 金额: 9.00}", "组织形式: 分散自行组织, 金额: 9.00}"),
    )
    problems = _problems(path)
    assert f"{path}:{_line(path, '类别: 工程类')}: 政府采购.明细[10].类别: 应为“货物”、“工程”、“服务”之一，实际为“工程类”" in problems, problems
    assert any(p.startswith(f"{path}:{_line(path, '项目: 办公设备购置, 经济科目: 31002, 组织形式')}: 政府采购.明细[8].品目") for p in problems), problems


def test_an_economic_code_the_catalog_lacks_is_refused_at_the_item(tmp_path):
    path = _edited(tmp_path, ("经济科目: 30226, 品目: 其他服务", "经济科目: 30298, 品目: 其他服务"))
    problems = _problems(path)
    assert len(problems) == 1 and problems[0].startswith(f"{path}:{_line(path, '30298')}: 政府采购.明细[32].经济科目: "), problems
    assert "30298" in problems[0]


def test_an_economic_item_given_by_name_prints_as_written(tmp_path):
    path = _edited(tmp_path, ("经济科目: 30226, 品目: 其他服务", "经济科目: 后勤劳务, 品目: 其他服务"))
    assert ["", "机关后勤保障经费", "后勤劳务", "", "", "360.00"] in _j12(path)


def test_without_items_the_table_lists_the_typed_categories(tmp_path):
    # the category-only table: the same table kind with no 明细, and the 四、政府采购 sentence as before
    path = _jiangsu(tmp_path) / COURT
    text = path.read_text(encoding="utf-8")
    start = text.index(ITEMS_HEAD)
    end = text.index("\n\n", start)
    path.write_text(text[:start] + "政府采购: {货物: 1637.72, 工程: 530.00, 服务: 3059.87}" + text[end:], encoding="utf-8")
    assert _j12(path) == [
        ["合计", "", "", "", "", "5,227.59"],
        ["一、货物A", "", "", "", "", "1,637.72"],
        ["二、工程B", "", "", "", "", "530.00"],
        ["三、服务C", "", "", "", "", "3,059.87"],
    ]
    checked = pipeline.check(path)
    said = "".join(getattr(b, "text", "") for b in build.document(checked.unit, checked.catalogs, checked.profile).blocks)
    assert "2019年政府采购预算总金额为5227.59万元。其中拟采购货物支出1637.72万元；拟采购工程支出530万元；拟采购服务支出3059.87万元。" in said


def test_the_workbook_holds_the_items_and_gives_them_back(tmp_path):
    from openpyxl import load_workbook

    folder = _jiangsu(tmp_path)
    book = folder / "court.xlsx"
    result = CliRunner().invoke(app, ["convert", str(folder / COURT), str(book)])
    assert result.exit_code == 0, result.output
    ws = load_workbook(book)["政府采购明细"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(r for r in rows if "品目" in r)
    assert [v for v in header if v] == ["口径", "类别", "项目", "经济科目", "品目", "组织形式", "金额"]
    data = [r for r in rows[rows.index(header) + 1:] if any(v is not None for v in r)]
    assert len(data) == 32
    assert _j12(book) == _j12(folder / COURT)


def test_a_workbook_item_with_a_bad_category_is_refused_at_its_cell(tmp_path):
    from openpyxl import load_workbook

    folder = _jiangsu(tmp_path)
    book = folder / "court.xlsx"
    assert CliRunner().invoke(app, ["convert", str(folder / COURT), str(book)]).exit_code == 0
    wb = load_workbook(book)
    ws = wb["政府采购明细"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "工程")
    cell.value = "工程类"
    wb.save(book)
    problems = _problems(book)
    assert any(p.startswith(f"{book.name}:政府采购明细!{cell.coordinate}") or f"政府采购明细!{cell.coordinate}" in p for p in problems), problems


def test_a_department_lists_its_members_items_one_after_the_other():
    a = Budget.model_validate({"政府采购": {"明细": [{"类别": "货物", "品目": "家具用具", "金额": 2}]}})
    b = Budget.model_validate({"政府采购": {"明细": [{"类别": "服务", "品目": "会议服务", "金额": 3}]}})
    both = compute.add(a, b)
    assert [i.item for i in both.procurement.items] == ["家具用具", "会议服务"]
    assert (both.procurement.goods, both.procurement.services) == (Decimal(2), Decimal(3))
    # a member that gives only category amounts: the department's categories are the sums, with no items
    c = Budget.model_validate({"政府采购": {"工程": 5}})
    mixed = compute.add(a, b, c).procurement
    assert mixed.items == () and (mixed.goods, mixed.works, mixed.services) == (Decimal(2), Decimal(5), Decimal(3))


# -- the format -----------------------------------------------------------------------------------


def _profile(tmp_path: Path, j12: str) -> Path:
    folder = tmp_path / "fmt"
    folder.mkdir(parents=True)
    (folder / "profile.yaml").write_text("name: fmt\nextends: js-dept\ntables:\n  j12:\n" + textwrap.indent(textwrap.dedent(j12), "    "),
                                         encoding="utf-8")
    return folder


def _check_with(tmp_path: Path, folder: Path) -> tuple[int, str]:
    path = _jiangsu(tmp_path) / COURT
    result = CliRunner().invoke(app, ["check", str(path), "--profile", str(folder)])
    assert "Traceback" not in result.output and (result.exception is None or isinstance(result.exception, SystemExit))
    return result.exit_code, result.output


def test_every_mistake_in_a_procurement_table_is_a_located_load_error(tmp_path):
    folder = _profile(tmp_path, """\
        columns: [类别, 项目, 科目, 品目, 金额, 品目]
        levels: [[项目], [类别], [组织形式]]
        categories: {货物: 一、货物A, 物资: 二、物资}
        """)
    code, output = _check_with(tmp_path, folder)
    profile = folder / "profile.yaml"
    assert code == 1
    for line, field, message in [
        (5, "tables.j12.columns[3]", "政府采购表没有“科目”这一列；可用：类别、项目、经济科目、经济科目编码、品目、组织形式、金额"),
        (5, "tables.j12.columns[6]", "“品目”写了两次：每一列（每个层级的字段）只能写一次"),
        (6, "tables.j12.levels[2][1]", "“类别”只能单独作为第一个层级（各类别的行在最外层）"),
        (6, "tables.j12.levels[3][1]", "层级中的“组织形式”须是 columns 中的一列（金额 除外）；columns 有：类别、项目、科目、品目、金额、品目"),
        (7, "tables.j12.categories.物资", "“物资”不是采购品目大类；可用：货物、工程、服务"),
    ]:
        assert f"{profile}:{line}: {field}: {message}" in output, output


def test_a_table_without_levels_or_with_an_empty_level_is_refused(tmp_path):
    folder = _profile(tmp_path, "levels: [[类别], []]\n")
    code, output = _check_with(tmp_path, folder)
    assert code == 1 and f"{folder / 'profile.yaml'}:5: tables.j12.levels[2]: 这一层级没有字段：每个层级写一个或几个字段，如 [项目, 经济科目]" in output, output
    folder = _profile(tmp_path / "none", "levels: []\n")
    code, output = _check_with(tmp_path / "none", folder)
    assert code == 1 and "tables.j12.levels: 政府采购表至少要有一个层级（levels），如 [[类别]]" in output, output


def test_a_header_of_another_width_is_refused(tmp_path):
    folder = _profile(tmp_path, "columns: [类别, 金额]\nlevels: [[类别]]\n")
    code, output = _check_with(tmp_path, folder)
    assert code == 1 and "tables.j12.header: 表头占 6 列，而表的每行有 2 列" in output, output


def test_the_amount_column_is_required_and_not_first(tmp_path):
    folder = _profile(tmp_path, "columns: [金额, 类别, 项目, 经济科目, 品目, 组织形式]\n")
    code, output = _check_with(tmp_path, folder)
    assert code == 1 and "tables.j12.columns: 政府采购表须有一列“金额”，且不能是第一列" in output, output


@pytest.mark.parametrize("keys, rows", [
    # the category-only table over items: two columns, the items summed by category
    ("header: [[采购品目大类, 金额]]\ncolumns: [类别, 金额]\nlevels: [[类别]]\nempty_categories: keep\n",
     [["合计", "5,227.59"], ["一、货物A", "1,637.72"], ["二、工程B", "530.00"], ["三、服务C", "3,059.87"]]),
    # by 品目 under each category, repeated labels printed, the total last, categories labelled anew
    ("header: [[大类, 品目, 金额]]\ncolumns: [类别, 品目, 金额]\nlevels: [[类别], [品目]]\ncategories: {货物: A 货物, 工程: B 工程, 服务: C 服务}\ntotal_row: last\nrepeated: print\n",
     None),
])
def test_other_layouts_of_the_same_items(tmp_path, keys, rows):
    folder = _profile(tmp_path, keys)
    checked = pipeline.check(_jiangsu(tmp_path) / COURT, profile=folder)
    assert checked.ok, [str(p) for p in checked.problems]
    document = build.document(checked.unit, checked.catalogs, checked.profile)
    table = next(b for b in document.blocks if getattr(b, "id", "") == "j12")
    built = [[c.text for c in row] for row in table.rows]
    if rows is not None:
        assert built == rows
    else:
        assert built[0] == ["A 货物", "", "1,637.72"] and built[-1] == ["合计", "", "5,227.59"]
        # 运行维护服务 under 服务: its five items (150 + 20 + 100 + 17 + 607.10) in one row
        assert ["", "运行维护服务", "894.10"] in built
        assert [r[0] for r in built if r[0]] == ["A 货物", "B 工程", "C 服务", "合计"]


def test_update_finds_the_items_figures_again(tmp_path):
    from narrate.regen.update import update
    from updating import read, snapshot

    before = pipeline.check(_jiangsu(tmp_path / "a") / COURT)
    changed = _edited(tmp_path / "b", ("品目: 会议服务, 组织形式: 分散自行组织, 金额: 122.10", "品目: 会议服务, 组织形式: 分散自行组织, 金额: 132.10"))
    after = pipeline.check(changed)
    assert after.ok
    edited = tmp_path / "E.docx"
    edited.write_bytes(build.render(before.unit, before.catalogs, before.profile))
    fresh = build.render(after.unit, after.catalogs, after.profile)
    result = update(edited, fresh, date=dt.date(2025, 1, 2))
    cells = read(result.path.read_bytes(), snapshot(fresh))
    j12 = {k: v for k, v in cells.items() if isinstance(k, tuple) and k[0] == "j12"}
    assert "132.10" in j12.values() and "3,069.87" in j12.values() and "5,237.59" in j12.values()
    assert "122.10" not in j12.values() and "3,059.87" not in j12.values()


def test_an_english_document_names_an_items_economic_code_without_an_english_label(tmp_path, monkeypatch):
    # a code of the unit's own catalog file (no English label) printed by a procurement table
    from unitfile import check, unit_yaml

    monkeypatch.chdir(tmp_path)
    (tmp_path / "econ.csv").write_text("code,name\n30298,自有经济科目\n", encoding="utf-8")
    text = unit_yaml("""
        格式: xj-unit-en
        政府采购:
          明细:
            - {类别: 服务, 项目: 运维项目, 经济科目: 30298, 品目: 运行维护服务, 金额: 5.00}
        """)
    found = check(tmp_path, text, toml='[catalogs]\neconomic = ["econ.csv"]\n')
    hints = [m for _, rule, m in found if rule == "untranslated"]
    assert any(": 政府采购.明细[1].经济科目: " in m and "30298" in m for m in hints), found
    assert not [m for severity, _, m in found if severity == "error"], found
