"""The cache (compiled phrases, checked phrasebooks, Chinese numerals) changes nothing but the
time: the same bytes cold, warm, off, or with every entry damaged."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import narrate

SRC = str(Path(narrate.__file__).resolve().parents[1])


def build(tmp_path: Path, cache: str, name: str) -> bytes:
    env = {**os.environ, "NARRATE_CACHE": cache, "PYTHONPATH": os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")])}
    out = tmp_path / f"{name}.docx"
    subprocess.run([sys.executable, "-m", "narrate", "build", "-o", str(out)], cwd=tmp_path, env=env,
                   check=True, capture_output=True, timeout=120)
    return out.read_bytes()


def test_cold_warm_off_and_damaged_caches_give_the_same_document(tmp_path):
    folder = tmp_path / "cache"
    cold = build(tmp_path, str(folder), "cold")
    entries = sorted(p.relative_to(folder).parts[0] for p in folder.rglob("*") if p.is_file())
    assert {"numerals", "templates", "phrasebooks"} <= set(entries)
    warm = build(tmp_path, str(folder), "warm")
    off = build(tmp_path, "off", "off")
    for entry in folder.rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"\x00damaged")
    damaged = build(tmp_path, str(folder), "damaged")
    assert cold == warm == off == damaged


def test_an_unwritable_cache_is_no_problem(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", encoding="utf-8")
    assert build(tmp_path, str(blocked / "cache"), "blocked") == build(tmp_path, "off", "off")


def test_a_changed_phrase_is_compiled_and_checked_afresh(tmp_path, monkeypatch):
    from narrate import phrasebook, profile

    monkeypatch.setenv("NARRATE_CACHE", str(tmp_path / "cache"))
    overlay = tmp_path / "mine" / "explain"
    overlay.mkdir(parents=True)
    phrases = overlay / "x.yaml"
    phrases.write_text('s01.total: "总计{{ total|money(\'t\') }}万元。"\n', encoding="utf-8")
    shape = profile.load()
    first = phrasebook.load(overlay.parent, shape)
    assert first.render("s01.total", total=1).endswith("万元。")
    phrases.write_text('s01.total: "合计{{ total|money(\'t\') }}元，{{ nowhere }}。"\n', encoding="utf-8")
    with pytest.raises(phrasebook.PhrasebookError, match="nowhere"):
        phrasebook.load(overlay.parent, shape)


def test_a_cut_short_or_unwritable_template_cache_is_compiled_afresh(tmp_path, monkeypatch):
    from narrate import cache, phrasebook, profile

    monkeypatch.setenv("NARRATE_CACHE", str(tmp_path / "cache"))
    phrasebook._load.cache_clear()
    shape = profile.load()
    expected = phrasebook.load(profile=shape).render("s01.total", unit="某单位", year=2024, kind="单位", total=1,
                                                      prior_year=2023, region="", money_unit="万元")
    for entry in (tmp_path / "cache" / "templates").iterdir():
        entry.write_bytes(entry.read_bytes()[:20])  # the magic header, then nothing whole
    phrasebook._load.cache_clear()
    assert phrasebook.load(profile=shape).render("s01.total", unit="某单位", year=2024, kind="单位", total=1,
                                                 prior_year=2023, region="", money_unit="万元") == expected

    def refused(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr("tempfile.NamedTemporaryFile", refused)  # what jinja2 writes through
    for entry in (tmp_path / "cache" / "templates").iterdir():
        entry.unlink()  # so every phrase is compiled and written again, and every write refused
    phrasebook._load.cache_clear()
    assert cache.templates() is not None
    assert phrasebook.load(profile=shape).render("s01.total", unit="某单位", year=2024, kind="单位", total=1,
                                                 prior_year=2023, region="", money_unit="万元") == expected


def test_a_profile_edited_on_disk_is_read_and_bound_again_in_the_same_process(tmp_path):
    # What a long-running `narrate serve` meets: the officer's profile changes between two builds.
    from narrate import bind, profile

    mine = tmp_path / "mine"
    mine.mkdir()
    written = mine / "profile.yaml"
    written.write_text("extends: xj-unit\nname: mine\n", encoding="utf-8")
    assert bind.profile(str(mine)).name == "mine"
    assert bind.profile(str(mine)) is bind.profile(str(mine))  # unchanged: kept, not read again
    written.write_text("extends: xj-unit\nname: mine-renamed\n", encoding="utf-8")
    assert bind.profile(str(mine)).name == "mine-renamed"
    written.write_text("extends: xj-unit\nname: mine\nparts: [{kind: nowhere}]\n", encoding="utf-8")
    with pytest.raises(profile.ProfileError, match=r"profile\.yaml:3"):
        bind.profile(str(mine))


def test_the_stamp_reads_only_the_folders_a_loader_reads_never_a_whole_tree(tmp_path):
    from narrate import stamps

    (tmp_path / "profile.yaml").write_text("name: x\n", encoding="utf-8")
    (tmp_path / "explain").mkdir()
    (tmp_path / "explain" / "a.yaml").write_text("x: y\n", encoding="utf-8")
    (tmp_path / "outputs" / "deep").mkdir(parents=True)  # what else an officer keeps beside a profile
    (tmp_path / "outputs" / "deep" / "big.docx").write_bytes(b"x")
    assert [p for p, _, _ in stamps.of([tmp_path])] == [str(tmp_path / "profile.yaml")]
    assert [p for p, _, _ in stamps.of([tmp_path], ("explain", "data"))] == [str(tmp_path / "explain" / "a.yaml")]
