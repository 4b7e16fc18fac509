"""The English final accounts (profiles sh-dept-final-en and sh-unit-final-en): the 普陀区财政局
2024 部门决算 built from the same input with the English profile.

Its part three reads as tests/data/sh_final_expected_en.txt; every figure it marks is the figure
the Chinese document marks at the same place (amounts in yuan against the Chinese 万元, rounded as
the Chinese prints them; direction words of the same kind); it holds no Chinese character; the
template's alternative sentences (zero budget, equal, zero base, none of a kind, empty fund
tables) read in English on inputs that call for them; `narrate update` keeps an officer's edit.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from textwrap import dedent

import pytest
from test_english import figures, visible_text
from test_final import INCOME, ONE_LINE  # the Chinese tests' one-line unit, in English here
from typer.testing import CliRunner

import wordlike
from narrate import build, phrasebook, pipeline, vocabulary
from narrate import profile as profiles
from narrate.cli import app
from narrate.docx import package, snapshot
from narrate.resources import data_dir

DATA = Path(__file__).parent / "data"
SAMPLE = data_dir("inputs") / "putuo-finance-2024-final.yaml"
TRANSLATIONS = SAMPLE.with_name("putuo-finance-2024-final.en.yaml")
EN, UNIT_EN = "sh-dept-final-en", "sh-unit-final-en"
CJK = re.compile("[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def built(path: Path, profile: str | None = None) -> bytes:
    checked = pipeline.check(path, None, profile)
    assert checked.ok, [str(p) for p in checked.problems]
    return build.render(checked.unit, checked.catalogs, checked.profile, phrasebook.load(profile=checked.profile))


@pytest.fixture(scope="module")
def documents() -> dict[str, bytes]:
    return {"zh": built(SAMPLE), "en": built(SAMPLE, EN)}


def preview(path: Path, profile: str = EN) -> list[str]:
    result = CliRunner().invoke(app, ["preview", str(path), "--profile", profile])
    assert result.exit_code == 0, result.output
    return [" ".join(line.split(" ")).strip() for line in result.output.splitlines()]  # a hard space stays


def part_three(lines: list[str]) -> list[str]:
    start = next(i for i, line in enumerate(lines) if line.startswith("Part Three:"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Part Four:"))
    return lines[start:end]


def test_part_three_reads_as_written_in_english():
    want = [" ".join(line.split(" ")).strip() for line in (DATA / "sh_final_expected_en.txt").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    assert part_three(preview(SAMPLE)) == want
    assert len(want) > 40


# -- the figures of both documents, place by place -----------------------------------------------

# What the Chinese says against the budget, and the English for it (final.verdict.*).
VERDICTS = {"大于": "above", "小于": "below", "基本持平": "in line with"}


def shown(text: str) -> Decimal | None:
    """Returns the value a figure shows, in 万元 as the Chinese document rounds it (two
    decimals, half up); None for a word."""
    t = " ".join(text.replace("\u00a0", " ").split())
    if t.endswith("%"):
        return Decimal(t[:-1])
    if t == "":
        return Decimal(0)  # tables leave 0 blank
    yuan = t.startswith("CNY ")
    try:
        value = Decimal(t.removeprefix("CNY ").replace(",", ""))
    except ArithmeticError:
        return None
    return (value / 10000).quantize(Decimal("0.01"), ROUND_HALF_UP) if yuan else value


def test_every_figure_of_the_english_final_accounts_is_the_chinese_documents(documents):
    zh, en = figures(documents["zh"]), figures(documents["en"])
    assert len(zh) > 300 and set(zh) == set(en)  # the same figures, at the same places
    zh_words = vocabulary.words()
    en_words = vocabulary.words(phrasebook.layers(profiles.load(EN)))
    amounts = words = 0
    for key, text in zh.items():
        other = en[key]
        if text in VERDICTS:
            assert other == VERDICTS[text], (key, text, other)
            words += 1
        elif (value := shown(text)) is not None:
            amount = shown(other)
            assert amount is not None and amount.quantize(Decimal("0.01")) == value.quantize(Decimal("0.01")), (key, text, other)
            amounts += 1
        else:
            kinds = vocabulary.kinds_in(text, zh_words)
            assert kinds and vocabulary.kinds_in(other, en_words) == kinds, (key, text, other)
            words += 1
    assert amounts > 300 and words > 10
    # amounts in running text are whole yuan after the currency code, the tables' 万元 as the Chinese
    assert en[("f3_01_total", "total", 0)] == "CNY\u00a029,953,900" and zh[("f3_01_total", "total", 0)] == "2995.39"


def block_ids(data: bytes) -> list[str]:
    """Returns the ids of the document's paragraphs and tables in order, from the writer's snapshot."""
    snap = snapshot.from_part(next(blob for name, blob in package.read_parts(data).items() if snapshot.is_part(name, blob)))
    return [block.id for block in snap.blocks]


def test_the_english_document_has_the_chinese_documents_paragraphs_in_order(documents):
    zh, en = block_ids(documents["zh"]), block_ids(documents["en"])
    assert len(zh) > 50 and zh == en


# -- no Chinese --------------------------------------------------------------------------------


def test_the_english_final_accounts_hold_no_chinese_character(documents):
    text = visible_text(documents["en"])
    for line in ("Part Three: Explanation of the 2024 Department Final Accounts of the Shanghai Putuo District Finance Bureau",
                 "Income and Expenditure Final Accounts (Summary)", "Unit: CNY 10,000", "CNY\u00a029,953,900",
                 "9. State Capital Operations Budget Appropriations Income and Expenditure Final Accounts",  # 目录, as 9. …
                 "Note: The Shanghai Putuo District Finance Bureau had no expenditure of government-managed fund budget "
                 "appropriations, so this table holds no figures.", "Part Four: Glossary"):
        assert line in text
    assert CJK.findall(text) == []
    assert CJK.search(visible_text(documents["zh"]))  # the test can see Chinese


def test_check_lists_nothing_left_in_chinese_and_names_a_text_without_its_english(tmp_path):
    assert [p for p in pipeline.check(SAMPLE, None, EN).problems] == []
    shutil.copy(SAMPLE, tmp_path / SAMPLE.name)
    lines = TRANSLATIONS.read_text(encoding="utf-8").splitlines()
    (tmp_path / TRANSLATIONS.name).write_text("\n".join(line for line in lines if not line.startswith('"退休人员经费支出"')),
                                              encoding="utf-8")
    hints = [str(p) for p in pipeline.check(tmp_path / SAMPLE.name, None, EN).problems]
    assert len(hints) == 1 and "主要用途.2080501: “退休人员经费支出”没有英文译文" in hints[0]


def test_the_chinese_final_accounts_ignore_the_english(documents, tmp_path):
    # Without 英文名称 and 英文译文 the Chinese sample builds the very same bytes.
    text = re.sub(r"\n  英文名称: [^\n]*|\n# 英文版[^\n]*|\n英文译文: [^\n]*", "", SAMPLE.read_text(encoding="utf-8"))
    assert "英文" not in text.split("主要职能")[0].split("单位:")[1]
    (tmp_path / SAMPLE.name).write_text(text, encoding="utf-8")
    assert built(tmp_path / SAMPLE.name) == documents["zh"]


# -- the template's alternatives, in English ----------------------------------------------------

def unit(tmp_path: Path, body: str = "", budget: str = "", prior: str = "", final: str = "") -> Path:
    """A small unit's final accounts (as tests/test_final.py's), with its English name and the
    English of its own texts inline."""
    text = dedent("""\
        格式: sh-unit-final-en
        公开类型: 决算
        单位: {名称: 测试中心, 英文名称: Test Centre, 年度: 2024, 内设机构: [办公室]}
        英文译文: {办公室: General Office, 机关运转: running the centre, 人员减少: staff numbers fell,
                   赴外交流: exchanges abroad, 车辆燃料与维修: fuel and repairs, 业务交流: business exchanges}
        """) + dedent(body) + dedent(budget) + dedent(prior) + dedent(final)
    path = tmp_path / "final.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def text_of(path: Path) -> str:
    lines = preview(path, UNIT_EN)
    joined = "\n".join(lines)
    assert CJK.findall(joined) == [], CJK.findall(joined)
    return joined


def test_equal_to_the_budget_and_to_last_year_in_english(tmp_path):
    text = text_of(unit(tmp_path, ONE_LINE, "年初预算:\n  支出: [{科目: 2010601, 一般公共预算: {基本支出: 100.00}}]\n",
                        "上年决算:\n  合计数: {收入支出总计: 100.00, 财政拨款收入支出总计: 100.00, 一般公共预算.合计: 100.00}\n",
                        INCOME))
    assert "Compared with 2023, the total was unchanged." in text
    assert ("the initial budget was CNY\u00a01,000,000 and the actual spending CNY\u00a01,000,000, 100.00% of the initial budget. "
            "The actual spending was in line with the budget. Item by item:") in text
    assert "Mainly used for: running the centre. The initial budget was CNY\u00a01,000,000" in text
    assert "mainly because" not in text.split("3. Expenditure")[0]


def test_a_zero_budget_gives_no_completion_rate_in_english(tmp_path):
    text = text_of(unit(tmp_path, ONE_LINE, "年初预算:\n  三公经费: {公务接待: 0}\n", "", INCOME))
    assert ("the initial budget was CNY\u00a00 and the actual spending CNY\u00a01,000,000, no completion rate, as the initial "
            "budget was zero.") in text
    assert "0.00% of the initial budget" not in text
    assert ("The actual spending was above the budget mainly because [please give the reason the actual differs from "
            "the budget].") in text
    assert "official travel abroad, actual CNY\u00a00, no budget, so no completion rate" in text


def test_growth_on_a_zero_base_is_not_a_percentage_in_english(tmp_path):
    text = text_of(unit(tmp_path, ONE_LINE, "", "上年决算:\n  合计数: {收入支出总计: 0}\n", INCOME))
    assert "the total was up by CNY\u00a01,000,000 (zero in 2023, so no growth rate)." in text
    assert "an increase of" not in text.split("2. Income")[0]


def test_none_of_a_kind_and_the_empty_fund_tables_in_english(tmp_path):
    path = unit(tmp_path, ONE_LINE + "机关运行经费: 0\n", "", "", INCOME)
    text = text_of(path)
    for sentence in ("The Test Centre had no spending on the “three public expenses” from fiscal appropriations in 2024.",
                     "The Test Centre had no income or expenditure of government-managed fund budget appropriations in 2024.",
                     "The Test Centre had no income or expenditure of state capital operations budget appropriations in 2024.",
                     "The Test Centre had no running costs of government bodies in 2024.",
                     "[please describe budget performance management]"):
        assert sentence in text
    document = visible_text(built(path))
    for what in ("government-managed fund budget appropriations", "state capital operations budget appropriations"):
        assert f"Note: The Test Centre had no expenditure of {what}, so this table holds no figures." in document
    assert CJK.findall(document) == []


def test_running_costs_that_fell_without_a_reason_take_the_default_one_in_english(tmp_path):
    text = text_of(unit(tmp_path, ONE_LINE + "机关运行经费: 20.00\n", "", "上年决算:\n  合计数: {机关运行经费: 25.00}\n", INCOME))
    assert ("Running costs of government bodies were CNY\u00a0200,000; compared with 2023, they were down by CNY\u00a050,000, "
            "a decrease of 20.00%. This was mainly because the central government's eight-point rules on frugality were "
            "strictly applied and unnecessary spending was cut.") in text


def test_kinds_not_involved_are_not_listed_in_english(tmp_path):
    body = """\
        支出:
          - {科目: 2010601, 一般公共预算: {人员经费: 80.00, 公用经费: 10.00}, 事业收入: {项目支出: 10.00}}
        基本支出经济分类:
          - {科目: 30101, 金额: 80.00}
          - {科目: 30201, 金额: 10.00}
        """
    text = text_of(unit(tmp_path, body, "", "", """\
        决算:
          收入: [{科目: 2010601, 一般公共预算: 90.00, 事业收入: 10.00}]
        """))
    assert ("Total income this year was CNY\u00a01,000,000: fiscal appropriations CNY\u00a0900,000, 90.00% of the total; "
            "public service revenue CNY\u00a0100,000, 10.00% of the total.") in text
    assert "business revenue" not in text.split("4. ")[0] and "grants from" not in text.split("4. ")[0]


def test_a_fund_and_three_public_spending_in_english(tmp_path):
    body = ONE_LINE.replace("    基本支出", "      - {科目: 2120399, 政府性基金: {项目支出: 50.00}}\n    基本支出", 1)
    body += "三公经费: {因公出国境: 2.00, 公务用车运行: 3.00, 公务接待: 1.00}\n"
    text = text_of(unit(tmp_path, body,
                        "年初预算:\n  支出: [{科目: 2120399, 政府性基金: {项目支出: 40.00}}]\n"
                        "  三公经费: {因公出国境: 2.00, 公务用车运行: 4.00, 公务接待: 1.00}\n",
                        "上年决算:\n  三公经费: {因公出国境: 1.00, 公务用车运行: 3.00, 公务接待: 1.00}\n", """\
        决算:
          收入: [{科目: 2010601, 一般公共预算: 100.00}, {科目: 2120399, 政府性基金: 50.00}]
          三公经费数量: {因公出国团组: 1, 因公出国人次: 3, 公务用车保有量: 2, 国内公务接待批次: 4, 国内公务接待人次: 20}
          三公经费用途: {因公出国境: 赴外交流, 公务用车运行: 车辆燃料与维修, 公务接待: 业务交流}
        """))
    assert ("Income of government-managed fund budget appropriations was CNY\u00a0500,000 and expenditure CNY\u00a0500,000, "
            "item by item as follows:") in text
    assert ("The initial budget was CNY\u00a0400,000 and the actual spending CNY\u00a0500,000. The actual spending was above "
            "the budget mainly because [please give the reason the actual differs from the budget].") in text
    assert ("the initial budget was CNY\u00a070,000 and the actual spending CNY\u00a060,000, 85.71% of the budget. Of which: "
            "official travel abroad, actual CNY\u00a020,000, 100.00% of the budget") in text
    assert ("was up by CNY\u00a010,000, an increase of 20.00%. Of which: official travel abroad up by CNY\u00a010,000, an increase "
            "of 100.00%; purchase and running of official vehicles unchanged; official hospitality unchanged. Spending on "
            "official travel abroad increased mainly because [please give the reason for the change].") in text
    assert ("1. Official travel abroad: CNY\u00a020,000. In the year, 1 delegation travelled abroad on official business, "
            "3 person-trips in all. The spending covered: exchanges abroad.") in text
    assert "In 2024, the budget units of the Test Centre held 2 official vehicles paid for from fiscal appropriations." in text
    assert ("Domestic official hospitality: CNY\u00a010,000 (including CNY\u00a00 on foreign guests), mainly for business "
            "exchanges; 4 receptions and 20 guests in all, of which foreign guests: 0 receptions and 0 guests.") in text


def test_the_unit_says_unit_and_the_department_department(tmp_path):
    text = text_of(unit(tmp_path, ONE_LINE, "", "", INCOME))
    assert "2. Organisation" in text and "The Test Centre has one internal section: General Office." in text
    assert "Part Three: Explanation of the 2024 Unit Final Accounts of the Test Centre" in text
    assert "In 2024, the unit reserved government procurement projects" in text
    assert "department" not in text.split("Part Four")[0].lower()
    dept = "\n".join(preview(SAMPLE))
    assert "2. Units covered by the department final accounts" in dept and "In 2024, the department reserved" in dept
    assert " unit final accounts" not in dept.lower()


# -- update -------------------------------------------------------------------------------------

ADDED = "This paragraph was added by the section chief: the final accounts have been audited."


def _visible(path: Path) -> str:
    with wordlike.editing(path) as body:
        wordlike.accept_all(body)
        return "\n".join(wordlike.text(p) for p in wordlike.paragraphs(body))


def test_update_keeps_the_officers_english_edits_and_brings_the_actuals_up_to_date(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(TRANSLATIONS, tmp_path / TRANSLATIONS.name)
    assert CliRunner().invoke(app, ["build", str(SAMPLE), "--profile", EN, "-o", "E.docx"]).exit_code == 0
    with wordlike.editing(tmp_path / "E.docx") as body:
        wordlike.add_paragraph_after(wordlike.paragraph_with(body, "1. Overall income and expenditure"), ADDED)
        wordlike.type_over(wordlike.paragraph_with(body, "Mainly used for: audits and performance"),
                           "audits and performance evaluations", "audits, reviews and performance evaluations")
    # 财政委托业务支出 100,000 元 less, spent and received alike: still balanced
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("项目支出: 4495200", "项目支出: 4395200").replace("一般公共预算: 4495200", "一般公共预算: 4395200")
    (tmp_path / "new.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["update", "E.docx", "new.yaml", "--profile", EN, "-o", "U.docx", "--date", "2025-06-01"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "U.docx") as z:
        assert 'w:author="narrate"' in z.read("word/document.xml").decode("utf-8")  # updated as tracked changes
    shown_text = _visible(tmp_path / "U.docx")  # the changes accepted
    assert ADDED in shown_text
    assert "Mainly used for: audits, reviews and performance evaluations commissioned from intermediary firms." in shown_text
    assert "the total income and expenditure of the Shanghai Putuo District Finance Bureau was CNY\u00a029,853,900" in shown_text
    assert "the total was down by CNY\u00a0669,500" in shown_text
    assert "The initial budget was CNY\u00a04,505,200 and the actual spending CNY\u00a04,395,200." in shown_text
    assert "97.87% of the initial budget" in shown_text and "98.20% of the initial budget" not in shown_text
    assert CJK.findall(shown_text) == []


# -- the English layers -----------------------------------------------------------------------

# The phrases a final-accounts document may print: its parts' and sections' (part three's
# rules read final.* and f01–f11), the tables' captions, part one's, the placeholders.
FINAL_PHRASES = re.compile(r"(final|f\d\d|caption|title|toc|document|part\d|functions|structure|s4|uses|reason|text)\.")


@pytest.mark.parametrize("name", [EN, UNIT_EN])
def test_every_phrase_a_final_document_prints_is_english(name):
    profile = profiles.load(name)
    book = phrasebook.load(profile=profile)
    english = tuple(str(f) for f in profile.folders if f.name.endswith("-en"))
    used = [n for n in book.names if FINAL_PHRASES.match(n)]
    assert set(profile.phrases()) <= set(used) and len(used) > 80
    assert [n for n in used if not book.phrase(n).source.file.startswith(english)] == []
    zh = phrasebook.load()
    for data in ("labels", "glossary", "reasons", "direction_words"):
        assert set(zh.data(data)) <= set(book.data(data)), data
    labels = book.data("labels")
    assert [v for table in labels.values() if isinstance(table, dict) for v in table.values() if CJK.search(v)] == []
    assert not CJK.search(str([(t["术语"], t["解释"]) for t in book.data("glossary")["terms"]]))
    tables = profile.spec.tables
    shown = [tables[t].title for part in profile.spec.parts for t in part.tables]
    assert len(shown) == 9 and not CJK.search(str(shown))
    assert not CJK.search(str([[tables[t].header] for part in profile.spec.parts for t in part.tables]))


# -- the year turns, in either language ----------------------------------------------------------

def test_the_turned_inputs_keep_their_language_and_their_english_texts(tmp_path):
    from narrate.convert import turn
    from narrate.load import yaml_file

    names = profiles.builtin_names()
    # no English Shanghai budget profile: next year's budget input is the Chinese one's format
    assert turn.turned_profile(EN, False, names) == "sh-dept"
    assert turn.turned_profile(EN, False, names + ("sh-dept-en",)) == "sh-dept-en"
    assert turn.turned_profile("sh-unit-en", True, ("sh-unit-en", "sh-unit-final-en")) == "sh-unit-final-en"
    assert turn.turned_profile("xj-unit-en", True, names) == "xj-unit-en"  # no final format of its own: kept
    assert turn.turned_profile("sh-unit", True, names) == "sh-unit-final"
    for name in (SAMPLE, TRANSLATIONS):
        shutil.copy(name, tmp_path / name.name)
    result = CliRunner().invoke(app, ["template", "--next-year", str(tmp_path / SAMPLE.name)])
    assert result.exit_code == 0, result.output
    made = tmp_path / "putuo-finance-2024-final-2025.yaml"
    tree = yaml_file.read(made).tree
    assert tree["英文译文"] == TRANSLATIONS.name and tree["单位"]["英文名称"] == "Shanghai Putuo District Finance Bureau"
    checked = pipeline.check(made)  # the texts' English read again, for whatever English format builds it
    assert checked.ok and checked.unit.translations["上海市普陀区财政局"] == "Shanghai Putuo District Finance Bureau"


def test_a_workbook_and_a_batch_build_the_english_final_accounts_byte_for_byte(tmp_path, monkeypatch, documents):
    monkeypatch.chdir(tmp_path)
    for name in (SAMPLE, TRANSLATIONS):
        shutil.copy(name, tmp_path / name.name)
    assert CliRunner().invoke(app, ["convert", SAMPLE.name, "book.xlsx"]).exit_code == 0
    result = CliRunner().invoke(app, ["build", "--profile", EN, SAMPLE.name, "book.xlsx", "-o", "out", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    made = sorted((tmp_path / "out").iterdir())
    assert [p.name for p in made] == ["Shanghai Putuo District Finance Bureau-2024-department-final-accounts-2.docx",
                                      "Shanghai Putuo District Finance Bureau-2024-department-final-accounts.docx"]
    assert [p.read_bytes() == documents["en"] for p in made] == [True, True]


def test_check_names_a_code_only_the_budget_set_has_when_it_has_no_english(tmp_path):
    # A code of the officer's own catalog (narrate.toml), budgeted but not spent: part three
    # prints it against its budget, so an English document would print its Chinese name.
    (tmp_path / "narrate.toml").write_text('[catalogs]\nfunction = ["c.csv"]\n', encoding="utf-8")
    (tmp_path / "c.csv").write_text("code,name\n2010698,某某财政事务\n", encoding="utf-8")
    path = unit(tmp_path, ONE_LINE, "年初预算:\n  支出:\n    - {科目: 2010601, 一般公共预算: {基本支出: 100.00}}\n"
                                    "    - {科目: 2010698, 一般公共预算: {项目支出: 5.00}}\n", "",
                INCOME + "  预决算差异原因: {一般公共预算.合计: 人员减少, 一般公共预算.2010698: 人员减少}\n")
    hints = [str(p) for p in pipeline.check(path).problems if p.rule == "untranslated"]
    line = path.read_text(encoding="utf-8").splitlines().index("    - {科目: 2010698, 一般公共预算: {项目支出: 5.00}}") + 1
    assert hints == [f"{path}:{line}: 年初预算.支出[2].科目: 科目 2010698“某某财政事务”没有英文名称，"
                     "英文文档中印中文名称；可在英文译文中补上“某某财政事务: 英文名称”"]
    assert "某某财政事务 (item)" in "\n".join(preview(path, UNIT_EN))


@pytest.mark.parametrize("chinese, english", [("sh-dept-final", EN), ("sh-unit-final", UNIT_EN)])
def test_the_english_profiles_are_their_chinese_ones_in_all_but_words(chinese, english):
    # sh-unit-final-en extends sh-dept-final-en (the English), so it repeats what sh-unit-final
    # changes (its kind, part one's second section): held here to the Chinese one's facts.
    zh, en = profiles.load(chinese).spec, profiles.load(english).spec
    assert (zh.language, en.language) == ("zh", "en")
    for key in ("kind", "compare", "reasons", "thresholds", "final", "options", "checks", "vehicle_kinds"):
        assert getattr(en, key) == getattr(zh, key), key
    assert [(p.kind, p.sections, p.tables) for p in en.parts] == [(p.kind, p.sections, p.tables) for p in zh.parts]
    for part in zh.parts:
        for t in part.tables:
            a, b = zh.tables[t].model_dump(), en.tables[t].model_dump()
            facts = lambda spec: re.findall(r"'(?:fact|set)': '([^']+)'", str(spec.get("rows")))  # noqa: E731
            assert (a["kind"], facts(a), a.get("lines"), a.get("left"), a.get("right")) == \
                   (b["kind"], facts(b), b.get("lines"), b.get("left"), b.get("right")), t
    zh_book, en_book = phrasebook.load(profile=profiles.load(chinese)), phrasebook.load(profile=profiles.load(english))
    zh_heading, en_heading = zh_book.phrase("structure.heading").text, en_book.phrase("structure.heading").text
    assert ("机构设置" in zh_heading) == ("Organisation" in en_heading)


def test_check_names_a_code_only_a_balance_line_has_when_it_has_no_english(tmp_path):
    # A fund line that only carries its balance over (no income, no spending this year) prints
    # in the fund table by its name.
    (tmp_path / "narrate.toml").write_text('[catalogs]\nfunction = ["c.csv"]\n', encoding="utf-8")
    (tmp_path / "c.csv").write_text("code,name\n2120398,某某基金支出\n", encoding="utf-8")
    balance = "    - {科目: 2120398, 政府性基金: {年初结转和结余: 5.00, 年末结转和结余: 5.00}}"
    path = unit(tmp_path, ONE_LINE, "", "", INCOME.rstrip(" ") + "      财政拨款结转和结余明细:\n    " + balance + "\n")
    hints = [str(p) for p in pipeline.check(path).problems if p.rule == "untranslated"]
    line = path.read_text(encoding="utf-8").splitlines().index(balance) + 1
    assert hints == [f"{path}:{line}: 决算.财政拨款结转和结余明细[1].科目: 科目 2120398“某某基金支出”没有英文名称，"
                     "英文文档中印中文名称；可在英文译文中补上“某某基金支出: 英文名称”"]
