"""The review list names the section heading and an excerpt no other paragraph shares, so the
officer finds the place; with --comments each item is a comment anchored on its paragraph."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import wordlike
from narrate.regen.update import summary, update
from test_update import changed_input
from updating import accepted, para, render, snapshot

DAY = dt.date(2025, 1, 2)
# Two paragraphs that open with the same 24 characters (the unit's name and the year).
FIRST, SECOND = "s3_03_lead", "s3_05_basic"


def test_review_items_name_the_heading_and_an_excerpt_only_their_paragraph_has(tmp_path: Path) -> None:
    edited = tmp_path / "E.docx"
    edited.write_bytes(render(None))
    s1 = snapshot(edited.read_bytes())
    assert para(s1, FIRST)["text"][:24] == para(s1, SECOND)["text"][:24]
    with wordlike.editing(edited) as body:
        for pid in (FIRST, SECOND):
            wordlike.type_over(wordlike.marked(body, para(s1, pid)["mark"]), "473.87", "473.9")
    result = update(edited, render(changed_input(tmp_path)), date=DAY)
    items = [i for i in result.outcome.review if i.block in (FIRST, SECOND)]
    assert sorted(i.block for i in items) == [FIRST, SECOND]
    texts = [wordlike.text(p) for p in wordlike.paragraphs(accepted(result.path.read_bytes()))]
    for item in items:
        assert sum(item.excerpt.strip("…") in t for t in texts) == 1, item.excerpt
    lines = summary(result)
    headings = {FIRST: "三、关于克孜勒苏柯尔克孜自治州电子政务服务中心2024年支出预算情况说明", SECOND: "（一）一般公共预算当年拨款规模变化情况"}
    for item in items:
        assert any(headings[item.block] in line and item.excerpt in line and "473.9→470.94" in line for line in lines), lines
