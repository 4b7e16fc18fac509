"""A snapshot that is missing, empty, malformed or from another profile never duplicates the
document: update stops with one line saying why, exit 1, and the officer's file stays as it was.
The same when every bookmark narrate placed is gone."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import wordlike
from narrate.cli import app
from updating import render, with_snapshot, without_parts
from wordlike import w


@pytest.fixture(scope="module")
def built() -> bytes:
    return render(None)


def _stripped(path: Path) -> None:
    with wordlike.editing(path) as body:
        for el in list(body.iter(w("bookmarkStart"), w("bookmarkEnd"))):
            el.getparent().remove(el)


CASES = {
    "empty": (lambda data: with_snapshot(data, lambda s: {**s, "blocks": []}), "快照"),
    "malformed": (lambda data: with_snapshot(data, lambda s: {**s, "blocks": [{"type": "p"}]}), "快照"),
    "another profile": (lambda data: with_snapshot(data, lambda s: {**s, "profile": "sh-unit"}), "sh-unit"),
    "removed by the document inspector": (lambda data: without_parts(data, lambda n: n.startswith("customXml/")), "文档检查器"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_snapshot_it_cannot_trust_stops_the_update(tmp_path: Path, monkeypatch, built: bytes, case: str) -> None:
    monkeypatch.chdir(tmp_path)
    damage, words = CASES[case]
    data = damage(built)
    Path("E.docx").write_bytes(data)
    result = CliRunner().invoke(app, ["update", "E.docx"])
    assert result.exit_code == 1, result.output
    assert len(result.output.strip().splitlines()) == 1 and words in result.output
    assert Path("E.docx").read_bytes() == data and sorted(p.name for p in tmp_path.iterdir()) == ["E.docx"]


def test_a_document_whose_bookmarks_were_all_removed_stops_the_update(tmp_path: Path, monkeypatch, built: bytes) -> None:
    monkeypatch.chdir(tmp_path)
    Path("E.docx").write_bytes(built)
    _stripped(Path("E.docx"))
    data = Path("E.docx").read_bytes()
    result = CliRunner().invoke(app, ["update", "E.docx"])
    assert result.exit_code == 1, result.output
    assert len(result.output.strip().splitlines()) == 1 and "书签" in result.output
    assert Path("E.docx").read_bytes() == data and sorted(p.name for p in tmp_path.iterdir()) == ["E.docx"]
