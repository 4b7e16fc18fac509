"""The English rendition (profile xj-unit-en) of the embedded sample.

Its parts three and four read as tests/data/expected_part3_4_en.txt; every figure it marks is
the figure the Chinese document marks at the same place (amounts converted from yuan to 万元,
counts from words); it holds no Chinese character but, without an English name, the unit's
own; LibreOffice opens it; `narrate check` lists what would still print in Chinese.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from num2words import num2words
from typer.testing import CliRunner

from narrate import build, pdf, phrasebook, pipeline, vocabulary
from narrate import profile as profiles
from narrate.cli import app
from narrate.docx import package, snapshot
from narrate.resources import sample_input
from unitfile import check, unit_yaml

DATA = Path(__file__).parent / "data"
EN = "xj-unit-en"
CJK = re.compile("[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
NAME = "克孜勒苏柯尔克孜自治州电子政务服务中心"


def preview(*args: str) -> list[str]:
    result = CliRunner().invoke(app, ["preview", *args, "--profile", EN])
    assert result.exit_code == 0, result.output
    return [" ".join(line.split()) for line in result.output.splitlines()]


def expected() -> list[str]:
    lines = (DATA / "expected_part3_4_en.txt").read_text(encoding="utf-8").splitlines()
    return [" ".join(line.split()) for line in lines if line.strip() and not line.startswith("#")]


def test_parts_three_and_four_read_as_written_in_english_in_order():
    got, want = preview(), expected()
    assert want[0] == "Part Three: Explanation of the 2024 Unit Budget" and "Part Four: Glossary" in want
    missing = [line for line in want if line not in got]
    assert missing == []
    rest = iter(got)  # in the expected order: each line found after the one before it
    assert [line for line in want if line not in rest] == []


def test_the_english_sentences_carry_the_chinese_sentences_figures():
    # The same figures in both goldens: every amount of the Chinese expected file (万元) appears,
    # in yuan, in the English one, and every rate as it is.
    zh = (DATA / "expected_part3_4.txt").read_text(encoding="utf-8")
    en = " ".join(expected())
    amounts = {Decimal(a) for a in re.findall(r"(\d+\.\d\d) ?万元", zh)}
    yuan = {Decimal(a.replace(",", "")) / 10000 for a in re.findall(r"CNY\s([\d,]+)", en)}
    assert amounts and amounts <= yuan
    assert set(re.findall(r"\d+\.\d\d%", zh)) <= set(re.findall(r"\d+\.\d\d%", en))


# -- the figures of both documents, place by place -----------------------------------------------


def built(profile: str, path: Path | None = None) -> tuple[bytes, pipeline.Checked]:
    checked = pipeline.check(path, None, profile)
    assert checked.ok, [str(p) for p in checked.problems]
    return build.render(checked.unit, checked.catalogs, checked.profile, phrasebook.load(profile=checked.profile)), checked


@pytest.fixture(scope="module")
def documents() -> dict[str, bytes]:
    return {name: built(name)[0] for name in ("xj-unit", EN)}


def figures(data: bytes) -> dict[tuple, str]:
    """Returns every marked figure of a .docx by place: (paragraph, figure id, occurrence) or
    (table, row, figure id), read from the snapshot the writer stores."""
    snap = snapshot.from_part(next(blob for name, blob in package.read_parts(data).items() if snapshot.is_part(name, blob)))
    out: dict[tuple, str] = {}
    for block in snap.blocks:
        if isinstance(block, snapshot.Para):
            for run in block.runs:
                if run.figure:
                    n = sum(1 for k in out if k[:2] == (block.id, run.figure))
                    out[(block.id, run.figure, n)] = run.text
        else:
            for row in block.rows:
                for cell in row.cells:
                    if cell.figure:
                        out[(block.id, row.id, cell.figure)] = cell.text
    return out


WORDS = {num2words(n): Decimal(n) for n in range(100)} | {"no": Decimal(0)}
MONTHS = {dt.date(2000, m, 1).strftime("%B"): m for m in range(1, 13)}


def number(text: str, yuan: bool) -> Decimal | None:
    """Returns the value a figure shows, in 万元 for amounts; None for a word figure."""
    t = " ".join(text.replace("\u00a0", " ").split())
    if t.endswith("%"):
        return Decimal(t[:-1])
    if t.startswith("CNY "):
        return Decimal(t[4:].replace(",", "")) / 10000
    if t in WORDS:
        return WORDS[t]
    if t == "":
        return Decimal(0)  # tables leave 0 blank
    try:
        value = Decimal(t.replace(",", ""))
    except ArithmeticError:
        return None
    return value / 10000 if yuan else value


def date(text: str) -> dt.date:
    if m := re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text):
        return dt.date(*map(int, m.groups()))
    d, month, y = text.split()
    return dt.date(int(y), MONTHS[month], int(d))


def goal_amounts(text: str) -> list[Decimal]:
    if "CNY" in text:
        return [Decimal(a.replace(",", "")) / 10000 for a in re.findall(r"CNY\s([\d,]+)", text)[:3]]
    return [Decimal(a) for a in re.findall(r"([\d.]+)万元", text)[:3]]


def test_every_figure_of_the_english_document_is_the_chinese_documents(documents):
    zh, en = figures(documents["xj-unit"]), figures(documents[EN])
    assert len(zh) > 500
    zh_words = vocabulary.words()
    en_words = vocabulary.words(phrasebook.layers(profiles.load(EN)))
    dropped = set(zh) - set(en)
    # English says “unchanged” for a staff count that did not change, where Chinese says 增加0人.
    assert all(key[1].endswith("_change") and zh[key] == "0" and vocabulary.kinds_in(en[(key[0], key[1] + "_dir", 0)], en_words) == {"flat"}
               for key in dropped), dropped
    assert set(en) - set(zh) == set()
    unchanged = {(k[0], k[1] + "_dir", 0) for k in dropped}  # their direction words: 增加 / unchanged
    compared = 0
    for key, text in zh.items():
        if key in dropped or key in unchanged:
            continue
        other = en[key]
        form = key[0].startswith("perf_")  # the performance forms are in yuan in English
        if key[1] == "date":
            assert date(text) == date(other), key
        elif str(key[-1]).endswith("_goal"):
            assert goal_amounts(text) == goal_amounts(other) and len(goal_amounts(text)) == 3, key
        elif (value := number(text, False)) is not None:
            assert number(other, form) == value, (key, text, other)
        else:
            kinds = vocabulary.kinds_in(text, zh_words)
            assert kinds and vocabulary.kinds_in(other, en_words) == kinds, (key, text, other)
        compared += 1
    assert compared == len(zh) - len(dropped) - len(unchanged) and len(dropped) == 2


# -- no Chinese --------------------------------------------------------------------------------


def visible_text(data: bytes) -> str:
    """Returns every text of the document a reader sees: body, headers, footers, properties."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = [n for n in z.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml|docProps/core\.xml", n)]
        texts = []
        for name in parts:
            xml = z.read(name).decode("utf-8")
            texts += re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml) if name.startswith("word/") else re.findall(r">([^<]+)<", xml)
    return "\n".join(texts)


def test_the_english_document_holds_no_chinese_character(documents):
    text = visible_text(documents[EN])
    assert "Kizilsu Kirghiz Autonomous Prefecture E-Government Service Center" in text
    assert "CNY\u00a04,738,700" in text and "Part Four: Glossary" in text
    assert CJK.findall(text) == []
    assert CJK.search(visible_text(documents["xj-unit"]))  # the test can see Chinese


def _sample_copy(tmp_path: Path, edit) -> Path:
    for source in (sample_input(), sample_input().with_name("kizilsu-egov-2024.en.yaml")):
        shutil.copy(source, tmp_path / source.name)
    path = tmp_path / sample_input().name
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def test_without_an_english_name_only_the_units_own_name_is_chinese(tmp_path):
    path = _sample_copy(tmp_path, lambda t: re.sub(r"\n  英文名称: [^\n]*", "", t))
    data, checked = built(EN, path)
    text = visible_text(data)
    assert text.count(NAME) > 20
    assert CJK.findall(text.replace(NAME, "")) == []
    assert [p.message for p in checked.problems if p.rule == "untranslated"] == [
        "单位没有英文名称（单位.英文名称），英文文档中印中文名称"]


def test_libreoffice_opens_the_english_document(documents, tmp_path):
    if pdf.soffice() is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or poppler-utils not installed")
    path = tmp_path / "en.docx"
    path.write_bytes(documents[EN])
    made = pdf.convert(path)
    text = subprocess.run(["pdftotext", str(made), "-"], capture_output=True, text=True, check=True).stdout
    squashed = " ".join(text.split())
    for line in ("Part One: The Unit in 2024", "Overall Revenue and Expenditure of the Unit",
                 "Performance Targets of Project Expenditure", "Part Four: Glossary", "25 February 2024"):
        assert line in squashed
    assert CJK.findall(text) == []


# -- what would still be Chinese --------------------------------------------------------------


# A shipped code with an English name, and one the input names itself (no English name).
UNLISTED_EXPENSE = """
        支出:
          - 科目: 2010504
            一般公共预算: {人员经费: 80.00, 公用经费: 10.00, 项目支出: 30.00}
          - 科目: 2010599
            名称: 其他统计信息事务支出
            一般公共预算: {项目支出: 0}
"""


def test_check_lists_codes_and_texts_an_english_document_would_print_in_chinese(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = unit_yaml(
        """
        格式: xj-unit-en
        """ + UNLISTED_EXPENSE
    )
    hints = [(severity, message) for severity, rule, message in check(tmp_path, text) if rule == "untranslated"]
    assert ("hint", "unit.yaml:2: 单位.名称: 单位没有英文名称（单位.英文名称），英文文档中印中文名称") in hints
    assert any("科目 2010599“其他统计信息事务支出”没有英文名称" in m for _, m in hints)
    assert any("“运维项目”没有英文译文" in m and ": 项目[1].名称:" in m for _, m in hints)
    assert not any("2010504" in m for _, m in hints)  # shipped with an English name
    # Each text once, at its first use: 产出指标 stands in two indicators' rows.
    assert sum("“产出指标”" in m for _, m in hints) == 1


def test_a_translation_file_names_the_code_and_the_texts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "en.yaml").write_text("其他统计信息事务支出: Other statistics and information affairs\n运维项目: Maintenance\n",
                                      encoding="utf-8")
    text = unit_yaml(
        """
        格式: xj-unit-en
        英文译文: en.yaml
        """ + UNLISTED_EXPENSE
    )
    hints = [message for _, rule, message in check(tmp_path, text) if rule == "untranslated"]
    assert not any("2010599" in m or "运维项目" in m for m in hints)
    lines = preview(str(tmp_path / "unit.yaml"))
    assert "1. Project: Maintenance" in lines


def test_the_chinese_document_ignores_the_english(documents, tmp_path):
    # Without 英文名称 and 英文译文 the Chinese sample builds the very same bytes.
    path = _sample_copy(tmp_path, lambda t: re.sub(r"\n  英文名称: [^\n]*|\n英文译文: [^\n]*", "", t))
    assert "英文" not in path.read_text(encoding="utf-8").split("单位:")[1][:200]
    assert built("xj-unit", path)[0] == documents["xj-unit"]


@pytest.mark.parametrize("content, key", [("综合科: [a, b]\n", "translation_not_text"), ("综合科: ''\n", "translation_not_text")])
def test_a_bad_translation_file_is_an_error_at_its_line(tmp_path, content, key):
    path = _sample_copy(tmp_path, lambda t: t)
    (tmp_path / "kizilsu-egov-2024.en.yaml").write_text("# 译文\n" + content, encoding="utf-8")
    checked = pipeline.check(path, None, EN)
    assert not checked.ok
    assert [(p.file.endswith("kizilsu-egov-2024.en.yaml"), p.line) for p in checked.problems if p.severity.value == "error"] == [(True, 2)]


def test_a_missing_translation_file_warns_an_english_document_only(tmp_path):
    # The sample copied on its own (as officers start their files) still builds in Chinese.
    path = tmp_path / "unit.yaml"
    path.write_text(sample_input().read_text(encoding="utf-8"), encoding="utf-8")
    assert pipeline.check(path).problems == []
    checked = pipeline.check(path, None, EN)
    assert checked.ok
    assert [(p.severity.value, p.rule, p.line, p.message) for p in checked.problems] == [
        ("warning", "translations-file", 7, "英文译文文件不存在：kizilsu-egov-2024.en.yaml；英文文档中自己写的文字将照印中文")]


# -- help -------------------------------------------------------------------------------------


def test_lang_en_gives_english_help(tmp_path):
    import os
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    env.pop("NARRATE_LANG", None)
    run = lambda *args: subprocess.run([sys.executable, "-m", "narrate", *args], capture_output=True, text=True,  # noqa: E731
                                       env=env, cwd=tmp_path, timeout=60)
    english, chinese = run("--lang", "en", "build", "--help"), run("build", "--help")
    assert english.returncode == 0 and chinese.returncode == 0
    squash = lambda text: " ".join(text.replace("│", " ").split())  # noqa: E731
    assert "writes the whole disclosure as a Word document" in squash(english.stdout)
    assert "also write a PDF through LibreOffice." in squash(english.stdout)
    assert "生成完整的预算公开" not in english.stdout and "同时用 LibreOffice 生成 PDF" not in english.stdout
    assert "生成完整的预算公开 Word 文档" in chinese.stdout
    assert "turns budget figures into a first-draft budget disclosure" in squash(run("--lang=en", "--help").stdout)


# -- the English layers and their number forms ------------------------------------------------


def test_the_english_profile_has_an_english_phrase_for_every_chinese_one():
    book = phrasebook.load(profile=profiles.load(EN))
    folder = str(profiles.load(EN).folders[-1])
    assert [n for n in book.names if not book.phrase(n).source.file.startswith(folder)] == []
    zh = phrasebook.load()
    for name in ("labels", "glossary", "reasons", "direction_words"):
        assert set(zh.data(name)) <= set(book.data(name)), name
    for table, values in book.data("labels").items():
        shown = values.values() if isinstance(values, dict) else [values]
        assert [v for v in shown if CJK.search(v)] == [], table
    assert not CJK.search(str([(t["术语"], t["解释"]) for t in book.data("glossary")["terms"]]))


@pytest.mark.parametrize("n, zero, shown", [(0, None, "zero"), (0, "no", "no"), (3, None, "three"), (9, None, "nine"),
                                            (10, None, "10"), (1234, None, "1,234")])
def test_words_spells_numbers_up_to_nine_and_writes_figures_above(n, zero, shown):
    env = phrasebook.environment(language="en")
    assert env.from_string("{{ n|words(none, zero) }}").render(n=n, zero=zero) == shown
    assert env.from_string("{{ n|words('k') }}").render(n=n) == f"\ue000k\ue001{'zero' if n == 0 else shown}\ue002"
    assert phrasebook.environment().from_string("{{ 3|words }}").render() == "三"


def test_an_english_amount_carries_its_currency_code_inside_the_figure():
    from narrate.profile.schema import MoneyFormat

    text = MoneyFormat(unit="元", decimals=0, grouping=True, prefix="CNY\u00a0")
    assert text.show(Decimal("473.87")) == "CNY\u00a04,738,700"
    assert text.show(Decimal("0.00005")) == "CNY\u00a01"  # half-up, in yuan
    assert MoneyFormat(zero="", prefix="CNY ").show(Decimal(0)) == ""  # a blank zero stays blank
    assert MoneyFormat(unit="元", decimals=0, grouping=True).plain(Decimal("62.40")) == "624,000"
    assert MoneyFormat().plain(Decimal("62.40")) == "62.4" and MoneyFormat().plain(Decimal("0.00")) == "0"


def test_every_shipped_code_has_an_english_name():
    from narrate import catalog

    for kind in (catalog.FUNCTION, catalog.ECONOMIC):
        names = catalog.labels(kind, "en")
        assert set(names) == set(catalog.shipped(kind).entries)
        assert all(e.source == "translated by narrate" and e.name and not CJK.search(e.name) for e in names.values())


def test_update_reads_the_profiles_direction_words_so_an_english_turn_is_listed():
    from narrate.docx import snapshot as snap
    from narrate.regen import review

    def para(word: str) -> snap.Para:
        return snap.Para("p", "p1", "body", "", f"income {word} CNY 5", (snap.Run("income "), snap.Run(word, "dir"), snap.Run(" CNY 5")))

    english = vocabulary.words(phrasebook.layers(profiles.load(EN)))
    assert review.flips(para("up"), para("down"), english) == ["up→down"]
    assert review.flips(para("up"), para("down")) == []  # the shipped Chinese words see no turn
