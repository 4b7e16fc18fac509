"""A plain (not editable) `pip install .` works from any folder: catalogs, phrasebook and sample ship
inside the wheel.

For speed the fresh venv borrows the test environment's third-party packages through a .pth file
(plain path lines, so the checkout's editable narrate is not reachable), and narrate itself comes
from the wheel pip builds from this checkout. The test proves that narrate and every data file it
reads are found inside the new venv, never in the checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _run(*args, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("install")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NARRATE_LANG", "VIRTUAL_ENV")}
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", root / "venv"], check=True)
    python = root / "venv" / "bin" / "python"
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=root, env=env)
    deps = [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))]
    (Path(purelib.stdout.strip()) / "_test_deps.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    pip = _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-compile",
               "--disable-pip-version-check", "-q", REPO, cwd=root, env=env)
    assert pip.returncode == 0, pip.stderr
    return root


def test_narrate_check_runs_the_sample_from_another_folder(venv: Path):
    elsewhere = venv / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NARRATE_LANG", "VIRTUAL_ENV")}
    result = _run(venv / "venv" / "bin" / "narrate", "check", cwd=elsewhere, env=env)
    assert result.returncode == 0, result.stderr
    assert "收支总计 473.87 万元" in result.stdout
    assert "Traceback" not in result.stderr


def test_code_and_data_come_from_the_new_venv(venv: Path):
    probe = (
        "import narrate, narrate.catalog as c, narrate.resources as r;"
        "print(narrate.__file__); print(r.data_dir('phrasebook')); print(r.sample_input());"
        "print(len(c.shipped('function').entries), len(c.shipped('economic').entries))"
    )
    result = _run(venv / "venv" / "bin" / "python", "-c", probe, cwd=venv, env=dict(os.environ))
    assert result.returncode == 0, result.stderr
    module, phrasebook, sample, counts = result.stdout.splitlines()
    inside = str(venv / "venv")
    assert module.startswith(inside) and phrasebook.startswith(inside) and sample.startswith(inside)
    assert (Path(phrasebook) / "zh" / "messages.yaml").is_file()
    assert (Path(phrasebook) / "en" / "messages.yaml").is_file()
    assert all(int(n) > 100 for n in counts.split())


def test_the_installed_command_speaks_english_and_builds_the_english_sample(venv: Path):
    # The entry point reads --lang before the help texts are made; the English profile, the
    # English catalog names and the sample's translations ship in the wheel.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NARRATE_LANG", "VIRTUAL_ENV")}
    narrate = venv / "venv" / "bin" / "narrate"
    helped = _run(narrate, "--lang", "en", "build", "--help", cwd=venv, env=env)
    assert helped.returncode == 0, helped.stderr
    assert "writes the whole disclosure as a Word document" in " ".join(helped.stdout.replace("│", " ").split())
    checked = _run(narrate, "--lang", "en", "check", "--profile", "xj-unit-en", cwd=venv, env=env)
    assert checked.returncode == 0, checked.stderr
    assert "0 errors, 0 warnings, 0 hints" in checked.stdout
    previewed = _run(narrate, "preview", "--profile", "xj-unit-en", cwd=venv, env=env)
    assert "1. General public services (class): CNY 4,307,400, 90.90% of the total." in previewed.stdout.replace("\u00a0", " ")


def test_the_installed_narrate_serve_shows_the_demo_officer_the_sample(venv: Path):
    """`narrate serve` with no flags, from the wheel: its migrations and templates ship, the
    demo account finds the sample preloaded, everything kept in ./narrate-data."""
    import httpx2

    import serving

    folder = venv / "served"
    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NARRATE_LANG", "VIRTUAL_ENV")}
    port = serving.free_port()
    log = open(folder / "server.log", "wb")
    proc = subprocess.Popen([str(venv / "venv" / "bin" / "narrate"), "serve", "--port", str(port)], cwd=folder, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        serving.wait_until_up(base, proc, 90)
        with httpx2.Client(base_url=base, follow_redirects=True, timeout=60) as client:
            serving.sign_in(client, "demo")
            page = client.get("/").text
        assert "克孜勒苏柯尔克孜自治州电子政务服务中心" in page and "检查通过" in page
        assert (folder / "narrate-data" / "narrate.db").is_file()
    finally:
        serving.stop(proc)
        log.close()
