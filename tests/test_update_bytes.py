"""Same EDITED + same input -> same bytes: fixed zip entry times and a stated revision date.
Updating its own output with unchanged input changes nothing. Bookmark, revision and comment
ids come from one allocator, so no two of them share an id."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter

import pytest

import wordlike
from narrate.regen.update import update
from test_update import changed_input, officer_edits
from updating import body_of, render

DAY = dt.date(2025, 1, 2)


@pytest.fixture(scope="module")
def case(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("bytes")
    edited = folder / "E.docx"
    edited.write_bytes(render(None))
    officer_edits(edited)
    return {"folder": folder, "edited": edited, "fresh": render(changed_input(folder))}


def test_the_same_update_twice_gives_the_same_bytes(case: dict, monkeypatch) -> None:
    first = update(case["edited"], case["fresh"], output=case["folder"] / "a.docx", date=DAY).path.read_bytes()
    later = time.time() + 3 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    second = update(case["edited"], case["fresh"], output=case["folder"] / "b.docx", date=DAY).path.read_bytes()
    assert first == second


def test_updating_its_own_output_with_unchanged_input_changes_nothing(case: dict) -> None:
    first = update(case["edited"], case["fresh"], output=case["folder"] / "c.docx", date=DAY)
    again = update(first.path, case["fresh"], output=case["folder"] / "d.docx", date=DAY)
    assert again.path.read_bytes() == first.path.read_bytes()
    assert not (again.outcome.replaced or again.outcome.updated or again.outcome.inserted or again.outcome.rows)


def test_bookmark_revision_and_comment_ids_never_collide(case: dict) -> None:
    result = update(case["edited"], case["fresh"], output=case["folder"] / "e.docx", comments=True, date=DAY)
    body = body_of(result.path.read_bytes())
    w = wordlike.w
    kinds = {
        "bookmark": [e.get(w("id")) for e in body.iter(w("bookmarkStart"))],
        "revision": [e.get(w("id")) for e in body.iter(w("ins"), w("del"))],
        "comment": [e.get(w("id")) for e in body.iter(w("commentRangeStart"))],
    }
    assert kinds["revision"] and kinds["comment"]
    every = Counter(i for ids in kinds.values() for i in ids)
    assert [i for i, n in every.items() if n > 1] == []
