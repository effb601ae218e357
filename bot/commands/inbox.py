"""The inbox: what was posted for me and my boards, newest first, with what to type for each button.

Everything boardbot posts for a board (challenge notices, agenda requests and their outcomes,
papers shared, escalation notices for the directors, requests to the admins) is kept as a
notice (:mod:`storage.notices`), whether or not a channel was linked to take it; reminders
come from the calendar. So a person who lost the message, works in the terminal, or whose
board has no channel yet still sees what is waiting for them, and can act on it by typing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import select

from bot.commands.registry import command
from bot.commands.steps import TYPED
from bot.context import Context
from bot.messages import Reply, error, reply_from_dict
from bot.workflows.common import board_short, refuse_unseen
from bot.workflows.permissions import board_roles, is_director
from scheduler.calendar import events
from scheduler.timeutil import fmt, fmt_date
from storage import directory, notices
from storage.models import ReminderRule

DAYS = 60  # how far back the inbox looks
LIMIT = 30


def typed(action: str, number: Any) -> str:
    """What to type for the button ``action`` on the object numbered ``number``."""
    words = TYPED.get(action, "")
    if not words or number in (None, ""):
        return ""
    words = words.split(" (")[0].split(" / ")[0]
    return re.sub(r"\b(C3|A2|R1|12)\b", lambda m: f"{m.group(1)[0] if m.group(1)[0] in 'CAR' else ''}{number}", words)


def _typed_buttons(reply) -> list[str]:
    data = reply.data or {}
    number = data.get("number")
    out: list[str] = []
    for b in reply.buttons:
        n = b.value.get("rule") if b.action.startswith("reminder.") else number
        words = typed(b.action, n)
        if words and words not in out:
            out.append(words)
    return out


@command("inbox", section="Steps")
async def inbox(ctx: Context) -> Reply:
    """What was posted for you and your boards (notices, requests, reminders), newest first.

    Examples:
      inbox
    """
    area = ctx.here
    if ctx.services.store is None:
        return error("The inbox needs the database; it is not available here.")
    if (refused := await refuse_unseen(ctx, "notices", "inbox")) is not None:
        return refused
    actor = ctx.request.actor
    boards = {b for b in board_roles(actor, area.slug) if b in area.boards}
    director, admin = is_director(actor, area.slug), actor.is_admin_in(area.slug)
    if admin:
        boards = set(area.boards)
    if not boards and not director:
        text = (f"You hold no role on {area.name}'s boards, so nothing is posted for you here. "
                "An administrator links people with \u201cadmin link-user @person chair of <board>\u201d.")
        return Reply(text=text, title=f"Inbox \u2014 {area.name}", data={"intent": "inbox", "items": []})
    now = ctx.services.clock()
    items: list[tuple[dt.datetime, str, dict[str, Any]]] = []
    async with ctx.services.store.session() as s:
        rows = await notices.for_targets(s, area.slug, boards=boards, directors=director or admin, admins=admin,
                                         since=now - dt.timedelta(days=DAYS), limit=LIMIT)
        for n in rows:
            reply = reply_from_dict(n.payload)
            whom = ("the directors" if n.purpose == "directors" else "the admins" if n.purpose == "admins"
                    else f"the {board_short(area, n.board_key)}")
            head = reply.title or reply.text.splitlines()[0]
            lines = [f"\u2022 {fmt(n.created_at)} \u2014 for {whom}: {head}"]
            if not n.channels:
                lines.append("    (waiting for a channel: none is linked for it yet)")
            first = next((ln for ln in reply.text.splitlines() if ln.strip() and ln.strip() != head), "")
            if first:
                lines.append(f"    {first[:200]}")
            acts = _typed_buttons(reply)
            if acts:
                lines.append("    Type: " + " \u00b7 ".join(f"\u201c{a}\u201d" for a in acts))
            items.append((n.created_at, "\n".join(lines), {"kind": "notice", "title": head, "for": whom, "at": n.created_at.isoformat(),
                                                           "waiting": not n.channels, "typed": acts, "origin": n.origin}))
        aid = await directory.area_id(s, area.slug)
        lead = {rid: max([int(d) for d in (ld or [0])] or [0]) for rid, ld in
                (await s.execute(select(ReminderRule.id, ReminderRule.lead_days).where(ReminderRule.area_id == aid))).all()}
        due = await events(s, area.slug, start=now - dt.timedelta(days=DAYS), end=now + dt.timedelta(days=15), boards=boards,
                           public_only=False, include_private_for_boards=None if admin else boards)
    for e in due:
        if e.state in ("done", "skipped") or e.rule_id is None:
            continue
        posted = e.start - dt.timedelta(days=lead.get(e.rule_id, 0))
        if posted > now:
            continue
        names = ", ".join(board_short(area, b) for b in e.boards)
        when = fmt_date(e.start) if e.all_day else fmt(e.start)
        state = " (snoozed)" if e.state == "snoozed" else " (overdue)" if e.start < now else ""
        acts = [typed("reminder.done", e.rule_id), typed("reminder.snooze", e.rule_id), typed("reminder.skip", e.rule_id)]
        text = (f"\u2022 reminder {e.rule_id}, due {when}{state} \u2014 for the {names}: {e.title}"
                + (f"\n    Required by: {e.citation}" if e.citation else "")
                + "\n    Type: " + " \u00b7 ".join(f"\u201c{a}\u201d" for a in acts))
        items.append((min(posted, now), text, {"kind": "reminder", "rule_id": e.rule_id, "title": e.title,
                                               "due": e.start.isoformat(), "typed": acts}))
    items.sort(key=lambda x: x[0], reverse=True)
    scope = "all boards" if admin else ", ".join(sorted(board_short(area, b) for b in boards)) + (" and the directors" if director else "")
    if not items:
        text = f"Nothing was posted for you ({scope}) in {area.name} in the last {DAYS} days."
        return Reply(text=text, title=f"Inbox \u2014 {area.name}", data={"intent": "inbox", "items": []})
    text = "\n".join([f"Posted for you ({scope}) in {area.name}, newest first:", *(t for _, t, _ in items[:LIMIT])])
    return Reply(text=text, title=f"Inbox \u2014 {area.name}", data={"intent": "inbox", "items": [d for _, _, d in items[:LIMIT]]})
