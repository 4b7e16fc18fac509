"""Every sample's PDF as the publishing officer reads it, line by line (tests/pdflines.py): no
number, year or word broken across two lines, no table continued on a page without its header,
no body line holding one character alone; and the PDF's language is the document's."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

import pdflines
from narrate import build, pdf, phrasebook, pipeline
from narrate.resources import data_dir
from test_build_pdf import TOOLS
from samples import SAMPLES

pytestmark = pytest.mark.skipif(not TOOLS, reason="LibreOffice or poppler-utils not installed")



@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """profile -> (.docx, .pdf) of its sample."""
    folder = tmp_path_factory.mktemp("pages")
    out = {}
    for name, (source, profile) in SAMPLES.items():
        checked = pipeline.check(data_dir("inputs") / source, None, profile)
        assert checked.ok
        path = folder / f"{name}.docx"
        build.write(checked.unit, checked.catalogs, path, checked.profile, phrasebook.load(profile=checked.profile))
        out[name] = (path, pdf.convert(path))
    return out


def document_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml")


def known_tokens(path: Path) -> set[str]:
    """The Latin tokens of the document's own text, paragraph by paragraph (a cell's lines apart)."""
    return set().union(*(pdflines.tokens(t) for t in pdflines.paragraph_texts(document_xml(path))))


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_no_number_year_or_word_is_broken_across_lines(made, name):
    docx_path, pdf_path = made[name]
    lines = pdflines.lines(pdf_path)
    assert len(lines) > 500  # the whole document was read
    assert pdflines.broken(lines, known_tokens(docx_path)) == []


def test_the_check_finds_a_broken_number():
    # The check can fail: two lines of one paragraph, 473.8 ending one and 7万元 starting the next.
    a = pdflines.Line(1, 1, "一般公共预算收入473.8", "一般公共预算收入473.8", "473.8", 80, 520, 100, 116)
    b = pdflines.Line(1, 2, "7万元。", "7万元。", "7万元。", 80, 200, 120, 136)
    assert pdflines.broken([a, b], {"473.87"}) == ["page 1: 473.8|7万元。"]
    assert pdflines.lone([a, pdflines.Line(1, 2, "元。", "元。", "元。", 80, 110, 120, 136)], 300) == ["page 1: 般公共预算收入473.8|元。"]


# Line breaks are estimated (docx/widths.py), not measured: in this sample one line still ends
# with a character alone in LibreOffice (a 决算 paragraph whose digits and stops the estimate
# takes wider than they are). Strict: a fix shows here. (js-dept's lone character was in a 目录
# entry of a 第三部分 section, which its 目录 no longer lists, as the published one does not.)
LONE_LEFT = {"sh-dept-final"}


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason="one lone character left (see LONE_LEFT)"))
                                  if n in LONE_LEFT else n for n in sorted(SAMPLES)])
def test_no_line_of_text_holds_one_character_alone(made, name):
    # In body text and titles (a line at least 300 pt wide above it), not in narrow table cells.
    _, pdf_path = made[name]
    assert pdflines.lone(pdflines.lines(pdf_path), 300) == []


KIND_WORDS = ("预算", "决算", "Budget", "FinalAccounts")  # as pdflines reads them: without spaces  # the words that make a cover line the document's title


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_covers_largest_line_is_its_title(made, name):
    # The title (the line naming the kind of document) is the largest on the cover; the unit's
    # line, whether labelled (预算单位：…) or standing above the title, is not larger.
    _, pdf_path = made[name]
    cover = [line for line in pdflines.lines(pdf_path) if line.page == 1 and line.text.strip()]
    biggest = max(line.y1 - line.y0 for line in cover)
    largest = [line.text for line in cover if line.y1 - line.y0 > biggest - 0.5]
    titles = [t for t in largest if any(w in t for w in KIND_WORDS) and "：" not in t and ":" not in t]  # 预算单位：… is a label
    assert largest and titles == largest, \
        [(line.text, line.y1 - line.y0) for line in cover]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_no_table_continues_on_a_page_without_its_header(made, name):
    docx_path, pdf_path = made[name]
    assert pdflines.headless_pages(pdflines.lines(pdf_path), document_xml(docx_path)) == []


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_pdfs_language_is_the_documents(made, name):
    _, pdf_path = made[name]
    catalog = re.search(rb"<<\s*/Type\s*/Catalog(.*?)>>\s*endobj", pdf_path.read_bytes(), re.S).group(1)
    want = b"en-US" if name.endswith("-en") else b"zh-CN"
    assert re.search(rb"/Lang\s*\(" + want + rb"\)", catalog)


# The face fontconfig (src/narrate/fonts.conf) draws each font the profiles name in: the PDF's
# font names (pdffonts) start with these.
FACE = {
    "仿宋_GB2312": "FandolFang",
    "楷体_GB2312": "FandolKai",
    "黑体": "NotoSansCJK",
    "方正小标宋简体": "NotoSerifCJK",
    "宋体": "NotoSerifCJK",
    "Times New Roman": "LiberationSerif",
    "Arial": "LiberationSans",
}
CJK = re.compile(r"[\u3400-\u9fff]")  # Chinese characters: the East Asian face
LATIN = re.compile(r"[A-Za-z0-9.,%()\-]+")  # letters, digits and their punctuation: the Latin face


def style_fonts(path: Path) -> dict[str, tuple[str, str, bool]]:
    """Style id -> (East Asian font, Latin font, bold) from the document's styles.xml."""
    from lxml import etree

    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/styles.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    out = {}
    for s in root.iter(f"{w}style"):
        fonts = s.find(f"{w}rPr/{w}rFonts")
        bold = s.find(f"{w}rPr/{w}b")
        if fonts is not None:
            out[s.get(f"{w}styleId")] = (fonts.get(f"{w}eastAsia"), fonts.get(f"{w}ascii"),
                                         bold is not None and bold.get(f"{w}val") != "0")
    return out


def paragraphs_by_style(path: Path) -> list[tuple[str, str]]:
    """(style id, squashed text) of every paragraph of the document."""
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = etree.fromstring(document_xml(path))
    out = []
    for p in root.iter(f"{w}p"):
        style = p.find(f"{w}pPr/{w}pStyle")
        text = "".join("".join((t.text or "").split()) for t in p.iter(f"{w}t")).replace("\u00ad", "")  # soft hyphens
        if text:
            out.append((style.get(f"{w}val") if style is not None else "Normal", text))
    return out


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_character_is_drawn_in_the_face_its_style_names(made, name):
    docx_path, pdf_path = made[name]
    # No fallback anywhere: every font in the PDF is one the mapping chose.
    used = set(pdflines.fonts(pdf_path).values())
    assert all(any(f.split("+")[-1].startswith(face) for face in FACE.values()) for f in used), used
    styles, paras = style_fonts(docx_path), paragraphs_by_style(docx_path)
    checked = 0
    for text, font in pdflines.drawn(pdf_path):
        piece = "".join(text.split())
        if len(piece) < 2:
            continue
        owners = [styles[s] for s, t in paras if piece in t and s in styles]
        if not owners:  # a page number, or a piece pdftohtml cut across paragraphs
            continue
        if not CJK.search(piece) and not LATIN.fullmatch(piece):
            continue  # quotes and dashes beside Latin text: the script an editor gives them varies
        face = font.split("+")[-1]
        # CJK text in its style's East Asian face (小标宋 in the bold weight); Latin text in the
        # Latin face, which for titles is the title's own (no Times inside a 小标宋 title)
        want = {FACE[east if CJK.search(piece) else latin] for east, latin, _ in owners}
        assert any(face.startswith(x) for x in want), (piece, face, want)
        if CJK.search(piece) and all(east == "方正小标宋简体" for east, _, _ in owners):
            assert "Bold" in face, (piece, face)
        checked += 1
    assert checked > 300
