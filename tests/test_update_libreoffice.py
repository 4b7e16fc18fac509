"""The same update after the officer's file went through LibreOffice (it renumbers bookmarks,
splits runs at script changes, moves bookmarks into revisions and rewrites every part)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from test_update_merge import DAY, by_narrate, document, mini_write, officer_edits, texts

from narrate.regen.update import update

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


def libreoffice_round_trip(path: Path) -> Path:
    """Returns path as LibreOffice saves it (docx in, docx out)."""
    out = path.parent / "lo"
    profile = path.parent / "lo_profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "docx", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=120,
    )
    return out / path.name


def test_an_update_after_a_libreoffice_round_trip_keeps_edits_and_updates_figures(tmp_path: Path) -> None:
    path = tmp_path / "草稿.docx"
    path.write_bytes(mini_write(document()))
    officer_edits(path)
    edited = libreoffice_round_trip(path)
    new = document(total="900.00", direction="减少", project="250.00", rows={"project": ("项目支出", "250.00"), "new": ("新项目", "50.00")})
    result = update(edited, mini_write(new), date=DAY)
    assert texts(result.path) == [
        "一、收入预算",
        "收入预算900.00万元，比上年减少100.00万元。其中追加50.00万元。",
        "主要原因是新增办公设备购置。",
        "项目支出250.00万元。",
        "本年新增培训任务。",
        "项目支出 | 250.00",
        "新项目 | 50.00",
        "备注：本表金额单位为万元。",
    ]
    assert {"900.00", "减少", "250.00", "新项目", "50.00"} <= set(by_narrate(result.path, "ins"))
    assert sorted((i.kind, i.block) for i in result.outcome.review) == [("beside", "p1"), ("direction", "p1")]


def test_figures_are_found_again_after_the_officer_rejected_split_and_typed_and_libreoffice_saved(tmp_path: Path) -> None:
    """The sample built, updated, every narrate revision rejected; then Enter inside a generated
    paragraph, words typed beside a cell's figure and a figure typed over; saved by LibreOffice;
    updated with figures that changed again."""
    import wordlike
    from test_update import changed_input
    from updating import accepted, changed_again, para, read, render, snapshot

    gens = [render(None), render(changed_input(tmp_path)), render(changed_again(tmp_path))]
    s1, s2, s3 = (snapshot(g) for g in gens)
    edited = tmp_path / "E.docx"
    edited.write_bytes(gens[0])
    second = update(edited, gens[1], output=tmp_path / "U2.docx", date=DAY).path
    with wordlike.editing(second) as body:
        wordlike.reject_all(body, author="narrate")
        p = wordlike.marked(body, para(s2, "s3_05_basic")["mark"])
        wordlike.press_enter(p, wordlike.text(p).index("比上年预算"))
        first_table = next(body.iter(wordlike.w("tbl")))  # 表1: 201 一般公共服务支出 430.74 again
        cell = next(p for p in first_table.iter(wordlike.w("p")) if wordlike.text(p) == "430.74")
        wordlike.type_after(cell, "430.74", "（含追加）")
        wordlike.type_over(wordlike.marked(body, para(s2, "s3_05_3_2080505")["mark"]), "38.20", "38.2")
    saved = libreoffice_round_trip(second)
    third = update(saved, gens[2], output=tmp_path / "U3.docx", date=DAY)
    body = accepted(third.path.read_bytes())
    new = para(s3, "s3_05_basic")["text"]
    k = new.index("比上年预算")
    first = wordlike.marked(body, para(s3, "s3_05_basic")["mark"])
    assert [wordlike.text(first), wordlike.text(first.getnext())] == [new[:k], new[k:]]
    assert any(wordlike.text(p) == "431.74（含追加）" for p in wordlike.paragraphs(body))
    assert "38.2万元" in read(third.path.read_bytes(), s3)["s3_05_3_2080505"]  # its data did not change again
    assert {"s3_05_basic"} <= {i.block for i in third.outcome.review if i.kind == "figure_edited"}
