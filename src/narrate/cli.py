"""The command line: the only module that imports typer. Exit codes: 0 ok, 1 bad input, 2 usage."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from narrate import compute, pipeline
from narrate.messages import say
from narrate.money import fmt
from narrate.problems import InputError, Severity

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, help="narrate：由预算数字生成单位预算公开文档初稿。")

InputArg = Annotated[Optional[Path], typer.Argument(help="输入文件（YAML）；省略时使用内置样例。", show_default=False)]
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", help="配置文件 narrate.toml；省略时使用输入文件旁的同名文件。")]


@app.callback()
def _options(
    lang: Annotated[str, typer.Option("--lang", help="提示语言：zh（默认）或 en。")] = "",
) -> None:
    if lang:
        os.environ["NARRATE_LANG"] = lang


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
        typer.echo(say("check_unexplained", keys="；".join(p.message.split(" ")[0] for p in missing)))
    if strict and checked.count(Severity.WARNING):
        typer.echo(say("check_strict_failed"), err=True)
        raise typer.Exit(1)


def main() -> None:
    app()
