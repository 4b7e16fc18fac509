"""Golden tests: the Jiangsu format's 第一部分 部门概况 and 目录 (js-dept) against the published 2019
部门预算 of 江苏省高级人民法院 and 江苏省人大常委会办公厅 (inputs/jiangsu/).

tests/data/js_*_2019_part1.txt copy each document's 目录 and 第一部分 from shared/seeds/, one
paragraph a line. Every paragraph of 第一部分 and every 目录 line is compared with what narrate
builds, in order. Where a document slips, narrate prints the right text and the dicts below say
what and why. The counts (27个内设机构, 共2家) are counted from the input's lists.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pytest

from narrate import build, phrasebook, pipeline
from narrate.resources import data_dir

DATA = Path(__file__).parent / "data"

# The two offices print 三、's heading as “2019年部门主要工作任务及目标” and list it in the 目录 as
# “2019年度……”: a 目录 must match the document, so narrate's repeats the heading.
TOC_SLIPS = {
    "三、2019年度部门主要工作任务及目标": ("三、2019年部门主要工作任务及目标", "目录 differs from the heading it lists"),
}

COURT_SLIPS = {
    # the court's own 目录 and the other office's heading say 及 (the format's wording); the
    # court's heading alone says 和
    "二、部门机构设置和预算单位构成情况": ("二、部门机构设置及预算单位构成情况", "heading differs from its own 目录"),
}

NPC_SLIPS = {
    # the 2019 document counts the units of its 2019 budget; “2018” is left from the year before
    # (the 2018 document says 2018 in the same sentence)
    "纳入本部门2018年部门汇总预算编制范围": ("纳入本部门2019年部门汇总预算编制范围", "last year's year left in"),
}


def normal(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(str.maketrans({"(": "（", ")": "）"}))


def published(name: str, section: str, slips: dict) -> list[str]:
    """Returns the lines of a section ([目录] or [第一部分]) of the data file, each slip corrected
    (and each slip found: a correction names text the document really has)."""
    lines = [line for line in (DATA / f"{name}_part1.txt").read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    start = lines.index(f"[{section}]") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("[")), len(lines))
    out = [normal(line) for line in lines[start:end]]
    for wrong, (right, _why) in slips.items():
        assert any(wrong in line for line in out), wrong
        out = [line.replace(wrong, right) for line in out]
    return out


def checked(folder: Path, name: str):
    result = pipeline.check(folder / name)
    assert result.ok and result.problems == [], [str(p) for p in result.problems]
    return result


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("jiangsu") / "jiangsu"
    shutil.copytree(data_dir("inputs") / "jiangsu", out)  # with its narrate.toml (2019 codes)
    return out


def part1(folder: Path, name: str) -> list[str]:
    c = checked(folder, name)
    texts = [normal(b.text) for b in build.document(c.unit, c.catalogs, c.profile).blocks if hasattr(b, "runs")]
    start = texts.index("第一部分部门概况")
    end = next(i for i, t in enumerate(texts) if t.startswith("第二部分"))
    return texts[start:end]


def toc(folder: Path, name: str, tmp_path: Path) -> list[str]:
    """Returns the 目录 of the written .docx, line by line."""
    c = checked(folder, name)
    path = tmp_path / f"{name}.docx"
    build.write(c.unit, c.catalogs, path, c.profile, phrasebook.load(profile=c.profile))
    return [normal(p.text) for p in docx.Document(str(path)).paragraphs if p.style.name.startswith("toc ")]


@pytest.mark.parametrize("name, data, slips, paragraphs", [
    ("js-high-court-2019.yaml", "js_high_court_2019", COURT_SLIPS, 63),
    ("js-npc-office-2019.yaml", "js_npc_office_2019", NPC_SLIPS, 34),
])
def test_every_paragraph_of_part_one(folder, name, data, slips, paragraphs):
    expected = published(data, "第一部分", slips)
    assert len(expected) == paragraphs
    assert part1(folder, name) == expected


@pytest.mark.parametrize("name, data", [("js-high-court-2019.yaml", "js_high_court_2019"),
                                        ("js-npc-office-2019.yaml", "js_npc_office_2019")])
def test_the_toc_is_the_published_one(folder, tmp_path, name, data):
    expected = published(data, "目录", TOC_SLIPS)
    assert len(expected) == 19  # 第三部分 listed without its sections; tables by their 目录 names
    assert toc(folder, name, tmp_path) == expected
    assert "五、财政拨款支出预算表" in expected  # the table titled 财政拨款支出预算表（功能科目）


def test_the_counts_are_counted_from_the_lists(folder, tmp_path):
    # the court without its last 内设机构 and with its 派出机构 left out of the budget units
    copy = tmp_path / "jiangsu"
    shutil.copytree(folder, copy)
    path = copy / "js-high-court-2019.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    - 司法警察总队\n" in text and "    - {名称: 徐州铁路运输法院, 类别: 派出机构}" in text
    text = text.replace("    - 司法警察总队\n", "").replace("    - {名称: 徐州铁路运输法院, 类别: 派出机构}",
                                                           "    - {名称: 徐州铁路运输法院, 类别: 派出机构, 单列预算: false}")
    path.write_text(text, encoding="utf-8")
    said = part1(copy, "js-high-court-2019.yaml")
    assert "根据部门职责分工，本部门包括26个内设机构、1个下属差额拨款事业单位和1个派出机构，具体包括：" in said
    assert "从预算单位构成看，纳入本部门2019年度部门汇总预算编制范围的预算单位共1家，具体包括：江苏省高级人民法院机关（本级）。" in said
    assert "27、司法警察总队" not in said and "26、老干部处" in said


def test_libreoffice_updating_the_toc_keeps_the_published_entries(folder, tmp_path):
    # The 目录 is a TOC field over TC entries: an editor's update (LibreOffice: Update All) must
    # not bring back the 第三部分 sections or the tables' full titles.
    import json
    import subprocess

    from test_toc import SYSTEM_PYTHON, UNO

    if not UNO:
        pytest.skip("LibreOffice's python3-uno not installed")
    c = checked(folder, "js-high-court-2019.yaml")
    path = tmp_path / "court.docx"
    build.write(c.unit, c.catalogs, path, c.profile, phrasebook.load(profile=c.profile))
    done = subprocess.run([SYSTEM_PYTHON, str(Path(__file__).with_name("lo_toc.py")), str(path), str(tmp_path / "profile")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    after = [normal(re.sub(r"\t\d+$", "", line)) for line in json.loads(done.stdout)["after"]]
    assert after == published("js_high_court_2019", "目录", TOC_SLIPS)
