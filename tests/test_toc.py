"""The 目录 narrate writes is the one an editor makes of it: LibreOffice opens each sample, updates
the TOC field as Tools > Update > Update All does, and finds the same entries in the same words
(the TOC collects the TC entries narrate puts in each listed paragraph, in the profile's words).

Runs Debian's python3 with LibreOffice's uno module (python3-uno, installed by .ci/run)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from narrate import build, phrasebook, pipeline
from narrate.resources import data_dir

SYSTEM_PYTHON = "/usr/bin/python3"


def _uno() -> bool:
    if not (shutil.which("soffice") and Path(SYSTEM_PYTHON).exists()):
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


UNO = _uno()
if not UNO and os.environ.get("CI"):
    raise RuntimeError("CI must have LibreOffice and python3-uno for the TOC test (see .ci/run)")
pytestmark = pytest.mark.skipif(not UNO, reason="LibreOffice's python3-uno not installed")

SAMPLES = {
    "xj-unit": ("kizilsu-egov-2024.yaml", None, 29),
    "xj-unit-en": ("kizilsu-egov-2024.yaml", "xj-unit-en", 29),
    "sh-unit": ("putuo-commerce-2025-unit.yaml", None, 15),
    "sh-dept": ("putuo-commerce-2025-dept.yaml", None, 16),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_updating_the_toc_in_libreoffice_gives_the_same_entries(tmp_path, name):
    source, profile, count = SAMPLES[name]
    checked = pipeline.check(data_dir("inputs") / source, None, profile)
    path = tmp_path / "doc.docx"
    build.write(checked.unit, checked.catalogs, path, checked.profile, phrasebook.load(profile=checked.profile))
    done = subprocess.run([SYSTEM_PYTHON, str(Path(__file__).with_name("lo_toc.py")), str(path), str(tmp_path / "profile")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    toc = json.loads(done.stdout)
    assert len(toc["before"]) == count
    # LibreOffice adds page numbers (it does not read \n); the entries and their words stay
    assert [re.sub(r"\t\d+$", "", line) for line in toc["after"]] == toc["before"]
    if name == "xj-unit":
        assert toc["before"][4] == "一、单位收支总体情况表"  # the profile's numbering, not the title's words alone
