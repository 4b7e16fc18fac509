"""`narrate publish`: the edited document as it goes out. Pending revisions and narrate's review
comments are refused and listed (or accepted with --accept); the published copy holds no
snapshot, no hidden marks and no comments, reads in LibreOffice as the edited document with
every change accepted, and `narrate update` refuses it. The edited file is never changed."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import schemas
import wordlike
from narrate.cli import app
from narrate.docx import snapshot
from narrate.regen.update import update
from test_update import changed_input, lines, officer_edits, render

DAY = dt.date(2025, 1, 2)


@pytest.fixture(scope="module")
def updated(tmp_path_factory) -> Path:
    """An edited document brought up to date: narrate's tracked changes and review comments."""
    folder = tmp_path_factory.mktemp("publish")
    edited = folder / "edited.docx"
    edited.write_bytes(render(None))
    officer_edits(edited)
    return update(edited, render(changed_input(folder)), output=folder / "预算公开-更新.docx", comments=True, date=DAY).path


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_pending_revisions_and_comments_are_refused_and_listed(updated, tmp_path):
    edited = shutil.copy(updated, tmp_path / "e.docx")
    before = Path(edited).read_bytes()
    out = tmp_path / "out.docx"
    result = run("publish", str(edited), "-o", str(out))
    assert result.exit_code == 1
    assert not out.exists() and Path(edited).read_bytes() == before
    listed = result.output.splitlines()
    assert re.match(r".*还有 \d+ 处修订或 narrate 的批注没有处理", listed[0])
    # each item: the heading above it, what kind, an excerpt
    assert "  单位收支总体情况表：删除“473.87 430.74”" in listed
    assert "  单位收支总体情况表：插入“470.94 435.74”" in listed
    assert any("：narrate 的批注“" in line for line in listed) or "另有" in listed[-1]


def test_a_document_without_pending_changes_is_published_without_being_asked(tmp_path):
    built = tmp_path / "built.docx"
    built.write_bytes(render(None))
    result = run("publish", str(built))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "built-发布.docx").is_file()


@pytest.fixture(scope="module")
def published(updated, tmp_path_factory) -> tuple[Path, Path, bytes]:
    folder = tmp_path_factory.mktemp("published")
    edited = Path(shutil.copy(updated, folder / "edited.docx"))
    before = edited.read_bytes()
    out = folder / "published.docx"
    result = run("publish", str(edited), "-o", str(out), "--accept")
    assert result.exit_code == 0, result.output
    assert "已全部接受" in result.output
    return edited, out, before


def test_accept_publishes_and_leaves_the_edited_file_as_it_was(published):
    edited, out, before = published
    assert edited.read_bytes() == before and out.is_file()


def test_the_published_copy_holds_no_snapshot_marks_revisions_or_comments(published):
    _, out, _ = published
    p = parts(out)
    assert snapshot.find(p) is None and not [n for n in p if n.startswith("customXml/")]
    assert not [n for n in p if "comments" in n]
    body = p["word/document.xml"].decode()
    for trace in ("<w:ins ", "<w:del ", "w:commentRangeStart", "w:commentReference", 'w:name="_n'):
        assert trace not in body, trace
    assert "customXml" not in p["word/_rels/document.xml.rels"].decode()
    assert "customXml" not in p["[Content_Types].xml"].decode() and "comments" not in p["[Content_Types].xml"].decode()
    assert schemas.problems(out.read_bytes()) == []


def test_the_published_copy_reads_in_libreoffice_as_the_edited_one_with_every_change_accepted(published, tmp_path):
    edited, out, _ = published
    # Both as LibreOffice reads them (it drops the empty section-break paragraphs, moves the
    # TOC into a content control); the edited one with every revision accepted.
    published_lines = [x for x in lines(wordlike.libreoffice(out, tmp_path)) if x.strip()]
    edited_lines = [x for x in lines(wordlike.libreoffice(edited, tmp_path)) if x.strip()]
    assert published_lines == edited_lines
    assert len(published_lines) > 300 and "主要原因是：养老保险缴费人数调整，缴费支出随之变化。" in "".join(published_lines)


def test_update_refuses_the_published_copy_and_says_which_file_to_update(published):
    _, out, _ = published
    result = run("update", str(out))
    assert result.exit_code == 1
    assert "narrate publish 写出的发布稿" in result.output and "发布前编辑的那份文件" in result.output


def test_publish_refuses_to_write_over_the_edited_file(published):
    edited, _, before = published
    result = run("publish", str(edited), "-o", str(edited), "--accept")
    assert result.exit_code == 2 and edited.read_bytes() == before


def test_accept_all_keeps_inserted_text_and_drops_deleted_text_and_paragraphs():
    from lxml import etree

    from narrate.docx.ooxml import NS_DECL
    from narrate.docx.publish import accept_all

    xml = (
        f'<w:body {NS_DECL}>'
        '<w:p><w:r><w:t>收入</w:t></w:r><w:del w:id="1" w:author="a" w:date="2025-01-01T00:00:00Z"><w:r><w:delText>473.87</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="a" w:date="2025-01-01T00:00:00Z"><w:r><w:t>470.94</w:t></w:r></w:ins><w:r><w:t>万元</w:t></w:r></w:p>'
        '<w:p><w:pPr><w:rPr><w:del w:id="3" w:author="a" w:date="2025-01-01T00:00:00Z"/></w:rPr></w:pPr>'
        '<w:del w:id="4" w:author="a" w:date="2025-01-01T00:00:00Z"><w:r><w:delText>整段删除</w:delText></w:r></w:del></w:p>'
        '<w:p><w:r><w:t>下一段</w:t></w:r></w:p></w:body>'
    )
    body = etree.fromstring(xml)
    accept_all(body)
    paras = ["".join(t.text for t in p.iter("{*}t")) for p in body.iter("{*}p")]
    assert paras == ["收入470.94万元", "下一段"]
    assert b"del" not in etree.tostring(body) and b"ins " not in etree.tostring(body)


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdffonts") is None, reason="LibreOffice or poppler not installed")
def test_the_published_pdf_is_archival_tagged_with_every_font_embedded_and_bookmarks(updated, tmp_path):
    edited = Path(shutil.copy(updated, tmp_path / "edited.docx"))
    result = run("publish", str(edited), "-o", str(tmp_path / "out.docx"), "--accept", "--pdf")
    assert result.exit_code == 0, result.output
    made = tmp_path / "out.pdf"
    data = made.read_bytes()
    assert re.search(rb"pdfaid:part>2<", data) and re.search(rb"pdfaid:conformance>B<", data)  # PDF/A-2b
    catalog = re.search(rb"<<\s*/Type\s*/Catalog(.*?)>>\s*endobj", data, re.S).group(1)
    assert b"/StructTreeRoot" in catalog and b"/Outlines" in catalog and re.search(rb"/Lang\s*\(zh-CN\)", catalog)
    fonts = subprocess.run(["pdffonts", str(made)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # the emb column
