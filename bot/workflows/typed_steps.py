"""What a typed step acts on: the stored challenge, agenda request, risk or reminder occurrence
its number names, as the value its button would carry (:mod:`bot.commands.steps` reads the
words; the action then runs exactly as the button's). Someone who may not see the object is
told there is none they can see, and the refusal is recorded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context
from bot.messages import Reply, error
from bot.workflows.agenda.rules import SUBJECT as AGENDA
from bot.workflows.challenges.reading import visible as visible_challenge
from bot.workflows.challenges.rules import SUBJECT as CHALLENGE
from bot.workflows.common import area_row, refuse
from bot.workflows.permissions import may_see
from bot.workflows.risks import entry as risk_entry
from scheduler.calendar import events
from scheduler.timeutil import london
from storage.audit import history
from storage.models import AgendaRequest, ReminderRule


async def challenge_value(ctx: Context, s: AsyncSession, number: int, action: str) -> tuple[dict[str, Any] | None, Reply | None]:
    ch, refused = await visible_challenge(ctx, s, number)
    if ch is None:
        return None, refused
    value: dict[str, Any] = {"id": ch.id, "rung": ch.rung_index, "side": "target" if action in (
        "challenge.ack", "challenge.respond", "challenge.ask_info", "challenge.more_time") else "raiser"}
    if action in ("challenge.extend", "challenge.refuse_extension"):
        log = await history(s, CHALLENGE, ch.id)
        decided = {str(e.detail.get("request")) for e in log if e.kind in ("time-agreed", "time-refused")}
        asked = [e for e in log if e.kind == "time-requested" and str(e.id) not in decided]
        if not asked:
            last = next((e for e in reversed(log) if e.kind in ("time-agreed", "time-refused")), None)
            said = (f" The last one was {'agreed' if last.kind == 'time-agreed' else 'refused'} by {last.actor}." if last else "")
            return None, error(f"No request for more time on C{number} is waiting for a decision.{said}",
                               hint=f"\u201cchallenge {number}\u201d shows its history.")
        value["event"] = asked[-1].id
    return value, None


async def agenda_value(ctx: Context, s: AsyncSession, number: int) -> tuple[dict[str, Any] | None, Reply | None]:
    area = ctx.here
    row = await area_row(s, area.slug)
    req = (await s.execute(select(AgendaRequest).where(AgendaRequest.area_id == row.id, AgendaRequest.number == number))
           ).scalar_one_or_none()
    if req is None or not may_see(ctx.request.actor, area.slug, (req.from_board, req.to_board)):
        if req is not None:
            await refuse(ctx, s, AGENDA, req.id, f"not one of the boards involved in A{number}")
        return None, error(f"No agenda request A{number} that you can see in {area.name}.",
                           hint="\u201cinbox\u201d lists what was sent to your boards.")
    return {"id": req.id}, None


async def risk_value(ctx: Context, s: AsyncSession, number: int) -> tuple[dict[str, Any] | None, Reply | None]:
    r, missing = await risk_entry(ctx, s, number)
    return ({"id": r.id}, None) if r is not None else (None, missing)


async def reminder_value(ctx: Context, s: AsyncSession, number: int, on: str) -> tuple[dict[str, Any] | None, Reply | None]:
    """The rule and the occurrence a typed reminder step answers: the one on the date given, else
    the latest already posted and not yet answered, else the next to come."""
    area = ctx.here
    rule = await s.get(ReminderRule, number)
    aid = (await area_row(s, area.slug)).id
    if rule is None or rule.area_id != aid or not rule.active:
        return None, error(f"No reminder {number} in {area.name}.", hint="\u201cremind list\u201d shows your boards' reminders and their numbers.")
    now = ctx.services.clock()
    found = [e for e in await events(s, area.slug, start=now - dt.timedelta(days=120), end=now + dt.timedelta(days=400),
                                      public_only=False) if e.rule_id == rule.id]
    if on:
        try:
            day = dt.date.fromisoformat(on)
        except ValueError:
            return None, error(f"\u201c{on}\u201d is not a date; use YYYY-MM-DD.")
        hits = [e for e in found if london(e.start).date() == day]
        if not hits:
            return None, error(f"Reminder {number} ({rule.title}) is not due on {day.isoformat()}.",
                               hint=f"\u201cremind done {number}\u201d answers the one due now.")
        return {"rule": rule.id, "occ": hits[0].start.isoformat()}, None
    open_ = [e for e in found if e.state not in ("done", "skipped")]
    lead = dt.timedelta(days=max([int(d) for d in (rule.lead_days or [0])] or [0]))
    posted = [e for e in open_ if e.start - lead <= now]
    chosen = posted[-1] if posted else (open_[0] if open_ else None)
    if chosen is None:
        return None, error(f"Reminder {number} ({rule.title}) has nothing due to answer.",
                           hint="\u201ccalendar\u201d shows what is coming up.")
    return {"rule": rule.id, "occ": chosen.start.isoformat()}, None
