"""项目经费情况说明: a department's explanation of one key project, under fixed headings
(概述, 立项依据, 实施主体, 实施方案, 实施周期, 年度预算安排, 绩效目标)."""

from __future__ import annotations

import hashlib

from narrate import compute
from narrate.blocks import Block
from narrate.model import ProjectNote
from narrate.rules.context import Context, body, para


def _pid(name: str) -> str:
    # Ids follow the project's name, not its place, so reordering the notes keeps them.
    return "pn_" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]


def title_style(ctx: Context) -> str:
    """A note's title: the profile's note_title style (whether each note starts a page is that
    style's page_break_before), else the parts' style, a page each."""
    return "note_title" if "note_title" in ctx.profile.spec.styles else "part"


def note(ctx: Context, note: ProjectNote) -> list[Block | None]:
    pid = _pid(note.name)
    out: list[Block | None] = [para(f"{pid}_h", title_style(ctx), ctx.say("notes.heading", name=ctx.text(note.name)), "project_note")]

    def section(key: str, paragraphs: list[Block | None]) -> None:
        out.append(para(f"{pid}_{key}_h", "heading1", ctx.say(f"notes.{key}_heading"), "project_note"))
        out.extend(paragraphs)

    def text(key: str, value: str, phrase: str = "notes.text") -> list[Block | None]:
        shown = ctx.text(value) or ctx.say("text.missing")
        return [body(ctx, f"{pid}_{key}", phrase if value else "notes.text", "project_note", text=shown)]

    section("summary", text("summary", note.summary, "notes.sentence"))
    section("grounds", [body(ctx, f"{pid}_g{n}", "notes.ground", "project_note", n=n, text=ctx.text(g))
                        for n, g in enumerate(note.grounds, 1)] or text("grounds", ""))
    section("executor", text("executor", note.executor or ctx.globals["unit"]))
    section("plan", text("plan", note.plan, "notes.sentence"))
    section("period", text("period", note.period))
    items = [{"name": ctx.text(i.name), "amount": i.amount} for i in note.items]
    section("budget", [body(ctx, f"{pid}_budget", "notes.budget", "project_note_budget",
                            total=compute.note_amount(note), items=items)])
    goals = ctx.text(note.goals) or ctx.say("notes.goals_default")
    section("goals", [body(ctx, f"{pid}_goals", "notes.text", "project_note", text=goals)])
    return out
