"""The command line: the only module that imports typer. Exit codes: 0 ok, 1 bad input, 2 usage,
130 interrupted (Ctrl-C)."""

from __future__ import annotations

from narrate import interrupt

# The console script imports this module before main() runs, and these imports take a third of
# a second: Ctrl-C while they load is caught here, not printed as a traceback.
with interrupt.guard():
    import os
    from pathlib import Path
    from typing import Annotated, Optional

    import typer

    from narrate import compute, files, pipeline, render_text
    from narrate.messages import say
    from narrate.money import fmt
    from narrate.problems import InputError, Severity

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, help="narrate：由预算数字生成单位预算公开文档初稿。")

# readable=False on every path: typer would otherwise refuse an unreadable file itself, with
# exit 2 and a usage box; narrate says why it cannot read it, at exit 1 (files.py).
InputArg = Annotated[Optional[Path], typer.Argument(help="输入文件（YAML）；省略时使用内置样例。", show_default=False, readable=False)]
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", help="配置文件 narrate.toml；省略时使用输入文件旁的同名文件。", readable=False)]
PhrasebookOpt = Annotated[Optional[Path], typer.Option("--phrasebook", help="本地短语库文件夹：按名称覆盖内置说法。", readable=False)]


@app.callback()
def _options(
    lang: Annotated[str, typer.Option("--lang", help="提示语言：zh（默认）或 en。")] = "",
) -> None:
    if lang:
        os.environ["NARRATE_LANG"] = lang


def _readable(path: Path) -> None:
    """Returns when path is a regular file narrate can open, or says why not and exits 1."""
    try:
        files.probe(path)
    except files.Refused as exc:
        typer.echo(f"{path}: {say(exc.key, **exc.params)}", err=True)
        raise typer.Exit(1) from None


def _show_problems(checked: pipeline.Checked) -> None:
    for problem in checked.problems:
        label = say(f"severity_{problem.severity.value}")
        typer.echo(f"{problem}  [{label} {problem.rule}]", err=True)


def _checked(input: Optional[Path], config: Optional[Path]) -> pipeline.Checked:
    try:
        return pipeline.check(input, config)
    except InputError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(1) from None


def _usable(input: Optional[Path], config: Optional[Path]) -> pipeline.Checked:
    """Returns the checked unit, or shows its problems and exits 1: nothing is made from an
    input with errors."""
    checked = _checked(input, config)
    if not checked.ok:
        _show_problems(checked)
        typer.echo(say("check_failed", **_counts(checked)), err=True)
        raise typer.Exit(1)
    return checked


def _counts(checked: pipeline.Checked) -> dict[str, int]:
    return {
        "errors": checked.count(Severity.ERROR),
        "warnings": checked.count(Severity.WARNING),
        "hints": checked.count(Severity.HINT),
    }


@app.command()
def check(
    input: InputArg = None,
    strict: Annotated[bool, typer.Option("--strict", help="有警告也视为未通过。")] = False,
    config: ConfigOpt = None,
    phrasebook: PhrasebookOpt = None,
) -> None:
    """检查输入：数字是否前后一致，哪些变动还缺原因。"""
    checked = _checked(input, config)
    _show_problems(checked)
    if not checked.ok:
        typer.echo(say("check_failed", **_counts(checked)), err=True)
        raise typer.Exit(1)
    unit = checked.unit
    facts = compute.facts(unit.file)
    typer.echo(say("check_ok", file=str(input or "inputs/" + pipeline.sample_input().name)))
    typer.echo(
        say(
            "check_summary_totals",
            total=fmt(facts["支出.合计"]),
            fiscal=fmt(facts["财政拨款.合计"]),
            general=fmt(facts["一般公共预算.合计"]),
            basic=fmt(facts["一般公共预算.基本支出"]),
            project=fmt(facts["一般公共预算.项目支出"]),
        )
    )
    typer.echo(say("check_summary_counts", **_counts(checked)))
    if unit.prior is None:
        typer.echo(say("check_no_prior"))
    missing = [p for p in checked.problems if p.rule == "reason-missing"]
    if missing:
        typer.echo(say("check_unexplained", keys="；".join(p.subject for p in missing)))
    holes = render_text.placeholders(_explained(checked, phrasebook))
    if holes:
        typer.echo(say("check_placeholders", count=sum(len(h) for _, _, h in holes)))
        for pid, opening, texts in holes:
            shown = "".join(t if texts.count(t) == 1 else f"{t}×{texts.count(t)}" for t in dict.fromkeys(texts))
            typer.echo(say("check_placeholder_at", opening=opening, holes=shown, id=pid))
    if strict and checked.count(Severity.WARNING):
        typer.echo(say("check_strict_failed"), err=True)
        raise typer.Exit(1)


def _book(overlay: Optional[Path]):
    """Returns the phrasebook with the officer's overlay, or shows its errors and exits 1."""
    from narrate import phrasebook as phrases

    try:
        return phrases.load(overlay)
    except phrases.PhrasebookError as exc:
        typer.echo(say("phrasebook_bad", detail=str(exc)), err=True)
        raise typer.Exit(1) from None


def _explained(checked: pipeline.Checked, overlay: Optional[Path]) -> tuple:
    from narrate import rules

    return rules.explain(checked.unit, checked.catalogs, _book(overlay))


def _performance_tables(checked: pipeline.Checked):
    from narrate.tables import performance_tables

    return lambda name: performance_tables(checked.unit) if name == "performance_tables" else ()


@app.command()
def preview(input: InputArg = None, phrasebook: PhrasebookOpt = None, config: ConfigOpt = None) -> None:
    """预览第三部分（预算情况说明）和第四部分（名词解释）的文字，每段一行。"""
    checked = _usable(input, config)
    for line in render_text.lines(_explained(checked, phrasebook), _performance_tables(checked)):
        typer.echo(line)


@app.command()
def phrases(phrasebook: PhrasebookOpt = None) -> None:
    """列出短语名称、使用它的规则和所在文件。"""
    from narrate.rules.uses import rules_of

    book = _book(phrasebook)
    for name in book.names:
        src = book.phrase(name).source
        typer.echo(f"{name}\t{', '.join(rules_of(name))}\t{src.file}:{src.line}")


@app.command()
def codes(
    query: Annotated[str, typer.Argument(help="科目编码的开头（如 20105）或名称中的字（如 信息）。", show_default=False)],
    config: ConfigOpt = None,
) -> None:
    """查找分类科目：按编码开头或名称查功能分类和经济分类（含自定义目录）。"""
    from narrate import catalog, checks, config as settings

    defaults = {name: severity for name, (_, severity) in checks.RULES.items()}
    here = Path(settings.CONFIG_NAME)
    path = config or (here if os.path.lexists(here) else None)
    try:
        extra = settings.load(path, defaults).catalogs
    except settings.ConfigError as exc:
        where = f"{path}:{exc.line}" if exc.line else str(path)
        typer.echo(f"{where}: {say(exc.key, **exc.params)}", err=True)
        raise typer.Exit(1) from None
    books = catalog.load(extra)
    found = 0
    for kind, book in ((catalog.FUNCTION, books.function), (catalog.ECONOMIC, books.economic)):
        entries = book.search(query)
        if entries:
            typer.echo(say(f"codes_{kind}", edition=catalog.EDITION[kind]))
            for entry in entries:
                typer.echo(f"  {entry.code}  {entry.name}")
        found += len(entries)
    if not found:
        typer.echo(say("codes_none", query=query), err=True)
        raise typer.Exit(1)


@app.command()
def build(
    input: InputArg = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="输出的 Word 文件；默认 outputs/<单位>-<年度>-预算公开.docx。", readable=False)] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="同时用 LibreOffice 生成 PDF。")] = False,
    config: ConfigOpt = None,
    phrasebook: PhrasebookOpt = None,
) -> None:
    """生成完整的预算公开 Word 文档（可选 PDF）。"""
    from narrate import build as builder, pdf as pdfs

    checked = _usable(input, config)
    path = output or builder.default_output(checked.unit)
    try:
        saved = builder.write(checked.unit, checked.catalogs, path, book=_book(phrasebook))
    except OSError as exc:
        typer.echo(say("build_write_failed", path=str(path), reason=exc.strerror or str(exc)), err=True)
        raise typer.Exit(1) from None
    if saved.backup:
        typer.echo(say("build_backup", backup=str(saved.backup)))
    typer.echo(say("build_unchanged" if saved.unchanged else "build_written", path=str(path)))
    if pdf:
        try:
            typer.echo(say("build_pdf_written", path=str(pdfs.convert(path))))
        except pdfs.PdfUnavailable:
            typer.echo(say("build_pdf_missing"), err=True)
            raise typer.Exit(1) from None
        except (pdfs.PdfFailed, OSError) as exc:
            typer.echo(say("build_pdf_failed", detail=str(exc)), err=True)
            raise typer.Exit(1) from None


@app.command()
def update(
    edited: Annotated[Path, typer.Argument(help="改过的 Word 文档（由 narrate build 生成）。", show_default=False, readable=False)],
    input: InputArg = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="输出的 Word 文件；默认 <原名>-更新.docx。", readable=False)] = None,
    in_place: Annotated[bool, typer.Option("--in-place", help="直接改写原文件（先备份为 .bak）。")] = False,
    comments: Annotated[bool, typer.Option("--comments", help="把复核清单也作为 Word 批注写入文档。")] = False,
    config: ConfigOpt = None,
    phrasebook: PhrasebookOpt = None,
) -> None:
    """数字变化后更新改过的文档：保留您的修改，每处改动都是修订（作者 narrate）。"""
    from narrate import build as builder
    from narrate.regen import update as updater

    _readable(edited)
    checked = _usable(input, config)
    try:
        done = updater.update(edited, builder.render(checked.unit, checked.catalogs, book=_book(phrasebook)), output, in_place, comments)
    except updater.UpdateError as exc:
        typer.echo(say(exc.key, **exc.params), err=True)
        raise typer.Exit(1) from None
    except OSError as exc:
        typer.echo(say("build_write_failed", path=str(output or edited), reason=exc.strerror or str(exc)), err=True)
        raise typer.Exit(1) from None
    for line in updater.summary(done):
        typer.echo(line)


def main() -> None:
    """The console entry point: the app, with Ctrl-C anywhere in it one line and exit 130."""
    with interrupt.guard():
        app()
