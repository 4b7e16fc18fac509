"""Seeded fuzzing of the newer ways in: workbooks (zip structure, part sizes, cell types),
department sets (members twice, of other years, nested, outside, of other kinds), and user
phrasebooks (template bodies). Each example ends in success or in located problems only: exit 0
or 1, no traceback, every problem line at its file (and line or cell), within a hang guard and
the memory a build needs.

Seeded (derandomize): the same examples every run; together about a minute on the reference
machine (2 shared cores).
"""

from __future__ import annotations

import io
import os
import re
import resource
import tempfile
import textwrap
import zipfile
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from narrate.cli import app
from narrate.resources import data_dir
from test_department import HEAD, UNIT_A, UNIT_B
from guards import deadline as guarded

SETTINGS = settings(derandomize=True, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
MEMORY = 1536 * 1024 * 1024  # peak resident memory of the test process, in bytes




@contextmanager
def working_in():
    before = Path.cwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        try:
            yield Path(folder)
        finally:
            os.chdir(before)


def invoke(*args: str):
    with guarded(60):
        result = CliRunner().invoke(app, list(args))
    assert result.exit_code in (0, 1), (args, result.exit_code, result.output[-3000:])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 < MEMORY
    return result


# -- workbooks ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def template_book() -> bytes:
    with working_in() as here:
        result = CliRunner().invoke(app, ["template", str(data_dir("inputs") / "kizilsu-egov-2024.yaml"), "-o", "k.xlsx"])
        assert result.exit_code == 0, result.output
        return (here / "k.xlsx").read_bytes()


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def zipped(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data, compresslevel=1)
    return out.getvalue()


CELLS = [
    '<c r="{ref}"><v>473.87</v></c>', '<c r="{ref}"><v>1e308</v></c>', '<c r="{ref}"><v>-0</v></c>',
    '<c r="{ref}" t="b"><v>1</v></c>', '<c r="{ref}" t="e"><v>#DIV/0!</v></c>', '<c r="{ref}" t="s"><v>99999</v></c>',
    '<c r="{ref}" t="inlineStr"><is><t>１２３．４</t></is></c>', '<c r="{ref}" t="inlineStr"><is><t>_x0007_</t></is></c>',
    '<c r="{ref}" t="inlineStr"><is><t>{{{{ 1 }}}}</t></is></c>', '<c r="{ref}"><f>SUM(A1:A2)</f></c>',
    '<c r="{ref}" t="str"><f>A1</f><v></v></c>', '<c r="{ref}" s="9999"><v>45000</v></c>', '<c r="{ref}" t="d"><v>2024-02-30</v></c>',
    '<c r="{ref}" t="inlineStr"><is><t>{long}</t></is></c>', '<c r="{ref}"/>', '<c r="XFD{row}"><v>1</v></c>',
    '<c r="{ref}" t="n"><v>abc</v></c>',
]
ROWS = ['<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x{r}</t></is></c></row>', '<row r="{r}" s="1" customFormat="1"/>',
        '<row r="{r}"><c r="XFD{r}" s="1"/></row>', '<row r="{r}"><c r="B{r}"><v>{r}</v></c></row>']


@st.composite
def workbook(draw) -> bytes:
    parts = parts_of(template_book())
    sheets = sorted(n for n in parts if n.startswith("xl/worksheets/"))
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["cell", "rows", "drop", "rename", "junk", "inflate", "duplicate-cell", "truncate", "flip"]))
        name = draw(st.sampled_from(sheets))
        if op == "cell":
            xml = parts[name].decode()
            cells = list(re.finditer(r"<c r=\"([A-Z]+)(\d+)\"[^>]*?(?:/>|>.*?</c>)", xml))
            if cells:
                m = draw(st.sampled_from(cells))
                new = draw(st.sampled_from(CELLS)).format(ref=m.group(1) + m.group(2), row=m.group(2), long="长" * 10_001)
                parts[name] = (xml[: m.start()] + new + xml[m.end():]).encode()
        elif op == "rows":
            count = draw(st.sampled_from([1, 50, 6_000, 25_000]))
            row = draw(st.sampled_from(ROWS))
            extra = "".join(row.format(r=r) for r in range(500, 500 + count))
            parts[name] = parts[name].replace(b"</sheetData>", extra.encode() + b"</sheetData>")
        elif op == "drop":
            parts.pop(draw(st.sampled_from(sorted(parts))), None)
        elif op == "rename" and "xl/workbook.xml" in parts:
            parts["xl/workbook.xml"] = re.sub(rb'name="[^"]*"', b'name="Sheet1"', parts["xl/workbook.xml"], count=1)
        elif op == "junk":
            target = draw(st.sampled_from(sorted(parts)))
            at = draw(st.integers(0, len(parts[target])))
            parts[target] = parts[target][:at] + draw(st.sampled_from([b"<", b"&bogus;", b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"\x00"])) + parts[target][at:]
        elif op == "inflate":
            parts[draw(st.sampled_from(sheets + ["xl/sharedStrings.xml"]))] = b" " * draw(st.sampled_from([1_000, 70 * 1024 * 1024]))
        elif op == "duplicate-cell":
            parts[name] = parts[name].replace(b"</row>", b'<c r="A1"><v>1</v></c></row>', 1)
        data = zipped(parts)
        if op == "truncate":
            return data[: draw(st.integers(0, len(data)))]
        if op == "flip":
            at = draw(st.integers(0, len(data) - 1))
            return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]
    return zipped(parts)


LOCATED_CELL = re.compile(r"^book\.xlsx(:[^:]+!?[A-Z]*\d*)?: ")


@settings(SETTINGS, max_examples=40)
@given(workbook())
def test_a_mutated_workbook_is_read_or_refused_at_its_cell(data: bytes):
    with working_in():
        Path("book.xlsx").write_bytes(data)
        result = invoke("check", "book.xlsx")
        lines = [line for line in result.stderr.splitlines() if line.startswith("book.xlsx")]
        assert all(LOCATED_CELL.match(line) for line in lines), lines[:5]
        assert len(result.stderr.splitlines()) <= 250
        if result.exit_code == 1:
            assert lines, result.stderr[-2000:]



# -- department sets ------------------------------------------------------------------------------


UNIT_A_OTHER_YEAR = textwrap.dedent(UNIT_A).replace("年度: 2024", "年度: 2023")
SUB = HEAD.replace("某某区数据局", "某某区数据组") + "  成员单位:\n    - {名称: 某某区大数据中心, 文件: b.yaml}\n"
# member entry -> the files it needs (name -> text); None: the file is made as the entry says
MEMBERS = {
    "a": ("{名称: 某某区数据局本部, 文件: a.yaml}", {"a.yaml": textwrap.dedent(UNIT_A)}),
    "b": ("{名称: 某某区大数据中心, 文件: b.yaml}", {"b.yaml": textwrap.dedent(UNIT_B)}),
    "a-again": ("{名称: 另一个名称, 文件: ./a.yaml}", {"a.yaml": textwrap.dedent(UNIT_A)}),
    "a-other-year": ("{名称: 去年的本部, 文件: old.yaml}", {"old.yaml": UNIT_A_OTHER_YEAR}),
    "same-unit": ("{名称: 同名单位, 文件: twin.yaml}", {"twin.yaml": textwrap.dedent(UNIT_A)}),
    "missing": ("{名称: 缺文件, 文件: nowhere.yaml}", {}),
    "outside": ("{名称: 外面的, 文件: ../x.yaml}", {}),
    "other-kind": ("{名称: 别的文件, 文件: notes.yaml}", {"notes.yaml": "rootkey9: secret-4f9a1c\n"}),
    "self": ("{名称: 自己, 文件: dept.yaml}", {}),
    "nested": ("{名称: 某某区数据组, 文件: sub/mid.yaml}", {"sub/mid.yaml": SUB, "sub/b.yaml": textwrap.dedent(UNIT_B)}),
    "inline": ("{名称: 某某区数据服务站, 单列预算: false, 预算: {支出: [{科目: 2010350, 一般公共预算: {人员经费: 10.00}}], "
               "基本支出经济分类: [{科目: 30101, 金额: 10.00}]}}", {}),
    "no-figures": ("{名称: 某某区档案室}", {}),
}


@settings(SETTINGS, max_examples=25)
@given(st.lists(st.sampled_from(sorted(MEMBERS)), min_size=1, max_size=4), st.booleans())
def test_a_department_set_is_summed_or_refused_at_its_line(members: list[str], units: bool):
    with working_in() as here:
        for key in members:
            for name, text in MEMBERS[key][1].items():
                (here / name).parent.mkdir(parents=True, exist_ok=True)
                (here / name).write_text(text, encoding="utf-8")
        entries = "".join(f"    - {MEMBERS[key][0]}\n" for key in members)
        Path("dept.yaml").write_text(HEAD + "  成员单位:\n" + entries, encoding="utf-8")
        result = invoke("build", "dept.yaml", "-o", "out/dept.docx", *(["--units"] if units else []))
        problems = [line for line in result.stderr.splitlines() if re.match(r"^[\w./-]+\.yaml", line)]
        assert all(re.match(r"^[\w./-]+\.yaml(:\d+)?: ", line) for line in problems), problems
        assert "secret-4f9a1c" not in result.output and "rootkey9" not in result.output
        made = sorted(p.name for p in (here / "out").glob("*.docx")) if (here / "out").exists() else []
        if result.exit_code == 1:
            assert made == [], made
        else:
            twice = len(set(members)) != len(members) or {"a", "a-again"} <= set(members) or {"a", "same-unit"} <= set(members)
            assert not twice and not set(members) & {"a-other-year", "missing", "outside", "other-kind", "self"}, members
            assert "dept.docx" in made and len(made) == len(set(made))



# -- phrasebooks ------------------------------------------------------------------------------------

PIECES = [
    "{{ unit }}", "{{ year }}", "{{ prior_year }}", "{{ kind }}", "{{ region }}", "{{ money_unit }}", "文字", "",
    "{{ unit|length }}", "{{ unit * 3 }}", "{{ unit * 10**6 }}", "{{ 2 ** 64 }}", "{{ 9 ** 9 ** 9 }}", "{{ year + 1 }}",
    "{{ unit.__class__ }}", "{{ unit.upper() }}", "{{ unit.center(10**9) }}", "{{ unit|center(40) }}", "{{ 1 / 0 }}",
    "{{ nope }}", "{{ range(10**8)|list }}", "{{ lipsum(5) }}", "{{ '%s' % unit }}", "{{ '{:>999999999}'.format(1) }}",
    "{{ unit|replace('', unit * 99999) }}", "{{ unit ~ unit }}", "{{ [unit] * 99999 }}", "{{ unit[0] }}", "{{ unit[99] }}",
]
WRAPS = [
    "{{% for i in range({n}) %}}{body}{{% endfor %}}", "{{% if year > 2000 %}}{body}{{% else %}}x{{% endif %}}",
    "{{% set ns = namespace(s=unit) %}}{{% for i in range({n}) %}}{{% set ns.s = ns.s ~ ns.s %}}{{% endfor %}}{body}",
    "{{% macro m(k) %}}{body}{{% if k %}}{{{{ m(k - 1) }}}}{{{{ m(k - 1) }}}}{{% endif %}}{{% endmacro %}}{{{{ m({n}) }}}}",
    "{{% raw %}}{body}{{% endraw %}}", "{body}{{{{", "{{% for c in unit %}}{body}{{% endfor %}}",
]


@st.composite
def template(draw) -> str:
    text = "".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=3)))
    for _ in range(draw(st.integers(0, 3))):
        text = draw(st.sampled_from(WRAPS)).format(body=text, n=draw(st.sampled_from([0, 3, 40, 10_000])))
    return text


@settings(SETTINGS, max_examples=40)
@given(template())
def test_a_user_phrase_renders_or_is_one_located_problem(body: str):
    from narrate import phrasebook

    phrasebook._load.cache_clear()  # the overlay folder has one name in every example
    with working_in() as here:
        (here / "mine" / "explain").mkdir(parents=True)
        (here / "mine" / "explain" / "x.yaml").write_text("part3.title: " + '"' + body.replace("\\", "\\\\").replace('"', '\\"') + '"\n',
                                                          encoding="utf-8")
        result = invoke("build", "-o", "out.docx", "--phrasebook", "mine")
        if result.exit_code == 1:
            lines = result.stderr.splitlines()
            assert lines[0] == "短语库有错误：" and all(line.startswith(str(Path("mine/explain/x.yaml")) + ":1: ") for line in lines[1:]), lines
            assert not (here / "out.docx").exists()
        else:
            assert (here / "out.docx").stat().st_size > 0

