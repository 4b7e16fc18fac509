"""The document as Word and WPS show it (issue 13): the OOXML that decides fonts, styles, page
numbers, margins and page breaks, for the embedded sample and the Shanghai samples. The PDF side
of the same points is in tests/test_build_pdf.py."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from lxml import etree

from narrate import build, pipeline
from narrate.resources import data_dir

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1], "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
SAMPLES = {"xj": "kizilsu-egov-2024.yaml", "sh-unit": "putuo-commerce-2025-unit.yaml", "sh-dept": "putuo-commerce-2025-dept.yaml"}
# Word's own style names: Word, WPS and LibreOffice show these in the user's language.
BUILT_IN = re.compile(r"^(Normal|Title|Subtitle|TOC Heading|heading \d|toc \d|List Paragraph|Signature|Closing|footer|header|"
                      r"Hyperlink|Default Paragraph Font|Normal Table)$")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module", params=sorted(SAMPLES))
def package(request) -> tuple[str, dict[str, etree._Element]]:
    checked = pipeline.check(data_dir("inputs") / SAMPLES[request.param])
    data = build.render(checked.unit, checked.catalogs, checked.profile)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {n: etree.fromstring(archive.read(n)) for n in archive.namelist() if n.endswith((".xml", ".rels"))}
    return request.param, parts


def styles_by_id(parts) -> dict[str, etree._Element]:
    return {s.get(f"{W}styleId"): s for s in parts["word/styles.xml"].iter(f"{W}style")}


def test_narrates_own_styles_have_chinese_names_and_word_keeps_its_own(package):
    _, parts = package
    names = {sid: s.find(f"{W}name").get(f"{W}val") for sid, s in styles_by_id(parts).items()}
    own = {sid: name for sid, name in names.items() if not BUILT_IN.match(name)}
    assert len(own) >= 12  # 表名, 表头, 表格金额 … and the table style
    assert [name for name in own.values() if not CJK.search(name)] == []
    assert names["Heading1"] == "heading 1" and names["Normal"] == "Normal" and names["TOC1"] == "toc 1"
    assert names["TableTitle"] == "表名" and names["NarrateTable"] == "预算表格"  # ids kept for `narrate update`


def test_every_paragraph_style_defined_is_used(package):
    kind, parts = package
    used = {v for name, root in parts.items() if name.startswith("word/") for v in root.xpath("//w:pStyle/@w:val", namespaces=NS)}
    defined = {sid for sid, s in styles_by_id(parts).items() if s.get(f"{W}type") == "paragraph"}
    if kind == "xj":  # the Xinjiang sample uses every style its profile defines (no unused Heading 4)
        assert defined - used == set()
    assert used - defined == set()


def test_part_headings_are_bold_and_larger_than_the_body(package):
    _, parts = package
    styles = styles_by_id(parts)
    size = lambda sid: int(styles[sid].find(f"{W}rPr/{W}sz").get(f"{W}val"))  # noqa: E731
    assert size("Heading1") > size("Normal")
    bold = styles["Heading1"].find(f"{W}rPr/{W}b")
    assert bold is not None and bold.get(f"{W}val") in (None, "1", "true")


def test_widow_control_is_on_and_latin_text_is_english_chinese_text_chinese(package):
    # Latin letters and digits tagged Chinese let LibreOffice break 473.87 or a year anywhere.
    _, parts = package
    defaults = parts["word/styles.xml"].find(f"{W}docDefaults")
    assert defaults.find(f"{W}pPrDefault/{W}pPr/{W}widowControl") is not None
    lang = defaults.find(f"{W}rPrDefault/{W}rPr/{W}lang")
    assert (lang.get(f"{W}val"), lang.get(f"{W}eastAsia")) == ("en-US", "zh-CN")
    assert parts["word/settings.xml"].find(f"{W}themeFontLang").get(f"{W}eastAsia") == "zh-CN"
    # no style turns it off again
    assert parts["word/styles.xml"].xpath("//w:style//w:widowControl[@w:val='0']", namespaces=NS) == []


def test_the_package_has_a_theme_part_related_and_typed(package):
    _, parts = package
    rels = parts["word/_rels/document.xml.rels"]
    theme = [r for r in rels if r.get("Type").endswith("/relationships/theme")]
    assert [r.get("Target") for r in theme] == ["theme/theme1.xml"]
    types = {o.get("PartName"): o.get("ContentType") for o in parts["[Content_Types].xml"]}
    assert types["/word/theme/theme1.xml"] == "application/vnd.openxmlformats-officedocument.theme+xml"
    root = parts["word/theme/theme1.xml"]
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    assert root.tag == f"{a}theme"
    assert root.find(f"{a}themeElements/{a}fontScheme/{a}minorFont/{a}latin").get("typeface") == "Times New Roman"
    assert [el.tag.split("}")[1] for el in root.find(f"{a}themeElements")] == ["clrScheme", "fontScheme", "fmtScheme"]


SHARED = re.compile("[“”‘’—…·]")  # drawn in the Latin font unless the run is marked East Asian


def _hinted(r: etree._Element) -> bool:
    fonts = r.find(f"{W}rPr/{W}rFonts")
    return fonts is not None and fonts.get(f"{W}hint") == "eastAsia"


def test_runs_with_chinese_quotes_and_dashes_are_marked_east_asian(package):
    kind, parts = package
    shown = [r for r in parts["word/document.xml"].iter(f"{W}r") if r.find(f"{W}instrText") is None]  # not a field's code
    runs = [r for r in shown if SHARED.search("".join(r.itertext()))]
    assert len(runs) >= 3  # “三公” in the text, the tables and the 目录
    assert [("".join(r.itertext()))[:20] for r in runs if not _hinted(r)] == []
    plain = [r for r in shown if "".join(r.itertext()) and not SHARED.search("".join(r.itertext()))]
    assert not any(_hinted(r) for r in plain[:200])  # only where it matters
    footer = [r for r in parts["word/footer1.xml"].iter(f"{W}r") if "—" in "".join(r.itertext())]
    assert len(footer) == 2 and all(_hinted(r) for r in footer)  # — {PAGE} —


def sections(parts) -> list[etree._Element]:
    return parts["word/document.xml"].xpath("//w:sectPr", namespaces=NS)


def twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def test_page_numbers_are_song_odd_right_even_left_and_the_toc_counts_apart(package):
    kind, parts = package
    assert parts["word/settings.xml"].find(f"{W}evenAndOddHeaders") is not None
    odd, even = parts["word/footer1.xml"].find(f"{W}p/{W}pPr"), parts["word/footer3.xml"].find(f"{W}p/{W}pPr")
    assert odd.find(f"{W}jc").get(f"{W}val") == "right" and odd.find(f"{W}ind").get(f"{W}right") == "280"  # one 14 pt character in
    assert even.find(f"{W}jc").get(f"{W}val") == "left" and even.find(f"{W}ind").get(f"{W}left") == "280"
    footer = styles_by_id(parts)["Footer"].find(f"{W}rPr/{W}rFonts")
    assert footer.get(f"{W}ascii") == footer.get(f"{W}eastAsia") == "宋体"  # the digits too
    sects = sections(parts)

    def refs(sect):
        rels = {r.get("Id"): r.get("Target") for r in parts["word/_rels/document.xml.rels"]}
        return {ref.get(f"{W}type"): rels[ref.get(f"{{{NS['r']}}}id")] for ref in sect.findall(f"{W}footerReference")}

    def numbering(sect):
        n = sect.find(f"{W}pgNumType")
        return None if n is None else (n.get(f"{W}fmt"), n.get(f"{W}start"))

    front, toc, first_body, *rest = sects
    assert front.find(f"{W}titlePg") is not None and refs(front)["first"] == "footer2.xml"  # the title page: no number
    assert "PAGE" not in "".join(parts["word/footer2.xml"].itertext())
    assert numbering(toc) == ("upperRoman", "1") and refs(toc) == {"default": "footer1.xml", "even": "footer3.xml"}
    assert numbering(first_body) == ("decimal", "1")
    assert {numbering(s) for s in rest} == {("decimal", None)}  # the body runs on
    # the number's line starts 7 mm below the text block: footer distance = bottom margin - 7 mm - its line
    for sect in sects:
        margin = sect.find(f"{W}pgMar")
        gap = int(margin.get(f"{W}bottom")) - int(margin.get(f"{W}footer"))
        assert twips(7) + 14 * 20 <= gap <= twips(7) + 14 * 20 * 1.5, (margin.attrib, gap)


def test_landscape_pages_turn_their_margins_with_the_sheet(package):
    _, parts = package
    margins = lambda s: {k: int(v) for k, v in s.find(f"{W}pgMar").attrib.items() if k.split("}")[1] in ("top", "right", "bottom", "left")}  # noqa: E731
    size = lambda s: s.find(f"{W}pgSz")  # noqa: E731
    portrait = [margins(s) for s in sections(parts) if size(s).get(f"{W}orient") is None]
    landscape = [margins(s) for s in sections(parts) if size(s).get(f"{W}orient") == "landscape"]
    assert landscape and {tuple(sorted(m.items())) for m in portrait} == {tuple(sorted(portrait[0].items()))}
    p = {k.split("}")[1]: v for k, v in portrait[0].items()}
    assert (p["top"], p["bottom"], p["left"], p["right"]) == (twips(37), twips(35), twips(28), twips(26))  # GB/T 9704
    for m in landscape:
        m = {k.split("}")[1]: v for k, v in m.items()}
        # the landscape page's top lies along the binding (the portrait page's left edge): turned clockwise
        assert (m["top"], m["right"], m["bottom"], m["left"]) == (p["left"], p["top"], p["right"], p["bottom"])
