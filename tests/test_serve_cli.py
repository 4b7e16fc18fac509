"""`narrate serve` on the command line: accounts made by `narrate serve adduser`, a database it
cannot use said in Chinese, and the ordinary commands never load the web stack."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

import serving
from narrate.cli import app
from narrate.serve import auth, db


def test_adduser_makes_an_officer_and_a_bureau_account_with_an_api_token(tmp_path):
    data = tmp_path / "data"
    runner = CliRunner()
    made = runner.invoke(app, ["serve", "--data", str(data), "adduser", "li", "--role", "officer", "--bureau", "某区财政局",
                               "--unit", "某区档案馆", "--password", "s3cret", "--token"])
    assert made.exit_code == 0, made.output
    assert "已保存账号 li（officer）" in made.output
    token = made.output.split("：")[-1].strip()
    staff = runner.invoke(app, ["serve", "--data", str(data), "adduser", "wang", "--role", "bureau", "--bureau", "某区财政局"],
                          input="pw\npw\n")
    assert staff.exit_code == 0, staff.output
    url = f"sqlite:///{data / 'narrate.db'}"
    with serving.session(url) as s:
        li = auth.login(s, "li", "s3cret")
        wang = auth.login(s, "wang", "pw")
        assert li.role == "officer" and s.get(db.Unit, li.unit_id).name == "某区档案馆"
        assert wang.role == "bureau" and wang.bureau_id == li.bureau_id and wang.unit_id is None
        assert auth.login(s, "li", "wrong") is None
        assert auth.token_user(s, f"Bearer {token}").login == "li"
        assert li.password_hash.startswith("$argon2")


def test_adduser_refuses_an_officer_without_a_unit(tmp_path):
    result = CliRunner().invoke(app, ["serve", "--data", str(tmp_path), "adduser", "x", "--bureau", "b", "--password", "p"])
    assert result.exit_code == 1 and "单位经办人账号需要用 --unit 写明单位名称" in result.output


def test_an_unreachable_database_is_one_line_in_chinese(tmp_path):
    port = serving.free_port()  # nothing listens there
    done = subprocess.run([sys.executable, "-m", "narrate", "serve", "--data", str(tmp_path),
                           "--db", f"postgresql://nobody:x@127.0.0.1:{port}/none"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith("无法使用数据库：") and "Traceback" not in done.stderr


def test_the_ordinary_commands_do_not_load_the_web_stack():
    code = ("import sys; from narrate.cli import app; "
            "print(sorted(m for m in ('fastapi', 'starlette', 'sqlalchemy', 'alembic', 'uvicorn', 'argon2') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stderr


def test_a_port_already_taken_is_one_line_in_chinese(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "narrate", "serve", "--data", str(tmp_path / "d"), "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"无法在 127.0.0.1:{port} 上提供网页：")
    assert not (tmp_path / "d").exists()  # nothing made before the refusal
