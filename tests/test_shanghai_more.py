"""Golden tests: two more Shanghai documents, built with sh-dept / sh-unit and their options, against
their published texts: 上海市普陀区财政局 2025 部门预算 and 上海市普陀区社会福利院 2024 单位预算.

tests/data/sh_{finance,welfare}_expected.txt hold every sentence of the published explanations and
tests/data/sh_{finance,welfare}_tables.txt every table cell as printed, taken from
shared/seeds/shanghai_putuo_{finance_bureau_2025_dept,welfare_home_2024_unit}.txt. Where the
published document slips, the file marks it "# 更正" with the published text ("# 原文：") and holds
the text narrate writes instead.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest

from narrate import build, pipeline
from narrate.docx.revisions import w
from narrate.resources import data_dir

DATA = Path(__file__).parent / "data"
SAMPLES = {"finance": "putuo-finance-2025-dept.yaml", "welfare": "putuo-welfare-home-2024-unit.yaml"}
ORIGINAL = "# 原文："
_FOLD = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）"})


def normal(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(_FOLD)


def sentences(lines) -> list[str]:
    return [normal(s) for line in lines for s in line.split("。") if normal(s)]


def checked(name: str, text: str | None = None, tmp_path: Path | None = None):
    path = data_dir("inputs") / SAMPLES[name]
    if text is not None:
        path = tmp_path / SAMPLES[name]
        path.write_text(text, encoding="utf-8")
    return pipeline.check(path)


def render(result) -> docx.Document:
    return docx.Document(io.BytesIO(build.render(result.unit, result.catalogs, result.profile)))


@pytest.fixture(scope="module", params=sorted(SAMPLES))
def built(request):
    result = checked(request.param)
    assert result.ok, [str(p) for p in result.problems]
    return request.param, result, render(result)


def data_lines(name: str, kind: str) -> list[str]:
    return (DATA / f"sh_{name}_{kind}.txt").read_text(encoding="utf-8").splitlines()


def expected(name: str) -> list[str]:
    return [line for line in data_lines(name, "expected") if line.strip() and not line.startswith("#")]


def published_slips(name: str, kind: str = "expected") -> list[str]:
    return [line[len(ORIGINAL):] for line in data_lines(name, kind) if line.startswith(ORIGINAL)]


def paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def explanations(document, name: str) -> list[str]:
    """Returns the paragraphs of the explanation parts: 预算编制说明 up to the first table, and
    from 其他相关情况说明 to the end (with the department's 项目经费情况说明)."""
    texts = [t for t in paragraphs(document) if t.strip()]
    titles = {p.text for p in document.paragraphs if p.style.name == "表名"}
    start = next(i for i, t in enumerate(texts) if t.endswith("预算编制说明") and not t.startswith("四、"))
    first_table = next(i for i, t in enumerate(texts) if t in titles)
    other = max(i for i, t in enumerate(texts) if t == "其他相关情况说明")
    return texts[start:first_table] + texts[other:]


def table_rows(document) -> list[tuple[str, list[list[str]]]]:
    """Returns each table's title and rows, each row the texts of its cells that print something."""
    titles = [p.text for p in document.paragraphs if p.style.name == "表名"]
    out = []
    for title, table in zip(titles, document.tables, strict=True):
        rows = []
        for tr in table._tbl.iter(w("tr")):
            cells = ["".join(t.text or "" for t in tc.iter(w("t"))) for tc in tr.iter(w("tc"))]
            if any(cells):
                rows.append([c for c in cells if c])
        out.append((title, rows))
    return out


def expected_tables(name: str) -> list[tuple[str, list[list[str]]]]:
    out: list[tuple[str, list[list[str]]]] = []
    for line in data_lines(name, "tables"):
        if line.startswith("## "):
            out.append((line[3:], []))
        elif line and not line.startswith("#"):
            out[-1][1].append(line.split("\t"))
    return out


def test_only_the_expected_problems(built):
    name, result, _ = built
    # The welfare home is a 事业单位 without 机关运行经费 although it has 公用经费: the rule that the
    # two agree (for 行政单位 and 参公单位) warns, as it should.
    want = {"finance": [], "welfare": ["operating-cost"]}[name]
    assert [p.rule for p in result.problems] == want, [str(p) for p in result.problems]


def test_every_published_sentence_is_generated(built):
    name, _, document = built
    got = set(sentences(paragraphs(document)))
    want = sentences(expected(name))
    missing = [s for s in want if s not in got]
    assert missing == [], f"{len(missing)} of {len(want)} sentences not generated"
    assert len(want) > {"finance": 80, "welfare": 60}[name]


def test_the_explanations_say_nothing_the_document_does_not(built):
    name, _, document = built
    want = set(sentences(expected(name)))
    extra = [s for s in sentences(explanations(document, name)) if s not in want]
    assert extra == []


def test_every_slip_named_is_a_real_difference(built):
    # Each published sentence marked "# 原文" differs from what narrate writes: a slip corrected,
    # never a difference hidden in a comment.
    name, _, document = built
    got = set(sentences(paragraphs(document)))
    slips = published_slips(name)
    assert slips, "the published document has slips"
    same = [s for s in slips if all(x in got for x in sentences([s]))]
    assert same == []


def test_every_table_cell_as_printed(built):
    name, _, document = built
    got, want = table_rows(document), expected_tables(name)
    assert [t for t, _ in got] == [t for t, _ in want] and len(want) == 9
    for (title, rows), (_, expected_rows) in zip(got, want):
        assert rows == expected_rows, title


def test_the_published_table_slips_are_real_differences():
    # The welfare home's tables: every row marked "# 原文" is one narrate does not print.
    document = render(checked("welfare"))
    printed = {tuple(r) for _, rows in table_rows(document) for r in rows}
    slips = [tuple(s.split("\t")) for s in published_slips("welfare", "tables")]
    assert len(slips) > 20
    assert [s for s in slips if s in printed] == []
    assert published_slips("finance", "tables") == []  # every one of its 629 cells printed as published


def test_the_variants_are_options_not_copies(tmp_path):
    # Without its 选项 the finance bureau's input builds in the commerce committee's wording: the
    # differences are choices of sh-dept, not another profile.
    text = (data_dir("inputs") / SAMPLES["finance"]).read_text(encoding="utf-8")
    plain = re.sub(r"\n选项:\n(  .*\n)+", "\n", text)
    assert plain != text and "选项:" not in plain
    result = checked("finance", plain, tmp_path)
    assert result.ok and result.profile.spec.name == "sh-dept"
    texts = paragraphs(render(result))
    assert "上海市普陀区财政局部门预算是包括财政局本部以及下属0家预算单位的综合收支计划。" in texts
    assert any(t.startswith("（一）财政拨款收入：") for t in texts) and any(t.startswith("（八）机关运行经费：") for t in texts)
    assert "1、完成区委、区政府交办的其他任务。" not in texts and "12、完成区委、区政府交办的其他任务。" in texts
    assert any(t.startswith("财政拨款收入支出增加的主要原因是：") for t in texts)
    assert "2025年，上海市普陀区财政局收入预算3,121.42万元，其中：财政拨款收入3,121.42万元；事业收入0万元；事业单位经营收入0万元；其他收入0万元。" in texts


def test_a_mistyped_option_in_a_glossary_term_or_a_header_name_is_a_message(tmp_path):
    from typer.testing import CliRunner

    from narrate.cli import app

    folder = tmp_path / "fmt"
    (folder / "data").mkdir(parents=True)
    (folder / "profile.yaml").write_text("name: fmt\nextends: sh-unit\n", encoding="utf-8")
    (folder / "data" / "glossary.yaml").write_text(
        "terms:\n  - {术语: 甲, 解释: 乙, 选项: {名词解解: 八条}}\n", encoding="utf-8")
    sample = str(data_dir("inputs") / SAMPLES["welfare"])
    result = CliRunner().invoke(app, ["preview", sample, "--profile", str(folder)])
    assert result.exit_code == 1 and "名词解解" in result.output and "Traceback" not in result.output
    folder = tmp_path / "fmt2"  # another format (formats are read once per folder)
    folder.mkdir()
    (folder / "profile.yaml").write_text(
        "name: fmt\nextends: sh-unit\ntables:\n  s9:\n    header:\n"
        "      - [{t: \"{{ yeer }}年“三公”经费预算数\", c: 6}, {t: 机关运行经费预算数, r: 3}]\n"
        "      - [{t: 合计, r: 2}, {t: 因公出国(境)费, r: 2}, {t: 公务接待费, r: 2}, {t: 公务用车购置及运行费, c: 3}]\n"
        "      - [小计, 购置费, 运行费]\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", sample, "--profile", str(folder)])
    assert result.exit_code == 1 and "profile.yaml:6: tables.s9.header" in result.output and "yeer" in result.output
