"""Golden tests: the two Shanghai samples (上海市普陀区商务委员会 2025, unit and department) against
their published texts.

The expected sentences (tests/data/sh_*_expected.txt) and table figures (sh_*_tables.txt) were
taken from the published documents (shared/seeds/shanghai_putuo_commerce_2025_*.txt), with the
published slips corrected and marked. Each is compared with the text of the built .docx.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest

from narrate import build, pipeline
from narrate.docx.revisions import w
from narrate.resources import data_dir

DATA = Path(__file__).parent / "data"
SAMPLES = {"unit": "putuo-commerce-2025-unit.yaml", "dept": "putuo-commerce-2025-dept.yaml"}
AMOUNT = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})*\.\d{2}(?!\d)")
_FOLD = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）"})


def normal(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(_FOLD)


def sentences(lines) -> set[str]:
    return {normal(s) for line in lines for s in line.split("。") if normal(s)}


@pytest.fixture(scope="module", params=sorted(SAMPLES))
def built(request):
    checked = pipeline.check(data_dir("inputs") / SAMPLES[request.param])
    assert checked.ok and checked.problems == [], [str(p) for p in checked.problems]
    return request.param, docx.Document(io.BytesIO(build.render(checked.unit, checked.catalogs, checked.profile)))


def expected(kind: str) -> list[str]:
    lines = (DATA / f"sh_{kind}_expected.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def table_figures(document) -> list[list[str]]:
    """Returns each table's amounts, row by row, each merged cell once."""
    out = []
    for table in document.tables:
        cells = [
            "".join(t.text or "" for t in tc.iter(w("t")))
            for tr in table._tbl.iter(w("tr"))
            for tc in tr.iter(w("tc"))
        ]
        out.append([c for c in cells if AMOUNT.fullmatch(c)])
    return out


def test_every_published_sentence_is_generated(built):
    kind, document = built
    got = sentences(paragraphs(document))
    want = sentences(expected(kind))
    missing = sorted(s for s in want if s not in got)
    assert missing == [], f"{len(missing)} of {len(want)} sentences not generated"


def test_the_nine_table_titles_come_in_the_published_order(built):
    kind, document = built
    lines = (DATA / f"sh_{kind}_tables.txt").read_text(encoding="utf-8").splitlines()
    titles = [line.split("\t")[0] for line in lines if not line.startswith("#")]
    got = [p.text for p in document.paragraphs if p.style.name == "表名"]
    assert got == titles and len(titles) == 9


def test_every_table_prints_the_published_amounts_in_yuan(built):
    kind, document = built
    lines = [line for line in (DATA / f"sh_{kind}_tables.txt").read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    want = [line.split("\t")[1].split() for line in lines]
    assert table_figures(document) == want


def test_the_title_page_and_table_captions(built):
    kind, document = built
    texts = paragraphs(document)
    word = "单位" if kind == "unit" else "部门"
    assert texts[:2] == [f"上海市普陀区2025年区级{word}预算", ("预算单位：" if kind == "unit" else "预算主管部门：") + "上海市普陀区商务委员会"]
    assert texts.count(f"编制{word}：上海市普陀区商务委员会") == 9
    assert texts.count("单位：元") == 8 and texts.count("单位：万元") == 1
    assert not any(t.startswith("表 ") for t in texts)  # no table numbers above the titles


def test_the_department_lists_its_member_units_and_key_projects():
    checked = pipeline.check(data_dir("inputs") / SAMPLES["dept"])
    blocks = build.document(checked.unit, checked.catalogs, checked.profile).blocks
    ids = [b.id for b in blocks if hasattr(b, "id")]
    assert ids.index("ov_units") < ids.index("ov_kinds") < ids.index("ov_m1") < ids.index("ov_m2")
    notes = [b.text for b in blocks if getattr(b, "style", "") == "note_title" and b.text.endswith("经费情况说明")]
    assert notes == ["科技创新专项经费情况说明", "生命健康专项（政策资金）经费情况说明",
                     "商业创新专项（政策资金）经费情况说明", "贸易高质量发展专项（政策资金）经费情况说明"]
