"""Reminders as business managers set them: add, list, change, cancel, and record the dates the
protocol counts deadlines from.

The ``remind`` command (:mod:`bot.commands.remind`) parses what was typed and calls these;
everything here checks who may act, writes the reminder rules (and the area's calendar
settings, for a moved protocol reminder) with the audit, tells the calendar, and answers.
The protocol's own reminders come from :mod:`scheduler.rules`; a change to one is kept in
the area's settings, so re-importing the protocol keeps it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context
from bot.messages import Actor, Reply, error
from bot.notify import Target, ask_for_channel
from bot.workflows.permissions import actor_key, board_roles, rule_boards, set_by
from bot.workflows.protocol_review import forget
from bot.workflows.reminder_posts import default_note, who_made
from scheduler.calendar import calendar_for, sync_unless_in_step
from scheduler.recurrence import Facts, follows, latest_recorded, next_occurrence, occurrences
from scheduler.review_due import review_due
from scheduler.rules import RuleSpec, derive
from scheduler.stored_rules import cancel_pending, schedule_changed
from scheduler.timeutil import LONDON, fmt, fmt_date, local_to_utc
from scheduler.views import describe_rule, load_facts, rule_view
from scheduler.workdays import add_working_days
from storage import directory
from storage.audit import record
from storage.dedupe import first_time
from storage.models import Area, AreaDate, ReminderRule

LIST_LIMIT = 40
SUBJECT = "reminder"


def created_by(actor: Actor) -> str:
    return f"{actor_key(actor)}|{actor.label}"[:300]


def managed_boards(actor: Actor, area: str) -> set[str]:
    return actor.boards_with(area, "business_manager")


def may_change(actor: Actor, area: str, row: ReminderRule) -> bool:
    """The area's admin, whoever set a reminder of their own, or its boards' business manager."""
    if actor.is_admin_in(area):
        return True
    if row.origin == "user" and set_by(actor, row.created_by):
        return True
    return bool(rule_boards(row.audience) & managed_boards(actor, area))


def _changed(ctx: Context) -> None:
    cal = calendar_for(ctx.services)
    if cal is not None:
        cal.invalidate()


def _boards_of(ctx: Context, audience: list[str] | None) -> str:
    area = ctx.here
    return ", ".join(area.boards[b].short_name for b in sorted(rule_boards(audience)) if b in area.boards)


async def posting_note(ctx: Context, s: AsyncSession, boards: list[str]) -> str:
    """Where the reminders for ``boards`` will be posted, truthfully: their channels, or, for a
    board with none, its people's inbox (the area's admins are asked, once, to link one)."""
    area = ctx.here
    linked, unlinked = [], []
    for b in boards:
        (linked if await directory.channels_for(s, area.slug, "board", b) else unlinked).append(area.boards[b].short_name)
        if unlinked and unlinked[-1] == area.boards[b].short_name:
            await ask_for_channel(ctx.services.notifier, s, area.slug, Target.board(b), ctx.services.clock())
    out = []
    if linked:
        out.append(f"It will be posted in the {' and '.join(linked)} channel{'s' if len(linked) > 1 else ''} when due.")
    if unlinked:
        out.append(f"No channel is linked for the {' and '.join(unlinked)} yet, so when due it shows in the \u201cinbox\u201d of "
                   f"{'their' if len(unlinked) > 1 else 'its'} chair and business manager; the area's admins have been asked to link one.")
    return " ".join(out)


# --- add -------------------------------------------------------------------------------------


async def add(ctx: Context, board: str, spec: dict[str, Any], at: dt.time, title: str) -> Reply:
    """A reminder of the business manager's own for ``board``: ``spec`` (a recurrence) at ``at``, saying ``title``."""
    area, actor = ctx.here, ctx.request.actor
    now = ctx.services.clock()
    short = area.boards[board].short_name
    async with ctx.services.store.session() as s, s.begin():
        if not (actor.is_admin_in(area.slug) or board in managed_boards(actor, area.slug)):
            await record(s, area.slug, SUBJECT, None, actor.label, "refused", {"command": "add", "board": board})
            return error(f"Only the {short}'s business manager (or an admin) can add its reminders.",
                         hint="Ask an admin to link you: admin link-user @you business manager of " + short)
        if ctx.request.request_id and not await first_time(s, f"remind:{ctx.request.platform}:{ctx.request.request_id}"):
            return Reply(text="That reminder was already added (the request arrived twice).")
        aid = await directory.area_id(s, area.slug)
        row = ReminderRule(
            area_id=aid, key=f"user:{uuid.uuid4().hex[:16]}", origin="user", title=title, body="",
            citation=None, recurrence={**spec, "since": now.isoformat()}, audience=[f"board:{board}"],
            lead_days=[0], local_time=f"{at:%H:%M}", public=False, active=True, created_by=created_by(actor),
            created_at=now, updated_at=now,
        )
        s.add(row)
        await s.flush()
        await record(s, area.slug, SUBJECT, row.id, actor.label, "added",
                     {"board": board, "recurrence": spec, "time": f"{at:%H:%M}", "title": row.title})
        facts = await load_facts(s, aid)
        nxt = next_occurrence(row.recurrence, now, at=at, facts=facts)
        schedule = describe_rule(rule_view(row, area.slug), facts)
        where = await posting_note(ctx, s, [board])
    _changed(ctx)
    when = f" Next: {fmt(nxt.at)}." if nxt else ""
    return Reply(
        text=f"Reminder #{row.id} added for the {short}: \u201c{row.title}\u201d \u2014 {schedule}.{when}\n"
             f"{where} "
             f"Change it: remind edit {row.id} <when>; stop it: remind cancel {row.id}.",
        title="Reminder added",
        data={"rule_id": row.id, "recurrence": spec, "time": f"{at:%H:%M}", "next": nxt.at.isoformat() if nxt else None},
    )


# --- list ------------------------------------------------------------------------------------


def _line(ctx: Context, r: ReminderRule, now: dt.datetime, facts) -> tuple[str, dict[str, Any]]:
    view = rule_view(r, ctx.here.slug)
    nxt = next_occurrence(view.recurrence, now, at=view.at, facts=facts)
    source = f" \u2014 {r.citation['clause']}" if r.citation else f" \u2014 by {who_made(r.created_by)}"
    if r.citation and default_note(r.body):
        # the date is boardbot's, not the protocol's: say so, and keep the clause for what it does say
        source = f" \u2014 when: boardbot's default, not the protocol's; what: {r.citation['clause']}"
    line = (f"\u2022 #{r.id} {r.title} ({_boards_of(ctx, r.audience)}) \u2014 {describe_rule(view, facts)}"
            + (f"; next {fmt_date(nxt.at) if view.all_day else fmt(nxt.at)}" if nxt else "; no date to come") + source)
    return line, {"id": r.id, "title": r.title, "origin": r.origin, "next": nxt.at.isoformat() if nxt else None}


async def listing(ctx: Context, *, nothing_hint: str) -> Reply:
    """The reminders of the asker's boards (every board's, for an admin), with their numbers.
    ``nothing_hint`` is what to say when there are none."""
    area, actor = ctx.here, ctx.request.actor
    now = ctx.services.clock()
    mine = board_roles(actor, area.slug)
    async with ctx.services.store.session() as s:
        await sync_unless_in_step(ctx.services, s, area.slug, now)
        aid = await directory.area_id(s, area.slug)
        facts = await load_facts(s, aid)
        rows = list((await s.execute(
            select(ReminderRule).where(ReminderRule.area_id == aid, ReminderRule.active, ReminderRule.origin.in_(("user", "protocol")))
            .order_by(ReminderRule.origin.desc(), ReminderRule.id)
        )).scalars())
    admin = actor.is_admin_in(area.slug)
    shown = [r for r in rows if admin or rule_boards(r.audience) & mine or set_by(actor, r.created_by)]
    scope = "all boards" if admin else (", ".join(area.boards[b].short_name for b in sorted(mine) if b in area.boards)
                                                 or "no board of yours")
    if not shown:
        return Reply(text=f"No reminders for {scope} in {area.name}.\n{nothing_hint}", title="Reminders")
    lines = [f"Reminders for {scope} ({area.name}), London time:"]
    data = []
    for section, origin in (("Yours and your colleagues'", "user"), ("From the protocol", "protocol")):
        group = [r for r in shown if r.origin == origin]
        if not group:
            continue
        lines.append(f"{section}:")
        for r in group[:LIST_LIMIT]:
            line, item = _line(ctx, r, now, facts)
            lines.append(line)
            data.append(item)
        if len(group) > LIST_LIMIT:
            lines.append(f"\u2026 and {len(group) - LIST_LIMIT} more (type \u201ccalendar\u201d for the next 90 days).")
    lines.append("Change one: remind edit <n> <when>; cancel yours: remind cancel <n>.")
    return Reply(text="\n".join(lines), title=f"Reminders \u2014 {area.name}", data={"reminders": data})


# --- cancel and edit -------------------------------------------------------------------------


async def _rule_for(ctx: Context, s: AsyncSession, number_text: str) -> ReminderRule | Reply:
    """Reminder ``number_text`` of this area, if the asker may change it; else why not (refusals recorded)."""
    area = ctx.here
    n = number_text.lstrip("#")
    # ASCII digits a row id can be: "²".isdigit() is True but int() refuses it, and 25 digits overflow the query
    if not (n.isascii() and n.isdigit() and len(n) <= 9):
        return error(f"Which reminder? Give its number, e.g. \u201cremind cancel 12\u201d (\u201c{number_text}\u201d is not one).",
                     hint="Type \u201cremind list\u201d to see the numbers.")
    aid = await directory.area_id(s, area.slug)
    row = (await s.execute(select(ReminderRule).where(ReminderRule.id == int(n), ReminderRule.area_id == aid,
                                                      ReminderRule.active))).scalar_one_or_none()
    if row is None or row.origin not in ("user", "protocol"):
        return error(f"There is no reminder #{n} in {area.name}.", hint="Type \u201cremind list\u201d to see the numbers.")
    if not may_change(ctx.request.actor, area.slug, row):
        await record(s, area.slug, SUBJECT, row.id, ctx.request.actor.label, "refused", {"command": "change"})
        boards = _boards_of(ctx, row.audience) or "its boards"
        return error(f"Only the business manager of {boards}, whoever set it, or an admin can change reminder #{n}.")
    return row


async def cancel(ctx: Context, number_text: str) -> Reply:
    """Stop a reminder of one's own (a protocol reminder is moved, not cancelled); what was queued for it goes too."""
    area = ctx.here
    async with ctx.services.store.session() as s, s.begin():
        row = await _rule_for(ctx, s, number_text)
        if isinstance(row, Reply):
            return row
        if row.origin == "protocol":
            return error(f"Reminder #{row.id} comes from the protocol ({row.citation['clause'] if row.citation else ''}), "
                         "so it cannot be cancelled here.",
                         hint=f"Move it with \u201cremind edit {row.id} <when>\u201d, or press \u201cNot this time\u201d on a reminder "
                              "to skip one occurrence.")
        row.active = False
        row.updated_at = ctx.services.clock()
        n = await cancel_pending(s, row.id)
        await record(s, area.slug, SUBJECT, row.id, ctx.request.actor.label, "cancelled", {"pending_cancelled": n})
    _changed(ctx)
    return Reply(text=f"Cancelled reminder #{row.id}: \u201c{row.title}\u201d. Nothing more will be posted for it.",
                 title="Reminder cancelled", data={"rule_id": row.id})


def _refuse_change(row: ReminderRule, changes: dict[str, Any], now: dt.datetime) -> Reply | None:
    """Why ``changes`` may not be made to ``row``: a protocol reminder's wording, a date gone by."""
    if row.origin == "protocol" and "title" in changes:
        return error("The wording of a protocol reminder comes from the protocol; only its date, time and lead days can change.")
    if "recurrence" in changes:
        at = dt.time.fromisoformat(changes.get("local_time", row.local_time))
        spec = changes["recurrence"]
        if spec["kind"] == "once" and local_to_utc(dt.date.fromisoformat(spec["date"]), at) <= now:
            return error("That date has already passed.",
                         hint=f"Give a date still to come, e.g. \u201cremind edit {row.id} "
                              f"{(now.astimezone(LONDON) + dt.timedelta(days=7)).date().isoformat()} 09:30\u201d.")
    return None


def _apply(row: ReminderRule, changes: dict[str, Any], now: dt.datetime) -> None:
    if "recurrence" in changes:
        row.recurrence = {**changes["recurrence"], "all_day": row.recurrence.get("all_day", False), "since": now.isoformat()}
    elif schedule_changed(row, local_time=changes.get("local_time"), lead_days=changes.get("lead_days")):
        # a new time or new lead days count from now: no "late" posts for notices never promised
        row.recurrence = {**row.recurrence, "since": now.isoformat()}
    for k in ("title", "local_time", "lead_days"):
        if k in changes:
            setattr(row, k, changes[k])
    row.updated_at = now


async def _save_override(s: AsyncSession, row: ReminderRule, changes: dict[str, Any], now: dt.datetime) -> None:
    """Keep a business manager's change to a protocol reminder in the area's calendar settings."""
    bind = s.bind
    area = await s.get(Area, row.area_id, with_for_update=bind is not None and bind.dialect.name == "postgresql")
    if area is None:
        raise LookupError(f"reminder #{row.id} names no area")
    settings = dict(area.settings or {})
    cal = dict(settings.get("calendar") or {})
    overrides = dict(cal.get("overrides") or {})
    mine = dict(overrides.get(row.key) or {})
    for k in ("recurrence", "local_time", "lead_days"):
        if k in changes:
            mine[k] = changes[k]
    mine["at"] = now.isoformat()
    overrides[row.key] = mine
    cal["overrides"] = overrides
    settings["calendar"] = cal
    area.settings = settings


async def edit(ctx: Context, number_text: str, changes: dict[str, Any]) -> Reply:
    """Move, retime, re-lead or reword reminder ``number_text`` (``changes``: recurrence, local_time,
    lead_days, title); a protocol reminder's change is kept in the area's settings."""
    area = ctx.here
    now = ctx.services.clock()
    async with ctx.services.store.session() as s, s.begin():
        row = await _rule_for(ctx, s, number_text)
        if isinstance(row, Reply):
            return row
        if (refused := _refuse_change(row, changes, now)) is not None:
            return refused
        if row.origin == "protocol":
            await _save_override(s, row, changes, now)
        _apply(row, changes, now)
        await record(s, area.slug, SUBJECT, row.id, ctx.request.actor.label, "edited", dict(changes))
        facts = await load_facts(s, row.area_id)
        view = rule_view(row, area.slug)
        nxt = next_occurrence(view.recurrence, now, at=view.at, facts=facts)
        schedule = describe_rule(view, facts)
    _changed(ctx)
    lead = ", ".join(f"{d} day{'s' if d != 1 else ''} before" if d else "on the day" for d in row.lead_days)
    return Reply(
        text=f"Reminder #{row.id} \u201c{row.title}\u201d: {schedule}; posted {lead}."
             + (f" Next: {fmt_date(nxt.at) if view.all_day else fmt(nxt.at)}." if nxt else " No date to come."),
        title="Reminder changed", data={"rule_id": row.id, "changes": changes},
    )


# --- recording dates -------------------------------------------------------------------------


def _due(spec: dict[str, Any], on: dt.date) -> dt.date:
    """When a deadline counted from ``on`` falls."""
    if spec.get("working_days") is not None:
        return add_working_days(on, int(spec["working_days"]))
    return on + dt.timedelta(days=int(spec.get("days") or 0))


def _past_deadline(rules: list, key: str, label: str, on: dt.date, today: dt.date) -> Reply | None:
    """The refusal when a deadline counted from ``on`` has already gone (nothing is recorded then)."""
    for r in rules:
        spec = r.recurrence
        if spec.get("date_key") != key or spec.get("kind") != "after_date":
            continue
        due = _due(spec, on)
        if due < today:
            return error(f"That date is past its deadline: counted from the {label} on {fmt_date(on)}, \u201c{r.title}\u201d "
                         f"was due on {fmt_date(due)}, which has gone, so nothing was recorded and no reminder would help.",
                         hint="Record the date within the deadline to be reminded of it; if it was done, there is nothing "
                              "to record. To keep a note of your own: \u201cremind <board> <date> <what>\u201d.")
    return None


def _what_follows(ctx: Context, rules: list, key: str, on: dt.date, facts) -> list[str]:
    """What counts from the date recorded, as the protocol (and the area's settings) say: a deadline
    from the date itself, an anniversary next after today."""
    now = ctx.services.clock()
    lines = []
    for r in rules:
        if key not in follows(r.recurrence):
            continue
        if r.recurrence.get("kind") == "review":
            lines += _review_follows(ctx, r, facts, now)
            continue
        start = now if r.recurrence.get("kind") == "anniversary" else local_to_utc(on, dt.time(0, 0))
        at = dt.time.fromisoformat(r.local_time)
        for occ in occurrences(r.recurrence, start=start, end=start + dt.timedelta(days=400), at=at, facts=facts):
            if r.recurrence.get("kind") == "anniversary" or (occ.about and fmt_date(on) in occ.about):
                lines.append(f"\u2022 {r.title}: due {fmt_date(occ.at)} ({_boards_of(ctx, r.audience)}"
                             + (f"; {r.citation['file']}, {r.citation['clause']}" if r.citation else "") + ").")
                break
    return lines


def _review_follows(ctx: Context, r: RuleSpec, facts: Facts, now: dt.datetime) -> list[str]:
    """When the review now falls due, as the answers say it, and, if that has passed, when boardbot
    reminds of it again."""
    found = review_due(r.recurrence, {k: on for k, (on, _) in latest_recorded(facts).items()})
    if found.due is None:
        return []
    where = _boards_of(ctx, r.audience) + (f"; {r.citation['file']}, {r.citation['clause']}" if r.citation else "")
    if found.due >= now.astimezone(LONDON).date():
        return [f"\u2022 {r.title}: due {fmt_date(found.due)} ({found.basis}; {where})."]
    again = next_occurrence(r.recurrence, now, at=dt.time.fromisoformat(r.local_time), facts=facts)
    return [f"\u2022 {r.title}: was due {fmt_date(found.due)} ({found.basis}), so it is overdue"
            + (f"; boardbot reminds again on {fmt_date(again.at)}" if again else "") + f" ({where})."]


async def record_date(ctx: Context, key: str, label: str, on: dt.date) -> Reply:
    """Record the date ``key`` (``label`` in words) happened, and say what deadlines now count from it."""
    area, actor = ctx.here, ctx.request.actor
    now = ctx.services.clock()
    async with ctx.services.store.session() as s, s.begin():
        if not (actor.is_admin_in(area.slug) or managed_boards(actor, area.slug)):
            await record(s, area.slug, SUBJECT, None, actor.label, "refused", {"command": "record", "key": key})
            return error("Only a business manager or an admin can record dates.")
        aid = await directory.area_id(s, area.slug)
        settings = (await s.execute(select(Area.settings).where(Area.id == aid))).scalar_one()
        rules = derive(area.protocol, settings)
        if (past := _past_deadline(rules, key, label, on, now.astimezone(LONDON).date())) is not None:
            return past
        exists = (await s.execute(select(AreaDate.id).where(AreaDate.area_id == aid, AreaDate.key == key, AreaDate.on == on))).first()
        if exists is None:
            s.add(AreaDate(area_id=aid, key=key, on=on, recorded_by=created_by(actor), at=now))
            await s.flush()
            await record(s, area.slug, SUBJECT, None, actor.label, "recorded", {"key": key, "on": on.isoformat()})
        facts = await load_facts(s, aid)
        concerned = sorted({b for r in rules if key in follows(r.recurrence)
                            for b in rule_boards(r.audience) if b in area.boards})
        where = await posting_note(ctx, s, concerned) if concerned else ""
    _changed(ctx)
    forget(ctx.services)  # a review or signing recorded: the overdue note and the monthly reminder stop
    lines = [f"Recorded: the {label} on {fmt_date(on)}." if exists is None else f"Already recorded: the {label} on {fmt_date(on)}."]
    # recording a date changes no rule, so the rules are read from the protocol, not synced here
    lines += _what_follows(ctx, rules, key, on, facts)
    if len(lines) == 1:
        lines.append(f"{area.name}'s protocol counts no deadline from the {label}, so no reminder follows; the date is kept on "
                     "the record.")
    if where:
        lines.append(where)
    return Reply(text="\n".join(lines), title="Date recorded", data={"key": key, "on": on.isoformat()})
