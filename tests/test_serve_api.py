"""The HTTP API (narrate serve): every endpoint, and every refusal as a Chinese message in JSON.

The answers are the engine's: the problems are those `narrate check` prints (same words and
locations), the .docx is the one `narrate build` writes, the update's review list the one
`narrate update` prints."""

from __future__ import annotations

import io
import json
import base64

import pytest
from fastapi.testclient import TestClient

import serving
from test_update import REASON
from narrate import pipeline
from narrate.serve.app import create_app
from narrate.serve.settings import INPUT_LIMIT, Settings

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    data = tmp_path_factory.mktemp("api") / "data"
    settings = Settings(data=data, demo=False, workers=2)
    app = create_app(settings)
    token = serving.add_user(settings.url, "system", "bureau", "bureau A")
    with TestClient(app) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        yield client


def _docx_text(data: bytes) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_healthz_answers_without_a_token(api):
    answer = api.get("/healthz", headers={"Authorization": ""})
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}


def test_check_gives_the_problems_check_prints_located_by_sheet_and_cell(api, tmp_path):
    book = serving.with_bad_cell(serving.workbook_missing_reason(tmp_path))
    answer = api.post("/api/check", files={"file": ("anything.xlsx", book)})
    assert answer.status_code == 200
    result = answer.json()
    assert result["ok"] is False
    errors = [p for p in result["problems"] if p["severity"] == "error"]
    assert [(p["location"], p["field"]) for p in errors] == [("收入!B4", "收入.一般公共预算")]
    # the same words as `narrate check` on the same workbook
    (tmp_path / "input.xlsx").write_bytes(book)
    from narrate.problems import InputError

    try:
        cli = [str(p) for p in pipeline.check(tmp_path / "input.xlsx").problems]
    except InputError as exc:
        cli = [str(p) for p in exc.problems]
    assert errors[0]["text"] in [line.replace(str(tmp_path / "input.xlsx"), "input.xlsx") for line in cli]
    assert errors[0]["text"] == "input.xlsx:收入!B4: 收入.一般公共预算: 应为金额（数字），实际为“三百”"


def test_check_lists_the_changes_lacking_a_reason(api, tmp_path):
    answer = api.post("/api/check", files={"file": ("x.xlsx", serving.workbook_missing_reason(tmp_path))})
    result = answer.json()
    assert result["ok"] is True and result["profile"] == "xj-unit"
    assert result["missing"] == [serving.MISSING]
    assert result["unit"] == "克孜勒苏柯尔克孜自治州电子政务服务中心"


def test_build_gives_the_docx_narrate_build_writes(api, tmp_path):
    answer = api.post("/api/build", files={"file": ("a.yaml", serving.sample_yaml())})
    assert answer.status_code == 200 and answer.headers["content-type"] == DOCX
    path = tmp_path / "sample.yaml"
    path.write_bytes(serving.sample_yaml())
    from narrate import build as builder

    checked = pipeline.check(path)
    assert answer.content == builder.render(checked.unit, checked.catalogs, checked.profile)
    assert "克孜勒苏柯尔克孜自治州电子政务服务中心" in _docx_text(answer.content)


def test_build_with_another_profile(api):
    answer = api.post("/api/build", files={"file": ("a.yaml", serving.sample_yaml())}, data={"profile": "xj-unit-en"})
    assert answer.status_code == 200
    assert "Kizilsu" in _docx_text(answer.content) or "Budget" in _docx_text(answer.content)


def test_build_refuses_an_input_that_fails_its_check(api, tmp_path):
    book = serving.with_bad_cell(serving.workbook_missing_reason(tmp_path))
    answer = api.post("/api/build", files={"file": ("a.xlsx", book)})
    assert answer.status_code == 422
    body = answer.json()
    assert body["error"] == "serve_engine_refused" and "input.xlsx:收入!B4" in body["message"]


@pytest.fixture(scope="module")
def built(api):
    return api.post("/api/build", files={"file": ("a.yaml", serving.sample_yaml())}).content


def test_update_keeps_the_edit_and_gives_the_review_list_in_a_header(api, built, tmp_path):
    answer = api.post("/api/update", files={"edited": ("e.docx", serving.edited(built)),
                                             "file": ("new.yaml", serving.changed_yaml(tmp_path))})
    assert answer.status_code == 200 and answer.headers["content-type"] == DOCX
    assert REASON in _docx_text(answer.content)
    review = json.loads(answer.headers["x-narrate-review"])
    assert [(i["kind"], i["heading"]) for i in review][:1] and all(i["message"] for i in review)
    assert "direction" in {i["kind"] for i in review}


def test_update_as_json(api, built, tmp_path):
    answer = api.post("/api/update", files={"edited": ("e.docx", serving.edited(built)),
                                             "file": ("new.yaml", serving.changed_yaml(tmp_path))},
                      data={"review": "json"})
    body = answer.json()
    assert body["summary"] and "direction" in {i["kind"] for i in body["review"]}
    # the review list in the words `narrate update` prints
    assert all(i["message"].startswith(i["heading"][:4]) or i["excerpt"][:6] in i["message"] for i in body["review"])
    assert REASON in _docx_text(base64.b64decode(body["docx_base64"]))


def test_update_refuses_a_document_narrate_did_not_write(api, tmp_path):
    import docx

    other = io.BytesIO()
    docx.Document().save(other)
    answer = api.post("/api/update", files={"edited": ("e.docx", other.getvalue()), "file": ("n.yaml", serving.sample_yaml())})
    assert answer.status_code == 422
    assert answer.json()["message"].startswith("无法完成：")


def test_the_openapi_schema_documents_every_endpoint(api):
    paths = api.get("/openapi.json").json()["paths"]
    assert {"/api/check", "/api/build", "/api/update", "/healthz"} <= set(paths)
    assert "/login" not in paths  # the pages are not the API
    assert api.get("/docs").status_code == 200


# --- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize("header", [None, "Bearer not-a-token", "Basic abc"])
@pytest.mark.parametrize("endpoint", ["/api/check", "/api/build", "/api/update"])
def test_every_endpoint_refuses_without_a_valid_token(api, endpoint, header):
    answer = api.post(endpoint, files={"file": ("a.yaml", b"x: 1\n")}, headers={"Authorization": header or ""})
    assert answer.status_code == 401
    assert answer.json()["error"] == "serve_token_needed"
    assert "令牌" in answer.json()["message"]


@pytest.mark.parametrize(
    "name, content, status, error",
    [
        ("input.txt", b"x: 1\n", 415, "serve_wrong_type"),
        ("input.docx", b"PK\x03\x04", 415, "serve_wrong_type"),
        ("input.xlsx", b"not a zip", 415, "serve_not_that_kind"),
        ("input.yaml", b"PK\x03\x04rest", 415, "serve_not_that_kind"),
        ("input.yaml", b"", 400, "serve_empty_file"),
        ("input.yaml", b"#" * (INPUT_LIMIT + 1), 413, "serve_file_too_large"),
    ],
)
def test_uploads_are_limited_in_type_and_size(api, name, content, status, error):
    for endpoint in ("/api/check", "/api/build"):
        answer = api.post(endpoint, files={"file": (name, content)})
        assert answer.status_code == status, answer.text
        assert answer.json()["error"] == error
        assert "Traceback" not in answer.text


def test_a_request_without_the_file_is_refused_in_chinese(api):
    answer = api.post("/api/check")
    assert answer.status_code == 400 and answer.json()["message"] == "请选择要上传的文件。"
    answer = api.post("/api/update", files={"file": ("a.yaml", serving.sample_yaml())})
    assert answer.status_code == 400 and answer.json()["error"] == "serve_no_file"


def test_a_bad_option_is_refused_in_chinese(api):
    answer = api.post("/api/update", files={"file": ("a.yaml", serving.sample_yaml())}, data={"review": "xml"})
    assert answer.status_code == 422 and answer.json()["error"] == "serve_invalid_request"
    assert "review" in answer.json()["message"]


@pytest.mark.parametrize("line", ["上年文件: /etc/passwd\n", "英文译文: ../../secret.yaml\n", "格式: /etc\n"])
def test_an_upload_may_not_name_other_files(api, line):
    data = line.encode("utf-8") + serving.sample_yaml()
    answer = api.post("/api/check", files={"file": ("a.yaml", data)})
    result = answer.json()
    assert result["ok"] is False
    assert [p["field"] for p in result["problems"]] == [line.split(":")[0]]
    assert "root:" not in answer.text
    assert api.post("/api/build", files={"file": ("a.yaml", data)}).status_code == 422


def test_an_unknown_profile_is_refused(api):
    result = api.post("/api/check", files={"file": ("a.yaml", serving.sample_yaml())}, data={"profile": "/etc"}).json()
    assert result["ok"] is False and "没有“/etc”" in result["problems"][0]["message"]


def test_an_unknown_path_is_a_chinese_refusal(api):
    answer = api.get("/api/nothing")
    assert answer.status_code == 404 and answer.json()["message"] == "找不到这个页面。"


def test_the_engine_refuses_when_its_queue_is_full(tmp_path):
    import asyncio

    from narrate.serve import jobs
    from narrate.serve.errors import Refusal

    engine = jobs.Engine(1, 0, tmp_path)
    with pytest.raises(Refusal) as refused:
        asyncio.run(engine.run(jobs.check, str(tmp_path / "a.yaml"), "a.yaml", None))
    assert refused.value.key == "serve_busy" and refused.value.status == 503
    engine.close()
