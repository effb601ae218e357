"""The raising board's side: decide on more time, provide information, resolve, withdraw, reopen.

Its chair may act (:func:`.usecase.guard`); the challenged board is told. Escalating is in
:mod:`.escalation`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context, action
from bot.limits import EXTRA_DAYS_MAX, EXTRA_DAYS_MIN
from bot.messages import Reply
from bot.notify import DIRECTORS
from bot.workflows.agenda import close_for_challenge
from bot.workflows.challenges import rules
from bot.workflows.challenges.cards import card, rung_of
from bot.workflows.challenges.forms import button_form
from bot.workflows.challenges.notices import directors_closed
from bot.workflows.challenges.rules import SUBJECT, Status
from bot.workflows.challenges.usecase import (
    CHALLENGE,
    notice,
    on_challenge,
    open_form,
    required_text,
    state_of,
)
from bot.workflows.common import area_row, board_short, field_text, refuse
from bot.workflows.windows import rung_window
from scheduler.timeutil import fmt
from storage.audit import history
from storage.dedupe import first_time
from storage.models import AuditEvent, Challenge


def _event_id(raw: object) -> int:
    try:
        return int(str(raw if raw is not None else "").strip())
    except ValueError:
        return 0


@action("challenge.extend", on=CHALLENGE)
@action("challenge.refuse_extension", on=CHALLENGE)
async def extension_decision(ctx: Context) -> Reply:
    """The raising chair agrees (or refuses) a request for more time. The days agreed are the
    days that were asked for, read from the record of the request, never from the button; and
    each request is decided once, however many presses arrive at the same moment."""
    area = ctx.here
    agree = ctx.request.action == "challenge.extend"
    v = ctx.request.value
    event_id = _event_id(v.get("event", ""))

    async def decisions(s: AsyncSession, ch_id: int) -> list[tuple[str, str, dt.datetime]]:
        return [(e.kind, e.actor, e.at) for e in await history(s, SUBJECT, ch_id)
                if e.kind in ("time-agreed", "time-refused") and e.detail.get("request") in (event_id, str(event_id))]

    async def decide(s: AsyncSession, ch: Challenge) -> Reply | rules.Moved:
        asked = await s.get(AuditEvent, event_id) if 0 < event_id < 2**63 else None
        if asked is None or asked.subject_type != SUBJECT or asked.subject_id != ch.id or asked.kind != "time-requested":
            return await refuse(ctx, s, SUBJECT, ch.id, "That button names no request for more time on this challenge; nothing was changed.")
        days = rules.extra_days(asked.detail.get("days"))
        if days is None or ("days" in v and str(v.get("days")).strip() != str(days)):
            return await refuse(ctx, s, SUBJECT, ch.id,
                                f"More time is agreed in whole working days from {EXTRA_DAYS_MIN} to {EXTRA_DAYS_MAX}, as "
                                f"asked for ({asked.detail.get('days')} were asked for); nothing was changed.")
        ch_id = ch.id
        decided = await decisions(s, ch_id)
        if decided or not await first_time(s, f"challenge:{ch_id}:time-decided:{event_id}"):
            await s.rollback()
            decided = decided or await decisions(s, ch_id)  # decided this very moment by another press: read what it did
            await s.refresh(ch)
            kind, who, at = decided[0] if decided else ("", "", None)
            word = {"time-agreed": "agreed", "time-refused": "refused"}.get(kind, "decided")
            by = f" by {who} ({fmt(at)})" if at else ""
            return card(area, ch, side="raiser", note=f"Nothing was changed: that request for more time was already {word}{by}.")
        return rules.decide_more_time(state_of(ch), agree=agree, days=days, request=event_id)

    def told(ch: Challenge, days: Any) -> str:
        frm = board_short(area, ch.from_board)
        if not agree:
            return f"The {frm} did not agree more time."
        return (f"The {frm} agreed {days} more working day(s)"
                + (f"; now due {fmt(ch.due_at)}." if ch.status != Status.AWAITING_INFO else " (the clock is paused)."))

    return await on_challenge(
        ctx, "raiser", "decide on more time", decide,
        tell=lambda ch, ev, _: notice(area, ch, "target", f"extension:{event_id}", told(ch, ev.detail.get("days"))),
        done=lambda ch, _: card(area, ch, side="raiser", note="Extension agreed." if agree else "Extension refused."))


@action("challenge.provide_info", on=CHALLENGE)
async def provide_info_form(ctx: Context) -> Reply:
    side = field_text(ctx.request.value, "side")
    return await open_form(ctx, "raiser", "provide the information", lambda ch: button_form(ctx.here, ch, side, "provide_info"))


@action("challenge.provide_info.submit", on=CHALLENGE)
async def provide_info(ctx: Context) -> Reply:
    """The raising board answers the question asked of it: the clock restarts."""
    area, actor = ctx.here, ctx.request.actor
    answer = field_text(ctx.request.value, "text")
    now = ctx.services.clock()

    async def decide(s: AsyncSession, ch: Challenge) -> Reply | rules.Moved | rules.Blocked:
        return (required_text(ctx, "Write the information asked for.", "The information")
                or rules.provide_information(state_of(ch), answer, now))

    return await on_challenge(
        ctx, "raiser", "provide the information", decide,
        tell=lambda ch, ev, _: notice(area, ch, "target", f"info-provided:{ev.id}",
                                      f"The {board_short(area, ch.from_board)} answered ({actor.label}): {answer}\n"
                                      f"The clock restarts: response due {fmt(ch.due_at)}."),
        done=lambda ch, _: card(area, ch, side="raiser", note=f"Sent. The clock restarts: response due {fmt(ch.due_at)}."))


@action("challenge.resolve", on=CHALLENGE)
@action("challenge.withdraw", on=CHALLENGE)
async def close_form(ctx: Context) -> Reply:
    act = (ctx.request.action or "").split(".")[1]
    side = field_text(ctx.request.value, "side")
    return await open_form(ctx, "raiser", f"{act} it", lambda ch: button_form(ctx.here, ch, side, act), rules.OPEN_STATUSES)


@action("challenge.resolve.submit", on=CHALLENGE)
@action("challenge.withdraw.submit", on=CHALLENGE)
async def close(ctx: Context) -> Reply:
    """Resolved with its outcome, or withdrawn with why: an agenda request its escalation made closes
    with it, and directors told of it at a resolution step are told it closed."""
    area = ctx.here
    act = (ctx.request.action or "").split(".")[1]
    resolving = act == "resolve"
    status = Status.RESOLVED if resolving else Status.WITHDRAWN
    text = field_text(ctx.request.value, "text")
    now = ctx.services.clock()

    async def decide(s: AsyncSession, ch: Challenge) -> Reply | rules.Moved | rules.Blocked:
        return (required_text(ctx, "Write the outcome." if resolving else "Say why.", "The outcome" if resolving else "The reason")
                or rules.close(state_of(ch), status, text, now))

    async def effects(s: AsyncSession, ch: Challenge, detail: dict[str, Any], ev: AuditEvent | None) -> str:
        closed = await close_for_challenge(ctx, s, ch, status.value, text)
        if rung_of(area, ch).notify_directors and ev is not None:
            await ctx.services.notifier.post(s, area_slug=area.slug, target=DIRECTORS, reply=directors_closed(ch, status.value, text),
                                             key=f"challenge:{ch.id}:directors:{status}:{ev.id}", origin="challenge")
        return "".join(f" Agenda request A{n} is closed with it." for n in closed)

    return await on_challenge(
        ctx, "raiser", f"{act} it", decide, effects=effects,
        tell=lambda ch, ev, _: notice(area, ch, "target", f"{status}:{ev.id}",
                                      f"Challenge C{ch.number} {status} by the {board_short(area, ch.from_board)}: {text}"),
        done=lambda ch, also: card(area, ch, side="raiser", note=f"Challenge C{ch.number} {status}.{also}"))


@action("challenge.reopen", on=CHALLENGE)
async def reopen(ctx: Context) -> Reply:
    """A resolved or withdrawn challenge opens again at its step; the clock restarts."""
    area = ctx.here
    now = ctx.services.clock()

    async def decide(s: AsyncSession, ch: Challenge) -> rules.Moved | rules.Blocked:
        row = await area_row(s, area.slug)
        return rules.reopen(state_of(ch), rung_window(rung_of(area, ch), row.settings), now)

    return await on_challenge(
        ctx, "raiser", "reopen it", decide,
        tell=lambda ch, ev, _: notice(area, ch, "target", f"reopened:{ev.id}",
                                      f"Challenge C{ch.number} was reopened by the {board_short(area, ch.from_board)}; "
                                      f"response due {fmt(ch.due_at)}."),
        done=lambda ch, _: card(area, ch, side="raiser", note=f"Reopened; the clock restarts: response due {fmt(ch.due_at)}."))
