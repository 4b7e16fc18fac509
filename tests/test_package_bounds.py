"""Workbooks built to exhaust narrate are refused while they stream by, with one located line.

Each case is one the issue reproduced (a 0.6 MB workbook of 100 million empty cells, 20 million
shared strings, 40,000 rows, a formatted whole column, a 32,000-character cell, `_x0007_`
escapes, a zip bomb). Each runs as its own process under a memory ceiling: going past it is a
MemoryError, a traceback, and the test fails. The bounds are in docs/input-format.md (输入的上限).
"""

from __future__ import annotations

import os
import re
import resource
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from narrate.cli import app
from narrate.load import bounds, excel
from narrate.resources import data_dir

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MEMORY = 1024 * 1024 * 1024  # 1 GB of address space: narrate reading any workbook stays well under


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("book") / "k.xlsx"
    result = CliRunner().invoke(app, ["template", str(data_dir("inputs") / "kizilsu-egov-2024.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _sheet_part(archive: zipfile.ZipFile, name: str) -> str:
    book = etree.fromstring(archive.read("xl/workbook.xml"))
    rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    rid = next(s.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
               for s in book.iter(f"{{{MAIN}}}sheet") if s.get("name") == name)
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def rewritten(book: Path, out: Path, sheet: str | None = None, rows: str = "", parts: dict | None = None,
              **sizes) -> Path:
    """Returns a copy of book with the sheet's rows appended to (rows: XML of <row> elements) and
    parts replaced or added."""
    parts = dict(parts or {})
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        target = _sheet_part(src, sheet) if sheet else None
        for info in src.infolist():
            data = parts.pop(info.filename, None) or src.read(info)
            if info.filename == target:
                data = data.replace(b"</sheetData>", rows.encode() + b"</sheetData>").replace(b"<sheetData/>", b"<sheetData>" + rows.encode() + b"</sheetData>")
            dst.writestr(info.filename, data, compresslevel=9)
        for name, data in parts.items():
            dst.writestr(name, data, compresslevel=9)
    return out


REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def with_shared(book: Path, out: Path, strings: bytes) -> Path:
    """Returns a copy of book with a shared-strings part (the template writes its texts inline)."""
    with zipfile.ZipFile(book) as src:
        rels = src.read("xl/_rels/workbook.xml.rels").replace(
            b"</Relationships>", f'<Relationship Type="{REL}" Target="/xl/sharedStrings.xml" Id="rIdS"/></Relationships>'.encode())
        types = src.read("[Content_Types].xml").replace(
            b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST}"/></Types>'.encode())
    sst = f'<sst xmlns="{MAIN}">'.encode() + strings + b"</sst>"
    return rewritten(book, out, parts={"xl/_rels/workbook.xml.rels": rels, "[Content_Types].xml": types,
                                       "xl/sharedStrings.xml": sst})


def check(path: Path, lang: str = "zh") -> tuple[int, list[str]]:
    """Runs narrate check in a process of its own under MEMORY; returns the exit code and lines."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    env = {**os.environ, "NARRATE_LANG": lang, "NARRATE_CACHE": "off"}
    done = subprocess.run([sys.executable, "-m", "narrate", "check", str(path)], capture_output=True, text=True,
                          preexec_fn=limit, env=env, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line and not line.startswith(("检查未通过", "check failed"))]
    return done.returncode, lines


def refused(path: Path, says: str, where: str = "") -> str:
    code, lines = check(path)
    assert code == 1 and len(lines) == 1, lines[:5]
    assert says in lines[0], lines[0]
    assert lines[0].startswith(f"{path}{':' + where if where else ''}"), lines[0]
    return lines[0]


def test_far_cells_are_refused_before_openpyxl_walks_a_hundred_million(book, tmp_path):
    # A row's lone cell at XFD is 16,384 cells to openpyxl: 6,200 such rows were 100 million.
    rows = "".join(f'<row r="{r}"><c r="XFD{r}" s="0"/></row>' for r in range(200, 6400))
    path = rewritten(book, tmp_path / "far.xlsx", "收入", rows)
    assert path.stat().st_size < 600_000
    refused(path, "远在表格右方", "收入")


def test_millions_of_shared_strings_are_refused_by_count(book, tmp_path):
    many = b"<si><t>a</t></si>" * (excel.MAX_SHARED + 1)
    path = with_shared(book, tmp_path / "strings.xlsx", many)
    assert path.stat().st_size < book.stat().st_size + 50_000  # a few KB more than the book itself
    refused(path, f"文字太多（超过 {excel.MAX_SHARED} 段）")


def test_a_part_declaring_more_than_the_bound_is_refused_before_it_is_inflated(book, tmp_path):
    # 80 MB of one byte compresses to about 80 KB: refused by its declared size.
    bomb = b"<si><t>" + b" " * (80 * 1024 * 1024) + b"</t></si>"
    path = with_shared(book, tmp_path / "bomb.xlsx", bomb)
    assert path.stat().st_size < 1_000_000
    refused(path, "解压后太大（81 MB，最多 64 MB）")


def test_a_part_holding_more_than_it_declares_is_refused_by_what_it_holds(book, tmp_path):
    path = with_shared(book, tmp_path / "lying.xlsx", b"<si><t>a</t></si>" + b" " * 10_000_000)
    data = bytearray(path.read_bytes())
    # Patch the central directory's uncompressed size of the part to 100 bytes.
    at = data.rfind(b"PK\x01\x02")
    while at != -1:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46: at + 46 + name_len] == b"xl/sharedStrings.xml":
            struct.pack_into("<I", data, at + 24, 100)
        at = data.rfind(b"PK\x01\x02", 0, at)
    path.write_bytes(bytes(data))
    refused(path, "不是 Excel 工作簿")


def test_forty_thousand_rows_are_one_line_not_eighty_thousand(book, tmp_path):
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x{r}</t></is></c></row>' for r in range(100, 40_100))
    refused(rewritten(book, tmp_path / "rows.xlsx", "项目", rows), f"超过 {excel.MAX_ROWS} 行", "项目")


def test_a_formatted_whole_column_is_refused_in_bounded_memory(book, tmp_path):
    rows = "".join(f'<row r="{r}" s="1" customFormat="1"><c r="A{r}" s="1"/></row>' for r in range(100, 1_000_100))
    refused(rewritten(book, tmp_path / "column.xlsx", "收入", rows), "含只设了格式的空行", "收入")


def test_many_styles_are_refused(book, tmp_path):
    with zipfile.ZipFile(book) as src:
        styles = src.read("xl/styles.xml").decode()
    many = "".join('<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>' for _ in range(excel.MAX_STYLES))
    styles = re.sub(r"(<cellXfs[^>]*>)", lambda m: m.group(1) + many, styles)
    refused(rewritten(book, tmp_path / "styles.xlsx", parts={"xl/styles.xml": styles.encode()}), "格式（字体")


def with_name(book: Path, out: Path, text: str) -> Path:
    """Returns a copy of book whose 单位信息!B6 (名称) holds text (XML: escapes as written)."""
    with zipfile.ZipFile(book) as src:
        part = _sheet_part(src, "单位信息")
        sheet = src.read(part).decode()
    cell = re.search(r'<c r="B6"[^>]*><is><t>([^<]*)</t>', sheet)
    sheet = sheet[: cell.start(1)] + text + sheet[cell.end(1):]
    return rewritten(book, out, parts={part: sheet.encode()})


def test_a_cell_longer_than_a_yaml_text_is_refused_at_its_cell(book, tmp_path):
    line = refused(with_name(book, tmp_path / "long.xlsx", "长" * 32_000),
                   f"文字过长（32000 个字符）：一段文字最多 {bounds.MAX_TEXT} 个字符")
    assert line.startswith(f"{tmp_path / 'long.xlsx'}:单位信息!B6: ")


def test_office_escapes_are_decoded_and_control_characters_refused(book, tmp_path):
    line = refused(with_name(book, tmp_path / "bell.xlsx", "铃_x0007_声"), "控制字符 U+0007")
    assert line.startswith(f"{tmp_path / 'bell.xlsx'}:单位信息!B6: ") and "_x0007_" not in line


def test_escaped_text_reads_as_the_characters_it_stands_for(book, tmp_path):
    from narrate.load import read_doc

    name = "克孜勒苏柯尔克孜自治州电子政务服务中心"
    path = with_name(book, tmp_path / "escaped.xlsx", "_x514B_" + "".join(f"&#{ord(c)};" for c in name[1:]))
    assert read_doc(path).tree["单位"]["名称"] == name


# -- the .docx that update reads ---------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docx") / "k.docx"
    result = CliRunner().invoke(app, ["build", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def swollen(docx: Path, out: Path, filler: bytes, count: int) -> Path:
    """Returns a copy of docx whose body has filler repeated count times before its end."""
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                head, tail = data.rsplit(b"<w:sectPr", 1)
                with dst.open(info.filename, "w", force_zip64=True) as part:
                    part.write(head)
                    chunk = filler * 10_000
                    for _ in range(count // 10_000):
                        part.write(chunk)
                    part.write(b"<w:sectPr" + tail)
            else:
                dst.writestr(info, data)
    return out


def update(path: Path) -> tuple[int, list[str]]:
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    env = {**os.environ, "NARRATE_CACHE": "off"}
    done = subprocess.run([sys.executable, "-m", "narrate", "update", str(path), "-o", str(path.with_name("out.docx"))],
                          capture_output=True, text=True, preexec_fn=limit, env=env, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert not path.with_name("out.docx").exists()
    return done.returncode, done.stderr.splitlines()


def test_a_body_unpacking_to_hundreds_of_megabytes_is_refused_by_its_size(built, tmp_path):
    path = swollen(built, tmp_path / "big.docx", b"<w:p><w:r><w:t>x</w:t></w:r></w:p>", 3_000_000)  # 100 MB
    assert path.stat().st_size < 2_000_000
    code, lines = update(path)
    assert code == 1 and len(lines) == 1 and re.search("word/document.xml 解压后太大（9[0-9] MB，最多 32 MB）", lines[0]), lines


def test_a_body_of_millions_of_elements_is_refused_while_it_streams(built, tmp_path):
    path = swollen(built, tmp_path / "many.docx", b"<w:p/>", 2_000_000)  # 12 MB of empty paragraphs
    code, lines = update(path)
    assert code == 1 and len(lines) == 1 and "正文的元素太多" in lines[0], lines


def test_a_fifo_named_as_the_edited_document_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.docx"
    os.mkfifo(fifo)
    code, lines = update(fifo)
    assert code == 1 and len(lines) == 1 and "不是普通文件" in lines[0], lines
