"""The officer's and the bureau's pages (narrate serve), through the app in-process: rights,
CSRF, located problems in `narrate check`'s words, reasons entered on the page, versions kept
with their digests, build, update with its review list, the bureau's states, filters and zip."""

from __future__ import annotations

import hashlib
import os
import io
import re
import zipfile

import pytest
from fastapi.testclient import TestClient

import serving
from narrate.serve import db
from narrate.serve.app import create_app
from narrate.serve.settings import Settings
from test_update import REASON


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("pages") / "data"
    settings = Settings(data=data, demo=True, workers=2)
    app = create_app(settings)
    serving.add_user(settings.url, "other", "officer", "bureau B", "another unit")
    serving.add_user(settings.url, "staff-b", "bureau", "bureau B")
    with TestClient(app) as client:
        client.settings = settings
        yield client


@pytest.fixture
def officer(site):
    site.cookies.clear()
    csrf = serving.sign_in(site, "demo")
    return site, csrf


def _unit_id(client) -> int:
    return int(re.search(r"/units/(\d+)/upload", client.get("/").text).group(1))


def _version_id(answer) -> int:
    return int(re.search(r"/versions/(\d+)$", str(answer.url)).group(1))


def _upload(client, csrf, unit, name, data):
    return client.post(f"/units/{unit}/upload", data={"csrf": csrf}, files={"file": (name, data)}, follow_redirects=True)


def test_the_login_page_names_the_demo_accounts_only_with_the_demo(site, tmp_path):
    site.cookies.clear()
    assert "演示账号" in site.get("/login").text
    quiet = create_app(Settings(data=tmp_path / "d", demo=False, workers=1))
    with TestClient(quiet) as other:
        page = other.get("/login").text
        assert "演示账号" not in page and "demo" not in page


def test_a_wrong_password_is_refused_in_chinese(site):
    site.cookies.clear()
    page = site.get("/login")
    answer = site.post("/login", data={"login": "demo", "password": "nope", "csrf": serving.csrf_of(page.text)})
    assert answer.status_code == 401 and "用户名或密码不正确" in answer.text


def _try(client, login, password):
    page = client.get("/login")
    return client.post("/login", data={"login": login, "password": password, "csrf": serving.csrf_of(page.text)})


def test_wrong_passwords_throttle_that_login_only_until_the_window_passes(site):
    from datetime import timedelta

    from sqlalchemy import update

    from narrate.serve import auth

    serving.add_user(site.settings.url, "guessed", "officer", "bureau", "guessed unit")
    site.cookies.clear()
    for _ in range(auth.FAILURES_ALLOWED - 1):  # a success in between starts the count again
        assert _try(site, "guessed", "wrong").status_code == 401
    assert _try(site, "guessed", "pw-guessed").status_code == 200
    site.cookies.clear()
    for _ in range(auth.FAILURES_ALLOWED):
        assert _try(site, "guessed", "wrong").status_code == 401
    refused = _try(site, "guessed", "pw-guessed")  # the right password, not even checked
    assert refused.status_code == 429
    assert re.search(r"登录失败的次数过多，请 1[45] 分钟后再试", refused.text), refused.text
    site.cookies.clear()
    assert _try(site, "demo2", "demo").status_code == 200  # another login is not held up
    site.cookies.clear()
    with serving.session(site.settings.url) as s:
        s.execute(update(db.LoginFailure).values(at=db.now() - auth.FAILURE_WINDOW - timedelta(seconds=1)))
        s.commit()
    assert _try(site, "guessed", "pw-guessed").status_code == 200
    with serving.session(site.settings.url) as s:
        assert s.query(db.LoginFailure).count() == 0
    site.cookies.clear()


def test_a_login_without_its_form_token_is_refused(site):
    site.cookies.clear()
    answer = site.post("/login", data={"login": "demo", "password": "demo", "csrf": "forged"})
    assert answer.status_code == 403 and "页面已过期或来源不明" in answer.text


def test_pages_send_a_stranger_to_the_login_page(site):
    site.cookies.clear()
    answer = site.get("/units/1", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"


def test_the_demo_officer_finds_the_sample_preloaded_and_checked(officer):
    client, _ = officer
    page = client.get("/").text
    assert "克孜勒苏柯尔克孜自治州电子政务服务中心" in page and "检查通过" in page


def test_the_officers_round(officer, tmp_path):
    client, csrf = officer
    unit = _unit_id(client)
    settings = client.settings
    # an upload with a wrong cell: the problem located by sheet and cell, in check's words
    book = serving.workbook_missing_reason(tmp_path)
    bad = _upload(client, csrf, unit, "my book.xlsx", serving.with_bad_cell(book))
    assert "检查未通过" in bad.text
    assert "收入!B4" in bad.text and "应为金额（数字），实际为“三百”" in bad.text
    # the corrected workbook: checks, one change lacks a reason, entered on the page
    good = _upload(client, csrf, unit, "book.xlsx", book)
    first = _version_id(good)
    assert "检查通过" in good.text and serving.MISSING in good.text and 'id="reasons-form"' in good.text
    fixed = client.post(f"/versions/{first}/reasons", data={"csrf": csrf, "reason-0": "本年减少网络运维项目"},
                        follow_redirects=True)
    second = _version_id(fixed)
    assert second > first and 'id="reasons-form"' not in fixed.text and "检查通过" in fixed.text
    # the new version is a workbook holding the reason; the first one is kept as it was
    import openpyxl

    reasons = openpyxl.load_workbook(io.BytesIO(client.get(f"/versions/{second}/file").content))["变动原因"]
    assert ["本年减少网络运维项目"] == [r[1] for r in reasons.iter_rows(values_only=True) if r[0] == serving.MISSING]
    assert client.get(f"/versions/{first}/file").content == book
    # preview: the explanations as text, with the reason
    preview = client.get(f"/versions/{second}/preview").text
    assert "本年减少网络运维项目" in preview
    # build: a .docx version whose row says its digest and profile
    built = client.post(f"/versions/{second}/build", data={"csrf": csrf}, follow_redirects=True)
    docx_id = _version_id(built)
    document = client.get(f"/versions/{docx_id}/file")
    assert document.headers["content-type"].startswith("application/vnd.openxmlformats")
    from urllib.parse import unquote

    assert f"克孜勒苏柯尔克孜自治州电子政务服务中心-2024-预算公开-{docx_id}.docx" in unquote(document.headers["content-disposition"])
    with serving.session(settings.url) as s:
        row = s.get(db.Version, docx_id)
        assert row.sha256 == hashlib.sha256(document.content).hexdigest() and row.profile == "xj-unit"
        assert row.source_id == second and row.narrate_version
    # new figures, then the edited document: updated, the edit kept, the review list on the page
    changed = _upload(client, csrf, unit, "new.yaml", serving.changed_yaml(tmp_path))
    third = _version_id(changed)
    edited = serving.edited(document.content)
    updated = client.post(f"/versions/{third}/update", data={"csrf": csrf}, files={"edited": ("mine.docx", edited)},
                          follow_redirects=True)
    assert "需要复核" in updated.text and 'id="review"' in updated.text
    assert "2080505" in updated.text or "养老" in updated.text
    new_id = _version_id(updated)
    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(client.get(f"/versions/{new_id}/file").content)).paragraphs)
    assert REASON in text
    # the officer's uploaded file is kept untouched as a version of its own
    with serving.session(settings.url) as s:
        kept = s.query(db.Version).filter(db.Version.kind == "edited", db.Version.unit_id == unit).one()
        assert (settings.versions / kept.file).read_bytes() == edited
        assert s.get(db.Version, new_id).report["edited"] == kept.id


def test_a_version_file_is_named_by_the_server_not_the_upload(officer, tmp_path):
    client, csrf = officer
    unit = _unit_id(client)
    answer = _upload(client, csrf, unit, "../../etc/evil name.yaml", serving.sample_yaml())
    vid = _version_id(answer)
    with serving.session(client.settings.url) as s:
        row = s.get(db.Version, vid)
        assert re.fullmatch(rf"{unit}/input-[0-9a-f]{{16}}\.yaml", row.file)
    assert "evil" not in client.get(f"/versions/{vid}/file").headers["content-disposition"]


def test_an_officer_is_refused_another_units_version(officer):
    client, csrf = officer
    with serving.session(client.settings.url) as s:
        other_unit = s.query(db.Unit).filter(db.Unit.name == "another unit").one().id
        demo2 = s.query(db.User).filter(db.User.login == "demo2").one().unit_id
        theirs = s.query(db.Version).filter(db.Version.unit_id == demo2).first().id
    for url in (f"/versions/{theirs}", f"/versions/{theirs}/file", f"/versions/{theirs}/preview",
                f"/units/{demo2}", f"/units/{other_unit}", f"/units/{demo2}/workbook", "/versions/999999"):
        answer = client.get(url)
        assert answer.status_code == 403, url
        assert "您无权查看或修改这一内容。" in answer.text and "Traceback" not in answer.text
    answer = client.post(f"/versions/{theirs}/build", data={"csrf": csrf})
    assert answer.status_code == 403
    answer = client.post(f"/units/{demo2}/upload", data={"csrf": csrf}, files={"file": ("a.yaml", serving.sample_yaml())})
    assert answer.status_code == 403
    assert client.get("/bureau").status_code == 403


def test_a_form_without_the_sessions_token_is_refused(officer):
    client, _ = officer
    unit = _unit_id(client)
    answer = client.post(f"/units/{unit}/upload", data={"csrf": "forged"}, files={"file": ("a.yaml", serving.sample_yaml())})
    assert answer.status_code == 403 and "页面已过期或来源不明" in answer.text


@pytest.mark.parametrize("name, data, message", [
    ("a.pdf", b"%PDF-1.4", "不接受这种文件"),
    ("a.xlsx", b"plain text", "文件内容与扩展名 .xlsx 不符"),
    ("a.yaml", b"#" * (1024 * 1024 + 1), "文件过大"),
])
def test_page_uploads_are_refused_in_chinese(officer, name, data, message):
    client, csrf = officer
    answer = _upload(client, csrf, _unit_id(client), name, data)
    assert answer.status_code in (413, 415) and message in answer.text and "Traceback" not in answer.text


def test_the_bureau_sees_its_units_with_their_states_and_downloads_a_zip(site):
    site.cookies.clear()
    officer_csrf = serving.sign_in(site, "demo2")
    unit = _unit_id(site)
    with serving.session(site.settings.url) as s:
        first = s.query(db.Version).filter(db.Version.unit_id == unit, db.Version.kind == "input").first().id
    site.post(f"/versions/{first}/build", data={"csrf": officer_csrf})
    site.cookies.clear()
    csrf = serving.sign_in(site, "bureau")
    page = site.get("/bureau").text
    assert "上海市普陀区商务委员会" in page and "克孜勒苏柯尔克孜自治州电子政务服务中心" in page
    assert "another unit" not in page  # bureau B's
    built = site.get("/bureau", params={"state": "built"}).text
    assert "上海市普陀区商务委员会" in built
    assert "sh-unit" in site.get("/bureau", params={"profile": "sh-unit"}).text
    assert "克孜勒苏" not in site.get("/bureau", params={"profile": "sh-unit"}).text.split('id="units"')[1]
    ids = re.findall(r'name="unit" value="(\d+)"', page)
    answer = site.post("/bureau/zip", data={"csrf": csrf, "unit": ids})
    assert answer.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
    # each chosen unit's latest document (one without a document for its latest figures adds none)
    assert len(names) == page.count('/file">第 ') >= 1 and all(n.endswith(".docx") for n in names)
    assert any(n.startswith("上海市普陀区商务委员会-2025-单位预算-") for n in names)
    published = site.post(f"/units/{unit}/publish", data={"csrf": csrf}, follow_redirects=True)
    assert "已公开" in published.text
    assert "上海市普陀区商务委员会" in site.get("/bureau", params={"state": "published"}).text


def test_another_bureau_is_refused_these_units(site):
    site.cookies.clear()
    serving.sign_in(site, "staff-b", "pw-staff-b")
    page = site.get("/bureau").text
    assert "another unit" in page and "上海市普陀区商务委员会" not in page
    with serving.session(site.settings.url) as s:
        demo_unit = s.query(db.User).filter(db.User.login == "demo").one().unit_id
    assert site.get(f"/units/{demo_unit}").status_code == 403


def test_an_unknown_page_is_a_chinese_page(site):
    answer = site.get("/nowhere")
    assert answer.status_code == 404 and "找不到这个页面。" in answer.text and "<html" in answer.text


def test_the_site_runs_on_postgresql(tmp_path):
    """The same pages on PostgreSQL: the demo seeded, an upload checked, a document built."""
    url = serving.postgres()
    app = create_app(Settings(data=tmp_path / "data", db_url=url, demo=True, workers=1))
    with TestClient(app) as client:
        csrf = serving.sign_in(client, "demo")
        answer = _upload(client, csrf, _unit_id(client), "b.xlsx", serving.workbook_missing_reason(tmp_path))
        assert "检查通过" in answer.text and serving.MISSING in answer.text
        built = client.post(f"/versions/{_version_id(answer)}/build", data={"csrf": csrf}, follow_redirects=True)
        docx_id = _version_id(built)
        assert client.get(f"/versions/{docx_id}/file").content[:2] == b"PK"
    with serving.session(url) as s:
        assert s.get(db.Version, docx_id).kind == "docx"
        assert s.query(db.Unit).count() == 2


def test_the_bureau_builds_many_units_at_once_and_sees_the_progress(site):
    import time

    from narrate.messages import say

    serving.add_user(site.settings.url, "third", "officer", say("serve_demo_bureau"), "third unit")
    site.cookies.clear()
    csrf = serving.sign_in(site, "third", "pw-third")
    _upload(site, csrf, _unit_id(site), "a.yaml", serving.sample_yaml())
    site.cookies.clear()
    csrf = serving.sign_in(site, "bureau")
    ids = re.findall(r'name="unit" value="(\d+)"', site.get("/bureau").text)
    answer = site.post("/bureau/build", data={"csrf": csrf, "unit": ids}, follow_redirects=True)
    assert answer.status_code == 200 and 'id="batch"' in answer.text
    deadline = time.monotonic() + 120
    page = answer.text
    while "上次批量生成" not in page and time.monotonic() < deadline:
        assert "正在批量生成" in page and 'http-equiv="refresh"' in page
        time.sleep(0.5)
        page = site.get("/bureau").text
    assert re.search(r"上次批量生成：共 (\d+) 个，成功 \1 个，未通过 0 个", page)
    row = page.split("third unit", 1)[1].split("</tr>", 1)[0]
    assert "已生成" in row
    # nothing left to build: said so
    again = site.post("/bureau/build", data={"csrf": csrf, "unit": ids})
    assert again.status_code == 400 and "没有检查已通过、尚未生成文档的" in again.text


def test_an_unforeseen_error_is_a_chinese_page_without_a_traceback(officer):
    client, csrf = officer
    answer = _upload(client, csrf, _unit_id(client), "a.yaml", serving.sample_yaml())
    vid = _version_id(answer)
    with serving.session(client.settings.url) as s:
        kept = client.settings.versions / s.get(db.Version, vid).file
    content = kept.read_bytes()
    kept.unlink()  # lost from the data folder by hand
    quiet = TestClient(client.app, raise_server_exceptions=False, cookies=dict(client.cookies))
    answer = quiet.get(f"/versions/{vid}/file")
    kept.write_bytes(content)
    assert answer.status_code == 500
    assert "服务器内部出错，已记录" in answer.text and "Traceback" not in answer.text and "FileNotFoundError" not in answer.text


def test_the_officer_downloads_the_workbook_blank_or_filled(officer):
    import openpyxl

    client, _ = officer
    unit = _unit_id(client)
    blank = client.get(f"/units/{unit}/workbook")
    filled = client.get(f"/units/{unit}/workbook", params={"filled": 1})
    assert blank.status_code == filled.status_code == 200
    blank_book = openpyxl.load_workbook(io.BytesIO(blank.content))
    filled_book = openpyxl.load_workbook(io.BytesIO(filled.content))
    assert "收入" in blank_book.sheetnames and blank_book.sheetnames == filled_book.sheetnames

    def cells(book):
        return {c for row in book["单位信息"].iter_rows(values_only=True) for c in row if c is not None}

    assert "克孜勒苏柯尔克孜自治州电子政务服务中心" in cells(filled_book)
    assert "克孜勒苏柯尔克孜自治州电子政务服务中心" not in cells(blank_book)


def test_the_pdf_is_made_through_libreoffice_as_a_version_of_its_own(officer):
    import shutil
    import subprocess

    from narrate import pdf

    if pdf.soffice() is None or not shutil.which("pdftotext"):
        (pytest.fail if os.environ.get("CI") else pytest.skip)("LibreOffice or poppler-utils not installed")
    client, csrf = officer
    answer = _upload(client, csrf, _unit_id(client), "a.yaml", serving.sample_yaml())
    vid = _version_id(answer)
    built = client.post(f"/versions/{vid}/build", data={"csrf": csrf, "pdf": "true"}, follow_redirects=True)
    made = re.findall(r'/versions/(\d+)">第 \d+ 版（PDF）', client.get(f"/versions/{vid}").text)
    assert built.status_code == 200 and len(made) == 1
    document = client.get(f"/versions/{made[0]}/file").content
    assert document.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=document, capture_output=True, check=True).stdout.decode()
    assert "克孜勒苏柯尔克孜自治州电子政务服务中心" in text.replace(" ", "")
