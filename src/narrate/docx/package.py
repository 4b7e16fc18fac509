"""The .docx package around document.xml: parts, relationships, properties, and a zip whose
bytes depend only on the content (fixed entry order, timestamps and compression)."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from narrate.docx.body import FOOTER_DEFAULT_RID, FOOTER_FIRST_RID
from narrate.docx.marks import SNAPSHOT_NS
from narrate.docx.ooxml import NS_DECL, XML_HEAD, text
from narrate.docx.styles import style_id

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
SNAPSHOT_PART = "customXml/item1.xml"
# A fixed GUID: the datastore item is narrate's, and the same in every document it writes.
SNAPSHOT_ITEM_ID = "{6E61F3A2-7261-7465-8E61-727261746531}"

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"


def _rels(items: list[tuple[str, str, str]]) -> str:
    body = "".join(f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in items)
    return f'{XML_HEAD}<Relationships xmlns="{_PKG_REL}">{body}</Relationships>'


CONTENT_TYPES = (
    f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{_CT}.document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{_CT}.styles+xml"/>'
    f'<Override PartName="/word/settings.xml" ContentType="{_CT}.settings+xml"/>'
    f'<Override PartName="/word/fontTable.xml" ContentType="{_CT}.fontTable+xml"/>'
    f'<Override PartName="/word/footer1.xml" ContentType="{_CT}.footer+xml"/>'
    f'<Override PartName="/word/footer2.xml" ContentType="{_CT}.footer+xml"/>'
    '<Override PartName="/customXml/itemProps1.xml" ContentType="application/vnd.openxmlformats-officedocument.customXmlProperties+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)

ROOT_RELS = _rels(
    [
        ("rId1", f"{_REL}/officeDocument", "word/document.xml"),
        ("rId2", f"{_PKG_REL}/metadata/core-properties", "docProps/core.xml"),
        ("rId3", f"{_REL}/extended-properties", "docProps/app.xml"),
    ]
)

DOCUMENT_RELS = _rels(
    [
        ("rId1", f"{_REL}/styles", "styles.xml"),
        ("rId2", f"{_REL}/settings", "settings.xml"),
        ("rId3", f"{_REL}/fontTable", "fontTable.xml"),
        ("rId4", f"{_REL}/customXml", "../customXml/item1.xml"),
        (FOOTER_DEFAULT_RID, f"{_REL}/footer", "footer1.xml"),
        (FOOTER_FIRST_RID, f"{_REL}/footer", "footer2.xml"),
    ]
)

SETTINGS = (
    f"{XML_HEAD}<w:settings {NS_DECL}>"
    '<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>'
    '<w:characterSpacingControl w:val="compressPunctuation"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
    '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
    "</w:settings>"
)

ITEM_PROPS = (
    f'{XML_HEAD}<ds:datastoreItem ds:itemID="{SNAPSHOT_ITEM_ID}" '
    'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
    f'<ds:schemaRefs><ds:schemaRef ds:uri="{SNAPSHOT_NS}"/></ds:schemaRefs></ds:datastoreItem>'
)

ITEM_RELS = _rels([("rId1", f"{_REL}/customXmlProps", "itemProps1.xml")])


def footer_xml(profile: dict[str, Any], numbered: bool) -> str:
    """Returns a footer: the page number (as a PAGE field) in the profile's pattern, or empty."""
    sid = style_id(profile["styles"]["footer"]["name"])
    content = ""
    if numbered:
        before, _, after = profile["page"]["page_number"].partition("{PAGE}")
        field = (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )
        content = f'<w:r><w:t xml:space="preserve">{text(before)}</w:t></w:r>{field}<w:r><w:t xml:space="preserve">{text(after)}</w:t></w:r>'
    return f'{XML_HEAD}<w:ftr {NS_DECL}><w:p><w:pPr><w:pStyle w:val="{sid}"/></w:pPr>{content}</w:p></w:ftr>'


def core_xml(title: str, stamp: str) -> str:
    """Returns docProps/core.xml; stamp (W3CDTF) is derived from the input, never the clock."""
    return (
        f"{XML_HEAD}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{text(title)}</dc:title><dc:creator>narrate</dc:creator><cp:lastModifiedBy>narrate</cp:lastModifiedBy>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


APP = (
    f'{XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>narrate</Application></Properties>"
)


def snapshot_xml(payload: str) -> str:
    """Returns the custom XML part that carries the snapshot (JSON) inside the .docx."""
    return f'{XML_HEAD}<narrate xmlns="{SNAPSHOT_NS}">{text(payload)}</narrate>'


def read_snapshot_xml(xml: bytes) -> str:
    """Returns the JSON text of a snapshot part written by snapshot_xml."""
    from xml.etree import ElementTree

    return ElementTree.fromstring(xml).text or ""


def zip_parts(parts: dict[str, str | bytes]) -> bytes:
    """Returns the package as bytes, the same bytes for the same parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(parts, key=lambda n: (n != "[Content_Types].xml", n)):
            data = parts[name]
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, data.encode("utf-8") if isinstance(data, str) else data, compresslevel=6)
    return buffer.getvalue()


_ATTR_TITLE = re.compile(r"\s+")


def package(document: str, styles: str, fonts: str, profile: dict[str, Any], title: str, stamp: str, snapshot: str) -> bytes:
    """Returns the complete .docx."""
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "docProps/core.xml": core_xml(_ATTR_TITLE.sub(" ", title), stamp),
        "docProps/app.xml": APP,
        "word/document.xml": document,
        "word/_rels/document.xml.rels": DOCUMENT_RELS,
        "word/styles.xml": styles,
        "word/settings.xml": SETTINGS,
        "word/fontTable.xml": fonts,
        "word/footer1.xml": footer_xml(profile, True),
        "word/footer2.xml": footer_xml(profile, False),
        SNAPSHOT_PART: snapshot_xml(snapshot),
        "customXml/itemProps1.xml": ITEM_PROPS,
        "customXml/_rels/item1.xml.rels": ITEM_RELS,
    }
    return zip_parts(parts)
