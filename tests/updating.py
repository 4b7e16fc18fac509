"""What the update tests share: builds of the sample and of changed figures, and a reader that
finds each generated block of a result by the marks its snapshot names (with every revision
accepted), so a test can say "this paragraph now reads ..." without knowing how it got there."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

import wordlike
from narrate import build as builder, docx as writer, pipeline
from narrate import profile as profiles
from narrate.profile import Profile
from test_update import changed_input
from wordlike import w


def render(path: Path | None, profile: Profile | None = None) -> bytes:
    checked = pipeline.check(path)
    assert checked.ok
    return builder.render(checked.unit, checked.catalogs, profile or checked.profile)


def snapshot(data: bytes) -> dict[str, Any]:
    snap = writer.read_snapshot(data)
    assert snap is not None
    return snap


def changed_again(folder: Path) -> Path:
    """changed_input with 2010504's personnel funds cut by 4.00 more (income and 30101 follow):
    the totals, shares and rates of many paragraphs and cells change a second time."""
    s = changed_input(folder).read_text(encoding="utf-8")
    for old, new in [
        ("  一般公共预算: 470.94", "  一般公共预算: 466.94"),
        ("{人员经费: 324.25, 公用经费: 13.09, 项目支出: 98.40}", "{人员经费: 320.25, 公用经费: 13.09, 项目支出: 98.40}"),
        ("  - {科目: 30101, 金额: 87.96}", "  - {科目: 30101, 金额: 83.96}"),
    ]:
        assert old in s, old
        s = s.replace(old, new, 1)
    path = folder / "changed_again.yaml"
    path.write_text(s, encoding="utf-8")
    return path


def relabelled(old: str, new: str) -> Profile:
    """The shipped profile with one header label of table 1 renamed (the same profile, revised)."""
    shipped = profiles.load()
    t1 = shipped.spec.tables["t1"]
    header = tuple(tuple(new if cell == old else cell for cell in row) for row in t1.header)
    tables = {**shipped.spec.tables, "t1": t1.model_copy(update={"header": header})}
    return Profile(shipped.spec.model_copy(update={"tables": tables}), shipped.folders, shipped.source)


def body_of(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read("word/document.xml")).find(w("body"))


def accepted(data: bytes) -> etree._Element:
    """The body of data with every revision accepted."""
    body = body_of(data)
    wordlike.accept_all(body)
    return body


def cells_by_column(tr: etree._Element) -> dict[int, etree._Element]:
    out, col = {}, 0
    for tc in tr.findall(w("tc")):
        span = tc.find(f"{w('tcPr')}/{w('gridSpan')}")
        merge = tc.find(f"{w('tcPr')}/{w('vMerge')}")
        if merge is None or merge.get(w("val")) == "restart":
            out[col] = tc
        col += int(span.get(w("val"))) if span is not None else 1
    return out


def cell_text(tc: etree._Element) -> str:
    return "\n".join(wordlike.text(p) for p in tc.findall(w("p")))


def snapshot_cells(table: dict) -> dict[tuple[str, int], dict]:
    """(row id, grid column) -> cell record of a snapshot table, by the rules of the writer."""
    out: dict[tuple[str, int], dict] = {}
    covered: dict[int, int] = {}
    for row in table["rows"]:
        col = 0
        for cell in row["cells"]:
            while covered.get(col, 0) > 0:
                col += 1
            out[(row["id"], col)] = cell
            for k in range(col, col + cell.get("colspan", 1)):
                covered[k] = cell.get("rowspan", 1)
            col += cell.get("colspan", 1)
        covered = {k: n - 1 for k, n in covered.items() if n > 1}
    return out


def read(data: bytes, snap: dict[str, Any]) -> dict[Any, str]:
    """The result as the officer reads it once every revision is accepted: paragraph id ->
    text, (table, row, column) -> cell text, for each block whose marks are there."""
    body = accepted(data)
    starts = {b.get(w("name")): b for b in body.iter(w("bookmarkStart"))}
    ends = {b.get(w("id")): b for b in body.iter(w("bookmarkEnd"))}
    out: dict[Any, str] = {}
    for block in snap["blocks"]:
        if block["type"] == "p":
            start = starts.get(block["mark"])
            if start is not None:
                p = next(start.iterancestors(w("p")))
                end = ends.get(start.get(w("id")))
                if end is not None and end.getparent() is not p and not "".join(
                        t.text or "" for t in start.itersiblings() for t in t.iter(w("t"))):
                    p = next(end.iterancestors(w("p")))  # LibreOffice put the start at the end of the paragraph before
                out[block["id"]] = wordlike.text(p)
            continue
        cells = snapshot_cells(block)
        for row in block["rows"]:
            start = starts.get(row.get("mark"))
            if start is None:
                continue
            tcs = cells_by_column(next(start.iterancestors(w("tr"))))
            for rid, col in cells:
                if rid == row["id"] and col in tcs:
                    out[(block["id"], rid, col)] = cell_text(tcs[col])
    return out


def para(snap: dict[str, Any], pid: str) -> dict:
    return next(b for b in snap["blocks"] if b["id"] == pid)


def with_snapshot(data: bytes, change) -> bytes:
    """data with its snapshot JSON passed through change(dict) -> dict."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [(i.filename, archive.read(i)) for i in archive.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in parts:
            if re.fullmatch(r"customXml/item\d+\.xml", name) and b"urn:narrate:snapshot" in blob[:400]:
                root = etree.fromstring(blob)
                root.text = json.dumps(change(json.loads(root.text)), ensure_ascii=False)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            archive.writestr(name, blob)
    return out.getvalue()


def without_parts(data: bytes, drop) -> bytes:
    """data without the parts drop(name) selects, and without relationships pointing at them."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [(i.filename, archive.read(i)) for i in archive.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in parts:
            if drop(name):
                continue
            if name.endswith(".rels") or name == "[Content_Types].xml":
                root = etree.fromstring(blob)
                for el in list(root):
                    target = el.get("Target") or el.get("PartName") or ""
                    if target and drop(target.lstrip("/").replace("../", "")):
                        root.remove(el)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            archive.writestr(name, blob)
    return out.getvalue()
