"""Templates a user writes (a --phrasebook overlay, a profile's phrases) cannot run unbounded or
crash narrate: each failure is one located problem, exit 1, and nothing written.

The templates are those the issue found hanging, taking gigabytes or ending in a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrate import sandbox
from narrate.cli import app

HOSTILE = {
    "{{ ''.__class__ }}": "不允许访问的内容",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}": "不允许访问的内容",
    "{{ 10**(10**10) }}": "算出的数字太大",
    "{% set ns = namespace(x=2) %}{% for i in range(64) %}{% set ns.x = ns.x * ns.x %}{% endfor %}{{ ns.x }}": "算出的数字太大",
    "{{ 'x' * 10**9 }}": "生成的文字或列表超过上限",
    "{{ ['x'] * 10**9 }}": "生成的文字或列表超过上限",
    "{% set ns = namespace(s='ab') %}{% for i in range(100) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}": "生成的文字或列表超过上限",
    "{% set ns = namespace(s='ab') %}{% for i in range(100) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s }}": "生成的文字或列表超过上限",
    "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}": "运算步数超过上限",
    "{% for i in range(10000) %}{% for j in range(10000) %}{{ i }}{% endfor %}{% endfor %}": "生成的文字超过上限",
    "{{ range(10**9)|list }}": "range 的项数太多",
    "{{ 'x'.center(10**10) }}": "宽度或次数太大",
    "{{ 'x'|center(10**10) }}": "宽度或次数太大",
    "{{ 'x'|indent(10**10) }}": "宽度或次数太大",
    "{{ [1]|slice(10**9)|list }}": "宽度或次数太大",
    "{{ '%099999999d' % 1 }}": "宽度或次数太大",
    "{{ '{:>99999999}'.format(1) }}": "宽度或次数太大",
    "{{ ('x' * 100000).join('y' * 100000) }}": "生成的文字或列表超过上限",
    "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}": "运算步数超过上限",
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}": "多半是循环套得太多",
    "{{ 1 / 0 }}": "ZeroDivisionError",
    "{{ unit.no_such_thing.deeper }}": "用到了没有的名称",
}


@pytest.mark.parametrize("template", list(HOSTILE))
def test_a_hostile_phrase_is_one_located_problem(tmp_path: Path, template: str, monkeypatch) -> None:
    from narrate import phrasebook

    phrasebook._load.cache_clear()  # loaded phrasebooks are kept by folder name: "mine" in every test
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine" / "explain").mkdir(parents=True)
    (tmp_path / "mine" / "explain" / "titles.yaml").write_text(
        "# 本地说法\npart3.title: " + '"' + template.replace('"', '\\"') + '"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "-o", "out.docx", "--phrasebook", "mine"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert lines[0] == "短语库有错误：" and len(lines) == 2, lines
    assert lines[1].startswith(f"{Path('mine') / 'explain' / 'titles.yaml'}:2: part3.title: 短语无法生成：")
    assert HOSTILE[template] in lines[1] and "请修改这个短语" in lines[1]
    assert not (tmp_path / "out.docx").exists()


def test_the_bounds_hold_in_code_read_back_from_the_cache(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NARRATE_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine" / "explain").mkdir(parents=True)
    (tmp_path / "mine" / "explain" / "t.yaml").write_text(
        'part3.title: "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}"\n', encoding="utf-8")
    for _ in range(2):  # cold, then warm
        from narrate import phrasebook

        phrasebook._load.cache_clear()
        result = CliRunner().invoke(app, ["preview", "--phrasebook", "mine"])
        assert result.exit_code == 1 and "运算步数超过上限" in result.stderr, result.output


def test_ordinary_templates_render_as_before() -> None:
    env = sandbox.Bounded()
    template = env.from_string("{% for i in range(3) %}{{ i }}{{ '-' * 2 }}{% endfor %}{{ 2 ** 10 }}{{ 'a' ~ 'b' }}{{ 'x'|center(5) }}")
    assert sandbox.render(template, {}) == "0--1--2--1024ab  x  "


def test_an_overlay_phrase_that_fails_is_found_when_the_phrasebook_loads(tmp_path: Path, monkeypatch) -> None:
    # `narrate phrases` reads no input: the phrase is tried with the embedded sample's facts.
    from narrate import phrasebook

    phrasebook._load.cache_clear()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine" / "explain").mkdir(parents=True)
    (tmp_path / "mine" / "explain" / "t.yaml").write_text('part3.title: "第三部分{{ 1 / 0 }}"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["phrases", "--phrasebook", "mine"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1].startswith(f"{Path('mine') / 'explain' / 't.yaml'}:1: part3.title: 短语无法生成：模板出错（ZeroDivisionError")


def test_a_profile_template_that_fails_is_located_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "profile.yaml").write_text(
        'extends: xj-unit\ntables:\n  t1:\n    title: "{{ 10 ** (10 ** 10) }}"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "-o", str(tmp_path / "out.docx"), "--profile", str(tmp_path / "mine")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{tmp_path / 'mine' / 'profile.yaml'}:4: " in result.stderr and "算出的数字太大" in result.stderr
    assert not (tmp_path / "out.docx").exists()
