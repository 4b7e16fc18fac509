"""The fast reader (libyaml) gives what the round-trip reader (ruamel) gives, or leaves the
document to it; problems are still found at their lines."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narrate.load import bounds, fast_yaml, round_trip, yaml_file
from narrate.resources import data_dir
from test_fuzz import mutated

ROOT = Path(__file__).resolve().parents[1]


def typed(tree):
    """The tree with every scalar's type spelt out (Decimal('1.5') and 1.5 compare equal)."""
    if isinstance(tree, dict):
        return {(type(k).__name__, str(k)): typed(v) for k, v in tree.items()}
    if isinstance(tree, list):
        return [typed(v) for v in tree]
    return (type(tree).__name__ if not isinstance(tree, str) else "str", str(tree))


def shipped_yaml() -> list[Path]:
    roots = [ROOT / "inputs", ROOT / "tests" / "data", data_dir("phrasebook"), data_dir("profiles")]
    return sorted(p for r in roots for p in r.rglob("*.yaml"))


@pytest.mark.parametrize("path", shipped_yaml(), ids=lambda p: str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else p.name)
def test_every_shipped_file_is_read_fast_and_alike(path):
    text = path.read_text(encoding="utf-8-sig")
    fast = fast_yaml.parse(text)
    assert fast is not None, "the fast reader left a shipped file to the slow one"
    assert typed(fast) == typed(round_trip.load(text))


SCALARS = {
    "88.20": Decimal("88.20"), "-0.5": Decimal("-0.5"), "+3": 3, "012": 12, "2010504": 2010504,
    "1_000": 1000, "1e5": Decimal("1e5"), "0x10": "0x10", "0o17": "0o17", ".inf": ".inf",
    "2024-02-25": datetime.date(2024, 2, 25), "2024-02-30": "2024-02-30", "2024-2-5": "2024-2-5",
    "2025.1.1-2025.12.31": "2025.1.1-2025.12.31", "2024年1月1日": "2024年1月1日", "yes": "yes",
    "no": "no", "on": "on", "true": True, "False": False, "~": None, "null": None, "": None,
    "'88.20'": "88.20", '"true"': "true", "<=12万元": "<=12万元", "≥35台": "≥35台", "=1个": "=1个",
}


@pytest.mark.parametrize("text,expected", SCALARS.items(), ids=SCALARS.keys())
def test_a_scalar_is_typed_as_the_round_trip_reader_types_it(text, expected):
    doc = f"a: {text}\n"
    fast = fast_yaml.parse(doc)
    slow = round_trip.load(doc)
    assert typed(slow) == typed({"a": expected})
    if fast is not None:
        assert typed(fast) == typed(slow)


LEFT_TO_THE_SLOW_READER = {
    "an anchor and alias": "a: &x 1\nb: *x\n",
    "a duplicate key": "a: 1\na: 2\n",
    "an explicit tag": "a: !!str 5\n",
    "a merge key": "a: {b: 1}\nc:\n  <<: {b: 2}\n",
    "a time of day": "a: 2024-02-25T10:00:00\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "a %YAML directive": "%YAML 1.1\n---\na: yes\n",
    "a syntax error": "a: [1, 2\n",
    "a forgotten space after a colon": "单位:\n  名称:测试中心\n",
    "a line separator inside text": "a: 甲\u2028乙\n",
    "a list as a key": "? [a, b]\n: 1\n",
    "a tab inside a text": "单位:\n  名称: 测试\t中心\n",
    "a byte-order mark inside the text": "a: 1\n\ufeffb: 2\n",
    "document end markers": "a: 1\n...\n\n...\n",
    "a top-level text": "--- |\n# 说明\n",
    "a top-level list": "- 1\n- 2\n",
}


@pytest.mark.parametrize("text", LEFT_TO_THE_SLOW_READER.values(), ids=LEFT_TO_THE_SLOW_READER.keys())
def test_what_the_fast_reader_is_unsure_of_goes_to_the_slow_one(text):
    assert fast_yaml.parse(text) is None


def test_a_problem_is_still_found_at_its_line(tmp_path):
    path = tmp_path / "unit.yaml"
    path.write_text("单位:\n  名称: 测试中心\n  主要职能:\n    - 甲\n    - 乙\n", encoding="utf-8")
    doc = yaml_file.read(path)
    assert not hasattr(doc.tree, "lc")  # read fast: plain dicts
    assert (doc.line(("单位", "主要职能", 1)), doc.line(("单位", "名称")), doc.line(("单位", "没有"))) == (5, 2, 1)


def test_a_key_a_merge_brought_in_is_placed_where_it_was_written(tmp_path):
    # `<<:` (an anchor's mapping, or a list of mappings) writes no line for the keys it brings:
    # each is found at the line of the mapping it came from, never a crash.
    path = tmp_path / "unit.yaml"
    path.write_text("base: &b {科目: 2010504, 金额: x}\n支出:\n  - <<: *b\n<<:\n  - 科目: 1\n    名称: 甲\n", encoding="utf-8")
    doc = yaml_file.read(path)
    assert hasattr(doc.tree, "lc")  # an alias: read by the round-trip reader
    assert (doc.line(("支出", 0, "金额")), doc.line(("科目",)), doc.line(("名称",))) == (1, 5, 6)


def test_a_duplicate_key_is_reported_with_its_line(tmp_path):
    path = tmp_path / "unit.yaml"
    path.write_text("单位:\n  名称: 甲\n  名称: 乙\n", encoding="utf-8")
    with pytest.raises(yaml_file.ReadError) as refused:
        yaml_file.read(path)
    assert (refused.value.key, refused.value.line, refused.value.params) == ("duplicate_key", 3, {"name": "名称"})


def test_top_level_key_lines():
    marks: dict = {}
    tree = fast_yaml.parse("# a comment\na: 1\nb:\n  c: 2\n\nd: x\n", marks)
    assert marks[id(tree)] == {"a": 2, "b": 3, "d": 6}


def paths(tree, prefix=()):
    if isinstance(tree, dict):
        items = tree.items()
    elif isinstance(tree, list):
        items = enumerate(tree)
    else:
        return
    for key, value in items:
        yield prefix + (key,)
        yield from paths(value, prefix + (key,))


@pytest.mark.parametrize("path", [p for p in shipped_yaml() if "inputs" in p.parts or "data" in p.parts],
                         ids=lambda p: p.name)
def test_the_fast_reader_finds_every_line_the_round_trip_reader_finds(path):
    text = path.read_text(encoding="utf-8-sig")
    marks: dict = {}
    fast = fast_yaml.parse(text, marks)
    slow = round_trip.load(text)
    every = list(paths(fast))
    assert every
    assert [fast_yaml.line(fast, marks, p) for p in every] == [round_trip.line(slow, p) for p in every]


_plain_text = st.text(st.sampled_from("0123456789.-+_:eExo年月日个甲 ,tTfFnNuly~<=!&*#'\"[]{}|>%@`\\"), max_size=12)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.sampled_from(["k", "2024", "1.5", "甲"]), _plain_text), min_size=1, max_size=4))
def test_any_small_document_reads_alike_or_goes_to_the_slow_reader(pairs):
    text = "".join(f"{k}{i}: {v}\n" for i, (k, v) in enumerate(pairs))
    fast = fast_yaml.parse(text)
    if fast is None:
        return
    try:
        slow = round_trip.load(text)
    except round_trip.Unreadable:
        return  # libyaml reads what ruamel refuses; the line lookup copes (test above)
    assert typed(fast) == typed(slow), text


def nested(depth: int) -> str:
    """depth tables one in another by indentation, the innermost holding a scalar."""
    return "".join("  " * k + f"k{k}:\n" for k in range(depth - 1)) + "  " * (depth - 1) + "v: 1\n"


BEYOND = {
    "a scalar inside 20 tables": nested(20),
    "too many items": "a:\n" + "  - 1\n" * (bounds.MAX_ITEMS + 1),
    "too many keys": "".join(f"k{i}: 1\n" for i in range(bounds.MAX_ITEMS + 1)),
    "too many values": "".join(f"l{n}:\n" + "- 0\n" * 4000 for n in range(13)),
    "a text too long": "a: " + "字" * (bounds.MAX_TEXT + 1) + "\n",
}


@pytest.mark.parametrize("text", BEYOND.values(), ids=BEYOND.keys())
def test_beyond_a_bound_both_readers_refuse_alike(text):
    with pytest.raises(bounds.Refused) as fast:
        fast_yaml.parse(text)
    with pytest.raises(round_trip.Unreadable) as slow:
        round_trip.load(text)
    assert (fast.value.key, fast.value.line, fast.value.params) == (slow.value.key, slow.value.line, slow.value.params)


def test_nineteen_tables_deep_is_within_the_bound():
    assert typed(fast_yaml.parse(nested(19))) == typed(round_trip.load(nested(19)))


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(mutated())
def test_a_mutated_sample_reads_alike_or_goes_to_the_slow_reader(text):
    """The fuzz test's mutations of every shipped sample: whatever the fast reader accepts, the
    round-trip reader reads too, to the same tree with the same lines."""
    marks: dict = {}
    try:
        fast = fast_yaml.parse(text, marks)
    except bounds.Refused:
        return
    if fast is None:
        return
    slow = round_trip.load(text)
    assert typed(fast) == typed(slow)
    every = list(paths(fast))
    assert [fast_yaml.line(fast, marks, p) for p in every] == [round_trip.line(slow, p) for p in every]
