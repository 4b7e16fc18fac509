"""styles.xml and fontTable.xml from the profile: every Para.style key is a real Word style."""

from __future__ import annotations

from typing import Any

from narrate.docx.ooxml import NS_DECL, XML_HEAD, attr, half_points, twips

# w:lang per script: w:val is the language of Latin letters and digits, w:eastAsia that of
# Chinese characters. Latin text tagged Chinese lets LibreOffice break a number or an English
# word anywhere (473.8|7万元, 20|24年); tagged en-US it breaks only where English would.
LATIN_LANG, EAST_ASIAN_LANG = "en-US", "zh-CN"
ALIGN = {"left": "left", "center": "center", "right": "right", "both": "both"}


def style_id(name: str) -> str:
    """Returns the style id Word uses for a style name: 'heading 1' -> Heading1, 'toc 2' -> TOC2."""
    words = name.split()
    return "".join("TOC" if w.lower() == "toc" else w[:1].upper() + w[1:] for w in words)


def key_style_id(key: str, spec: dict[str, Any]) -> str:
    """Returns the Word style id of the profile's style key: the one it names, else Word's id for
    an ASCII name (a built-in style must keep Word's id), else one made from the key
    (table_title -> TableTitle): a Chinese name shows in the gallery, the id stays ASCII."""
    if spec.get("id"):
        return spec["id"]
    if spec["name"].isascii():
        return style_id(spec["name"])
    return "".join(part[:1].upper() + part[1:] for part in key.split("_"))


def style_ids(profile: dict[str, Any]) -> dict[str, str]:
    """Returns style key -> Word style id for every style of the profile."""
    return {key: key_style_id(key, spec) for key, spec in profile["styles"].items()}


def _fonts(profile: dict[str, Any], spec: dict[str, Any]) -> str:
    east = spec["font"]
    latin = spec.get("latin", profile["latin_font"])
    return f"<w:rFonts w:ascii={attr(latin)} w:hAnsi={attr(latin)} w:eastAsia={attr(east)} w:cs={attr(latin)}/>"


def _ppr(spec: dict[str, Any]) -> str:
    parts = []
    if spec.get("keep_next"):
        parts.append("<w:keepNext/>")
    if spec.get("page_break_before"):
        parts.append("<w:pageBreakBefore/>")
    line = spec.get("line_pt", 0)
    spacing = f' w:before="{twips(spec.get("before_pt", 0))}" w:after="{twips(spec.get("after_pt", 0))}"'
    if line:
        spacing += f' w:line="{twips(line)}" w:lineRule="exact"'
    else:
        spacing += ' w:line="240" w:lineRule="auto"'
    parts.append(f"<w:spacing{spacing}/>")
    chars = spec.get("indent_chars", 0)
    first = twips(chars * spec["size"])
    left = twips(spec.get("left_pt", 0))
    parts.append(f'<w:ind w:left="{left}" w:firstLineChars="{round(chars * 100)}" w:firstLine="{first}"/>')
    if "align" in spec:
        parts.append(f'<w:jc w:val="{ALIGN[spec["align"]]}"/>')
    if "outline" in spec:
        parts.append(f'<w:outlineLvl w:val="{int(spec["outline"])}"/>')
    return "<w:pPr>" + "".join(parts) + "</w:pPr>"


def _rpr(profile: dict[str, Any], spec: dict[str, Any]) -> str:
    bold = "<w:b/><w:bCs/>" if spec.get("bold") else "<w:b w:val=\"0\"/><w:bCs w:val=\"0\"/>"
    size = half_points(spec["size"])
    return f'<w:rPr>{_fonts(profile, spec)}{bold}<w:color w:val="000000"/><w:kern w:val="0"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'


def _paragraph_style(profile: dict[str, Any], key: str, spec: dict[str, Any]) -> str:
    sid = key_style_id(key, spec)
    default = ' w:default="1"' if sid == "Normal" else ""
    based = "" if sid == "Normal" else '<w:basedOn w:val="Normal"/>'
    return (
        f'<w:style w:type="paragraph"{default} w:styleId="{sid}"><w:name w:val={attr(spec["name"])}/>'
        f'{based}<w:next w:val="Normal"/><w:qFormat/>{_ppr(spec)}{_rpr(profile, spec)}</w:style>'
    )


TABLE_STYLE_ID = "NarrateTable"


def _fixed(table_style: str) -> str:
    """The styles every document has: the default character and table styles, the tables' own
    (its name is the profile's table_style) and Hyperlink."""
    return (
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
        '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr></w:style>"
        f'<w:style w:type="table" w:styleId="{TABLE_STYLE_ID}"><w:name w:val={attr(table_style)}/>'
        '<w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders>'
        + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + '</w:tblBorders><w:tblCellMar><w:top w:w="20" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
        '<w:bottom w:w="20" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        '<w:tcPr><w:vAlign w:val="center"/></w:tcPr></w:style>'
        '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/></w:style>'
    )


def styles_xml(profile: dict[str, Any]) -> str:
    """Returns word/styles.xml: document defaults, the profile's styles and the table style."""
    body = profile["styles"]["body"]
    # Latin text and numbers are English, Chinese characters Chinese, in either language of the
    # document (an English document's Chinese leftovers are still Chinese); the PDF's own
    # language comes from the profile (pdf.py). Widow and orphan control is on for every
    # paragraph, so Word, WPS and LibreOffice break pages alike.
    defaults = (
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f"{_fonts(profile, body)}<w:kern w:val=\"2\"/><w:sz w:val=\"{half_points(body['size'])}\"/>"
        f"<w:szCs w:val=\"{half_points(body['size'])}\"/><w:lang w:val=\"{LATIN_LANG}\" w:eastAsia=\"{EAST_ASIAN_LANG}\" w:bidi=\"ar-SA\"/>"
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl/></w:pPr></w:pPrDefault></w:docDefaults>"
    )
    styles = "".join(_paragraph_style(profile, k, s) for k, s in profile["styles"].items())
    return f"{XML_HEAD}<w:styles {NS_DECL}>{defaults}{styles}{_fixed(profile.get('table_style', 'Narrate Table'))}</w:styles>"


def font_table_xml(profile: dict[str, Any]) -> str:
    """Returns word/fontTable.xml, naming each font's fallback (altName) for other machines."""
    fonts = []
    for name, spec in profile["fonts"].items():
        alt = f"<w:altName w:val={attr(spec['alt'])}/>" if spec.get("alt") else ""
        charset = '<w:charset w:val="86"/>' if any(ord(c) > 127 for c in name) else ""
        fonts.append(f"<w:font w:name={attr(name)}>{alt}{charset}<w:family w:val=\"{spec.get('family', 'auto')}\"/><w:pitch w:val=\"variable\"/></w:font>")
    return f"{XML_HEAD}<w:fonts {NS_DECL}>{''.join(fonts)}</w:fonts>"
