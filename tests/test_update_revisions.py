"""Revisions on both sides: the officer's own tracked changes stay theirs, narrate's can be
accepted or rejected and the next update still knows every figure, the revision date is the
one stated (--date), and with --comments each review item is a comment on its paragraph."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import wordlike
from narrate.cli import app
from narrate.regen.update import update
from test_update import changed_input, officer_edits
from updating import accepted, body_of, changed_again, para, read, render, snapshot
from wordlike import OFFICER, w

DAY = dt.date(2025, 1, 2)
BASIC = "s3_05_basic"


@pytest.fixture(scope="module")
def gens(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("gens")
    return {"1": render(None), "2": render(changed_input(folder)), "3": render(changed_again(folder))}


def test_the_officers_tracked_changes_stay_theirs_while_the_figures_update(tmp_path: Path, gens) -> None:
    edited = tmp_path / "E.docx"
    edited.write_bytes(gens["1"])
    s1, s2 = snapshot(gens["1"]), snapshot(gens["2"])
    with wordlike.editing(edited) as body:
        p = wordlike.marked(body, para(s1, BASIC)["mark"])
        wordlike.track_delete(p, "主要原因是：")
        wordlike.track_insert(p, len(wordlike.text(p)), "（已与财务科核对）")
    result = update(edited, gens["2"], date=DAY)
    body = body_of(result.path.read_bytes())
    p = wordlike.marked(body, para(s2, BASIC)["mark"])
    theirs = [(e.tag == w("ins"), wordlike.text_of(e) or "".join(t.text for t in e.iter(w("delText")))) for e in wordlike.revisions(p, OFFICER)]
    assert theirs == [(False, "主要原因是："), (True, "（已与财务科核对）")]
    want = para(s2, BASIC)["text"].replace("主要原因是：", "") + "（已与财务科核对）"
    assert read(result.path.read_bytes(), s2)[BASIC] == want


def test_after_the_officer_accepts_narrates_revisions_the_next_update_regenerates(tmp_path: Path, gens) -> None:
    edited = tmp_path / "E.docx"
    edited.write_bytes(gens["1"])
    second = update(edited, gens["2"], output=tmp_path / "U2.docx", date=DAY).path
    with wordlike.editing(second) as body:
        wordlike.accept_all(body, author="narrate")
    third = update(second, gens["3"], output=tmp_path / "U3.docx", date=DAY)
    assert third.outcome.review == []
    s3 = snapshot(gens["3"])
    got, fresh = read(third.path.read_bytes(), s3), read(gens["3"], s3)
    assert got == fresh


def _dates(data: bytes) -> set[str]:
    return {e.get(w("date")) for e in body_of(data).iter(w("ins"), w("del"))}


def test_the_same_date_gives_the_same_bytes_and_the_default_is_today(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("E.docx").write_bytes(render(None))
    officer_edits(Path("E.docx"))
    changed_input(tmp_path)
    outs = []
    for name in ("a.docx", "b.docx"):
        result = CliRunner().invoke(app, ["update", "E.docx", "changed.yaml", "-o", name, "--date", "2025-03-01"])
        assert result.exit_code == 0, result.output
        outs.append(Path(name).read_bytes())
    assert outs[0] == outs[1]
    assert _dates(outs[0]) == {"2025-03-01T00:00:00Z"}
    before = dt.date.today()
    assert CliRunner().invoke(app, ["update", "E.docx", "changed.yaml", "-o", "c.docx"]).exit_code == 0
    assert _dates(Path("c.docx").read_bytes()) <= {f"{d.isoformat()}T00:00:00Z" for d in (before, dt.date.today())}


def test_each_review_item_is_a_comment_anchored_on_its_paragraph(tmp_path: Path) -> None:
    edited = tmp_path / "E.docx"
    edited.write_bytes(render(None))
    officer_edits(edited)
    result = update(edited, render(changed_input(tmp_path)), comments=True, date=DAY)
    data = result.path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        comments = archive.read("word/comments.xml").decode("utf-8")
        assert "word/comments.xml" in archive.read("[Content_Types].xml").decode() and "comments.xml" in archive.read("word/_rels/document.xml.rels").decode()
    assert result.outcome.review
    body = accepted(data)
    for item in result.outcome.review:
        anchored = [p for p in wordlike.paragraphs(body) if p.find(w("commentRangeStart")) is not None and item.excerpt.strip("…") in wordlike.text(p)]
        assert len(anchored) == 1, item
        assert item.detail in comments
