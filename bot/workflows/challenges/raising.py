"""Raising a challenge: the form, its checks, and the new challenge posted to the other board."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context, action
from bot.knowledge import AreaKnowledge
from bot.limits import form_limits
from bot.messages import Button, Reply
from bot.notify import Target, where_sent
from bot.workflows import personal_data
from bot.workflows.challenges import rules
from bot.workflows.challenges.cards import card, with_note
from bot.workflows.challenges.forms import LABELS, RAISE_FIELDS, raise_form
from bot.workflows.challenges.rules import SUBJECT
from bot.workflows.common import (
    addressees,
    area_row,
    board_short,
    check_before_posting,
    field_text,
    form_again,
    idempotency_key,
    next_number,
    refuse,
    refuse_elsewhere,
    too_long_reply,
)
from bot.workflows.permissions import can_raise_for, delegation_words, who_may_raise_text
from bot.workflows.windows import rung_window
from scheduler.timeutil import fmt
from storage import directory
from storage.audit import record
from storage.models import Challenge


def conflicts(area: AreaKnowledge, a: str, b: str) -> list[str]:
    """Posts that sit on both boards (common membership): a conflict to declare."""
    on_a = {m.role.key for m in area.members.get(a, [])}
    return [m.role.title for m in area.members.get(b, []) if m.role.key in on_a]


async def directory_conflicts(session: AsyncSession, area: AreaKnowledge, a: str, b: str) -> list[str]:
    """People the directory knows on both boards."""
    people = await directory.people_in_area(session, area.slug)
    out = []
    for p in people:
        boards = {r.partition(":")[2] for r in p.roles if ":" in r and not r.startswith("post:")}
        if a in boards and b in boards:
            out.append(p.display_name or p.user_id)
    return out


async def start(ctx: Context, to_phrase: str = "") -> Reply:
    area = ctx.here
    mine = can_raise_for(area, ctx.request.actor)
    async with ctx.services.store.session() as s:
        if (refused := await refuse_elsewhere(ctx, s, SUBJECT, "raise a challenge")) is not None:
            return refused
        if not mine:
            return await refuse(
                ctx, s, SUBJECT, None,
                f"A formal challenge is raised for a board by {delegation_words(area)}.",
                hint=f"The protocol says: {who_may_raise_text(area)} Ask your board's chair; an administrator links chairs with "
                     "\u201cadmin link-user @person chair of <board>\u201d.",
            )
    to_board = ""
    if to_phrase:
        found = area.find_board(to_phrase).match
        to_board = found.key if found else ""
    return Reply(text="Fill in the challenge form.", form=raise_form(area, mine, to_board=to_board))


@dataclass(frozen=True)
class Raising:
    """What the form says: who challenges whom, about what."""

    from_board: str
    to_board: str
    subject: str
    concern: str
    sought: str
    theme: str | None

    @classmethod
    def read(cls, value: dict, mine: list[str]) -> Raising:
        return cls(from_board=field_text(value, "from_board") or (mine[0] if len(mine) == 1 else ""),
                   to_board=field_text(value, "to_board"), subject=field_text(value, "subject"),
                   concern=field_text(value, "concern"), sought=field_text(value, "response_sought"),
                   theme=field_text(value, "theme") or None)

    def problems(self, area: AreaKnowledge, value: dict, mine: list[str]) -> dict[str, str]:
        """Every problem at once, by field."""
        problems: dict[str, str] = {}
        if self.to_board not in area.boards or not area.boards[self.to_board].party or self.to_board == self.from_board:
            problems["to_board"] = "Choose another board of the protocol to challenge"
        problems.update({k: "Required" for k, val in (("subject", self.subject), ("concern", self.concern),
                                                      ("response_sought", self.sought)) if not val})
        if (long := too_long_reply(value, form_limits(raise_form(area, mine)))) is not None:
            problems.update(long.data["field_errors"])
        return problems


@action("challenge.submit")
async def submit(ctx: Context) -> Reply:
    """A chair raises a challenge for their board: checked (all problems at once, personal data
    flagged before anything is posted), made once however often the form is sent, and posted to
    the challenged board's channel for its chair and business manager."""
    area = ctx.here
    v = ctx.request.value
    mine = can_raise_for(area, ctx.request.actor)
    form = Raising.read(v, mine)
    async with ctx.services.store.session() as s:
        if (refused := await refuse_elsewhere(ctx, s, SUBJECT, "raise a challenge")) is not None:
            return refused
        if form.from_board not in mine:
            return await refuse(ctx, s, SUBJECT, None, "Only a board's chair can raise a challenge on its behalf.",
                                hint=f"The protocol says: {who_may_raise_text(area)}")
        if problems := form.problems(area, v, mine):
            # every problem at once, and the form again with every answer kept
            return form_again(raise_form(area, mine, values={k: field_text(v, k) for k in RAISE_FIELDS}), v, problems,
                              "Please correct: " + "; ".join(f"{LABELS.get(k, k)}: {m}" for k, m in problems.items())
                              + ". Your other answers are kept.")
        if form.theme and form.theme not in area.themes:
            form = replace(form, theme=None)
        found = personal_data.findings(f"{form.subject}\n{form.concern}\n{form.sought}")
        if found and not v.get("confirmed"):
            reply = check_before_posting(found, "challenge.submit", v, ctx.request.request_id)
            return replace(reply, buttons=(*reply.buttons, Button("Edit", "challenge.edit", {**v})))
        key = idempotency_key(ctx, "challenge")
        existing = (await s.execute(select(Challenge).where(Challenge.idempotency_key == key))).scalar_one_or_none()
        if existing is not None:
            return card(area, existing, side="raiser", note="This challenge was already raised.")
        ch = await _create(ctx, s, form, key)
        common = conflicts(area, ch.from_board, ch.to_board) + await directory_conflicts(s, area, ch.from_board, ch.to_board)
        queued, where = await _announce(ctx, s, ch, common, personal_data_confirmed=bool(found))
        await s.commit()
    ctx.services.notifier.kick()
    reply = card(area, ch, side="raiser", note=f"Challenge C{ch.number} raised. {where} Response due {fmt(ch.due_at)}.", common=common)
    return with_note(reply, queued=queued, conflicts=common)


async def _create(ctx: Context, s: AsyncSession, form: Raising, key: str) -> Challenge:
    """The new challenge, open at the first rung (numbered in the area; not yet committed)."""
    area = ctx.here
    now = ctx.services.clock()
    row = await area_row(s, area.slug)
    first = area.ladder[0]
    state = rules.raised(rules.Step(first.key, rung_window(first, row.settings)), now)
    ch = Challenge(
        area_id=row.id, number=await next_number(s, Challenge, row.id), idempotency_key=key, from_board=form.from_board,
        to_board=form.to_board, subject=form.subject, concern=form.concern, response_sought=form.sought, theme_key=form.theme,
        raised_by=ctx.request.actor.label, raised_by_user=f"{ctx.request.platform}:{ctx.request.actor.user_id}",
        status=state.status.value, rung_index=state.rung_index, rung_key=state.rung_key,
        due_at=state.due_at, created_at=now, updated_at=now,
    )
    s.add(ch)
    await s.flush()
    return ch


async def _announce(ctx: Context, s: AsyncSession, ch: Challenge, common: list[str], *,
                    personal_data_confirmed: bool) -> tuple[int, str]:
    """Record the raising and post the card to the challenged board: (posts queued, where it went, in words)."""
    area = ctx.here
    await record(s, area.slug, SUBJECT, ch.id, ctx.request.actor.label, "raised",
                 {"from": ch.from_board, "to": ch.to_board, "subject": ch.subject, "rung": ch.rung_key,
                  "due": ch.due_at.isoformat() if ch.due_at else None, "conflicts": common,
                  "personal_data_confirmed": personal_data_confirmed})
    notice = card(area, ch, side="target", addressed=await addressees(s, area, ch.to_board, ("chair", "business_manager")),
                  common=common)
    queued = await ctx.services.notifier.post(s, area_slug=area.slug, target=Target.board(ch.to_board), reply=notice,
                                              key=f"challenge:{ch.id}:raised:{ch.to_board}", origin="challenge")
    to = board_short(area, ch.to_board)
    where = (f"Posted to the {to} channel for its chair and business manager." if queued else
             await where_sent(s, area.slug, Target.board(ch.to_board), queued, to))
    return queued, where


@action("challenge.edit")
async def edit(ctx: Context) -> Reply:
    area = ctx.here
    mine = can_raise_for(area, ctx.request.actor)
    if not mine:
        async with ctx.services.store.session() as s:
            return await refuse(ctx, s, SUBJECT, None, "Only a board's chair can raise a challenge on its behalf.")
    values = {k: field_text(ctx.request.value, k) for k in RAISE_FIELDS}
    return Reply(text="Edit the challenge.", form=raise_form(area, mine, values=values))
