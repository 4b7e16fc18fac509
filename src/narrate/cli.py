"""The command line: the only module that imports typer. Exit codes: 0 ok, 1 bad input, 2 usage,
130 interrupted (Ctrl-C).

Help texts are messages (phrasebook/<lang>/messages.yaml), in the language `--lang` or
NARRATE_LANG names when the command line is read.
"""

from __future__ import annotations

from narrate import interrupt

# The console script imports this module before main() runs, and these imports take a third of
# a second: Ctrl-C while they load is caught here, not printed as a traceback.
with interrupt.guard():
    import contextlib
    import os
    from datetime import datetime
    from pathlib import Path
    from typing import Annotated, Optional

    import typer

    from narrate import facts, files, pipeline, render_text
    from narrate.messages import say
    from narrate.money import fmt
    from narrate.problems import InputError, Severity

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, help=say("help_app"))



def _sane(value):
    """A path argument no file system can hold (a name of 5,000 characters) is one line and
    exit 1, before any os call raises on it."""
    for path in value if isinstance(value, list) else [value]:
        if path is not None and (problem := files.name_problem(path)) is not None:
            typer.echo(say(problem[0], **problem[1]), err=True)
            raise typer.Exit(1)
    return value


# readable=False on every path: typer would otherwise refuse an unreadable file itself, with
# exit 2 and a usage box; narrate says why it cannot read it, at exit 1 (files.py).
InputArg = Annotated[Optional[Path], typer.Argument(help=say("help_input"), show_default=False, readable=False, callback=_sane)]
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", help=say("help_config"), readable=False, callback=_sane)]
PhrasebookOpt = Annotated[Optional[Path], typer.Option("--phrasebook", help=say("help_phrasebook"), readable=False, callback=_sane)]
InputsArg = Annotated[Optional[list[Path]], typer.Argument(help=say("help_inputs"), show_default=False, readable=False, callback=_sane)]
JobsOpt = Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help=say("help_jobs"))]
ProfileOpt = Annotated[Optional[str], typer.Option("--profile", help=say("help_profile"))]


@app.callback()
def _options(lang: Annotated[str, typer.Option("--lang", help=say("help_lang"))] = "") -> None:
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
    _echo_problems(checked.problems, labelled=True)


def _echo_problems(problems, labelled: bool = False) -> None:
    """Shows problems one a line; a kind repeated many times, and a long list, capped."""
    from narrate.problems import capped

    for problem, more in capped(list(problems)):
        if problem is None:
            typer.echo(say("more_problems", count=more), err=True)
        elif more:
            typer.echo("  " + say("more_of_kind", count=more), err=True)
        elif labelled:
            typer.echo(f"{problem}  [{say(f'severity_{problem.severity.value}')} {problem.rule}]", err=True)
        else:
            typer.echo(str(problem), err=True)


def _checked(input: Optional[Path], config: Optional[Path], profile: Optional[str]) -> pipeline.Checked:
    try:
        return pipeline.check(input, config, profile)
    except InputError as exc:
        _echo_problems(exc.problems)
        raise typer.Exit(1) from None


def _usable(input: Optional[Path], config: Optional[Path], profile: Optional[str]) -> pipeline.Checked:
    """Returns the checked unit, or shows its problems and exits 1: nothing is made from an
    input with errors."""
    checked = _checked(input, config, profile)
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


def _book(checked: pipeline.Checked, overlay: Optional[Path]):
    """Returns the profile's phrasebook with the officer's overlay, or shows its errors and exits 1."""
    from narrate import phrasebook as phrases

    try:
        return phrases.load(overlay, checked.profile)
    except phrases.PhrasebookError as exc:
        typer.echo(say("phrasebook_bad", detail=str(exc)), err=True)
        raise typer.Exit(1) from None


@contextlib.contextmanager
def _rendering():
    """A phrase or profile template that fails as it renders is its located problem, exit 1."""
    from narrate.phrasebook import PhrasebookError

    try:
        yield
    except PhrasebookError as exc:
        typer.echo(say("phrasebook_bad", detail=str(exc)), err=True)
        raise typer.Exit(1) from None


def _context(checked: pipeline.Checked, overlay: Optional[Path]):
    from narrate import build as builder

    return builder.context(checked.unit, checked.catalogs, checked.profile, _book(checked, overlay))


@app.command(help=say("help_check"))
def check(
    inputs: InputsArg = None,
    strict: Annotated[bool, typer.Option("--strict", help=say("help_strict"))] = False,
    jobs: JobsOpt = None,
    config: ConfigOpt = None,
    phrasebook: PhrasebookOpt = None,
    profile: ProfileOpt = None,
) -> None:
    from narrate import batch

    many = _many(inputs)
    if many is not None:
        _batch(many, batch.Task(config, profile, phrasebook, build=False), jobs, Path("outputs"), strict=strict)
        return
    input = inputs[0] if inputs else None
    checked = _checked(input, config, profile)
    _show_problems(checked)
    if not checked.ok:
        typer.echo(say("check_failed", **_counts(checked)), err=True)
        raise typer.Exit(1)
    with _rendering():
        _check_summary(input, checked, phrasebook, strict)


def _check_summary(input: Optional[Path], checked: pipeline.Checked, phrasebook: Optional[Path], strict: bool) -> None:
    from narrate.model import PRIOR_FINAL

    ctx = _context(checked, phrasebook)
    fact = ctx.figures.fact
    typer.echo(say("check_ok", file=str(input or "inputs/" + pipeline.sample_input().name), profile=checked.profile.name))
    typer.echo(
        say(
            "check_summary_totals",
            total=fmt(fact(facts.EXPENSE_TOTAL)),
            fiscal=fmt(fact(facts.FISCAL_TOTAL)),
            general=fmt(fact(facts.GENERAL_TOTAL)),
            basic=fmt(fact(facts.GENERAL_BASIC)),
            project=fmt(fact(facts.GENERAL_PROJECT)),
        )
    )
    if checked.unit.final is not None:
        typer.echo(_final_summary(ctx, fact))
    typer.echo(say("check_summary_counts", **_counts(checked)))
    if not checked.unit.comparisons:
        typer.echo(say("check_no_prior"))
    elif checked.unit.final is not None and PRIOR_FINAL not in checked.unit.comparisons:
        typer.echo(say("check_no_prior_final"))
    missing = [p for p in checked.problems if p.rule == "reason-missing"]
    if missing:
        typer.echo(say("check_unexplained", keys=say("list_separator").join(p.subject for p in missing)))
    from narrate import outline

    with _rendering():
        holes = render_text.placeholders(outline.document(ctx).blocks)
    if holes:
        typer.echo(say("check_placeholders", count=sum(len(h) for _, _, h in holes)))
        for pid, opening, texts in holes:
            shown = "".join(t if texts.count(t) == 1 else say("times", text=t, n=texts.count(t)) for t in dict.fromkeys(texts))
            typer.echo(say("check_placeholder_at", opening=opening, holes=shown, id=pid))
    if strict and checked.count(Severity.WARNING):
        typer.echo(say("check_strict_failed"), err=True)
        raise typer.Exit(1)


@app.command(help=say("help_preview"))
def preview(input: InputArg = None, phrasebook: PhrasebookOpt = None, config: ConfigOpt = None, profile: ProfileOpt = None) -> None:
    from narrate import outline

    checked = _usable(input, config, profile)
    with _rendering():
        lines = render_text.lines(outline.document(_context(checked, phrasebook), outline.PROSE).blocks)
    for line in lines:
        typer.echo(line)


@app.command(help=say("help_phrases"))
def phrases(phrasebook: PhrasebookOpt = None, profile: ProfileOpt = None) -> None:
    from narrate import bind
    from narrate import phrasebook as books
    from narrate import profile as profiles
    from narrate.rules.uses import rules_of

    try:
        book = books.load(phrasebook, bind.profile(profile, Path.cwd()))
    except profiles.ProfileError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(1) from None
    except books.PhrasebookError as exc:
        typer.echo(say("phrasebook_bad", detail=str(exc)), err=True)
        raise typer.Exit(1) from None
    for name in book.names:
        src = book.phrase(name).source
        typer.echo(f"{name}\t{', '.join(rules_of(name))}\t{src.file}:{src.line}")


@app.command(help=say("help_profiles"))
def profiles(reference: Annotated[bool, typer.Option("--reference", help=say("help_reference"))] = False) -> None:
    from narrate import profile as profiles_

    if reference:
        from narrate import reference as ref

        typer.echo(ref.text(), nl=False)
        return
    for name in profiles_.builtin_names():
        spec = profiles_.load(name).spec
        typer.echo(say("profiles_line", name=name, kind=spec.kind, description=spec.description))


@app.command(help=say("help_codes"))
def codes(
    query: Annotated[str, typer.Argument(help=say("help_codes_query"), show_default=False)],
    config: ConfigOpt = None,
) -> None:
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
            typer.echo(say(f"codes_{kind}", edition=say(f"catalog_edition_{kind}")))
            for entry in entries:
                typer.echo(f"  {entry.code}  {entry.name}")
        found += len(entries)
    if not found:
        typer.echo(say("codes_none", query=query), err=True)
        raise typer.Exit(1)




def _many(inputs: Optional[list[Path]]) -> list[Path] | None:
    """Returns the input files of a batch, or None for one input (or the embedded sample) as
    before: a batch is several inputs, or any folder or pattern."""
    from narrate import batch

    given = list(inputs or ())
    if len(given) <= 1 and not any(p.is_dir() or (not p.exists() and "*" in str(p)) for p in given):
        return None
    found = batch.expand(given)
    if not found:
        for arg in given:
            typer.echo(f"{arg}: {say('batch_nothing_in_folder' if arg.is_dir() else 'batch_nothing')}", err=True)
        raise typer.Exit(1)
    return found


@app.command(help=say("help_build"))
def build(
    inputs: InputsArg = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help=say("help_build_output"), readable=False, callback=_sane)] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help=say("help_pdf"))] = False,
    units: Annotated[bool, typer.Option("--units", help=say("help_units"))] = False,
    jobs: JobsOpt = None,
    config: ConfigOpt = None,
    phrasebook: PhrasebookOpt = None,
    profile: ProfileOpt = None,
) -> None:
    from narrate import batch

    many = _many(inputs)
    if many is not None:
        task = batch.Task(config, profile, phrasebook)
        _batch(many, task, jobs, output or Path("outputs"), pdf)
        return
    checked = _usable(inputs[0] if inputs else None, config, profile)
    targets = _unit_targets(checked, output, phrasebook) if units else []
    _build_one(checked, output, phrasebook, pdf)
    for member, target in targets:
        _build_one(member, target, phrasebook, pdf)


def _unit_targets(checked: pipeline.Checked, output: Optional[Path], phrasebook: Optional[Path]):
    """Returns each member's document path for --units (beside the department's); two that
    would be one file are refused before anything is written."""
    from narrate import build as builder

    with _rendering():
        dept = output or builder.default_output(checked.unit, checked.profile, _book(checked, phrasebook))
        out = [(m, builder.default_output(m.unit, m.profile, _book(m, phrasebook), folder=dept.parent))
               for m in checked.members if m.unit is not None and m.ok]
    seen = {os.path.normcase(str(dept.resolve())).casefold(): checked.unit.info.name}
    for member, target in out:
        key = os.path.normcase(str(target.resolve())).casefold()
        if key in seen:
            typer.echo(say("units_collide", first=seen[key], second=member.unit.info.name, path=str(target)), err=True)
            raise typer.Exit(1)
        seen[key] = member.unit.info.name
    return out


def _build_one(checked: pipeline.Checked, output: Optional[Path], phrasebook: Optional[Path], pdf: bool,
               folder: Path | None = None) -> Path:
    """Writes one checked unit's document (and PDF); returns where it went."""
    from narrate import build as builder

    book = _book(checked, phrasebook)
    try:
        with _rendering():
            path = output or builder.default_output(checked.unit, checked.profile, book, catalogs=checked.catalogs,
                                                         **({"folder": folder} if folder else {}))
            saved = builder.write(checked.unit, checked.catalogs, path, checked.profile, book)
    except OSError as exc:
        typer.echo(say("build_write_failed", path=files.shown(path), reason=exc.strerror or str(exc)), err=True)
        raise typer.Exit(1) from None
    if saved.backup:
        typer.echo(say("build_backup", backup=str(saved.backup)))
    typer.echo(say("build_unchanged" if saved.unchanged else "build_written", path=str(path)))
    if pdf:
        _pdf(path)
    return path


def _pdf(path: Path, archival: bool = False) -> None:
    from narrate import pdf as pdfs

    try:
        made = pdfs.make(path, archival=archival)
        if made.backup:
            typer.echo(say("build_backup", backup=str(made.backup)))
        typer.echo(say("build_pdf_written", path=str(made.path)))
    except pdfs.PdfUnavailable:
        typer.echo(say("build_pdf_missing"), err=True)
        raise typer.Exit(1) from None
    except (pdfs.PdfFailed, OSError) as exc:
        typer.echo(say("build_pdf_failed", detail=str(exc)), err=True)
        raise typer.Exit(1) from None


def _batch(inputs: list[Path], task, jobs: Optional[int], out: Path, pdf: bool = False, strict: bool = False) -> None:
    """Builds (or checks) every input, jobs at a time, with progress; saves the documents in
    input order; prints a summary and exits 1 if any failed."""
    import sys

    from narrate import batch, docx

    jobs = jobs or os.cpu_count() or 1
    results: list[batch.Result] = []
    with batch.workspace(out) if task.build else _nowhere() as folder, _progress(len(inputs), sys.stderr.isatty()) as step:
        for result in batch.run(inputs, task, jobs, folder):
            if strict and result.ok and result.warnings:
                result = batch.Result(result.index, result.input, False, say("batch_strict", warnings=result.warnings),
                                      result.errors, result.warnings)
            results.append(result)
            step(result)
        placed = batch.names(results, out)
        written: dict[int, Path] = {}
        for r in sorted(results, key=lambda r: r.index):
            if r.index in placed:
                try:
                    docx.save(placed[r.index], r.made.read_bytes())
                    written[r.index] = placed[r.index]
                except OSError as exc:
                    results[results.index(r)] = batch.Result(r.index, r.input, False, say(
                        "build_write_failed", path=files.shown(placed[r.index]), reason=exc.strerror or str(exc)))
    if pdf:
        for path in written.values():
            _pdf(path)
    _summary(sorted(results, key=lambda r: r.index), written)
    if not all(r.ok for r in results):
        raise typer.Exit(1)


@contextlib.contextmanager
def _nowhere():
    yield None


@contextlib.contextmanager
def _progress(total: int, tty: bool):
    """Yields step(result): a rich progress bar on a terminal, else one line a document."""
    if tty:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      transient=True) as bar:
            job = bar.add_task(say("batch_progress"), total=total)
            yield lambda result: bar.advance(job)
        return
    done = [0]

    def step(result) -> None:
        done[0] += 1
        key = "batch_line_ok" if result.ok else "batch_line_failed"
        typer.echo(say(key, n=done[0], total=total, input=str(result.input), problem=result.problem))

    yield step


def _summary(results, written: dict[int, Path]) -> None:
    """Prints the batch's table: each input, what came of it (its document, or its first problem)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=say("batch_title"), show_lines=False)
    for header in ("batch_col_input", "batch_col_result", "batch_col_detail"):
        table.add_column(say(header), overflow="fold")
    for r in results:
        status = say("batch_ok") if r.ok else say("batch_failed")
        detail = str(written[r.index]) if r.index in written else (r.problem if not r.ok else say("batch_checked"))
        table.add_row(str(r.input), status, detail)
    console = Console(width=200 if not typer.get_text_stream("stdout").isatty() else None, highlight=False)
    console.print(table)
    typer.echo(say("batch_totals", total=len(results), ok=sum(r.ok for r in results), failed=sum(not r.ok for r in results)))


@app.command(help=say("help_update"))
def update(
    edited: Annotated[Path, typer.Argument(help=say("help_update_edited"), show_default=False, readable=False, callback=_sane)],
    input: InputArg = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help=say("help_update_output"), readable=False, callback=_sane)] = None,
    in_place: Annotated[bool, typer.Option("--in-place", help=say("help_in_place"))] = False,
    comments: Annotated[bool, typer.Option("--comments", help=say("help_comments"))] = False,
    date: Annotated[Optional[datetime], typer.Option("--date", formats=["%Y-%m-%d"], help=say("help_update_date"))] = None,
    config: ConfigOpt = None,
    phrasebook: PhrasebookOpt = None,
    profile: ProfileOpt = None,
) -> None:
    from narrate import build as builder
    from narrate import vocabulary
    from narrate.phrasebook import layers as phrasebook_layers
    from narrate.regen import update as updater

    try:
        updater.target(edited, output, in_place)  # conflicting options are refused before any work
    except updater.UpdateError as exc:
        typer.echo(say(exc.key, **exc.params), err=True)
        raise typer.Exit(2) from None
    _readable(edited)
    checked = _usable(input, config, profile)
    target = edited if in_place else (output or updater.default_output(edited))
    try:
        with _rendering():
            fresh = builder.compose(checked.unit, checked.catalogs, checked.profile, _book(checked, phrasebook))
        words = vocabulary.words(phrasebook_layers(checked.profile, phrasebook))
        done = updater.update(edited, fresh, output, in_place, comments, date.date() if date else None, words=words)
    except updater.UpdateError as exc:
        typer.echo(say(exc.key, **exc.params), err=True)
        raise typer.Exit(2 if exc.usage else 1) from None
    except OSError as exc:
        typer.echo(say("build_write_failed", path=files.shown(target), reason=exc.strerror or str(exc)), err=True)
        raise typer.Exit(1) from None
    for line in updater.summary(done):
        typer.echo(line)


def _final_summary(ctx, fact) -> str:
    """The final accounts' own line: the 总表 both ways, and the general budget's completion rate."""
    from narrate import final
    from narrate.model import START_BUDGET
    from narrate.money import fmt

    basis = ctx.profile.spec.final.budget_set if ctx.profile.spec.final else START_BUDGET
    a = final.against(ctx.figures, facts.GENERAL_TOTAL, basis)
    rate = say("check_final_rate", basis=basis, rate=fmt(a.rate)) if a is not None and a.rate is not None \
        else say("check_final_no_rate", basis=basis)
    return say("check_final_summary", total=fmt(fact(facts.GRAND_TOTAL)), income=fmt(fact(facts.INCOME_TOTAL)),
               opening=fmt(fact(facts.OPENING)), spent=fmt(fact(facts.EXPENSE_TOTAL)), closing=fmt(fact(facts.CLOSING)),
               rate=rate)


def _source(input: Optional[Path], config: Optional[Path], profile: Optional[str]) -> pipeline.Source:
    try:
        return pipeline.source(input, config, profile)
    except InputError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(1) from None


def _save(path: Path, data: bytes) -> None:
    """Writes data to path; a file already there (the officer's, perhaps) is kept as .bak."""
    from narrate.docx.save import save

    try:
        saved = save(path, data, lambda old: False)
    except OSError as exc:
        typer.echo(say("build_write_failed", path=files.shown(path), reason=exc.strerror or str(exc)), err=True)
        raise typer.Exit(1) from None
    if saved.backup:
        typer.echo(say("build_backup", backup=str(saved.backup)))


PUBLISH_LISTED = 40  # pending changes listed by publish; the rest are counted


@app.command(help=say("help_publish"))
def publish(
    edited: Annotated[Path, typer.Argument(help=say("help_publish_edited"), show_default=False, readable=False)],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help=say("help_publish_output"), readable=False)] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help=say("help_pdf"))] = False,
    accept: Annotated[bool, typer.Option("--accept", help=say("help_publish_accept"))] = False,
) -> None:
    from narrate.docx import publish as publishing
    from narrate.docx.save import save

    out = output or edited.with_name(say("publish_default_name", lang="zh", stem=edited.stem))
    if out.exists() and edited.exists() and os.path.samefile(out, edited):
        typer.echo(say("publish_output_is_edited", path=str(out)), err=True)
        raise typer.Exit(2)
    _readable(edited)
    try:
        done = publishing.publish(edited.read_bytes(), accept)
    except publishing.PublishError as exc:
        if exc.key != "publish_pending":
            typer.echo(say(exc.key, path=str(edited)), err=True)
            raise typer.Exit(1) from None
        items = exc.params["items"]
        typer.echo(say("publish_pending", path=str(edited), count=len(items)), err=True)
        for item in items[:PUBLISH_LISTED]:
            typer.echo(say("publish_pending_item", where=item.where or say("publish_where_start"),
                           kind=say(f"publish_kind_{item.kind}"), excerpt=item.excerpt), err=True)
        if len(items) > PUBLISH_LISTED:
            typer.echo(say("publish_pending_more", count=len(items) - PUBLISH_LISTED), err=True)
        raise typer.Exit(1) from None
    except OSError as exc:
        typer.echo(say("update_unreadable", path=str(edited), reason=exc.strerror or str(exc)), err=True)
        raise typer.Exit(1) from None
    try:
        saved = save(out, done.data, lambda old: False)
    except OSError as exc:
        typer.echo(say("build_write_failed", path=str(out), reason=exc.strerror or str(exc)), err=True)
        raise typer.Exit(1) from None
    if saved.backup:
        typer.echo(say("build_backup", backup=str(saved.backup)))
    if done.accepted:
        typer.echo(say("publish_accepted", count=len(done.accepted)))
    typer.echo(say("publish_written", path=str(out), edited=str(edited)))
    if pdf:
        _pdf(out, archival=True)


@app.command(help=say("help_template"))
def template(
    input: Annotated[Optional[Path], typer.Argument(help=say("help_template_input"), show_default=False, callback=_sane)] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help=say("help_template_output"), callback=_sane)] = None,
    config: ConfigOpt = None,
    profile: ProfileOpt = None,
    next_year: Annotated[bool, typer.Option("--next-year", help=say("help_template_next_year"))] = False,
    final: Annotated[bool, typer.Option("--final", help=say("help_template_final"))] = False,
) -> None:
    from narrate import convert as converting

    source = _source(input, config, profile)
    if next_year or final:
        _turn(source, input, output, final, config)
        return
    path = output or (input.with_suffix(".xlsx") if input else Path(say("template_default_name")))
    if input is not None and config is None:
        _settings_follow(input, path)
    try:
        _save(path, converting.to_workbook(source, profile))
    except converting.Refused as exc:
        typer.echo(say(exc.key, **exc.params), err=True)
        raise typer.Exit(1) from None
    typer.echo(say("template_written", path=str(path)))


def _settings_follow(source: Path, target: Path) -> None:
    """Refuses to write target where the narrate.toml that shaped source (its format, its own
    catalogs) would not apply: the converted file would check against other settings."""
    from narrate import config as configs

    here = configs.find(source)
    if here is None:
        return
    there = configs.find(target)
    if there is None or os.path.realpath(there) != os.path.realpath(here):
        typer.echo(say("convert_settings_behind", config=str(here), path=str(target), folder=str(here.parent)), err=True)
        raise typer.Exit(1)


def _turn(source: pipeline.Source, input: Optional[Path], output: Optional[Path], final: bool, config: Optional[Path]) -> None:
    """Writes next year's budget input, or the year's final-accounts input, from INPUT as YAML:
    figures where the new document compares with them, the officer's words as hints on top."""
    import dataclasses

    from narrate import convert as converting
    from narrate import profile as profiles
    from narrate.convert import turn, workbook, yaml_text
    from narrate.model import UnitFile, UnitInfo

    if input is None:
        typer.echo(say("template_turn_needs_input"), err=True)
        raise typer.Exit(2)
    tree = source.tree or {}
    names = profiles.builtin_names()
    if final:
        made, hints = turn.final_from_budget(tree, input.name, names)
    else:
        made, hints = turn.next_year(tree, names)
    year = made[UnitFile.model_fields["unit"].alias][UnitInfo.model_fields["year"].alias]
    suffix = "final" if final else str(year)
    path = output or input.with_name(f"{input.stem}-{suffix}.yaml")
    if config is None:
        _settings_follow(input, path)
    header = [say("template_turn_final_header" if final else "template_turn_header", source=input.name, year=year)]
    header += [say("template_turn_hint", key=key, text=text) for key, text in hints]
    if converting.writer_for(path) is converting.to_workbook:
        # a workbook to fill: the texts to confirm are on its first sheet (填表说明), not lost
        lines = tuple(line.strip() for text in header for line in text.splitlines())
        data = workbook.write(made, dataclasses.replace(converting.layout(source), notes=lines))
    else:
        data = yaml_text.dump(made, "\n".join(header)).encode("utf-8")
    _save(path, data)
    typer.echo(say("template_turn_written", path=str(path), hints=len(hints)))


@app.command(help=say("help_convert"))
def convert(
    source: Annotated[Path, typer.Argument(help=say("help_convert_in"), show_default=False, callback=_sane)],
    target: Annotated[Path, typer.Argument(help=say("help_convert_out"), show_default=False, callback=_sane)],
    config: ConfigOpt = None,
    profile: ProfileOpt = None,
) -> None:
    from narrate import convert as converting

    write = converting.writer_for(target)
    if write is None:
        typer.echo(say("convert_suffix", suffix=target.suffix), err=True)
        raise typer.Exit(1)
    read = _source(source, config, profile)
    if config is None:
        _settings_follow(source, target)
    try:
        _save(target, write(read, profile))
    except converting.Refused as exc:
        typer.echo(say(exc.key, **exc.params), err=True)
        raise typer.Exit(1) from None
    typer.echo(say("convert_written", source=str(source), path=str(target)))


serve_app = typer.Typer(help=say("help_serve"), add_completion=False)
app.add_typer(serve_app, name="serve")


@serve_app.callback(invoke_without_command=True)
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help=say("help_serve_host"))] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help=say("help_serve_port"))] = 8000,
    data: Annotated[Path, typer.Option("--data", help=say("help_serve_data"))] = Path("narrate-data"),
    db: Annotated[Optional[str], typer.Option("--db", help=say("help_serve_db"))] = None,
    demo: Annotated[Optional[bool], typer.Option("--demo/--no-demo", help=say("help_serve_demo"), show_default=False)] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help=say("help_serve_workers"))] = 2,
    secure: Annotated[bool, typer.Option("--secure-cookies", help=say("help_serve_secure"))] = False,
) -> None:
    # The web stack is imported here only: `narrate build` never loads it (start-up time).
    from narrate.serve.settings import Settings

    # The demo's passwords are printed everywhere: by default it is on only for a local trial
    # (no --db, this machine only).
    local = db is None and host in ("127.0.0.1", "localhost", "::1")
    settings = Settings(data=data, db_url=db or "", demo=local if demo is None else demo, workers=workers,
                        secure_cookies=secure)
    if ctx.invoked_subcommand:
        ctx.obj = settings
        return
    from narrate.serve import app as web

    _free(host, port)
    data.mkdir(parents=True, exist_ok=True)
    with _database():
        application = web.create_app(settings)
    typer.echo(say("serve_started", url=f"http://{host}:{port}/"))
    if settings.demo:
        typer.echo(say("serve_demo_on"))
    web.serve(application, host, port)


def _free(host: str, port: int) -> None:
    """Says so when the address cannot be listened on (taken, or not this machine's), exit 1,
    before the database is touched."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(infos[0][4])
    except OSError as exc:
        typer.echo(say("serve_address_busy", address=f"{host}:{port}", reason=exc.strerror or str(exc)), err=True)
        raise typer.Exit(1) from None


@contextlib.contextmanager
def _database():
    """Says why the database cannot be used (unreachable, no driver, a bad URL), exit 1."""
    from sqlalchemy.exc import ArgumentError, OperationalError

    try:
        yield
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("psycopg"):
            typer.echo(say("serve_db_driver_missing"), err=True)
            raise typer.Exit(1) from None
        raise
    except (OperationalError, ArgumentError) as exc:
        typer.echo(say("serve_db_failed", detail=str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]), err=True)
        raise typer.Exit(1) from None


@serve_app.command("adduser", help=say("help_adduser"))
def adduser(
    ctx: typer.Context,
    login: Annotated[str, typer.Argument(help=say("help_adduser_login"), show_default=False)],
    bureau: Annotated[str, typer.Option("--bureau", help=say("help_adduser_bureau"), show_default=False)],
    role: Annotated[str, typer.Option("--role", help=say("help_adduser_role"))] = "officer",
    unit: Annotated[Optional[str], typer.Option("--unit", help=say("help_adduser_unit"))] = None,
    password: Annotated[Optional[str], typer.Option("--password", help=say("help_adduser_password"))] = None,
    token: Annotated[bool, typer.Option("--token", help=say("help_adduser_token"))] = False,
) -> None:
    from narrate.serve import accounts, auth, db as tables, migrate
    from narrate.serve.errors import Refusal

    settings = ctx.obj
    settings.data.mkdir(parents=True, exist_ok=True)
    if password is None:
        password = typer.prompt(say("serve_password_prompt"), hide_input=True, confirmation_prompt=True)
    with _database():
        migrate.upgrade(settings.url)
        with tables.sessions(tables.engine(settings.url))() as s:
            try:
                user = accounts.add_user(s, login, password, role, bureau, unit)
            except Refusal as exc:
                typer.echo(say(exc.key, **exc.params), err=True)
                raise typer.Exit(1) from None
            typer.echo(say("serve_user_added", login=login, role=role))
            if token:
                typer.echo(say("serve_token", token=auth.new_token(s, user)))


def main() -> None:
    """The console entry point: the app, with Ctrl-C anywhere in it one line and exit 130."""
    with interrupt.guard():
        app()
