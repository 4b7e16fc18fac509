"""What the `narrate serve` tests share: the one-file sample, workbooks with a located problem and
a missing reason, changed figures, an edited document, signing in, and a real server process."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import openpyxl

from narrate import convert, pipeline
from narrate.resources import sample_input
from narrate.serve import accounts, auth, db

REASONS = "变动原因"
MISSING = "支出.项目支出"  # its reason is left out of the workbook below (a 24% change)
ONE_FILE = "英文译文: kizilsu-egov-2024.en.yaml\n"  # the sample's only reference to another file


def sample_yaml() -> bytes:
    """The embedded sample as one file (what the demo preloads)."""
    return accounts._sample(sample_input().name)[0]


def _tree_workbook(folder: Path, change) -> bytes:
    path = folder / "sample.yaml"
    path.write_bytes(sample_yaml())
    source = pipeline.source(path)
    tree = dict(source.tree)
    change(tree)
    return convert.to_workbook(dataclasses.replace(source, tree=tree))


def workbook_missing_reason(folder: Path) -> bytes:
    """The sample as a workbook without the reason for 支出.项目支出: a warning, and a reason to
    enter on the page."""
    def drop(tree):
        tree[REASONS] = {k: v for k, v in tree[REASONS].items() if k != MISSING}
    return _tree_workbook(folder, drop)


def with_bad_cell(book: bytes) -> bytes:
    """book with 收入!B4 (this year's 一般公共预算 income) typed as words: an error at that cell."""
    wb = openpyxl.load_workbook(io.BytesIO(book))
    wb["收入"]["B4"] = "三百"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def changed_yaml(folder: Path) -> bytes:
    """The update tests' changed figures (2080505's increase turned into a decrease, a new
    project …) as one file."""
    from test_update import changed_input

    text = changed_input(folder).read_text(encoding="utf-8")
    assert ONE_FILE in text
    return text.replace(ONE_FILE, "").encode("utf-8")


def edited(docx: bytes) -> bytes:
    """The document as an officer edits it: the reason for 2080505 rewritten in their words (the
    update tests' edit), so the changed figures turn its direction and the review list names it."""
    import docx as python_docx
    from test_update import REASON, generated, paragraph

    document = python_docx.Document(io.BytesIO(docx))
    paragraph(document, generated(docx), "s3_05_3_2080505").runs[-1].text = "，" + REASON
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def sign_in(client, login: str, password: str = accounts.DEMO_PASSWORD) -> str:
    """Logs client in; returns the session's CSRF token (from the page it lands on)."""
    page = client.get("/login")
    answer = client.post("/login", data={"login": login, "password": password, "csrf": csrf_of(page.text)},
                         follow_redirects=True)
    assert answer.status_code == 200, answer.text
    return csrf_of(answer.text)


@contextmanager
def session(url: str):
    """A database session on url, its connections closed afterwards."""
    engine = db.engine(url)
    try:
        with db.sessions(engine)() as s:
            yield s
    finally:
        engine.dispose()


def add_user(url: str, login: str, role: str, bureau: str, unit: str | None = None) -> str:
    """Creates a user straight in the database; returns an API token for them."""
    with session(url) as s:
        user = accounts.add_user(s, login, "pw-" + login, role, bureau, unit)
        return auth.new_token(s, user)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server(data: Path, *args: str, port: int | None = None, timeout: float = 60):
    """Runs `narrate serve` on 127.0.0.1 in a process group of its own; yields its base URL and
    the process. Stopped (the whole group) when the block ends."""
    base, proc = start(data, *args, port=port)
    try:
        wait_until_up(base, proc, timeout)
        yield base, proc
    finally:
        stop(proc)


def start(data: Path, *args: str, port: int | None = None):
    """Starts `narrate serve` (not waiting for it); returns its base URL and process. Its output
    goes to server-<port>.log beside the data folder."""
    port = port or free_port()
    cmd = [sys.executable, "-m", "narrate", "serve", "--host", "127.0.0.1", "--port", str(port), "--data", str(data), *args]
    data.parent.mkdir(parents=True, exist_ok=True)
    with open(data.parent / f"server-{port}.log", "ab") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
    return f"http://127.0.0.1:{port}", proc


def wait_until_up(base: str, proc, timeout: float) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"narrate serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("narrate serve did not answer in time")


def stop(proc, sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


POSTGRES_VAR = "NARRATE_TEST_POSTGRES"  # set by .ci/run: postgresql://narrate:…@127.0.0.1/narrate_test


def postgres() -> str:
    """Returns the test PostgreSQL's URL with an empty schema. Outside CI a missing server skips
    the test, saying why; under CI it fails: CI installs and starts one (.ci/run)."""
    import pytest
    from sqlalchemy import create_engine, text

    url = os.environ.get(POSTGRES_VAR)
    in_ci = bool(os.environ.get("CI"))
    if not url:
        (pytest.fail if in_ci else pytest.skip)(f"{POSTGRES_VAR} is not set: no PostgreSQL server to test against")
    try:
        engine = create_engine(db.normalized(url))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    except Exception as exc:  # any reason it cannot be reached
        (pytest.fail if in_ci else pytest.skip)(f"PostgreSQL at {POSTGRES_VAR} unreachable: {exc}")
    return url
