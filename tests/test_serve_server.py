"""narrate serve as a real server process on 127.0.0.1: twenty officers' uploads and builds at
once, every request answered and nothing lost; and a server killed in the middle of a build
leaves no half-written version, and starts again."""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import threading
import time

import httpx2

import serving

CLIENTS = 20
TIMEOUT = 150.0  # seconds any one request may take before the test gives up on it


def _client(base: str, cookies=None) -> httpx2.Client:
    return httpx2.Client(base_url=base, timeout=TIMEOUT, cookies=cookies, follow_redirects=True)


def _versions(data) -> list[tuple]:
    with sqlite3.connect(data / "narrate.db") as conn:
        return conn.execute("SELECT id, kind, file, sha256, size FROM versions ORDER BY id").fetchall()


def _assert_whole(data) -> None:
    """Every version row has its file, whole: the digest and size the row says."""
    for vid, kind, file, sha, size in _versions(data):
        content = (data / "versions" / file).read_bytes()
        assert (len(content), hashlib.sha256(content).hexdigest()) == (size, sha), (vid, kind)


def test_twenty_concurrent_uploads_and_builds(tmp_path):
    data = tmp_path / "data"
    with serving.server(data, "--demo", "--workers", "2") as (base, _):
        with _client(base) as first:
            csrf = serving.sign_in(first, "demo")
            unit = int(first.get("/").url.path.rsplit("/", 1)[1])
            cookies = dict(first.cookies)
        before = len(_versions(data))
        answers: dict[int, list] = {}

        def officer(n: int) -> None:
            got = answers.setdefault(n, [])
            with _client(base, cookies) as client:
                body = serving.sample_yaml() + f"\n# upload {n}\n".encode()
                up = client.post(f"/units/{unit}/upload", data={"csrf": csrf}, files={"file": (f"{n}.yaml", body)})
                got.append((up.status_code, str(up.url)))
                vid = int(str(up.url).rsplit("/", 1)[1])
                built = client.post(f"/versions/{vid}/build", data={"csrf": csrf})
                got.append((built.status_code, str(built.url)))
                got.append(client.get(str(built.url) + "/file").content)

        threads = [threading.Thread(target=officer, args=(n,)) for n in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(TIMEOUT * 3)
        assert not any(t.is_alive() for t in threads)
        assert sorted(answers) == list(range(CLIENTS))
        for n, (up, built, document) in sorted(answers.items()):
            assert up[0] == 200 and "/versions/" in up[1], n
            assert built[0] == 200 and "/versions/" in built[1], n
        # the same figures: the same document, byte for byte, twenty times
        assert len({doc for _, _, doc in answers.values()}) == 1
        rows = _versions(data)[before:]
        assert sorted(kind for _, kind, *_ in rows) == ["docx"] * CLIENTS + ["input"] * CLIENTS
        _assert_whole(data)


def test_a_server_killed_during_a_build_leaves_no_half_written_version(tmp_path):
    # The build asks for the PDF too: LibreOffice takes seconds, so the kill lands inside it.
    import os

    import pytest

    from narrate import pdf

    if pdf.soffice() is None:
        (pytest.fail if os.environ.get("CI") else pytest.skip)("LibreOffice is not installed: a build is too quick to kill")
    data = tmp_path / "data"
    port = serving.free_port()
    with serving.server(data, "--demo", "--workers", "1", port=port) as (base, proc):
        with _client(base) as client:
            csrf = serving.sign_in(client, "demo")
            page = client.get("/")
            vid = int(page.text.split('/versions/', 1)[1].split('"', 1)[0])
            before = _versions(data)
            outcome = []

            def build() -> None:
                try:
                    outcome.append(client.post(f"/versions/{vid}/build", data={"csrf": csrf, "pdf": "true"}).status_code)
                except httpx2.HTTPError as exc:
                    outcome.append(type(exc).__name__)

            builder = threading.Thread(target=build)
            builder.start()
            deadline = time.monotonic() + 60
            while not list((data / "tmp").glob("server-*/job-*")) and time.monotonic() < deadline:
                time.sleep(0.02)
            assert list((data / "tmp").glob("server-*/job-*")), "the build never started"
            time.sleep(0.3)
            serving.stop(proc, signal.SIGKILL)  # the whole process group: server, workers, LibreOffice
            builder.join(30)
        assert outcome and outcome[0] != 200  # the request was cut off, not answered as done
        after = _versions(data)
        assert after[:len(before)] == before
        _assert_whole(data)  # a row only for a whole file
    with serving.server(data, "--demo", "--workers", "1", port=serving.free_port()) as (base, _):
        assert not list((data / "versions").glob("*/.*.part")) and not list((data / "tmp").glob("server-*/job-*"))
        with _client(base) as client:
            csrf = serving.sign_in(client, "demo")
            built = client.post(f"/versions/{vid}/build", data={"csrf": csrf})
            assert built.status_code == 200 and client.get(str(built.url) + "/file").content[:2] == b"PK"
        _assert_whole(data)


def test_two_servers_behind_one_address_share_postgresql_and_the_data_folder(tmp_path):
    """Two processes started at once on one PostgreSQL (the migration runs once, under its lock)
    and one data folder: a session opened on one is good on the other, a version kept by one is
    served by the other."""
    url = serving.postgres()
    data = tmp_path / "data"
    servers = [serving.start(data, "--db", url, "--demo", "--workers", "1") for _ in range(2)]
    try:
        for base, proc in servers:
            serving.wait_until_up(base, proc, 90)
        (a, _), (b, _) = servers
        with _client(a) as on_a:
            csrf = serving.sign_in(on_a, "demo")
            unit = int(on_a.get("/").url.path.rsplit("/", 1)[1])
            up = on_a.post(f"/units/{unit}/upload", data={"csrf": csrf}, files={"file": ("x.yaml", serving.sample_yaml())})
            vid = int(str(up.url).rsplit("/", 1)[1])
            cookies = dict(on_a.cookies)
        with _client(b, cookies) as on_b:
            assert on_b.get(f"/versions/{vid}/file").content == serving.sample_yaml()
            built = on_b.post(f"/versions/{vid}/build", data={"csrf": csrf})
            assert built.status_code == 200 and "/versions/" in str(built.url)
        with serving.session(url) as s:
            from narrate.serve import db

            assert s.query(db.User).filter(db.User.login == "demo").count() == 1
            assert s.query(db.Version).filter(db.Version.kind == "input").count() == 3  # two seeded, one uploaded
    finally:
        for _, proc in servers:
            serving.stop(proc)
