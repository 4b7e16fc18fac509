"""The ECMA-376 transitional schemas (tests/data/ooxml-xsd, as published with the standard) as
one lxml schema set, built once per test session, and the check of every XML part of a
package against it: what a strict reader (Word's validator, the Open XML SDK) would refuse."""

from __future__ import annotations

import io
import zipfile
from functools import lru_cache
from pathlib import Path

from lxml import etree

from narrate.docx import snapshot

XSD = Path(__file__).with_name("data") / "ooxml-xsd"
# The schema files whose elements a package's parts use: WordprocessingML, SpreadsheetML,
# DrawingML (themes), the extended and custom-XML properties, OPC's content types and
# relationships. Each imports what it needs itself.
ROOTS = (
    "wml.xsd",
    "sml.xsd",
    "dml-main.xsd",
    "shared-documentPropertiesExtended.xsd",
    "shared-customXmlDataProperties.xsd",
    "opc-xsd/opc-contentTypes.xsd",
    "opc-xsd/opc-relationships.xsd",
)
# Parts in a namespace no schema here covers: the core properties (the Dublin Core schemas are
# not part of ECMA-376's set) and narrate's own snapshot (its own namespace; docx/snapshot.py).
NO_SCHEMA = {
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    snapshot.NS,
}


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    """One schema importing every root file, so a part in any of their namespaces validates."""
    imports = []
    for name in ROOTS:
        target = etree.parse(str(XSD / name)).getroot().get("targetNamespace")
        imports.append(f'<xsd:import namespace="{target}" schemaLocation="{(XSD / name).as_uri()}"/>')
    wrapper = (
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:narrate-tests:all" '
        f'elementFormDefault="qualified">{"".join(imports)}</xsd:schema>'
    )
    return etree.XMLSchema(etree.parse(io.BytesIO(wrapper.encode()), base_url=XSD.as_uri() + "/"))


def problems(data: bytes) -> list[str]:
    """Returns 'part: line: message' for every schema error in every XML part of the package
    data, and for a part in a namespace the set does not know (so nothing escapes unchecked)."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if not (name.endswith(".xml") or name.endswith(".rels")):
                continue
            root = etree.fromstring(z.read(name))
            ns = etree.QName(root).namespace
            if ns in NO_SCHEMA:
                continue
            s = schema()
            if not s.validate(root):
                out.extend(f"{name}: {e.line}: {e.message}" for e in s.error_log)
    return out
