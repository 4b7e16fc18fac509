"""`narrate update` on the sample: the officer edits the built document, the budget changes
(one amount, a new project, an item dropping to 0), and the update must keep every edit, bring
every figure up to date as a tracked change by narrate, and list what the officer should re-read.
The same after the edited file went through LibreOffice."""

from __future__ import annotations

import difflib
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from narrate import build, pipeline
from narrate.cli import app
from narrate import docx as writer
from narrate.docx import marks
from narrate.docx import revisions
from narrate.regen.update import update
from narrate.resources import sample_input

REASON = "主要原因是：养老保险缴费人数调整，缴费支出随之变化。"
ADDED = "另外，本年新增政务云安全加固任务。"
NOTE_PREFIX = "备注："


def changed_input(folder: Path) -> Path:
    """The sample with 2080505 cut (its increase turns into a decrease), 2080501 dropped to 0
    and a new project; income and the economic split follow so the input still checks."""
    s = sample_input().read_text(encoding="utf-8")
    for old, new in [
        ("  一般公共预算: 473.87", "  一般公共预算: 470.94"),
        ("公用经费: 13.09, 项目支出: 93.40}", "公用经费: 13.09, 项目支出: 98.40}"),
        ("  - 科目: 2080501          # 行政单位离退休\n    一般公共预算: {人员经费: 4.93}\n", ""),
        ("    一般公共预算: {人员经费: 38.20}", "    一般公共预算: {人员经费: 35.20}"),
        ("  - {科目: 30101, 金额: 88.20}", "  - {科目: 30101, 金额: 87.96}"),
        ("  - {科目: 30108, 金额: 38.20}", "  - {科目: 30108, 金额: 35.20}"),
        ("  - {科目: 30302, 金额: 4.68}\n  - {科目: 30309, 金额: 0.01}\n", ""),
        ("\n三公经费:", PROJECT + "\n三公经费:"),
    ]:
        assert old in s, old
        s = s.replace(old, new, 1)
    path = folder / "changed.yaml"
    path.write_text(s, encoding="utf-8")
    return path


PROJECT = """  - 名称: 政务云安全加固费
    科目: 2010504
    经济分类: {302: 5.00}
    政策依据: 根据克财预【2024】009号通知
    资金分配: 安全加固服务5万元
    执行期: 2024年6月1日-2024年12月31日
    负责人: 方长春
    绩效目标:
      总体目标: 完成政务云安全加固。
      指标:
        - {一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 加固系统数, 指标值: ">=3个", 设置依据: 计划标准, 分值: 90, 赋分规则: 按照正常比例赋分, 佐证资料: 工作资料}
"""


def render(path: Path | None) -> bytes:
    checked = pipeline.check(path)
    assert checked.ok
    return build.render(checked.unit, checked.catalogs)


def generated(data: bytes) -> dict:
    return writer.read_snapshot(data)


def paragraph(d: docx.document.Document, gen: dict, pid: str):
    name = next(b["mark"] for b in gen["blocks"] if b["id"] == pid)
    start = marks.find(d.element.body)[name][0]
    p = next(start.iterancestors(revisions.w("p")))
    return next(x for x in d.paragraphs if x._p is p)


def officer_edits(path: Path) -> None:
    """Rewrite a reason, add a paragraph, delete one, restyle a heading, edit a table note."""
    gen = generated(path.read_bytes())
    d = docx.Document(str(path))
    reason = paragraph(d, gen, "s3_05_3_2080505")
    reason.runs[-1].text = "，" + REASON
    anchor = paragraph(d, gen, "s3_03_project")
    added = anchor.insert_paragraph_before(ADDED)
    anchor._p.addnext(added._p)
    gone = paragraph(d, gen, "s3_12_assets_equipment")
    gone._p.getparent().remove(gone._p)
    paragraph(d, gen, "functions_h").style = d.styles["Heading 2"]
    note = next(p for p in d.paragraphs if p.text.startswith(NOTE_PREFIX))
    note.runs[0].text = NOTE_PREFIX + "本单位无此项支出，故本表为空。"
    for r in note.runs[1:]:
        r.text = ""
    d.save(path)


def lines(path: Path) -> list[str]:
    """The document with every revision accepted: one line per paragraph and table row."""
    body = docx.Document(str(path)).element.body
    out = []
    for el in revisions.xpath(body, "./w:p | ./w:tbl | ./w:sdt/w:sdtContent/*"):  # LibreOffice wraps the TOC in w:sdt
        if el.tag == revisions.w("p") and not revisions.xpath(el, "./w:pPr/w:rPr/w:del"):
            out.append(revisions.text(el))
        elif el.tag == revisions.w("tbl"):
            for tr in el.iter(revisions.w("tr")):
                if not revisions.xpath(tr, "./w:trPr/w:del"):
                    out.append(" | ".join(revisions.cell_text(tc) for tc in tr.findall(revisions.w("tc"))))
    return out


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("update")
    edited = folder / "预算公开.docx"
    edited.write_bytes(render(None))
    officer_edits(edited)
    fresh = render(changed_input(folder))
    (folder / "fresh.docx").write_bytes(fresh)
    return {"folder": folder, "edited": edited, "fresh": fresh}


def _diff(result: Path, fresh: Path) -> list[str]:
    # Empty paragraphs are layout (LibreOffice drops some around section breaks), not words.
    a, b = [x for x in lines(fresh) if x.strip()], [x for x in lines(result) if x.strip()]
    return [d for d in difflib.ndiff(a, b) if d[:1] in "+-"]


def expect_officer_edits_only(result: Path, fresh: Path) -> None:
    """The update equals a fresh build of the new figures, except exactly the officer's edits."""
    diff = _diff(result, fresh)
    removed = [d[2:] for d in diff if d.startswith("-")]
    added = [d[2:] for d in diff if d.startswith("+")]
    assert ADDED in added
    assert any(REASON in a and "35.20" in a and "减少" in a for a in added), added
    assert any(a.startswith(NOTE_PREFIX + "本单位无此项支出") for a in added)
    assert len(added) == 3
    assert any("大型设备0台" in r for r in removed) and len(removed) == 3, removed


def test_update_keeps_every_edit_and_brings_every_figure_up_to_date(case: dict) -> None:
    result = update(case["edited"], case["fresh"])
    expect_officer_edits_only(result.path, case["folder"] / "fresh.docx")
    d = docx.Document(str(result.path))
    gen = generated(case["fresh"])
    assert paragraph(d, gen, "functions_h").style.name == "Heading 2"


def test_every_change_is_a_revision_by_narrate(case: dict) -> None:
    result = update(case["edited"], case["fresh"], output=case["folder"] / "r.docx")
    body = docx.Document(str(result.path)).element.body
    ins = revisions.xpath(body, "//w:ins[@w:author='narrate']")
    dels = revisions.xpath(body, "//w:del[@w:author='narrate']")
    assert ins and dels
    assert not revisions.xpath(body, "//w:ins[not(@w:author='narrate')] | //w:del[not(@w:author='narrate')]")
    assert result.outcome.inserted and result.outcome.rows and result.outcome.replaced


def test_the_review_list_names_the_rewritten_reason_whose_direction_flipped(case: dict) -> None:
    result = update(case["edited"], case["fresh"], output=case["folder"] / "r2.docx")
    review = {(i.kind, i.block) for i in result.outcome.review}
    assert ("direction", "s3_05_3_2080505") in review
    assert {block for _, block in review} == {"s3_05_3_2080505"}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_same_after_a_libreoffice_round_trip(case: dict) -> None:
    folder = case["folder"]
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{folder}/lo_profile", "--headless", "--convert-to", "docx",
         "--outdir", str(folder / "lo"), str(case["edited"])],
        check=True, capture_output=True, timeout=180,
    )
    result = update(folder / "lo" / case["edited"].name, case["fresh"])
    expect_officer_edits_only(result.path, folder / "fresh.docx")
    assert {(i.kind, i.block) for i in result.outcome.review} >= {("direction", "s3_05_3_2080505")}


def test_the_cli_writes_beside_the_edited_file_and_prints_the_review_list(case: dict, tmp_path: Path) -> None:
    edited = tmp_path / "稿.docx"
    shutil.copy(case["edited"], edited)
    result = CliRunner().invoke(app, ["update", str(edited), str(changed_input(tmp_path))])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "稿-更新.docx").is_file()
    assert "请复核以下 1 处" in result.output and "增加→减少、增长→下降" in result.output
    assert edited.read_bytes() == case["edited"].read_bytes()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"plain text", "不是 Word 文档"),
        (b"PK\x03\x04\x14\x00broken", "不是 Word 文档"),
        ("word", "不是 narrate 生成的文档"),
    ],
)
def test_the_cli_refuses_files_it_cannot_update(tmp_path: Path, content, message: str) -> None:
    path = tmp_path / "x.docx"
    if content == "word":
        docx.Document().save(path)
    else:
        path.write_bytes(content)
    result = CliRunner().invoke(app, ["update", str(path)])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
