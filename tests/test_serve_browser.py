"""narrate serve in a real browser: Debian's headless chromium, driven by Playwright, against a
real server process on 127.0.0.1. The officer's whole round and the bureau's list, with a
screenshot at each step (kept in the test's folder; NARRATE_SHOTS=DIR copies them there too)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

import serving

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"{CHROMIUM} is not installed (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS,
                                                       accept_downloads=True, locale="zh-CN",
                                                       viewport={"width": 1280, "height": 900})
        context.set_default_timeout(60_000)
        yield context
        context.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("browser") / "data"
    with serving.server(data, "--demo", "--workers", "2") as (base, _):
        yield base


class Shots:
    def __init__(self, folder: Path):
        self.folder, self.n = folder, 0

    def take(self, page, name: str) -> None:
        self.n += 1
        path = self.folder / f"{self.n:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if os.environ.get("NARRATE_SHOTS"):
            Path(os.environ["NARRATE_SHOTS"]).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, os.environ["NARRATE_SHOTS"])


def _login(page, base: str, login: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")


def test_the_officers_round(browser, site, tmp_path):
    shots = Shots(tmp_path)
    page = browser.new_page()
    page.goto(site + "/login")
    assert "演示账号" in page.inner_text("#demo")
    shots.take(page, "login")
    _login(page, site, "demo")
    assert "克孜勒苏柯尔克孜自治州电子政务服务中心" in page.inner_text("h1")
    shots.take(page, "unit")

    # the sample workbook with one cell typed wrong: the problem located by sheet and cell
    book = serving.workbook_missing_reason(tmp_path)
    bad = tmp_path / "预算填报.xlsx"
    bad.write_bytes(serving.with_bad_cell(book))
    page.set_input_files("#upload-form input[type=file]", str(bad))
    page.click("#upload-form button")
    problems = page.inner_text("#problems")
    assert "收入!B4" in problems and "应为金额（数字），实际为“三百”" in problems
    assert page.is_visible("#check-failed")
    shots.take(page, "located-problem")

    # the officer corrects the cell in Excel and uploads again; one change lacks its reason
    good = tmp_path / "预算填报-改.xlsx"
    good.write_bytes(book)
    page.goto(site + "/")
    page.set_input_files("#upload-form input[type=file]", str(good))
    page.click("#upload-form button")
    assert page.is_visible("#check-ok") and serving.MISSING in page.inner_text("#reasons-form")
    page.fill("#reasons-form input[data-key='支出.项目支出']", "本年减少网络运维项目")
    shots.take(page, "reason-entered")
    page.click("#reasons-form button")
    assert page.is_visible("#check-ok") and not page.is_visible("#reasons-form")
    shots.take(page, "reason-saved")

    # the preview, then the .docx
    page.click("#preview")
    assert "本年减少网络运维项目" in page.inner_text("#preview-text")
    shots.take(page, "preview")
    page.go_back()
    page.click("#build-form button")
    with page.expect_download() as waiting:
        page.click("#download")
    document = tmp_path / "downloaded.docx"
    waiting.value.save_as(str(document))
    assert waiting.value.suggested_filename.startswith("克孜勒苏柯尔克孜自治州电子政务服务中心-2024-预算公开")
    import docx

    assert any("克孜勒苏柯尔克孜自治州电子政务服务中心" in p.text for p in docx.Document(str(document)).paragraphs)
    shots.take(page, "built")

    # new figures, then the edited document: the review list on the page
    changed = tmp_path / "新数字.yaml"
    changed.write_bytes(serving.changed_yaml(tmp_path))
    page.goto(site + "/")
    page.set_input_files("#upload-form input[type=file]", str(changed))
    page.click("#upload-form button")
    assert page.is_visible("#check-ok")
    edited = tmp_path / "我修改的.docx"
    edited.write_bytes(serving.edited(document.read_bytes()))
    page.set_input_files("#update-form input[type=file]", str(edited))
    page.click("#update-form button")
    review = page.inner_text("#review")
    assert "2080505" in review or "养老" in review
    shots.take(page, "review-list")
    page.goto(site + "/")
    rows = page.inner_text("#versions")
    assert rows.count("第 ") >= 8  # every upload and every document kept
    shots.take(page, "versions")
    page.close()


def test_the_bureaus_list(browser, site, tmp_path):
    shots = Shots(tmp_path)
    page = browser.new_page()
    browser.clear_cookies()
    _login(page, site, "bureau")
    units = page.inner_text("#units")
    assert "克孜勒苏柯尔克孜自治州电子政务服务中心" in units and "上海市普陀区商务委员会" in units
    shots.take(page, "bureau")
    page.select_option("select[name=profile]", "sh-unit")
    page.click("#filters button")
    assert "上海市普陀区商务委员会" in page.inner_text("#units") and "克孜勒苏" not in page.inner_text("#units")
    shots.take(page, "bureau-filtered")
    # build every checked unit's document at once; the page follows the batch until it is done
    page.goto(site + "/bureau")
    page.click("#build-many")
    # the page reloads itself while the batch runs; look again until it says the batch is done
    deadline = time.monotonic() + 120
    while "上次批量生成" not in page.inner_text("#batch") and time.monotonic() < deadline:
        time.sleep(0.5)
        page.goto(site + "/bureau")
    assert "未通过 0 个" in page.inner_text("#batch")
    assert "上海市普陀区商务委员会" in page.inner_text("#units tr[data-state=built]")
    shots.take(page, "bureau-batch-done")
    with page.expect_download() as waiting:
        page.click("#zip")
    assert waiting.value.suggested_filename.endswith(".zip")
    import zipfile

    archive = tmp_path / "all.zip"
    waiting.value.save_as(str(archive))
    assert len(zipfile.ZipFile(archive).namelist()) == 2
    page.close()
