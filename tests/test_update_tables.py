"""Table cells merge three-way like paragraphs, every paragraph of a cell: a cell the officer
edited keeps the edit (its figure updated as a tracked change and listed), a multi-line cell
changes line by line, and header rows follow the profile."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import wordlike
from narrate.regen.update import update
from narrate.resources import sample_input
from test_update import changed_input
from updating import accepted, cells_by_column, cell_text, read, relabelled, render, snapshot, snapshot_cells
from wordlike import w

DAY = dt.date(2025, 1, 2)
GOALS_OLD = "    - 负责自治州有关电子政务网络信息安全工作；\n"
GOALS_NEW = "    - 负责自治州电子政务网络和数据安全工作；\n    - 推进政务数据共享。\n"


def goals_changed(folder: Path) -> Path:
    s = sample_input().read_text(encoding="utf-8")
    assert GOALS_OLD in s
    path = folder / "goals.yaml"
    path.write_text(s.replace(GOALS_OLD, GOALS_NEW, 1), encoding="utf-8")
    return path


def _table(snap: dict, tid: str) -> dict:
    return next(b for b in snap["blocks"] if b["id"] == tid)


def _cell(body, snap: dict, tid: str, rid: str, col: int):
    row = next(r for r in _table(snap, tid)["rows"] if r["id"] == rid)
    start, _ = wordlike.bookmark(body, row["mark"])
    return cells_by_column(next(start.iterancestors(w("tr"))))[col]


@pytest.mark.parametrize("into_mark", [False, True], ids=["typed after the mark", "typed inside the mark"])
def test_a_cell_the_officer_edited_keeps_the_edit_and_its_figure_is_updated(tmp_path: Path, into_mark: bool) -> None:
    edited = tmp_path / "E.docx"
    edited.write_bytes(render(None))
    s1 = snapshot(edited.read_bytes())
    with wordlike.editing(edited) as body:
        p = _cell(body, s1, "t3", "t3_f208", 4).find(w("p"))
        assert wordlike.text(p) == "43.13"
        wordlike.type_after(p, "43.13", "（含追加）", into_mark=into_mark)
    fresh = render(changed_input(tmp_path))
    result = update(edited, fresh, date=DAY)
    assert read(result.path.read_bytes(), snapshot(fresh))[("t3", "t3_f208", 4)] == "35.20（含追加）"
    assert "t3" in {i.block for i in result.outcome.review}


def test_a_multi_line_cell_changes_line_by_line(tmp_path: Path) -> None:
    edited = tmp_path / "E.docx"
    edited.write_bytes(render(None))
    fresh = render(goals_changed(tmp_path))
    s2 = snapshot(fresh)
    result = update(edited, fresh, date=DAY)
    want = {k: c["text"] for k, c in snapshot_cells(_table(s2, "perf_unit")).items()}
    got = {k[1:]: v for k, v in read(result.path.read_bytes(), s2).items() if k[0] == "perf_unit"}
    assert got == want
    goals = got[("perf_unit_goals", 2)].split("\n")
    assert len(goals) == len(set(goals)) == 6


def test_header_rows_follow_the_profile(tmp_path: Path) -> None:
    edited = tmp_path / "E.docx"
    edited.write_bytes(render(None))
    with wordlike.editing(edited) as body:
        tbl = next(body.iter(w("tbl")))
        head = tbl.findall(w("tr"))[1]
        wordlike.type_over(cells_by_column(head)[2].find(w("p")), "功能分类", "功能分类科目")
    fresh = render(None, relabelled("预算数", "本年预算数"))
    result = update(edited, fresh, date=DAY)
    tbl = next(accepted(result.path.read_bytes()).iter(w("tbl")))
    head = [cell_text(tc) for tc in cells_by_column(tbl.findall(w("tr"))[1]).values()]
    assert head == ["项 目", "本年预算数", "功能分类科目", "本年预算数"]
    assert [i.kind for i in result.outcome.review if i.block == "t1"] == []  # its words did not change under the edit
