"""The published PDF: LibreOffice converts the .docx, and the PDF reads like the disclosure.

Needs LibreOffice (soffice), poppler-utils and the free fonts narrate's fonts.conf maps the
official ones to; skips without them only outside CI (CI installs them, see .ci/run, so there
these tests must run)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from narrate import build, pdf, pipeline

TOOLS = pdf.soffice() is not None and all(shutil.which(t) for t in ("pdftotext", "pdfinfo", "pdffonts", "fc-list"))
if not TOOLS and os.environ.get("CI"):
    raise RuntimeError("CI must have LibreOffice and poppler-utils for the PDF test (see .ci/run)")
pytestmark = pytest.mark.skipif(not TOOLS, reason="LibreOffice or poppler-utils not installed")

# The free faces fonts.conf draws the official fonts in (Debian packages, installed by .ci/run).
FREE_FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC", "FandolFang", "FandolKai", "Liberation Serif")


def _missing_fonts() -> list[str]:
    if not TOOLS:
        return []
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    return [f for f in FREE_FONTS if f not in listed]


MISSING_FONTS = _missing_fonts()
if MISSING_FONTS and os.environ.get("CI"):
    raise RuntimeError(f"CI must have the fonts {MISSING_FONTS} for the PDF tests (see .ci/run)")
needs_fonts = pytest.mark.skipif(bool(MISSING_FONTS), reason=f"fonts not installed: {MISSING_FONTS}")


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pdf")
    checked = pipeline.check()
    path = folder / "sample.docx"
    build.write(checked.unit, checked.catalogs, path)
    return pdf.convert(path)


def pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def page_text(path: Path, n: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    return "".join(text.split())


def test_the_pdf_has_the_expected_length(converted):
    # title, 目录 (2), 第一部分 (2), eleven tables one a page, 第三部分 with its performance
    # tables, 第四部分: about 31 pages with the embedded sample's text.
    assert 26 <= pages(converted) <= 36


def test_the_pdf_reads_from_title_to_signature(converted):
    n = pages(converted)
    text = squash("".join(page_text(converted, i) for i in range(1, n + 1)))
    for expected in (
        "2024年单位预算公开",
        "目录",
        "第一部分2024年单位概况",
        "编制数30，实有人数24人",
        "单位收支总体情况表",
        "一般公共预算项目支出情况表",
        "第三部分2024年单位预算情况说明",
        "单位整体绩效目标表",
        "第四部分名词解释",
        "2024年2月25日",  # the published document pads: 2024年02月25日
    ):
        assert expected in text, expected
    # the TOC names them first; the body has them in this order
    assert text.rindex("单位收支总体情况表") < text.rindex("第三部分2024年单位预算情况说明") < text.rindex("第四部分名词解释")


def test_each_standard_table_starts_its_own_page(converted):
    starts = {}
    for i in range(1, pages(converted) + 1):
        head = squash(page_text(converted, i))[:20]
        for n in range(1, 12):
            if head.startswith(f"表{n}") and not head.startswith(f"表{n}0") and not head.startswith(f"表{n}1"):
                starts[n] = i
    assert sorted(starts) == list(range(2, 12))  # 表1 shares its page with the 第二部分 heading
    assert list(starts.values()) == sorted(starts.values())


def fonts(path: Path) -> set[str]:
    """Returns the faces pdffonts lists, without the subset tag (ABCDEF+) and vertical-form suffix."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0] for line in out.splitlines()[2:] if line.strip()]
    return {re.sub(r"-VKana$", "", n.split("+", 1)[-1]) for n in names}


@needs_fonts
def test_the_pdf_draws_each_role_in_its_own_face(converted):
    # 仿宋/宋体/小标宋 in a serif CJK face, 黑体 in a sans one, 楷体 in a 楷 face, Latin in Times' twin
    faces = fonts(converted)
    assert len(faces) >= 3, faces
    assert any("SerifCJK" in f for f in faces) and any("SansCJK" in f for f in faces), faces
    assert any("Kai" in f for f in faces) and any("LiberationSerif" in f for f in faces), faces


def test_the_pdf_is_tagged_and_in_chinese(converted):
    info = subprocess.run(["pdfinfo", str(converted)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    catalog = re.search(rb"<<\s*/Type\s*/Catalog(.*?)>>\s*endobj", converted.read_bytes(), re.S).group(1)
    assert re.search(rb"/Lang\s*\(zh-CN\)", catalog)
    assert b"/StructTreeRoot" in catalog


def outline(path: Path) -> list[tuple[int, str]]:
    """Returns the PDF's bookmarks (its outline) in order, as (depth, title)."""
    data = path.read_bytes()
    items: dict[int, dict[str, bytes]] = {}
    for m in re.finditer(rb"(\d+) 0 obj\s*<<(.*?)>>\s*endobj", data, re.S):
        body = m.group(2)
        if b"/Parent" in body and b"/Title" in body:
            fields = {k.decode(): v for k, v in re.findall(rb"/(Title|Parent|First|Next)\s*(<[0-9A-Fa-f]*>|\d+)", body)}
            items[int(m.group(1))] = fields
    root = re.search(rb"/Outlines\s+(\d+)", data).group(1)
    first = re.search(rb"%s 0 obj\s*<<[^>]*?/First\s+(\d+)" % root, data).group(1)

    def title(fields) -> str:
        return bytes.fromhex(fields["Title"][1:-1].decode())[2:].decode("utf-16-be")

    out: list[tuple[int, str]] = []

    def walk(n: int | None, depth: int) -> None:
        while n is not None:
            fields = items[n]
            out.append((depth, title(fields)))
            if "First" in fields:
                walk(int(fields["First"]), depth + 1)
            n = int(fields["Next"]) if "Next" in fields else None

    walk(int(first), 0)
    return out


def test_the_performance_tables_are_in_the_pdfs_bookmarks(converted):
    marks = outline(converted)
    titles = [t for _, t in marks]
    assert "第三部分 2024年单位预算情况说明" in titles and "单位收支总体情况表" in titles
    perf = [(d, t) for d, t in marks if t.endswith("绩效目标表")]
    assert [t for _, t in perf] == ["单位整体绩效目标表"] + ["项目支出绩效目标表"] * 3
    # each under （四）预算绩效情况, which is under 十二、其他重要事项的情况说明
    under = titles.index("（四）预算绩效情况")
    assert all(d == marks[under][0] + 1 for d, _ in perf)
    assert titles.index("单位整体绩效目标表") == under + 1


PT_PER_MM = 72 / 25.4
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def words(path: Path, n: int) -> list[tuple[float, float, float, float, str]]:
    """Returns page n's words with their boxes (points, from the top left)."""
    out = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in WORD.findall(out)]


def page_size(path: Path, n: int) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", "-f", str(n), "-l", str(n), str(path)], capture_output=True, text=True, check=True).stdout
    w_, h = re.search(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info).groups()
    return float(w_), float(h)


def page_number(path: Path, n: int):
    """Returns page n's number as printed (— 12 —) with its box, or None."""
    ws = words(path, n)
    if not ws:
        return None
    bottom = max(w[1] for w in ws)
    line = sorted((w for w in ws if w[1] > bottom - 1), key=lambda w: w[0])  # the lowest line, left to right
    if len(line) != 3 or not (line[0][4] == line[2][4] == "—"):
        return None
    return line[1][4], line[0][0], line[0][1], line[2][2]


def test_page_numbers_sit_where_gb_t_9704_puts_them(converted):
    # portrait margins 37/35/28/26 mm; a landscape page turned clockwise: top 28, right 37, bottom 26, left 35
    portrait, landscape = {"bottom": 35, "left": 28, "right": 26}, {"bottom": 26, "left": 35, "right": 37}
    numbers = []
    for n in range(1, pages(converted) + 1):
        found = page_number(converted, n)
        if n == 1:
            assert found is None  # the title page
            continue
        assert found is not None, n
        text, x0, top, x1 = found
        numbers.append(text)
        width, height = page_size(converted, n)
        m = landscape if width > height else portrait
        gap = (top - (height - m["bottom"] * PT_PER_MM)) / PT_PER_MM
        assert 5.5 <= gap <= 8.5, (n, gap)  # about 7 mm below the text block
        one_char = 14
        odd = (int(text) if text.isdigit() else len(text) if set(text) == {"I"} else {"IV": 4, "V": 5}[text]) % 2 == 1
        if odd:  # odd pages: right, one character in
            assert abs(x1 - (width - m["right"] * PT_PER_MM - one_char)) < 2, (n, text, x1)
        else:
            assert abs(x0 - (m["left"] * PT_PER_MM + one_char)) < 2, (n, text, x0)
    # the 目录 in Roman numbers, then the body from 1, without a gap
    assert numbers[:3] == ["I", "II", "1"]
    assert numbers[2:] == [str(k) for k in range(1, len(numbers) - 1)]


def _lone_characters(path: Path, last_page: int | None = None) -> list[tuple[int, str]]:
    """Returns (page, cell text) of every table cell whose last line holds one Chinese character
    alone, read from the PDF's text layout: a cell is a block of small (table-size) lines."""
    import unicodedata

    from lxml import etree

    html = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    xhtml = "{http://www.w3.org/1999/xhtml}"
    out = []
    for n, page in enumerate(etree.fromstring(html.encode(), etree.XMLParser(recover=True)).iter(xhtml + "page"), 1):
        if last_page is not None and n > last_page:
            break
        for block in page.iter(xhtml + "block"):
            lines = ["".join(w.text or "" for w in line.iter(xhtml + "word")) for line in block.iter(xhtml + "line")]
            heights = [float(line.get("yMax")) - float(line.get("yMin")) for line in block.iter(xhtml + "line")]
            if len(lines) > 1 and all(h < 15 for h in heights) and len(lines[-1]) == 1 \
                    and unicodedata.east_asian_width(lines[-1]) == "W":
                out.append((n, "".join(lines)))
    return out


@needs_fonts
@pytest.mark.parametrize("name", ["kizilsu-egov-2024.yaml", "putuo-commerce-2025-unit.yaml", "putuo-commerce-2025-dept.yaml"])
def test_no_line_of_a_standard_table_holds_one_character_alone(tmp_path, name):
    from narrate.resources import data_dir

    checked = pipeline.check(data_dir("inputs") / name)
    path = tmp_path / "doc.docx"
    build.write(checked.unit, checked.catalogs, path, checked.profile)
    made = pdf.convert(path)
    # The standard tables come before the performance forms (Xinjiang's part three); a form's
    # nine narrow columns may not have the room, which the test does not ask of them.
    forms = next((n for n in range(1, pages(made) + 1) if re.search(r"绩效目标表（\d{4}年）", squash(page_text(made, n)))), None)
    assert _lone_characters(made, (forms - 1) if forms else None) == []


def test_the_last_sub_section_does_not_sit_alone_on_a_page(converted):
    """（五）其他需说明的事项 and its one sentence share their page with what comes before, unless
    that page is full (no page break pushes them on a page of their own)."""
    import pdflines

    for n in range(1, pages(converted) + 1):
        text = squash(page_text(converted, n))
        if "（五）其他需说明的事项" in text:
            rest = re.sub(r"—\d+—", "", text.replace("（五）其他需说明的事项", "").replace("我单位无其他需说明事项。", ""))
            if not rest:
                before = [line for line in pdflines.lines(converted) if line.page == n - 1 and not re.fullmatch(r"—?\d+—?", line.text)]
                assert max(line.y1 for line in before) > 841.9 - 35 * 72 / 25.4 - 2 * 28, f"page {n} holds only the last sub-section"
            return
    raise AssertionError("（五）其他需说明的事项 not found")
