"""`narrate update` on the newer kinds of document, edited the way Word edits: the final accounts
(sh-dept-final), the Jiangsu department budget with its procurement item table (js-dept, 表12) and
a fund table with per-line balances (决算.财政拨款结转和结余明细). The officer rewrites a sentence
around a figure, adds a paragraph, deletes one, types over a table cell, comments, and a colleague's
tracked changes are left pending, accepted or rejected; then figures change (a 项's actual, a
procurement item, a balance line) and the update must keep every edit, update every changed figure
(text and tables, computed totals, 完成率 and shares included), list what to re-read, change
nothing else, validate, and give the same bytes twice. The officer's session: tests/officer.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from narrate import build, pipeline
from narrate.resources import data_dir
from officer import ADDED, OTHER, Session, run_update, shown
from updating import para, read, snapshot

FINAL = data_dir("inputs") / "putuo-finance-2024-final.yaml"


def built(path: Path) -> bytes:
    checked = pipeline.check(path)
    assert checked.ok, [str(p) for p in checked.problems]
    return build.render(checked.unit, checked.catalogs, checked.profile)


def changed(path: Path, name: str, *changes: tuple[str, str]) -> Path:
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    out = path.with_name(name)
    out.write_text(text, encoding="utf-8")
    return out


# -- final accounts: 财政委托业务支出 (2010608) spent and received 100,000 元 less ---------------------

FINAL_CHANGE = (("{科目: 2010608, 一般公共预算: {项目支出: 4495200}}", "{科目: 2010608, 一般公共预算: {项目支出: 4395200}}"),
                ("{科目: 2010608, 一般公共预算: 4495200}", "{科目: 2010608, 一般公共预算: 4395200}"))


def final_session(review: str) -> Session:
    return Session(
        rewrites=(("f3_05_l_2010608", "支出决算为", "全年实际支出决算为"),
                  ("f3_05_lead", "完成年初预算的98.20%", "完成了年初预算的98.2%")),
        added_after="f3_01_total",
        deleted="f3_03_lead",
        cell=("f2", "f2_f2010608", 4, "449.52（审定数）"),
        commented="f3_05_lead",
        inserted_by_other="f3_02_lead",
        deleted_by_other=("f3_05_total", "主要原因："),
        review=review,
    )


@pytest.mark.parametrize("review", ["pending", "accept", "reject"])
def test_final_accounts_edited_in_word_keep_every_edit_when_an_actual_changes(tmp_path, review):
    session = final_session(review)
    base = built(FINAL)
    fresh = built(_copy_changed(tmp_path, FINAL, FINAL_CHANGE))
    edited = tmp_path / "E.docx"
    edited.write_bytes(base)
    session.apply(edited, snapshot(base))
    result = run_update(edited, fresh)
    other = "（经复核）" if review != "reject" else ""
    expect = {
        # the officer's words around the actual, the actual updated
        "f3_05_l_2010608": "4、一般公共服务支出（类）财政事务（款）财政委托业务支出（项）。主要用于：委托中介机构开展各类审计及绩效评价工作。"
                           "年初预算为450.52万元，全年实际支出决算为439.52万元。决算数小于预算数的主要原因：因个别项目评审费未能实施或未来得及支付完毕，于明年重新申请。",
        # the officer's words, the total and the 完成率 they typed over updated
        "f3_05_lead": "一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2930.05万元，完成了年初预算的97.87%。"
                      "决算数小于预算数的主要原因：因年度工作计划安排，个别信息化项目和中介机构服务调减。其中：",
        ("f2", "f2_f2010608", 4): "439.52（审定数）",
    }
    if review != "reject":
        expect |= {
            # the colleague's words kept, the totals and shares around them updated
            "f3_02_lead": f"本年收入合计2936.25万元，其中：财政拨款收入2930.05万元，占99.79%；其他收入6.2万元，占0.21%。{other}",
            "f3_05_total": "一般公共预算财政拨款支出2930.05万元，占本年支出合计的100.00%。与2023年度相比，一般公共预算财政拨款支出减少73.14万元，"
                           "下降2.44%。基本支出中人员进出及退休变化，以及项目支出中合同支付进度条款等原因减少支付。",
        }
    session.check(edited, fresh, result, expect)
    assert sorted((i.kind, i.block, i.detail) for i in result.outcome.review) == [
        ("cell_updated", "f2", "449.52→439.52"), ("figure_edited", "f3_05_lead", "98.2%→97.87%")]
    # the figures of the new build, in tables too: the 项 line, its 类 and 款, the totals
    cells = read(result.path.read_bytes(), snapshot(fresh))
    assert cells[("f5", "f5_f2010608", 4)] == "439.52" and cells[("f5", "f5_total", 4)] == "2,930.05"
    assert "收入支出总计2985.39万元" in shown(result.path.read_bytes())
    # the same file and input give the same bytes
    assert run_update(edited, fresh, "U2.docx").path.read_bytes() == result.path.read_bytes()


def _copy_changed(tmp_path: Path, path: Path, changes) -> Path:
    folder = tmp_path / "new"
    shutil.copytree(path.parent, folder, dirs_exist_ok=True)
    return changed(folder / path.name, "new.yaml", *changes)
