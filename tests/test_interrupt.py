"""Ctrl-C at any moment: exit 130, one line (Chinese, or English with --lang en), no traceback,
no half-written file, from the first import of the console entry point to the last rename."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

import narrate
from narrate import cli
from narrate.messages import say
from unitfile import BASE

SRC = str(Path(narrate.__file__).resolve().parents[1])
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")])}
ENV.pop("NARRATE_LANG", None)

# Runs the console entry point (narrate.console:main, what pyproject's script calls) with Ctrl-C arriving while `module` is first
# imported: a finder raises KeyboardInterrupt there, as the default SIGINT handler would.
STARTUP = textwrap.dedent(
    """\
    import sys

    MODULE = sys.argv[1]

    class CtrlC:
        def find_spec(self, name, path=None, target=None):
            if name == MODULE:
                sys.meta_path.remove(self)
                raise KeyboardInterrupt
            return None

    sys.meta_path.insert(0, CtrlC())
    sys.argv = ["narrate"] + sys.argv[2:]
    from narrate.console import main
    main()
    """
)


@pytest.mark.parametrize("module", ["typer", "pydantic", "yaml", "narrate.pipeline"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ctrl_c_during_start_up_is_one_line_and_exit_130(module, lang, tmp_path):
    args = ["--lang", "en", "check"] if lang == "en" else ["check"]
    done = subprocess.run([sys.executable, "-c", STARTUP, module, *args], cwd=tmp_path, env=ENV,
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (130, "", say("interrupted", lang=lang) + "\n")


@pytest.fixture
def sigint_restored():
    """main() installs narrate's SIGINT handler; put pytest's back afterwards."""
    old = signal.getsignal(signal.SIGINT)
    yield
    signal.signal(signal.SIGINT, old)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ctrl_c_while_the_document_is_written_leaves_no_file(lang, tmp_path, monkeypatch, capsys, sigint_restored):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NARRATE_LANG", raising=False)  # --lang sets it; it must not outlive the test
    (tmp_path / "unit.yaml").write_text(BASE, encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["narrate", "--lang", lang, "build", "unit.yaml"])
    real_fsync = os.fsync

    def ctrl_c_after_the_bytes(fd):  # the temporary file is full, the rename not yet done
        real_fsync(fd)
        os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(os, "fsync", ctrl_c_after_the_bytes)  # docx/save.py calls it on the temporary file
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 130
    assert capsys.readouterr().err == say("interrupted", lang=lang) + "\n"
    assert [p.name for p in (tmp_path / "outputs").iterdir()] == []


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="watches the child through /proc")
@pytest.mark.parametrize("delay", [0.0, 0.1, 0.2, 0.3])
def test_a_real_ctrl_c_to_narrate_build(delay, tmp_path):
    """A real SIGINT, `delay` seconds after the child has loaded pydantic-core (start-up imports),
    landing in start-up, check, render or write; if it comes too late the build has finished."""
    (tmp_path / "unit.yaml").write_text(BASE, encoding="utf-8")
    child = subprocess.Popen([sys.executable, "-m", "narrate", "build", "unit.yaml"], cwd=tmp_path, env=ENV,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    maps = Path(f"/proc/{child.pid}/maps")
    deadline = time.monotonic() + 30
    while child.poll() is None and time.monotonic() < deadline:
        try:
            if "pydantic_core" in maps.read_text():
                break
        except OSError:
            pass
        time.sleep(0.002)
    time.sleep(delay)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=60)
    assert "Traceback" not in err
    made = list((tmp_path / "outputs").iterdir()) if (tmp_path / "outputs").exists() else []
    # Nothing half-written: no temporary file, and a document there is whole (the rename is atomic).
    assert all(p.suffix == ".docx" and zipfile.is_zipfile(p) for p in made), made
    if child.returncode == 130:
        assert err == say("interrupted", lang="zh") + "\n"
    else:
        # Too late: the document was written. A Ctrl-C in the interpreter's own teardown ends
        # it by the signal itself, which a shell reports as 130 too.
        assert child.returncode in (0, -signal.SIGINT) and (err, len(made)) == ("", 1), (child.returncode, err)


def test_ctrl_c_between_libreoffice_and_the_rename_leaves_no_pdf_part(tmp_path, monkeypatch):
    from narrate import interrupt, pdf

    def fake_soffice(cmd, **kwargs):  # what LibreOffice leaves in --outdir
        outdir = Path(cmd[cmd.index("--outdir") + 1])
        (outdir / Path(cmd[-1]).with_suffix(".pdf").name).write_bytes(b"%PDF-1.7\n")
        return subprocess.CompletedProcess(cmd, 0, "", "")

    def ctrl_c(*args):
        raise interrupt.Interrupted

    monkeypatch.setattr(pdf, "soffice", lambda: "soffice")
    monkeypatch.setattr(pdf.subprocess, "run", fake_soffice)
    monkeypatch.setattr(pdf.os, "replace", ctrl_c)
    (tmp_path / "x.docx").write_bytes(b"PK")
    with pytest.raises(interrupt.Interrupted):
        pdf.convert(tmp_path / "x.docx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.docx"]


def test_ctrl_c_that_a_library_reports_as_its_own_error_is_still_one_line(capsys, monkeypatch, sigint_restored):
    # pydantic-core, building a model's validator while Ctrl-C lands, reports a SchemaError that
    # names the interrupt but does not keep it as its cause (seen in test_a_real_ctrl_c_to_narrate_build).
    from narrate import interrupt

    monkeypatch.setattr(interrupt, "_fired", False)
    monkeypatch.delenv("NARRATE_LANG", raising=False)
    monkeypatch.setattr(sys, "argv", ["narrate", "build"])
    with pytest.raises(SystemExit) as stopped:
        with interrupt.guard():
            caught = False
            try:
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(1)
            except BaseException:
                caught = True
            if caught:  # raised outside the handler: no cause, no context, as a Rust library's error
                raise RuntimeError("Error building validator: Interrupted")
    assert stopped.value.code == 130
    assert capsys.readouterr().err == say("interrupted", lang="zh") + "\n"
    # and an error with no Ctrl-C behind it stays what it is
    monkeypatch.setattr(interrupt, "_fired", False)
    with pytest.raises(RuntimeError):
        with interrupt.guard():
            raise RuntimeError("a bug")
