"""A PDF's text as its reader sees it, line by line (poppler's `pdftotext -bbox-layout`), and the
line breaks a typesetter would be ashamed of: a number, year or word broken across lines, and a
line holding one character alone."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

XHTML = "{http://www.w3.org/1999/xhtml}"
# What one Latin token is made of: letters, digits and what sits inside a number (473.87,
# 37,151.47, 21.78%). A break after a hyphen is a break English allows.
TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.,%'’]*[A-Za-z0-9%])?")
_TAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%'’]*$")
_HEAD = re.compile(r"^[A-Za-z0-9.,%'’]*[A-Za-z0-9%]")
_PUNCT = re.compile(r"[\s\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\u2010-\u206f.,;:!?()'\"“”‘’、]")


@dataclass(frozen=True)
class Line:
    page: int
    block: int
    text: str  # the words joined without spaces
    first: str
    last: str
    x0: float
    x1: float
    y0: float
    y1: float

    def followed_by(self, b: "Line") -> bool:
        """Whether b is the next line of the same paragraph or cell: just below this one, on the
        same page, starting no further right (pdftotext puts each line of Chinese text in a block
        of its own, so blocks cannot tell)."""
        height = self.y1 - self.y0
        return b.page == self.page and -0.5 * height <= b.y0 - self.y1 < height and b.x0 <= self.x0 + height and b.x1 > self.x0


def lines(pdf: Path) -> list[Line]:
    """Returns every line of the PDF in reading order, each with its page and block."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(xml, etree.XMLParser(huge_tree=True, recover=True))
    out = []
    block_no = 0
    for n, page in enumerate(root.iter(f"{XHTML}page"), 1):
        for block in page.iter(f"{XHTML}block"):
            block_no += 1
            for line in block.iter(f"{XHTML}line"):
                words = [w.text or "" for w in line.iter(f"{XHTML}word")]
                if words:
                    box = [float(line.get(k)) for k in ("xMin", "xMax", "yMin", "yMax")]
                    out.append(Line(n, block_no, "".join(words), words[0], words[-1], *box))
    return out


def tokens(text: str) -> set[str]:
    """The Latin tokens (words, numbers) of a document's own text."""
    return set(TOKEN.findall(text))


def broken(pdf_lines: list[Line], known: set[str]) -> list[str]:
    """Returns 'page N: tail|head' for every line break inside one token of the document: the
    end of a line and the start of the next in the same block join into a token the document
    holds whole (473.8|7, 20|24, perf|ormance)."""
    out = []
    for a, b in zip(pdf_lines, pdf_lines[1:]):
        if not a.followed_by(b):
            continue
        tail, head = _TAIL.search(a.last), _HEAD.search(b.first)
        if tail and head:
            joined = (tail.group() + head.group()).rstrip(".,'’")
            if joined in known:
                out.append(f"page {a.page}: {a.last}|{b.first}")
    return out


def lone(pdf_lines: list[Line], min_width: float) -> list[str]:
    """Returns 'page N: previous line|lone line' for every line of a block holding a single
    character (punctuation aside) after a line at least min_width points wide (body text, a
    title; not a narrow table cell, where one character may be all there is)."""
    out = []
    for a, b in zip(pdf_lines, pdf_lines[1:]):
        if a.followed_by(b) and a.x1 - a.x0 >= min_width and len(_PUNCT.sub("", b.text)) == 1:
            out.append(f"page {b.page}: {a.text[-12:]}|{b.text}")
    return out


def paragraph_texts(docx_xml: bytes) -> list[str]:
    """Returns the text of every paragraph of a word/document.xml as written (spaces kept)."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in etree.fromstring(docx_xml).iter(f"{w}p")]


def cell_texts(docx_xml: bytes) -> tuple[set[str], set[str], set[str]]:
    """Returns the squashed texts of header cells, of body cells and of paragraphs outside
    tables, from a word/document.xml (each cell line apart)."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = etree.fromstring(docx_xml)
    head, body, paras = set(), set(), set()

    def text(p) -> str:
        return "".join("".join((t.text or "").split()) for t in p.iter(f"{w}t"))

    for tbl in root.iter(f"{w}tbl"):
        for r in tbl.findall(f"{w}tr"):
            into = head if r.find(f"{w}trPr/{w}tblHeader") is not None else body
            into.update(t for t in (text(p) for p in r.iter(f"{w}p")) if t)
    for p in root.iter(f"{w}p"):
        if next(p.iterancestors(f"{w}tbl"), None) is None and text(p):
            paras.add(text(p))
    return head, body, paras


def headless_pages(pdf_lines: list[Line], docx_xml: bytes) -> list[str]:
    """Returns 'page N: text' for every page whose first line is a table's body row: a table
    continued without its header (a repeated header comes first)."""
    head, body, paras = cell_texts(docx_xml)
    out = []
    pages: dict[int, list[Line]] = {}
    for line in pdf_lines:
        pages.setdefault(line.page, []).append(line)
    for n, page in sorted(pages.items()):
        top = min(line.y0 for line in page)
        first = [line for line in page if line.y0 - top < 2]

        def within(texts: set[str], piece: str) -> bool:
            return any(piece in t for t in texts)

        pieces = [line.text for line in first]
        if all(within(body, x) for x in pieces) and not any(within(head, x) or within(paras, x) for x in pieces):
            out.append(f"page {n}: {' | '.join(pieces)[:60]}")
    return out


def fonts(pdf: Path) -> dict[str, str]:
    """Returns the PDF's fonts: subset tag (ABCDEF+) -> full name, from pdffonts."""
    listed = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return {line.split()[0].split("+")[0]: line.split()[0] for line in listed if line.strip()}


def drawn(pdf: Path) -> list[tuple[str, str]]:
    """Returns (text, font name) for every piece of text the PDF draws in one font (pdftohtml)."""
    names = fonts(pdf)
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-q", "-stdout", str(pdf)], capture_output=True, check=True).stdout
    root = etree.fromstring(xml, etree.XMLParser(recover=True, huge_tree=True))
    family = {f.get("id"): names.get(f.get("family", "").split("+")[0], f.get("family", "")) for f in root.iter("fontspec")}
    return [("".join(t.itertext()), family.get(t.get("font"), "")) for t in root.iter("text")]
