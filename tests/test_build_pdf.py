"""The published PDF: LibreOffice converts the .docx, and the PDF reads like the disclosure.

Needs LibreOffice (soffice) and pdftotext; skips without them only outside CI (CI installs them,
see .ci/run, so there this test must run)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from narrate import build, pdf, pipeline

TOOLS = pdf.soffice() is not None and shutil.which("pdftotext") is not None and shutil.which("pdfinfo") is not None
if not TOOLS and os.environ.get("CI"):
    raise RuntimeError("CI must have LibreOffice and poppler-utils for the PDF test (see .ci/run)")
pytestmark = pytest.mark.skipif(not TOOLS, reason="LibreOffice or poppler-utils not installed")


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pdf")
    checked = pipeline.check()
    path = folder / "sample.docx"
    build.write(checked.unit, checked.catalogs, path)
    return pdf.convert(path)


def pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def page_text(path: Path, n: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    return "".join(text.split())


def test_the_pdf_has_the_expected_length(converted):
    # title, 目录 (2), 第一部分 (2), eleven tables one a page, 第三部分 with its performance
    # tables, 第四部分: about 31 pages with the embedded sample's text.
    assert 26 <= pages(converted) <= 36


def test_the_pdf_reads_from_title_to_signature(converted):
    n = pages(converted)
    text = squash("".join(page_text(converted, i) for i in range(1, n + 1)))
    for expected in (
        "2024年单位预算公开",
        "目录",
        "第一部分2024年单位概况",
        "编制数30，实有人数24人",
        "单位收支总体情况表",
        "一般公共预算项目支出情况表",
        "第三部分2024年单位预算情况说明",
        "单位整体绩效目标表",
        "第四部分名词解释",
        "2024年02月25日",
    ):
        assert expected in text, expected
    # the TOC names them first; the body has them in this order
    assert text.rindex("单位收支总体情况表") < text.rindex("第三部分2024年单位预算情况说明") < text.rindex("第四部分名词解释")


def test_each_standard_table_starts_its_own_page(converted):
    starts = {}
    for i in range(1, pages(converted) + 1):
        head = squash(page_text(converted, i))[:20]
        for n in range(1, 12):
            if head.startswith(f"表{n}") and not head.startswith(f"表{n}0") and not head.startswith(f"表{n}1"):
                starts[n] = i
    assert sorted(starts) == list(range(2, 12))  # 表1 shares its page with the 第二部分 heading
    assert list(starts.values()) == sorted(starts.values())
