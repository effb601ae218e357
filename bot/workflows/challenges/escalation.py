"""Escalating: the raising chair moves a challenge up one rung of the area's ladder.

First a preview of what that will do (and, where the response window has not passed, a
reason is asked for); confirmed, the step itself. The agenda-item rung creates an agenda
request; the chairs'-meeting rung proposes a meeting of the two chairs; resolution rungs post
an escalation notice to the directors' channel naming who the protocol says must attend.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context, action
from bot.limits import LONG_TEXT
from bot.messages import Reply, error
from bot.notify import DIRECTORS, Target, where_sent
from bot.workflows.agenda import create_request, request_card
from bot.workflows.challenges import rules
from bot.workflows.challenges.cards import card
from bot.workflows.challenges.forms import escalate_form
from bot.workflows.challenges.notices import (
    chairs,
    chairs_meeting,
    directors_notice,
    escalation_preview,
)
from bot.workflows.challenges.usecase import CHALLENGE, notice, on_challenge, state_of
from bot.workflows.common import addressees, area_row, board_short, field_text, too_long_reply
from bot.workflows.windows import rung_window
from storage import directory
from storage.models import AuditEvent, Challenge


def _from_rung(raw: object) -> int:
    try:
        return int(raw)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return -1


@action("challenge.escalate", on=CHALLENGE)
async def escalate(ctx: Context) -> Reply:
    """The raising chair moves the challenge up one rung: first a preview of what that will do (and,
    where the response window has not passed, a reason), then, confirmed, the step itself."""
    area = ctx.here
    now = ctx.services.clock()
    v = ctx.request.value
    from_rung = _from_rung(v.get("rung", -1))
    reason = field_text(v, "reason")

    async def decide(s: AsyncSession, ch: Challenge) -> Reply | rules.Moved | rules.Blocked:
        state = state_of(ch)
        if (blocked := rules.escalation_blocked(state, len(area.ladder), from_rung)) is not None:
            if blocked.why == "last step":
                return card(area, ch, side="raiser", note=f"Challenge C{ch.number} is at the last step of {area.name}'s route.")
            return blocked
        nxt = area.ladder[ch.rung_index + 1]
        row = await area_row(s, area.slug)
        if not v.get("confirmed"):
            return await _preview(ctx, s, ch, nxt, rung_window(nxt, row.settings), reason)
        ladder = [rules.Step(r.key, rung_window(r, row.settings)) for r in area.ladder]
        moved = rules.escalate(state, ladder, from_rung=from_rung, now=now, reason=reason)
        if isinstance(moved, rules.Blocked) and moved.why == "reason needed":
            return error(f"C{ch.number}'s response window has not passed: say why you escalate now (it is recorded).",
                         data={"field_errors": {"reason": "Say why you escalate now"}})
        return too_long_reply(v, {"reason": ("The reason", LONG_TEXT)}) or moved

    async def effects(s: AsyncSession, ch: Challenge, detail: dict[str, Any], ev: AuditEvent | None) -> str:
        return await _effects(ctx, s, ch, area.ladder[ch.rung_index], detail)

    why = f" Reason: {reason}" if reason else ""

    def said(ch: Challenge, note: str) -> str:
        return f"step {ch.rung_index + 1}: {area.ladder[ch.rung_index].title}.{why} {note}"

    return await on_challenge(
        ctx, "raiser", "escalate it", decide, effects=effects, effects_first=True,
        tell=lambda ch, ev, note: notice(area, ch, "target", f"escalated:{area.ladder[ch.rung_index].key}",
                                         f"Escalated by the {board_short(area, ch.from_board)} to {said(ch, note)}"),
        done=lambda ch, note: card(area, ch, side="raiser", note=f"Escalated to {said(ch, note)}"))


async def _preview(ctx: Context, s: AsyncSession, ch: Challenge, nxt, days: int, reason: str) -> Reply:
    """What escalating will do, as a form that confirms it (asking why, when early)."""
    area = ctx.here
    now = ctx.services.clock()
    state = state_of(ch)

    async def linked(target: Target) -> bool:
        return bool(await directory.channels_for(s, area.slug, target.purpose, target.board_key))

    lines = escalation_preview(area, ch, nxt, days=days, now=now, state=state,
                               board_linked=nxt.kind != "agenda_item" or await linked(Target.board(ch.to_board)),
                               directors_linked=not nxt.notify_directors or await linked(DIRECTORS))
    needed = rules.reason_needed(state, now)
    return Reply(text="\n".join(lines), title=f"Escalate C{ch.number}: {nxt.title}",
                 form=escalate_form(area, ch, needed=needed, reason=reason, preview=lines),
                 data={"intent": "escalation_preview", "number": ch.number, "to": nxt.key, "reason_needed": needed})


async def _effects(ctx: Context, s: AsyncSession, ch: Challenge, rung, detail: dict[str, Any]) -> str:
    """What a rung does beyond moving the clock: an agenda request, a chairs' meeting, a directors' notice."""
    if rung.kind == "agenda_item":
        return await _agenda_item(ctx, s, ch, detail)
    if rung.kind == "chairs_meeting":
        return await _chairs_meeting(ctx, s, ch, rung, detail)
    if rung.notify_directors:
        return await _directors(ctx, s, ch, rung, detail)
    return ""


async def _agenda_item(ctx: Context, s: AsyncSession, ch: Challenge, detail: dict[str, Any]) -> str:
    area = ctx.here
    to = area.boards[ch.to_board]
    req, _ = await create_request(
        s, area, from_board=ch.from_board, to_board=ch.to_board, title=f"Challenge C{ch.number}: {ch.subject}",
        reason=f"{ch.concern}\nResponse asked for: {ch.response_sought}", preferred=None,
        requested_by=ctx.request.actor.label, requested_by_user=ch.raised_by_user,
        key=f"challenge:{ch.id}:agenda", challenge_id=ch.id,
    )
    detail["agenda_request"] = req.id
    queued = await ctx.services.notifier.post(
        s, area_slug=area.slug, target=Target.board(ch.to_board),
        reply=request_card(area, req, addressed=await addressees(s, area, ch.to_board, ("business_manager", "chair"))),
        key=f"agenda:{req.id}:requested", origin="agenda")
    if queued:
        return f"Agenda request A{req.number} posted to the {to.short_name} channel for its business manager."
    return f"Agenda request A{req.number} made. " + await where_sent(s, area.slug, Target.board(ch.to_board), 0, to.short_name)


async def _chairs_meeting(ctx: Context, s: AsyncSession, ch: Challenge, rung, detail: dict[str, Any]) -> str:
    area = ctx.here
    proposal = chairs_meeting(area, ch, rung)
    posted, waiting = [], []
    for b in (ch.from_board, ch.to_board):
        n = await ctx.services.notifier.post(s, area_slug=area.slug, target=Target.board(b), reply=proposal,
                                             key=f"challenge:{ch.id}:chairs-meeting:{rung.key}:{b}", origin="challenge")
        (posted if n else waiting).append(b)
    detail["chairs"] = chairs(area, ch)
    if not waiting:
        frm, to = board_short(area, ch.from_board), board_short(area, ch.to_board)
        return f"A meeting of the chairs has been proposed, posted to the {frm} and {to} channels."
    said = "A meeting of the chairs has been proposed" + (
        f", posted to the {board_short(area, posted[0])} channel." if posted else ".")
    for b in waiting:
        said += " " + await where_sent(s, area.slug, Target.board(b), 0, board_short(area, b))
    return said


async def _directors(ctx: Context, s: AsyncSession, ch: Challenge, rung, detail: dict[str, Any]) -> str:
    area = ctx.here
    attendees = area.attendees(rung, (ch.from_board, ch.to_board)) or ["Board chairs"]
    n = await ctx.services.notifier.post(s, area_slug=area.slug, target=DIRECTORS, reply=directors_notice(area, ch, rung, attendees),
                                         key=f"challenge:{ch.id}:directors:{rung.key}", origin="challenge")
    detail["directors_notified"] = n
    detail["attendees"] = attendees
    if not n:
        return "Escalation notice made (must attend: " + ", ".join(attendees) + "). " + await where_sent(s, area.slug, DIRECTORS, 0)
    return f"Escalation notice sent to the directors' channel (must attend: {', '.join(attendees)})."
