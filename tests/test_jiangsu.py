"""Golden tests: the Jiangsu provincial department format (js-dept) against the published 2019
部门预算 of 江苏省高级人民法院 (inputs/jiangsu/js-high-court-2019.yaml).

Every sentence of the published 第三部分 (tests/data/js_high_court_2019_part3.txt, copied from
shared/seeds/jiangsu_high_court_2019_dept.txt) and every body cell of its twelve tables
(tests/data/js_high_court_2019_tables.txt) is compared with what narrate builds. Where the
published text slips, narrate prints the right text and CORRECTED says what and why.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from narrate import build, pipeline
from narrate.resources import data_dir

DATA = Path(__file__).parent / "data"

# published text -> what narrate prints instead, and why
CORRECTED = {
    # the seed's text layer shows the file number's brackets as „‟; the 批复 is 苏财预〔2019〕7号
    "苏财预„2019‟7号": ("苏财预〔2019〕7号", "text-layer artefact"),
    # 86.95 / 513.75 = 16.9246%: the published shares (31.14 + 51.93 + 16.93) were forced to 100
    "公务接待费支出86.95万元，占“三公”经费的16.93%": ("公务接待费支出86.95万元，占“三公”经费的16.92%", "share forced to 100%"),
    # percentages drop trailing zeros (12.5%, 10%, 100%) everywhere else in the document
    "增长16.30%": ("增长16.3%", "trailing zero kept only here"),
    "增长64.70%": ("增长64.7%", "trailing zero kept only here"),
    # the 项's name is 一般行政管理事务 (the document's own 公开05/07 表); the text swaps two words
    "一般行政事务管理（项）": ("一般行政管理事务（项）", "name as in the classification"),
    # the document writes 类 names without 支出 only here (（二）（三） keep it)
    "（一）公共安全（类）": ("（一）公共安全支出（类）", "类 sub-headings written one way"),
    # the economic item 30108 is 机关事业单位基本养老保险缴费 (公开06/08 表); the text drops 基本
    "机关事业单位养老保险缴费、职业年金缴费、其他": ("机关事业单位基本养老保险缴费、职业年金缴费、其他", "name as in the classification"),
    # a reason follows its figures after 。 in every other line; three lines use ， (and 主要原因为)
    "减少18.42%，主要原因是": ("减少18.42%。主要原因是", "punctuation made uniform"),
    "减少30.77%，主要原因是": ("减少30.77%。主要原因是", "punctuation made uniform"),
    "增长53.82%，主要原因为": ("增长53.82%。主要原因是", "punctuation made uniform"),
}


def normal(text: str) -> str:
    return re.sub(r"\s+", "", text)


def published_part3() -> str:
    lines = (DATA / "js_high_court_2019_part3.txt").read_text(encoding="utf-8").splitlines()
    text = normal("".join(line for line in lines if not line.startswith("#")))
    for wrong, (right, _why) in CORRECTED.items():
        assert wrong in text, wrong  # each correction names text the document really has
        text = text.replace(wrong, right)
    return text


def sentences(text: str) -> list[str]:
    return [s for s in text.split("。") if s]


def published_tables() -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    current = None
    for line in (DATA / "js_high_court_2019_tables.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("["):
            current = out.setdefault(line.strip("[]"), [])
        else:
            current.append([normal(c) for c in line.split(" | ")])
    return out


@pytest.fixture(scope="module")
def document():
    checked = pipeline.check(data_dir("inputs") / "jiangsu" / "js-high-court-2019.yaml")
    assert checked.ok and checked.problems == [], [str(p) for p in checked.problems]
    return build.document(checked.unit, checked.catalogs, checked.profile)


def built_part3(document) -> str:
    texts = [b.text for b in document.blocks if hasattr(b, "text") and not hasattr(b, "rows")]
    start = next(i for i, t in enumerate(texts) if t.startswith("第三部分"))
    end = next(i for i, t in enumerate(texts) if t.startswith("第四部分"))
    return normal("".join(texts[start:end]))


def test_every_sentence_of_part3_is_built(document):
    expected = sentences(published_part3())
    built = set(sentences(built_part3(document)))
    missing = [s for s in expected if s not in built]
    assert len(expected) == 91 and missing == [], missing


def test_part3_says_nothing_the_document_does_not(document):
    expected = set(sentences(published_part3()))
    extra = [s for s in sentences(built_part3(document)) if s not in expected]
    assert extra == [], extra


def test_every_cell_of_the_twelve_tables(document):
    tables = {b.id: [[normal(c.text) for c in row] for row in b.rows] for b in document.blocks if hasattr(b, "rows")}
    expected = published_tables()
    assert sorted(expected, key=lambda t: int(t[1:])) == [f"j{n}" for n in range(1, 13)]
    counted = 0
    for tid, rows in expected.items():
        want = Counter(c for row in rows for c in row if c)
        got = Counter(c for row in tables[tid] for c in row if c)
        assert want - got == Counter(), (tid, want - got)
        assert got - want == Counter(), (tid, got - want)
        counted += sum(want.values())
        # row by row too: each published row is a built row (blank cells aside)
        built_rows = [[c for c in row if c] for row in tables[tid]]
        for row in rows:
            assert [c for c in row if c] in built_rows, (tid, row)
    assert counted == 463
