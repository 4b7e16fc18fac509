"""Every XML part narrate writes is valid against the ECMA-376 transitional schemas (tests/schemas.py):
each sample's .docx in every profile, a document `narrate update` wrote (tracked changes and
review comments included), and the workbook `narrate template` writes, blank and filled."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree
from typer.testing import CliRunner

import schemas
from narrate.docx.ooxml import NS_DECL
from narrate import build, phrasebook, pipeline
from narrate.cli import app
from narrate.regen.update import update
from narrate.resources import data_dir
from test_update import changed_input, officer_edits
from samples import SAMPLES



def render(name: str, profile: str | None) -> bytes:
    checked = pipeline.check(data_dir("inputs") / name, None, profile)
    assert checked.ok, [str(p) for p in checked.problems]
    return build.render(checked.unit, checked.catalogs, checked.profile, phrasebook.load(profile=checked.profile))


def test_the_schema_set_refuses_what_a_strict_reader_refuses():
    # The check itself can fail: a fractional w:firstLineChars and a settings part out of order
    # are errors, so a pass below means something.
    bad = (
        f'<w:styles {NS_DECL}><w:style w:type="paragraph" w:styleId="A"><w:name w:val="a"/>'
        '<w:pPr><w:ind w:firstLineChars="200.0"/></w:pPr></w:style></w:styles>'
    ).encode()
    settings = f'<w:settings {NS_DECL}><w:evenAndOddHeaders/><w:defaultTabStop w:val="420"/></w:settings>'.encode()
    s = schemas.schema()
    assert not s.validate(etree.fromstring(bad))
    assert not s.validate(etree.fromstring(settings))


@pytest.mark.parametrize("profile", sorted(SAMPLES))
def test_every_part_of_every_samples_document_is_valid(profile):
    name, named = SAMPLES[profile]
    assert schemas.problems(render(name, named)) == []


def test_every_part_of_an_updated_document_with_comments_is_valid(tmp_path):
    edited = tmp_path / "edited.docx"
    edited.write_bytes(render(SAMPLES["xj-unit"][0], None))
    officer_edits(edited)
    checked = pipeline.check(changed_input(tmp_path))
    result = update(edited, build.render(checked.unit, checked.catalogs), comments=True)
    data = result.path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:  # the parts worth checking are there
        assert "word/comments.xml" in z.namelist() and b"<w:ins " in z.read("word/document.xml")
    assert schemas.problems(data) == []


@pytest.mark.parametrize("source", [None, "putuo-commerce-2025-dept.yaml"])
def test_every_part_of_the_workbook_is_valid(tmp_path, source):
    out = tmp_path / "book.xlsx"
    args = ["template", *([str(data_dir("inputs") / source)] if source else []), "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert schemas.problems(out.read_bytes()) == []
