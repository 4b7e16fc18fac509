"""The merge on small documents written here: what the officer did, what the figures did, what
the update must leave behind. The documents are written by narrate's own writer (marks and
snapshot included) from blocks built in the test."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import docx
import pytest

from narrate import docx as writer
from narrate.blocks import Cell, Document, Para, Run, Table
from narrate import profile as profiles
from narrate.docx import revisions
from narrate.regen.update import UpdateError, update

DAY = dt.date(2025, 1, 2)


def mini_write(doc: Document) -> bytes:
    """Renders doc with narrate's writer and the shipped layout."""
    return writer.render(doc, profiles.load().writer_view(), "2025-01-01T00:00:00Z")


def para(pid: str, *parts, style: str = "body") -> Para:
    """A paragraph from plain strings and (figure id, text) pairs."""
    runs = tuple(Run(p) if isinstance(p, str) else Run(p[1], figure=p[0]) for p in parts)
    return Para(pid, style, runs)


def table(rows: dict[str, tuple[str, str]]) -> Table:
    cells = tuple((Cell(label), Cell(amount, figure=f"t.{rid}", align="right")) for rid, (label, amount) in rows.items())
    return Table("t1", (), cells, row_ids=tuple(rows))


def document(total="1000.00", direction="增加", change="100.00", project="200.00", rows=None, extra=()) -> Document:
    rows = rows or {"basic": ("基本支出", "800.00"), "project": ("项目支出", project)}
    return Document(
        "样例",
        (
            para("h1", "一、收入预算", style="heading1"),
            para("p1", "收入预算", ("total", total), "万元，比上年", ("dir", direction), ("chg", change), "万元。"),
            Para("p2", "body", (Run("主要原因是"), Run("【请说明变动原因】", placeholder=True), Run("。"))),
            para("p3", "项目支出", ("proj", project), "万元。"),
            *extra,
            para("p4", "其他说明：无。"),
            table(rows),
            para("note", "备注：本表无数据的项目为空。", style="note"),
        ),
    )


def texts(path: Path) -> list[str]:
    """The document as the officer sees it with every change accepted: one line per block."""
    d = docx.Document(str(path))
    out = []
    for el in d.element.body:
        if el.tag == revisions.w("p"):
            if not revisions.xpath(el, "./w:pPr/w:rPr/w:del"):
                out.append(revisions.text(el))
        elif el.tag == revisions.w("tbl"):
            for tr in el.findall(revisions.w("tr")):
                if not revisions.xpath(tr, "./w:trPr/w:del"):
                    out.append(" | ".join(revisions.cell_text(tc) for tc in tr.findall(revisions.w("tc"))))
    return out


def by_narrate(path: Path, tag: str) -> list[str]:
    body = docx.Document(str(path)).element.body
    texts = (revisions.w("t"), revisions.w("delText"))
    return ["".join(t.text for t in e.iter(*texts)) for e in body.iter(revisions.w(tag)) if e.get(revisions.w("author")) == "narrate"]


@pytest.fixture
def built(tmp_path: Path) -> Path:
    path = tmp_path / "草稿.docx"
    path.write_bytes(mini_write(document()))
    return path


def officer_edits(path: Path) -> None:
    """What an officer does in Word: extend p1, write the reason, add, delete, restyle, note."""
    d = docx.Document(str(path))
    ps = {revisions.text(p._p): p for p in d.paragraphs}
    ps["收入预算1000.00万元，比上年增加100.00万元。"].add_run("其中追加50.00万元。")
    reason = ps["主要原因是【请说明变动原因】。"]
    for r in reason.runs[1:]:
        r._r.getparent().remove(r._r)
    reason.runs[0].text = "主要原因是新增办公设备购置。"
    reason.insert_paragraph_before  # noqa: B018 - keep python-docx API visible to readers
    added = ps["项目支出200.00万元。"].insert_paragraph_before("本年新增培训任务。")
    added._p.getparent().remove(added._p)
    ps["项目支出200.00万元。"]._p.addnext(added._p)
    ps["其他说明：无。"]._p.getparent().remove(ps["其他说明：无。"]._p)
    ps["一、收入预算"].style = d.styles["Heading 2"]
    ps["备注：本表无数据的项目为空。"].runs[0].text = "备注：本表金额单位为万元。"
    d.save(path)


def test_it_regenerates_untouched_paragraphs_and_keeps_every_officer_edit(built: Path) -> None:
    officer_edits(built)
    new = document(total="900.00", direction="减少", project="250.00")
    result = update(built, mini_write(new), date=DAY)
    assert result.path == built.with_name("草稿-更新.docx")
    assert texts(result.path) == [
        "一、收入预算",
        "收入预算900.00万元，比上年减少100.00万元。其中追加50.00万元。",
        "主要原因是新增办公设备购置。",
        "项目支出250.00万元。",
        "本年新增培训任务。",
        "基本支出 | 800.00",
        "项目支出 | 250.00",
        "备注：本表金额单位为万元。",
    ]
    heading = docx.Document(str(result.path)).paragraphs[0]
    assert heading.style.name == "Heading 2"


def test_every_change_is_a_tracked_revision_by_narrate(built: Path) -> None:
    officer_edits(built)
    result = update(built, mini_write(document(total="900.00", direction="减少", project="250.00")), date=DAY)
    assert sorted(by_narrate(result.path, "ins")) == ["250.00", "250.00", "900.00", "减少"]
    assert sorted(by_narrate(result.path, "del")) == ["1000.00", "200.00", "200.00", "增加"]


def test_the_review_list_names_the_reason_beside_a_flipped_direction(built: Path) -> None:
    officer_edits(built)
    result = update(built, mini_write(document(total="900.00", direction="减少")), date=DAY)
    kinds = sorted((i.kind, i.block, i.detail) for i in result.outcome.review)
    assert kinds == [("beside", "p1", "增加→减少"), ("direction", "p1", "增加→减少")]


def test_new_and_vanished_items_come_and_go_as_tracked_changes(built: Path) -> None:
    officer_edits(built)
    extra = (para("p9", "新项目支出", ("p9", "50.00"), "万元。"),)
    rows = {"project": ("项目支出", "200.00"), "new": ("新项目", "50.00")}
    result = update(built, mini_write(document(rows=rows, extra=extra)), date=DAY)
    lines = texts(result.path)
    assert "新项目支出50.00万元。" in lines
    assert lines.index("新项目支出50.00万元。") == lines.index("本年新增培训任务。") + 1
    assert "新项目 | 50.00" in lines and "基本支出 | 800.00" not in lines
    assert result.outcome.rows == ["-t1/basic", "+t1/new"]
    assert result.outcome.inserted == ["p9"]


def test_an_untouched_paragraph_that_vanished_is_deleted_and_an_edited_one_is_listed(built: Path) -> None:
    new = Document("样例", tuple(b for b in document().blocks if b.id not in ("p3", "p1")))
    d = docx.Document(str(built))
    d.paragraphs[1].add_run("（已核）")
    d.save(built)
    result = update(built, mini_write(new), date=DAY)
    assert result.outcome.deleted == ["p3"]
    assert [(i.kind, i.block) for i in result.outcome.review] == [("item_gone", "p1")]
    assert "项目支出200.00万元。" not in texts(result.path)


def test_updating_twice_replaces_narrates_own_pending_changes(built: Path) -> None:
    first = update(built, mini_write(document(total="900.00")), date=DAY).path
    second = update(first, mini_write(document(total="800.00")), output=first.with_name("b.docx"), date=DAY).path
    assert texts(second)[1] == "收入预算800.00万元，比上年增加100.00万元。"
    assert by_narrate(second, "ins") == ["800.00"]
    assert by_narrate(second, "del") == ["1000.00"]


def test_in_place_keeps_a_backup_of_the_officers_file(built: Path) -> None:
    officer_edits(built)
    before = built.read_bytes()
    result = update(built, mini_write(document(total="900.00")), in_place=True, date=DAY)
    assert result.path == built and result.backup.read_bytes() == before
    assert texts(built)[1].startswith("收入预算900.00")


def test_in_place_over_a_file_nobody_changed_needs_no_backup(built: Path) -> None:
    result = update(built, mini_write(document(total="900.00")), in_place=True, date=DAY)
    assert result.backup is None and sorted(p.name for p in built.parent.iterdir()) == [built.name]


def test_the_snapshot_is_renewed(built: Path) -> None:
    fresh = mini_write(document(total="900.00"))
    result = update(built, fresh, date=DAY)
    renewed, built_now = writer.read_snapshot(result.path.read_bytes()), writer.read_snapshot(fresh)
    assert renewed["blocks"] == built_now["blocks"]
    assert writer.untouched(result.path.read_bytes())  # its digest describes the updated file itself


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (b"not a zip at all", "update_not_docx"),
        (b"PK\x03\x04broken", "update_not_docx"),
        (None, "update_not_narrate"),
    ],
)
def test_files_it_cannot_update_are_refused_with_a_reason(tmp_path: Path, content: bytes | None, key: str) -> None:
    path = tmp_path / "x.docx"
    if content is None:
        docx.Document().save(path)
    else:
        path.write_bytes(content)
    with pytest.raises(UpdateError) as err:
        update(path, mini_write(document()))
    assert err.value.key == key


def test_a_zip_that_is_not_a_word_file_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "x.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(UpdateError) as err:
        update(path, mini_write(document()))
    assert err.value.key == "update_corrupt"
