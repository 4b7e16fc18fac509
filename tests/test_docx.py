"""The Word file itself: same bytes twice, real styles and TOC, marks and snapshot, layout."""

from __future__ import annotations

import io
import json
import re
import zipfile

import docx
import pytest
from docx.oxml.ns import qn

from narrate import build, docx as writer, pipeline
from narrate.blocks import Document, Para, Run
from narrate import profile as profiles


@pytest.fixture(scope="module")
def sample():
    checked = pipeline.check()
    return checked.unit, checked.catalogs


@pytest.fixture(scope="module")
def data(sample) -> bytes:
    return build.render(*sample)


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


def test_building_twice_gives_identical_bytes(sample, data):
    assert build.render(*sample) == data


def test_zip_entries_have_a_fixed_date_and_order(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_core_properties_carry_the_units_date_not_the_clock(data):
    core = part(data, "docProps/core.xml")
    assert "2024-02-25T00:00:00Z" in core
    assert "<dc:title>克孜勒苏柯尔克孜自治州电子政务服务中心 2024年单位预算公开</dc:title>" in core


def test_headings_are_real_styles_with_outline_levels(data):
    doc = docx.Document(io.BytesIO(data))
    by_name = {p.text: p.style.name for p in doc.paragraphs}
    assert by_name["第一部分 2024年单位概况"] == "Heading 1"
    assert by_name["一、主要职能"] == "Heading 2"
    styles = part(data, "word/styles.xml")
    assert re.search(r'w:styleId="Heading1">.*?<w:outlineLvl w:val="0"/>', styles)
    assert 'w:eastAsia="仿宋_GB2312"' in styles and 'w:eastAsia="黑体"' in styles and 'w:eastAsia="方正小标宋简体"' in styles
    assert by_name[next(t for t in by_name if t.startswith("按照全口径预算的原则"))] == "Normal"


def test_the_toc_is_a_field_whose_entries_are_already_there(data):
    body = part(data, "word/document.xml")
    # The field collects TC entries of levels 1-2, each in the paragraph it lists, so an update
    # in Word, WPS or LibreOffice makes the same 目录 (tests/test_toc.py updates it in LibreOffice).
    assert 'TOC \\f \\l "1-2" \\h \\z \\n' in body
    assert ' TC "一、单位收支总体情况表" \\l 2 ' in body and ' TC "第四部分 名词解释" \\l 1 ' in body
    doc = docx.Document(io.BytesIO(data))
    toc = [p.text for p in doc.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert toc[:3] == ["第一部分 2024年单位概况", "一、主要职能", "二、机构设置及人员情况"]
    # the tables, under 第二部分, numbered as in the reference (Para.toc: the profile's caption.toc_entry)
    assert toc[4:15] == ["一、单位收支总体情况表", "二、单位收入总体情况表", "三、单位支出总体情况表", "四、财政拨款收支预算总体情况表",
                         "五、一般公共预算支出情况表", "六、一般公共预算基本支出情况表", "七、一般公共预算项目支出情况表",
                         "八、政府性基金预算支出情况表", "九、国有资本经营预算支出情况表", "十、财政拨款“三公”经费支出情况表",
                         "十一、上年结转结余情况明细表"]
    assert toc[15] == "第三部分 2024年单位预算情况说明"
    body = [p.text for p in doc.paragraphs if p.style.name == "表名"]
    assert body[:2] == ["单位收支总体情况表", "单位收入总体情况表"]  # the titles themselves are not numbered
    assert "第四部分 名词解释" in toc
    assert any(t.startswith("十二、其他重要事项") for t in toc)


def test_pages_are_a4_with_the_official_margins_and_numbered(data):
    doc = docx.Document(io.BytesIO(data))
    first = doc.sections[0]
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (first.top_margin, first.bottom_margin, first.left_margin, first.right_margin)] == [37, 35, 28, 26]
    assert "PAGE" in part(data, "word/footer1.xml")


def test_wide_tables_sit_in_landscape_sections(data):
    doc = docx.Document(io.BytesIO(data))
    landscape = [s for s in doc.sections if s.page_width > s.page_height]
    assert len(landscape) == 3  # 表2, 表7, 表11


def test_header_rows_repeat_on_every_page(data):
    doc = docx.Document(io.BytesIO(data))
    first_rows = [t.rows[0]._tr for t in doc.tables[:11]]
    assert all(tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None for tr in first_rows)


def test_every_generated_paragraph_and_figure_is_marked_and_in_the_snapshot(data):
    snapshot = writer.read_snapshot(data)
    body = part(data, "word/document.xml")
    names = set(re.findall(r'w:name="(_n[pfr]_[0-9a-f_]+)"', body))
    paras = [b for b in snapshot["blocks"] if b["type"] == "p"]
    tables = [b for b in snapshot["blocks"] if b["type"] == "table"]
    assert len(tables) == 11 + 4 * 2  # each performance table: its form and its indicators
    assert all(p["mark"] in names for p in paras)
    figures = [r for p in paras for r in p["runs"] if r.get("figure")]
    assert figures and all(r["mark"] in names for r in figures)
    cells = [c for t in tables for row in t["rows"] for c in row["cells"] if c.get("figure")]
    assert cells and all(c["mark"] in names for c in cells)
    assert all(row["mark"] in names for t in tables for row in t["rows"])
    assert all(len(n) <= 40 for n in names)


def test_every_amount_cell_of_a_standard_table_carries_a_figure(data):
    tables = [b for b in writer.read_snapshot(data)["blocks"] if b["type"] == "table"][:11]
    for table in tables:
        for row in table["rows"]:
            for cell in row["cells"]:
                if re.fullmatch(r"\d+\.\d\d", cell["text"]):
                    assert cell.get("figure"), (table["id"], row["id"], cell)


def test_an_edit_to_the_body_is_detected_from_the_snapshot(data):
    assert writer.untouched(data)
    edited = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(edited, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "word/document.xml":
                content = content.replace("主要职能".encode(), "主要职责".encode(), 1)
            dst.writestr(info, content)
    assert not writer.untouched(edited.getvalue())


def test_placeholders_are_highlighted():
    doc = Document("t", (Para("p1", "body", (Run("原因："), Run("【请说明变动原因】", placeholder=True))),))
    body = part(writer.render(doc, profiles.load().writer_view(), "2024-01-01T00:00:00Z"), "word/document.xml")
    assert re.search(r'<w:highlight w:val="yellow"/></w:rPr><w:t xml:space="preserve">【请说明变动原因】', body)


def test_a_style_the_profile_lacks_is_refused_before_writing():
    doc = Document("t", (Para("p1", "no_such_style", (Run("x"),)),))
    with pytest.raises(writer.StyleError, match="no_such_style"):
        writer.render(doc, profiles.load().writer_view(), "2024-01-01T00:00:00Z")


def test_the_snapshot_is_json_with_the_documents_title(data):
    snapshot = writer.read_snapshot(data)
    assert snapshot["format"] == "narrate-snapshot"
    assert snapshot["title"].startswith("克孜勒苏柯尔克孜自治州电子政务服务中心")
    json.dumps(snapshot)


def test_the_snapshot_is_found_by_its_namespace_when_its_part_is_renamed(data):
    # LibreOffice saves customXml/item1.xml as item2.xml; the snapshot must still be found.
    renamed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(renamed, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename.replace("customXml/item1.xml", "customXml/item2.xml"), src.read(info))
    assert writer.read_snapshot(renamed.getvalue()) == writer.read_snapshot(data) is not None
