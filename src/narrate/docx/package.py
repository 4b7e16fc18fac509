"""The .docx package: the parts narrate writes around document.xml, reading a package someone
else saved, and a zip whose bytes depend only on the parts (fixed entry order, timestamps and
compression), for build and update alike."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Mapping
from typing import Any

from lxml import etree

from narrate import zipbound
from narrate.docx import snapshot
from narrate.docx.body import east_asian
from narrate.docx.sections import FOOTER_DEFAULT_RID, FOOTER_EMPTY_RID, FOOTER_EVEN_RID, odd_even
from narrate.docx.ooxml import CONTENT_TYPE, NS, NS_DECL, REL_TYPE, XML_HEAD, serialize, text
from narrate.docx.ooxml import parse as ooxml_parse
from narrate.docx.styles import key_style_id
from narrate.docx.theme import theme_xml

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
DOCUMENT = "word/document.xml"
CONTENT_TYPES_PART = "[Content_Types].xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
SNAPSHOT_PART = "customXml/item1.xml"
THEME_PART = "word/theme/theme1.xml"
# A fixed GUID: the datastore item is narrate's, and the same in every document it writes.
SNAPSHOT_ITEM_ID = "{6E61F3A2-7261-7465-8E61-727261746531}"
_OLE = bytes.fromhex("d0cf11e0a1b11ae1")  # a compound file: an encrypted .docx, or a .doc
# What a .docx may hold to be read (docs/input-format.md, 输入的上限). A disclosure narrate
# writes is a few hundred KB, its document.xml a few MB and some 50,000 elements; images in an
# officer's copy are what take room.
MAX_FILE = 100 * 1024 * 1024
ZIP_LIMITS = zipbound.Limits(parts=2_000, part=64 * 1024 * 1024, total=256 * 1024 * 1024,
                             streamed=("word/media/",), whole=32 * 1024 * 1024)  # images are only copied
MAX_XML_PART = 32 * 1024 * 1024  # unpacked bytes of document.xml (lxml holds it whole)
MAX_BODY_ELEMENTS = 1_000_000  # elements of document.xml, counted while it streams


class PackageError(Exception):
    """A file that cannot be read as a Word package; reason is a message key suffix:
    not_docx, encrypted, corrupt, too_big (key and params: the bound it passed)."""

    def __init__(self, reason: str, detail: str = "", key: str = "", **params: object) -> None:
        super().__init__(reason)
        self.reason, self.detail, self.key, self.params = reason, detail, key, params


def _rels(items: list[tuple[str, str, str]]) -> str:
    body = "".join(f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in items)
    return f'{XML_HEAD}<Relationships xmlns="{NS["rel"]}">{body}</Relationships>'


def content_types(even: bool) -> str:
    """Returns [Content_Types].xml; even: with the even pages' footer."""
    footer3 = f'<Override PartName="/word/footer3.xml" ContentType="{CONTENT_TYPE}footer+xml"/>' if even else ""
    return CONTENT_TYPES.replace("{footer3}", footer3)


CONTENT_TYPES = (
    f'{XML_HEAD}<Types xmlns="{NS["ct"]}">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{CONTENT_TYPE}document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{CONTENT_TYPE}styles+xml"/>'
    f'<Override PartName="/word/settings.xml" ContentType="{CONTENT_TYPE}settings+xml"/>'
    f'<Override PartName="/word/fontTable.xml" ContentType="{CONTENT_TYPE}fontTable+xml"/>'
    f'<Override PartName="/{THEME_PART}" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'
    f'<Override PartName="/word/footer1.xml" ContentType="{CONTENT_TYPE}footer+xml"/>'
    f'<Override PartName="/word/footer2.xml" ContentType="{CONTENT_TYPE}footer+xml"/>'
    "{footer3}"
    '<Override PartName="/customXml/itemProps1.xml" ContentType="application/vnd.openxmlformats-officedocument.customXmlProperties+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)

ROOT_RELS = _rels(
    [
        ("rId1", f"{REL_TYPE}officeDocument", "word/document.xml"),
        ("rId2", f"{NS['rel']}/metadata/core-properties", "docProps/core.xml"),
        ("rId3", f"{REL_TYPE}extended-properties", "docProps/app.xml"),
    ]
)

def document_rels(even: bool) -> str:
    """Returns word/_rels/document.xml.rels; even: with the even pages' footer."""
    return _rels(
        [
            ("rId1", f"{REL_TYPE}styles", "styles.xml"),
            ("rId2", f"{REL_TYPE}settings", "settings.xml"),
            ("rId3", f"{REL_TYPE}fontTable", "fontTable.xml"),
            ("rId4", f"{REL_TYPE}customXml", "../customXml/item1.xml"),
            ("rId5", f"{REL_TYPE}theme", "theme/theme1.xml"),
            (FOOTER_DEFAULT_RID, f"{REL_TYPE}footer", "footer1.xml"),
            (FOOTER_EMPTY_RID, f"{REL_TYPE}footer", "footer2.xml"),
        ]
        + ([(FOOTER_EVEN_RID, f"{REL_TYPE}footer", "footer3.xml")] if even else [])
    )


def settings_xml(even: bool) -> str:
    """Returns word/settings.xml; even: odd and even pages have footers of their own."""
    return (
        f"{XML_HEAD}<w:settings {NS_DECL}>"
        '<w:zoom w:percent="100"/>'
        # CT_Settings is a sequence: defaultTabStop comes before evenAndOddHeaders.
        '<w:defaultTabStop w:val="420"/>'
        + ("<w:evenAndOddHeaders/>" if even else "")
        + '<w:characterSpacingControl w:val="compressPunctuation"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
        "</w:settings>"
    )

ITEM_PROPS = (
    f'{XML_HEAD}<ds:datastoreItem ds:itemID="{SNAPSHOT_ITEM_ID}" xmlns:ds="{NS["ds"]}">'
    f'<ds:schemaRefs><ds:schemaRef ds:uri="{snapshot.NS}"/></ds:schemaRefs></ds:datastoreItem>'
)

ITEM_RELS = _rels([("rId1", f"{REL_TYPE}customXmlProps", "itemProps1.xml")])


def _footer_run(value: str) -> str:
    # The dashes around the number (— 1 —) are the Chinese font's, as GB/T 9704 sets them.
    hint = '<w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>' if east_asian(value) else ""
    return f'<w:r>{hint}<w:t xml:space="preserve">{text(value)}</w:t></w:r>'


def footer_xml(profile: dict[str, Any], numbered: bool, align: str = "center") -> str:
    """Returns a footer: the page number (as a PAGE field) in the profile's pattern, placed at
    align and page_number_indent_chars in from that edge; or empty."""
    style = profile["styles"]["footer"]
    sid = key_style_id("footer", style)
    content, ppr = "", ""
    if numbered:
        page = profile["page"]
        before, _, after = page["page_number"].partition("{PAGE}")
        field = (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )
        content = f"{_footer_run(before)}{field}{_footer_run(after)}"
        indent = round(page.get("page_number_indent_chars", 0) * style["size"] * 20)
        side = {"left": "left", "right": "right"}.get(align)
        ind = f'<w:ind w:{side}="{indent}" w:firstLine="0"/>' if side and indent else ""
        ppr = f'{ind}<w:jc w:val="{align}"/>'
    return f'{XML_HEAD}<w:ftr {NS_DECL}><w:p><w:pPr><w:pStyle w:val="{sid}"/>{ppr}</w:pPr>{content}</w:p></w:ftr>'


# The document's language (the profile's) as core.xml's dc:language: what the PDF declares
# (pdf.py reads it back) and what a catalogue of published files can index.
LANGUAGE_TAGS = {"zh": "zh-CN", "en": "en-US"}


def core_xml(title: str, stamp: str, language: str = "zh") -> str:
    """Returns docProps/core.xml; stamp (W3CDTF) is derived from the input, never the clock."""
    return (
        f"{XML_HEAD}<cp:coreProperties "
        f'xmlns:cp="{NS["cp"]}" xmlns:dc="{NS["dc"]}" xmlns:dcterms="{NS["dcterms"]}" xmlns:xsi="{NS["xsi"]}">'
        f"<dc:title>{text(title)}</dc:title><dc:creator>narrate</dc:creator><dc:language>{LANGUAGE_TAGS[language]}</dc:language>"
        "<cp:lastModifiedBy>narrate</cp:lastModifiedBy>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


APP = f'{XML_HEAD}<Properties xmlns="{NS["ep"]}"><Application>narrate</Application></Properties>'

_SPACES = re.compile(r"\s+")


def build_parts(styles: str, fonts: str, profile: dict[str, Any], title: str, stamp: str) -> dict[str, bytes]:
    """Returns every part of a new .docx but word/document.xml and the snapshot."""
    even = odd_even(profile)
    page = profile["page"]
    parts: dict[str, str | bytes] = {
        CONTENT_TYPES_PART: content_types(even),
        "_rels/.rels": ROOT_RELS,
        "docProps/core.xml": core_xml(_SPACES.sub(" ", title), stamp, profile.get("language", "zh")),
        "docProps/app.xml": APP,
        DOCUMENT_RELS: document_rels(even),
        "word/styles.xml": styles,
        "word/settings.xml": settings_xml(even),
        "word/fontTable.xml": fonts,
        THEME_PART: theme_xml(profile),
        "word/footer1.xml": footer_xml(profile, True, page.get("page_number_odd", "center")),
        "word/footer2.xml": footer_xml(profile, False),
        "customXml/itemProps1.xml": ITEM_PROPS,
        "customXml/_rels/item1.xml.rels": ITEM_RELS,
    }
    if even:
        parts["word/footer3.xml"] = footer_xml(profile, True, page.get("page_number_even", "center"))
    return {name: data.encode("utf-8") if isinstance(data, str) else data for name, data in parts.items()}


def zip_parts(parts: Mapping[str, bytes]) -> bytes:
    """Returns the package as bytes: the same bytes for the same parts, whoever wrote them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(parts, key=lambda n: (n != CONTENT_TYPES_PART, n)):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, parts[name], compresslevel=6)
    return buffer.getvalue()


def read_parts(data: bytes) -> dict[str, bytes]:
    """Returns every part of the package data, or raises PackageError saying what is wrong."""
    if data.startswith(_OLE):
        raise PackageError("encrypted")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise PackageError("not_docx", str(exc)) from None
    with archive:
        infos = archive.infolist()
        if any(i.flag_bits & 0x1 for i in infos):
            raise PackageError("encrypted")
        try:
            zipbound.inspect(archive, ZIP_LIMITS)
            parts = {i.filename: zipbound.read(archive, i, ZIP_LIMITS.of(i.filename)) for i in infos if not i.is_dir()}
            if DOCUMENT in parts:
                _count_body(parts[DOCUMENT])
        except zipbound.Refused as exc:
            raise PackageError("too_big", "", exc.key, **exc.params) from None
        except (etree.XMLSyntaxError, KeyError) as exc:
            raise PackageError("corrupt", str(exc)) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError) as exc:
            raise PackageError("corrupt", str(exc)) from None
    if DOCUMENT not in parts:
        raise PackageError("corrupt", f"no {DOCUMENT}")
    return parts


def _count_body(body: bytes) -> None:
    # The body is parsed whole later; its elements are bounded first. Every start tag is a '<'
    # that opens no end tag, comment, CDATA or declaration: counting those in the bytes gives
    # at least the element count (never fewer), at C speed, where walking the elements with
    # iterparse took a Python step for each (a fifth of an update's time).
    count = body.count(b"<") - body.count(b"</") - body.count(b"<?") - body.count(b"<!")
    if count > MAX_BODY_ELEMENTS:
        raise zipbound.Refused("docx_too_many_elements", limit=MAX_BODY_ELEMENTS)


def parse(blob: bytes, name: str) -> etree._Element:
    """Returns the root of an XML part, or raises PackageError (corrupt)."""
    try:
        return ooxml_parse(blob)
    except etree.XMLSyntaxError as exc:
        raise PackageError("corrupt", f"{name}: {exc}") from None


# -- adding a part to a package someone else saved ------------------------------------------------


def with_override(content_types: bytes, part: str, content_type: str) -> bytes:
    """Returns [Content_Types].xml declaring part (e.g. /word/comments.xml) as content_type."""
    root = parse(content_types, CONTENT_TYPES_PART)
    ct = f"{{{NS['ct']}}}"
    for el in root.iter(f"{ct}Override"):
        if el.get("PartName") == part:
            el.set("ContentType", content_type)
            return serialize(root)
    etree.SubElement(root, f"{ct}Override", PartName=part, ContentType=content_type)
    return serialize(root)


def with_relationship(rels: bytes | None, kind: str, target: str) -> tuple[bytes, str]:
    """Returns document.xml.rels relating target as kind (a REL_TYPE suffix), and its rId."""
    root = parse(rels, DOCUMENT_RELS) if rels else etree.Element(f"{{{NS['rel']}}}Relationships", nsmap={None: NS["rel"]})
    tag = f"{{{NS['rel']}}}Relationship"
    for el in root.iter(tag):
        if el.get("Type") == REL_TYPE + kind and el.get("Target") == target:
            return serialize(root), el.get("Id")
    used = {el.get("Id") for el in root.iter(tag)}
    rid = next(f"rId{n}" for n in range(1, len(used) + 2) if f"rId{n}" not in used)
    etree.SubElement(root, tag, Id=rid, Type=REL_TYPE + kind, Target=target)
    return serialize(root), rid
