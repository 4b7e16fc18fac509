"""word/theme/theme1.xml: the theme Word writes in every document (validators report a package
without one). Its fonts are the profile's: the Latin face and the body's and headings' Chinese
faces, so text set in theme fonts (what Word gives a new style) looks like the rest."""

from __future__ import annotations

from typing import Any

from narrate.docx.ooxml import XML_HEAD, attr

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"

_COLOURS = (
    ("dk1", '<a:sysClr val="windowText" lastClr="000000"/>'),
    ("lt1", '<a:sysClr val="window" lastClr="FFFFFF"/>'),
    ("dk2", '<a:srgbClr val="44546A"/>'),
    ("lt2", '<a:srgbClr val="E7E6E6"/>'),
    ("accent1", '<a:srgbClr val="4472C4"/>'),
    ("accent2", '<a:srgbClr val="ED7D31"/>'),
    ("accent3", '<a:srgbClr val="A5A5A5"/>'),
    ("accent4", '<a:srgbClr val="FFC000"/>'),
    ("accent5", '<a:srgbClr val="5B9BD5"/>'),
    ("accent6", '<a:srgbClr val="70AD47"/>'),
    ("hlink", '<a:srgbClr val="0563C1"/>'),
    ("folHlink", '<a:srgbClr val="954F72"/>'),
)

_FILL = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
_LINE = '<a:ln w="{w}" cap="flat" cmpd="sng" algn="ctr"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:prstDash val="solid"/><a:miter lim="800000"/></a:ln>'
_FORMATS = (
    "<a:fmtScheme name=\"Office\">"
    f"<a:fillStyleLst>{_FILL * 3}</a:fillStyleLst>"
    f"<a:lnStyleLst>{''.join(_LINE.format(w=w) for w in (6350, 12700, 19050))}</a:lnStyleLst>"
    f"<a:effectStyleLst>{'<a:effectStyle><a:effectLst/></a:effectStyle>' * 3}</a:effectStyleLst>"
    f"<a:bgFillStyleLst>{_FILL * 3}</a:bgFillStyleLst>"
    "</a:fmtScheme>"
)


def _font(latin: str, east: str) -> str:
    return f'<a:latin typeface={attr(latin)}/><a:ea typeface=""/><a:cs typeface=""/><a:font script="Hans" typeface={attr(east)}/>'


def theme_xml(profile: dict[str, Any]) -> str:
    """Returns the theme part: Office's colours and formats, the profile's fonts."""
    styles = profile["styles"]
    latin = profile.get("latin_font", "Times New Roman")
    heading = styles.get("part", styles["body"])["font"]
    colours = "".join(f"<a:{name}>{value}</a:{name}>" for name, value in _COLOURS)
    return (
        f'{XML_HEAD}<a:theme xmlns:a="{A_NS}" name="Office">'
        f'<a:themeElements><a:clrScheme name="Office">{colours}</a:clrScheme>'
        f'<a:fontScheme name="narrate"><a:majorFont>{_font(latin, heading)}</a:majorFont>'
        f'<a:minorFont>{_font(latin, styles["body"]["font"])}</a:minorFont></a:fontScheme>'
        f"{_FORMATS}</a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
    )
