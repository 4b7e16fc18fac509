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
from textwrap import dedent
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


def final_expect(review: str) -> dict:
    """What each block the officer (or the colleague) touched reads after the update."""
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
            "f3_02_lead": f"本年收入合计2936.25万元，其中：财政拨款收入2930.05万元，占99.79%；其他收入6.2万元，占0.21%。（经复核）",
            "f3_05_total": "一般公共预算财政拨款支出2930.05万元，占本年支出合计的100.00%。与2023年度相比，一般公共预算财政拨款支出减少73.14万元，"
                           "下降2.44%。基本支出中人员进出及退休变化，以及项目支出中合同支付进度条款等原因减少支付。",
        }
    return expect


FINAL_REVIEW = [("cell_updated", "f2", "449.52→439.52"), ("figure_edited", "f3_05_lead", "98.2%→97.87%")]


@pytest.mark.parametrize("review", ["pending", "accept", "reject"])
def test_final_accounts_edited_in_word_keep_every_edit_when_an_actual_changes(tmp_path, review):
    session = final_session(review)
    base = built(FINAL)
    fresh = built(_copy_changed(tmp_path, FINAL, FINAL_CHANGE))
    edited = tmp_path / "E.docx"
    edited.write_bytes(base)
    session.apply(edited, snapshot(base))
    result = run_update(edited, fresh)
    session.check(edited, fresh, result, final_expect(review))
    assert sorted((i.kind, i.block, i.detail) for i in result.outcome.review) == FINAL_REVIEW
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
# -- Jiangsu: 机关服务 (2040503) 50.00 万元 more, one 会议服务 item 10.00 万元 more ------------------------

COURT = data_dir("inputs") / "jiangsu" / "js-high-court-2019.yaml"
COURT_CHANGE = (("  一般公共预算: 37188.34\n  合计: 37188.34", "  一般公共预算: 37238.34\n  合计: 37238.34"),
                ("{科目: 2040503, 一般公共预算: {项目支出: 1400.00}}", "{科目: 2040503, 一般公共预算: {项目支出: 1450.00}}"),
                ("品目: 会议服务, 组织形式: 分散自行组织, 金额: 122.10", "品目: 会议服务, 组织形式: 分散自行组织, 金额: 132.10"))


def row_with(data: bytes, table: str, **cells: str) -> str:
    """The id of the row of table whose cells (by grid column, c3=...) read as given."""
    got = read(data, snapshot(data))
    rows = {k[1] for k in got if isinstance(k, tuple) and k[0] == table}
    found = [r for r in rows if all(got.get((table, r, int(c[1:]))) == v for c, v in cells.items())]
    assert len(found) == 1, found
    return found[0]


def court_session(base: bytes, review: str) -> Session:
    item = row_with(base, "j12", c3="会议服务", c5="122.10")
    return Session(
        rewrites=(("s5lines_2040503", "机关服务（项）支出", "机关服务（项）预算支出"),
                  ("text_h4_31", "5227.59万元", "5227.6万元")),
        added_after="text_h2_2",
        deleted="text_h3_14",
        cell=("j12", item, 5, "122.10（含视频会议）"),
        commented="text_h4_28",
        inserted_by_other="text_h2_5",
        deleted_by_other=("s1cls_204", "主要用于人员支出、日常公用支出。"),
        review=review,
        split=("text_h4_31", "其中拟采购"),
    )


def court_expect(session: Session, review: str) -> dict:
    expect = {
        "s5lines_2040503": "3．法院（款）机关服务（项）预算支出1450万元，与上年相比减少150万元，减少9.38%。主要原因是机关后勤保障经费预算安排减少。",
        # the total the officer typed over (with its unit) is the new sum of the items; the unit stays
        "text_h4_31": "2019年政府采购预算总金额为5237.59万元。",
        (*session.cell[:3],): "132.10（含视频会议）",
    }
    if review != "reject":
        expect |= {
            "text_h2_5": "一般公共预算收入预算37238.34万元，与上年相比增加4066.19万元，增长12.26%。主要原因是基本支出增加人员工资、住房公积金、"
                        "提租补贴等3397.18万元、项目经费支出安排减少1134.33万元、单位预留机动经费增加1753.34万元。（经复核）",
            "s1cls_204": "1．公共安全（类）支出27538.23万元，与上年相比增加1337.35万元，增长5.1%。主要原因是增加人员经费中单位预留机动安排的其他工资福利等支出。",
        }
    return expect


COURT_REVIEW = [("cell_updated", "j12", "122.10→132.10"), ("figure_edited", "text_h4_31", "5227.6→5237.59")]


@pytest.mark.parametrize("review", ["pending", "accept", "reject"])
def test_a_jiangsu_budget_edited_in_word_keeps_every_edit_when_a_line_and_a_procurement_item_change(tmp_path, review):
    base = built(COURT)
    fresh = built(_copy_changed(tmp_path, COURT, COURT_CHANGE))
    session = court_session(base, review)
    edited = tmp_path / "E.docx"
    edited.write_bytes(base)
    session.apply(edited, snapshot(base))
    result = run_update(edited, fresh)
    session.check(edited, fresh, result, court_expect(session, review))
    assert sorted((i.kind, i.block, i.detail) for i in result.outcome.review) == COURT_REVIEW
    # Enter was pressed inside it: the second half, a paragraph of the officer's, has its figure updated too
    assert "2019年政府采购预算总金额为5237.59万元。\n其中拟采购货物支出1637.72万元；拟采购工程支出530万元；拟采购服务支出3069.87万元。" in shown(result.path.read_bytes())
    cells = read(result.path.read_bytes(), snapshot(fresh))
    assert cells[("j12", "j12_total", 5)] == "5,237.59"
    assert "3,069.87" in {v for k, v in cells.items() if isinstance(k, tuple) and k[0] == "j12"}  # C 服务
    assert run_update(edited, fresh, "U2.docx").path.read_bytes() == result.path.read_bytes()


# -- fund tables with per-line balances: a line takes in more, a line that only carries is added --

def balances(tmp_path: Path, changes=()) -> Path:
    from test_final_balances import HEAD, LINES

    path = tmp_path / "final.yaml"
    path.write_text(dedent(HEAD) + LINES, encoding="utf-8")
    return changed(path, "new.yaml", *changes) if changes else path


BALANCE_CHANGE = (
    ("{科目: 2120399, 政府性基金: 40.00}", "{科目: 2120399, 政府性基金: 45.00}"),
    ("结转结余: {年初结转和结余: 32.00, 年末结转和结余: 22.00}", "结转结余: {年初结转和结余: 37.00, 年末结转和结余: 32.00}"),
    ("{科目: 2120399, 政府性基金: {年初结转和结余: 30.00, 年末结转和结余: 20.00}}",
     "{科目: 2120399, 政府性基金: {年初结转和结余: 30.00, 年末结转和结余: 25.00}}\n"
     "    - {科目: 2120501, 政府性基金: {年初结转和结余: 5.00, 年末结转和结余: 5.00}}"),
)


def fund_session() -> Session:
    return Session(
        rewrites=(("f3_08_lead", "支出具体情况如下", "本年支出具体情况如下"),),
        added_after="f3_08_h",
        deleted="f3_11_sme",
        cell=("f8", "f8_f2120399", 9, "20.00（结转下年）"),
        commented="f3_08_l_2120399",
        inserted_by_other="f3_01_total",
        deleted_by_other=("f3_04_total", "与2023年度相比，"),
    )


FUND_EXPECT = {
    "f3_08_lead": "政府性基金预算财政拨款收入45.00万元，支出50.00万元，本年支出具体情况如下：",
    ("f8", "f8_f2120399", 9): "25.00（结转下年）",
    "f3_01_total": "测试中心2024年度收入支出总计182.00万元。与2023年度相比，收入支出总计【请填写上年决算数】。（经复核）",
    "f3_04_total": "测试中心2024年度财政拨款收入支出总计182.00万元。财政拨款收入支出总计【请填写上年决算数】。",
}


FUND_REVIEW = [("cell_updated", "f8", "20.00→25.00")]


def test_a_fund_table_edited_in_word_takes_a_changed_balance_line_and_a_new_one(tmp_path):
    base, fresh = built(balances(tmp_path)), built(balances(tmp_path, BALANCE_CHANGE))
    session = fund_session()
    edited = tmp_path / "E.docx"
    edited.write_bytes(base)
    session.apply(edited, snapshot(base))
    result = run_update(edited, fresh)
    session.check(edited, fresh, result, FUND_EXPECT)
    assert sorted((i.kind, i.block, i.detail) for i in result.outcome.review) == FUND_REVIEW
    got = read(result.path.read_bytes(), snapshot(fresh))
    # the changed line, its 款 and 类 and the totals; the new line and its 款 come in as tracked rows
    assert [got[("f8", "f8_total", c)] for c in (4, 5, 6, 9)] == ["35.00", "45.00", "50.00", "30.00"]
    assert [got[("f8", "f8_f21203", c)] for c in (4, 5, 6, 9)] == ["30.00", "45.00", "50.00", "25.00"]
    for row in ("f8_f21205", "f8_f2120501"):
        assert [got[("f8", row, c)] for c in (3, 4, 5, 6, 9)] == ["城乡社区环境卫生", "5.00", "", "", "5.00"]
    assert inserted_rows(result.path.read_bytes(), "f8") == ["f8_f21205", "f8_f2120501"]
    assert run_update(edited, fresh, "U2.docx").path.read_bytes() == result.path.read_bytes()


def inserted_rows(data: bytes, table: str) -> list[str]:
    """The rows of table (by snapshot id) that narrate's update inserted as tracked rows."""
    from updating import body_of
    from wordlike import w

    snap, body = snapshot(data), body_of(data)
    starts = {b.get(w("name")): b for b in body.iter(w("bookmarkStart"))}
    out = []
    for row in para(snap, table)["rows"]:
        start = starts.get(row.get("mark"))
        tr = next(start.iterancestors(w("tr"))) if start is not None else None
        ins = tr.find(f"{w('trPr')}/{w('ins')}") if tr is not None else None
        if ins is not None and ins.get(w("author")) == "narrate":
            out.append(row["id"])
    return out


# -- after a LibreOffice round trip of the edited file; LibreOffice opens what update wrote ---------

@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("kind", ["final", "court", "fund"])
def test_an_edited_file_saved_by_libreoffice_updates_the_same_and_libreoffice_opens_the_result(tmp_path, kind):
    import wordlike

    if kind == "fund":
        base, fresh = built(balances(tmp_path)), built(balances(tmp_path, BALANCE_CHANGE))
        session, expect, review, total = fund_session(), FUND_EXPECT, FUND_REVIEW, "182.00"
    else:
        sample, change = (FINAL, FINAL_CHANGE) if kind == "final" else (COURT, COURT_CHANGE)
        base, fresh = built(sample), built(_copy_changed(tmp_path, sample, change))
        session = final_session("pending") if kind == "final" else court_session(base, "pending")
        expect = final_expect("pending") if kind == "final" else court_expect(session, "pending")
        review = FINAL_REVIEW if kind == "final" else COURT_REVIEW
        total = "2,930.05" if kind == "final" else "5,237.59"
    edited = tmp_path / "E.docx"
    edited.write_bytes(base)
    session.apply(edited, snapshot(base))
    saved = wordlike.libreoffice(edited, tmp_path)
    result = run_update(saved, fresh)
    session.check(saved, fresh, result, expect)
    assert sorted((i.kind, i.block, i.detail) for i in result.outcome.review) == review
    assert run_update(saved, fresh, "U2.docx").path.read_bytes() == result.path.read_bytes()
    pdf = to_pdf(result.path, tmp_path)
    assert ADDED in pdf and total in pdf


def to_pdf(path: Path, folder: Path) -> str:
    """The text of path as LibreOffice prints it (its own profile), so a file it cannot open fails."""
    import subprocess

    out = folder / "pdf"
    subprocess.run(["soffice", f"-env:UserInstallation={(folder / 'lo_pdf_profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(path)], check=True, capture_output=True, timeout=180)
    pdf = out / (path.stem + ".pdf")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def test_figure_bookmarks_drifted_a_character_short_are_still_replaced_whole(tmp_path):
    """LibreOffice counts a comment's anchor as a character and writes the bookmarks after it one
    character short ("2940.0" then "5", "小" then "于"): the figure is still found on its own text
    and replaced whole, never in part."""
    import wordlike
    from wordlike import w

    base, fresh = built(FINAL), built(_copy_changed(tmp_path, FINAL, FINAL_CHANGE))
    edited = tmp_path / "E.docx"
    edited.write_bytes(base)
    lead = para(snapshot(base), "f3_05_lead")
    with wordlike.editing(edited) as body:
        p = wordlike.marked(body, lead["mark"])
        ends = [e for e in p.iter(w("bookmarkEnd"))
                if any(s.get(w("id")) == e.get(w("id")) and s.get(w("name")).startswith("_nf_") for s in p.iter(w("bookmarkStart")))]
        for end in ends:  # each figure's end one character early
            run = end.getprevious()
            size = len(wordlike.run_text(run))
            wordlike._split(run, size - 1).addprevious(end)
        wordlike.type_at(p, len(wordlike.text(p)), "（经审计）")
    result = run_update(edited, fresh)
    assert read(result.path.read_bytes(), snapshot(fresh))["f3_05_lead"] == para(snapshot(fresh), "f3_05_lead")["text"] + "（经审计）"
    assert len(ends) == 4 and not result.outcome.review


# -- structural changes: procurement items come and go, a 项 only the budget has -------------------

def table_rows(data: bytes, table: str) -> list[list[str]]:
    """The rows of a generated table as the officer reads it (every revision accepted): cell texts."""
    from updating import accepted, cell_text
    from wordlike import w

    body = accepted(data)
    mark = para(snapshot(data), table)["rows"][0]["mark"]
    start = next(b for b in body.iter(w("bookmarkStart")) if b.get(w("name")) == mark)
    tbl = next(start.iterancestors(w("tbl")))
    return [[cell_text(tc) for tc in tr.findall(w("tc"))] for tr in tbl.findall(w("tr"))]


def test_procurement_items_added_and_removed_come_and_go_as_rows_and_the_officers_rows_stay(tmp_path):
    import wordlike
    from officer import cell_paragraph

    base = built(COURT)
    fresh = built(_copy_changed(tmp_path, COURT, (
        ("    - {类别: 货物, 项目: 办公设备购置, 经济科目: 31002, 品目: 家具用具, 组织形式: 分散自行组织, 金额: 9.00}\n", ""),
        ("    - {类别: 服务, 项目: 交通运行费,",
         "    - {类别: 服务, 项目: 交通运行费, 经济科目: 30231, 品目: 车辆加油服务, 组织形式: 政府集中采购, 金额: 40.00}\n"
         "    - {类别: 服务, 项目: 交通运行费,"))))
    printing = row_with(base, "j12", c3="印刷品")
    repair = row_with(base, "j12", c3="车辆维修和保养服务")
    edited = tmp_path / "E.docx"
    edited.write_bytes(base)
    with wordlike.editing(edited) as body:
        cell = cell_paragraph(body, snapshot(base), "j12", printing, 3)
        wordlike.type_over(cell, "印刷品", "印刷品（裁判文书）")
        wordlike.type_after(cell_paragraph(body, snapshot(base), "j12", repair, 5), "110.00", "（含保险）")
    result = run_update(edited, fresh)
    got, want = table_rows(result.path.read_bytes(), "j12"), table_rows(fresh, "j12")
    officer = {"印刷品": "印刷品（裁判文书）", "110.00": "110.00（含保险）"}
    want_edited = [[officer.get(c, c) if r[3] in ("印刷品", "车辆维修和保养服务") else c for c in r] for r in want]
    assert got == want_edited  # the removed item's row gone, the new one in its place, totals the new sums
    assert ["家具用具" in r for r in got].count(True) == 0 and ["车辆加油服务" in r for r in got].count(True) == 1
    assert any(r[0] == "合计" and r[-1] == "5,258.59" for r in got)
    assert inserted_rows(result.path.read_bytes(), "j12") == [row_with(fresh, "j12", c3="车辆加油服务")]
    if shutil.which("soffice"):  # LibreOffice opens it: the new row and the officer's words print
        pdf = to_pdf(result.path, tmp_path)
        assert "车辆加油服务" in pdf and "印刷品（裁判文书）" in pdf and "5,258.59" in pdf
    # nothing else: narrate's revisions rejected give the officer's table back
    assert shown(result.path.read_bytes(), reject="narrate") == shown(edited.read_bytes())
    assert run_update(edited, fresh, "U2.docx").path.read_bytes() == result.path.read_bytes()


BUDGET_ONLY = (("    - {科目: 2010608, 一般公共预算: {项目支出: 4505200}}\n",
                "    - {科目: 2010608, 一般公共预算: {项目支出: 4505200}}\n    - {科目: 2010604, 一般公共预算: {项目支出: 50000}}\n"),)


def test_a_line_only_the_budget_has_comes_in_as_a_new_paragraph_and_the_list_renumbers_around_the_officers(tmp_path):
    import wordlike

    base, fresh = built(FINAL), built(_copy_changed(tmp_path, FINAL, BUDGET_ONLY))
    s1, s2 = snapshot(base), snapshot(fresh)
    edited = tmp_path / "E.docx"
    edited.write_bytes(base)
    with wordlike.editing(edited) as body:
        p = wordlike.marked(body, para(s1, "f3_05_l_2010607")["mark"])
        wordlike.type_after(p, "调减相关经费", "，该项目已于次年一季度完成")
        wordlike.delete_paragraph(wordlike.marked(body, para(s1, "f3_05_l_2080599")["mark"]))
    result = run_update(edited, fresh)
    got = read(result.path.read_bytes(), s2)
    new = para(s2, "f3_05_l_2010604")["text"]
    assert new.startswith("3、一般公共服务支出（类）财政事务（款）预算改革业务（项）。") and "年初预算为5.00万元，支出决算为0.00万元。" in new
    assert got["f3_05_l_2010604"] == new
    assert got["f3_05_l_2010607"] == para(s2, "f3_05_l_2010607")["text"].replace("调减相关经费", "调减相关经费，该项目已于次年一季度完成")
    assert got["f3_05_lead"] == para(s2, "f3_05_lead")["text"]  # 年初预算 2998.92, 完成 98.04%
    assert "f3_05_l_2080599" not in got  # deleted by the officer, stays deleted
    order = [k for k in got if isinstance(k, str) and k.startswith("f3_05_l_")]
    assert order[:4] == ["f3_05_l_2010601", "f3_05_l_2010602", "f3_05_l_2010604", "f3_05_l_2010607"]
    body = accepted_body(result.path.read_bytes())
    texts = [wordlike.text(p) for p in wordlike.paragraphs(body)]
    assert texts.index(new) + 1 == texts.index(got["f3_05_l_2010607"])  # in its place in the list
    # the list numbers are figures: the officer's paragraph is renumbered (3、 -> 4、) as a tracked
    # change, and the new paragraph's "3、一般公共服务支出…" is no copy of the old one to list
    assert result.outcome.review == []
    assert shown(result.path.read_bytes(), reject="narrate") == shown(edited.read_bytes())


def accepted_body(data: bytes):
    from updating import accepted

    return accepted(data)


# -- the English final accounts (sh-dept-final-en): the same session in English -----------------

def built_en(path: Path) -> bytes:
    from narrate import profile as profiles

    checked = pipeline.check(path)
    assert checked.ok, [str(p) for p in checked.problems]
    return build.render(checked.unit, checked.catalogs, profiles.load("sh-dept-final-en"))


def test_the_english_final_accounts_edited_in_word_keep_every_edit_when_an_actual_changes(tmp_path):
    base, fresh = built_en(FINAL), built_en(_copy_changed(tmp_path, FINAL, FINAL_CHANGE))
    session = Session(
        rewrites=(("f3_05_l_2010608", "the actual spending", "the audited actual spending"),
                  ("f3_05_lead", "98.20% of the initial budget", "98.2% of its initial budget")),
        added_after="f3_01_total",
        deleted="f3_03_lead",
        cell=("f2", "f2_f2010608", 4, "449.52 (audited)"),
        commented="f3_05_lead",
        inserted_by_other="f3_02_lead",
        deleted_by_other=("f3_05_total", "This was mainly because "),
        other_words=" (checked)",
    )
    edited = tmp_path / "E.docx"
    edited.write_bytes(base)
    session.apply(edited, snapshot(base))
    result = run_update(edited, fresh)
    now = {pid: para(snapshot(fresh), pid)["text"] for pid in ("f3_05_l_2010608", "f3_05_lead", "f3_02_lead", "f3_05_total")}
    assert "the actual spending CNY\u00a04,395,200." in now["f3_05_l_2010608"] and "97.87% of the initial budget" in now["f3_05_lead"]
    session.check(edited, fresh, result, {
        "f3_05_l_2010608": now["f3_05_l_2010608"].replace("the actual spending", "the audited actual spending"),
        "f3_05_lead": now["f3_05_lead"].replace("97.87% of the initial budget", "97.87% of its initial budget"),
        ("f2", "f2_f2010608", 4): "439.52 (audited)",
        "f3_02_lead": now["f3_02_lead"] + " (checked)",
        "f3_05_total": now["f3_05_total"].replace("This was mainly because ", ""),
    })
    assert sorted((i.kind, i.block, i.detail) for i in result.outcome.review) == [
        ("cell_updated", "f2", "449.52→439.52"), ("figure_edited", "f3_05_lead", "98.2%→97.87%")]
    assert run_update(edited, fresh, "U2.docx").path.read_bytes() == result.path.read_bytes()


def test_narrate_update_on_the_command_line_lists_what_to_reread_and_adds_its_comments_beside_the_officers(tmp_path, monkeypatch):
    """The Jiangsu folder as officers have it (its narrate.toml names the profile and the 2019
    codes): build, edit in Word (a comment, a procurement amount typed over), `narrate update
    --comments`: the review list names the heading and the place, each item is also a comment by
    narrate, the officer's comment stays, and the comment ids are apart."""
    import schemas
    import wordlike
    from typer.testing import CliRunner

    from narrate.cli import app
    from officer import NOTE, cell_paragraph

    folder = tmp_path / "jiangsu"
    shutil.copytree(COURT.parent, folder)
    monkeypatch.chdir(folder)
    assert CliRunner().invoke(app, ["build", COURT.name, "-o", "E.docx"]).exit_code == 0
    changed(folder / COURT.name, "new.yaml", *COURT_CHANGE)
    edited = folder / "E.docx"
    base = snapshot(edited.read_bytes())
    item = row_with(edited.read_bytes(), "j12", c3="会议服务", c5="122.10")
    with wordlike.editing(edited) as body:
        wordlike.type_over(cell_paragraph(body, base, "j12", item, 5), "122.10", "122.1")
    wordlike.comment(edited, para(base, "text_h4_31")["mark"], "2019年政府采购", NOTE)
    result = CliRunner().invoke(app, ["update", "E.docx", "new.yaml", "-o", "U.docx", "--comments", "--date", "2025-06-01"])
    assert result.exit_code == 0, result.output
    assert ("  1. 【政府采购支出预算表】「会议服务 分散自行组织 132.10」：您手改过（或拒绝过修订）的数字已按新数据更新（122.1→132.10），"
            "可在修订中拒绝。") in result.output.splitlines()
    notes = wordlike.comments(folder / "U.docx")
    assert NOTE in notes.values() and any("122.1→132.10" in t for t in notes.values())
    assert len(notes) == len(set(notes)) >= 2
    assert schemas.problems((folder / "U.docx").read_bytes()) == []
    cells = read((folder / "U.docx").read_bytes(), snapshot((folder / "U.docx").read_bytes()))
    assert cells[("j12", item, 5)] == "132.10" and cells[("j12", "j12_total", 5)] == "5,237.59"


def test_a_drifted_or_overfull_figure_bookmark_is_narrowed_to_whole_numbers_only():
    from narrate.regen import locate

    text = "the actual spending CNY 29,400,000, 99.79% of the total"
    at = text.index("29,400,000")
    # a bookmark cutting a number is widened to it, never over the comma after it
    assert locate._whole_number(text, at + 3, at + 9) == (at, at + len("29,400,000"))
    assert locate._whole_number("完成了年初预算的98.2%。", 12, 13) == (8, 13)
    # the officer's number inside a bookmark that also holds their unit; the figure's own "%" goes with it
    assert locate._own_number("5227.6万元", "5227.59") == (0, 6)
    assert locate._own_number("29,400,000,", "29,400,500") == (0, 10)
    assert locate._own_number("98.2%", "98.20%") is None  # all of it is the figure
    assert locate._own_number("增加", "增加") is None  # a direction word holds no number
