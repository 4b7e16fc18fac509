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
