"""No stale figure is silent: after the officer rejects all of narrate's revisions and updates
again with the same figures, every figure the document no longer shows right is listed; a
generated sentence the officer copied (not cut) elsewhere is listed when its figures change.

Both reproduce the issue's failures: 74 figures left stale with nothing listed after reject-all,
and a copied sentence's old figure unlisted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import wordlike
from narrate.regen import review
from narrate.regen.update import update
from test_update import changed_input
from updating import para, render, snapshot, snapshot_cells

DAY = dt.date(2025, 1, 2)
BASIC = "s3_05_basic"  # 一般公共预算拨款合计 473.87 万元，其中：基本支出 380.47 万元，比上年预算增加 …


@pytest.fixture(scope="module")
def gens(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("gens")
    return {"1": render(None), "2": render(changed_input(folder))}


def _changed_blocks(s1: dict, s2: dict) -> set[str]:
    """Blocks of the same shape in both generations whose figures differ."""
    out = set()
    first = {b["id"]: b for b in s1["blocks"]}
    for b2 in s2["blocks"]:
        b1 = first.get(b2["id"])
        if b1 is None or b1["type"] != b2["type"]:
            continue
        if b1["type"] == "p":
            shape = [[(r.get("figure"), "" if r.get("figure") else r["text"]) for r in b["runs"]] for b in (b1, b2)]
            if shape[0] == shape[1] and b1["text"] != b2["text"]:
                out.add(b1["id"])
        else:
            c1, c2 = snapshot_cells(b1), snapshot_cells(b2)
            if any(k in c1 and c1[k]["text"] != cell["text"] and cell.get("figure") for k, cell in c2.items()):
                out.add(b1["id"])
    return out


def test_after_reject_all_every_figure_left_stale_is_listed(tmp_path: Path, gens) -> None:
    edited = tmp_path / "E.docx"
    edited.write_bytes(gens["1"])
    second = update(edited, gens["2"], output=tmp_path / "U2.docx", date=DAY).path
    with wordlike.editing(second) as body:
        wordlike.reject_all(body, author="narrate")
    third = update(second, gens["2"], output=tmp_path / "U3.docx", date=DAY)
    stale = {i.block for i in third.outcome.review if i.kind == "figure_stale"}
    changed = _changed_blocks(snapshot(gens["1"]), snapshot(gens["2"]))
    assert len(changed) > 20  # the case is worth testing: many figures were rejected
    assert changed <= stale, sorted(changed - stale)
    item = next(i for i in third.outcome.review if i.block == BASIC)
    s1, s2 = para(snapshot(gens["1"]), BASIC), para(snapshot(gens["2"]), BASIC)
    first = next(r["text"] for r in s1["runs"] if r.get("figure"))
    now = next(r["text"] for r in s2["runs"] if r.get("figure"))
    assert f"{first}→{now}" in item.detail  # what the document shows → what the data says
    # nothing was changed: the officer's rejection stands until they act on the list
    assert not third.outcome.updated and not third.outcome.replaced and not third.outcome.cells


def test_an_untouched_update_lists_nothing(tmp_path: Path, gens) -> None:
    edited = tmp_path / "E.docx"
    edited.write_bytes(gens["1"])
    second = update(edited, gens["2"], output=tmp_path / "U2.docx", date=DAY).path
    with wordlike.editing(second) as body:
        wordlike.accept_all(body)
    third = update(second, gens["2"], output=tmp_path / "U3.docx", date=DAY)
    assert third.outcome.review == []


def test_a_copied_sentence_keeps_its_figure_and_is_listed(tmp_path: Path, gens) -> None:
    edited = tmp_path / "E.docx"
    edited.write_bytes(gens["1"])
    s1, s2 = snapshot(gens["1"]), snapshot(gens["2"])
    sentence = para(s1, BASIC)["text"].split("，")[0]  # 一般公共预算拨款合计 473.87 万元
    first = next(r["text"] for r in para(s1, BASIC)["runs"] if r.get("figure"))
    now = next(r["text"] for r in para(s2, BASIC)["runs"] if r.get("figure"))
    assert first in sentence and first != now
    with wordlike.editing(edited) as body:
        other = wordlike.paragraph_with(body, "主要职能")
        wordlike.type_at(other, len(wordlike.text(other)), "（如前所述，" + sentence + "。）")
    result = update(edited, gens["2"], output=tmp_path / "U.docx", date=DAY)
    copies = [i for i in result.outcome.review if i.kind == "figure_copy"]
    assert len(copies) == 1 and f"{first}→{now}" in copies[0].detail and "主要职能" in copies[0].text
    assert not any(i.kind == "figure_copy" and i.text.startswith(sentence[:6]) for i in result.outcome.review)


def test_copies_are_found_by_the_words_around_the_old_figure_only() -> None:
    changed = [review.Changed("一般公共预算拨款合计", "473.87", "万元，其中", "480.00")]
    texts = ["收入合计473.87万元。", "如前所述，一般公共预算拨款合计473.87万元。", "拨款合计 473.87 万元"]
    assert review.copies(changed, texts) == [(1, "473.87→480.00")]
