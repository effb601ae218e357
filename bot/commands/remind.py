"""Reminders: business managers add, change, list and cancel reminders for their boards, in words.

``remind <board> <when> <what>`` adds one; ``<when>`` is a date or a rule (see
:mod:`scheduler.wording`). The protocol's own reminders (its meetings, reports, review and
deadlines) are listed too, and a business manager can move them (``remind edit``): the
change is kept in the area's calendar settings, so re-importing the protocol keeps it.
Dates the protocol counts deadlines from (publication of a yearly report, signing of the
protocol) are recorded here too. Bad input changes nothing and says what to type.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from sqlalchemy import select

from bot.commands.examples import localise
from bot.commands.registry import Context, command
from bot.limits import REMINDER_TEXT_MAX, too_long
from bot.messages import Actor, Reply, error
from bot.workflows.common import refuse_elsewhere, refuse_unseen
from bot.workflows.permissions import actor_key, board_roles, rule_boards, set_by
from bot.workflows.reminder_posts import default_note, who_made
from scheduler.calendar import calendar_for, sync_unless_in_step
from scheduler.recurrence import next_occurrence, occurrences
from scheduler.rules import RECORDABLE, date_key, derive, recordable_events
from scheduler.stored_rules import cancel_pending, schedule_changed
from scheduler.timeutil import LONDON, fmt, fmt_date, local_to_utc
from scheduler.views import describe_rule, load_facts, rule_view
from scheduler.wording import EXAMPLES, ScheduleError, parse_schedule, parse_time
from scheduler.workdays import add_working_days
from storage import directory
from storage.audit import record
from storage.dedupe import first_time
from storage.models import Area, AreaDate, ReminderRule

USAGE = """Reminders (business managers of a board, and admins):
• remind <board> <when> <what> — e.g. "remind {board} 2026-12-01 09:30 send minutes to partners",
  "remind {board} first Tuesday of each quarter officers' meeting", "remind {other_board} last working day of March year-end returns"
• remind list — your boards' reminders, with their numbers
• remind edit <n> <when> — move it ("remind edit 12 first Wednesday of each quarter 14:00")
• remind edit <n> text <what> / remind edit <n> time 14:00 / remind edit <n> lead 14,1 (days before)
• remind cancel <n>
• remind published yearly report 2026-06-30 — record a date a deadline counts from
When can be: """ + "; ".join(EXAMPLES) + "."

_HEAD = re.compile(r"^\s*(?:/board\s+|@?boardbot\s+)?(?:remind(?:ers?)?|reminders?)\b\s*(?P<rest>.*)$", re.I | re.S)
_ISO = r"\d{4}-\d{1,2}-\d{1,2}"
_RECORD_DATE = re.compile(rf"(?P<date>{_ISO}|\d{{1,2}}(?:st|nd|rd|th)?\s+[A-Za-z]+\.?\s+\d{{4}})\s*[.!]?\s*$")
_RECORD_WORDS = {"published", "publish", "publication", "signed", "signing", "reviewed", "record", "recorded"}
_CANON = {"published": "publication", "publish": "publication", "signed": "signing", "reviewed": "review",
          "reviews": "review", "reports": "report"}
_STOP = {"of", "the", "a", "an", "on", "was", "were", "is", "record", "recorded", "date", "last"}
LIST_LIMIT = 40
GENERIC_EVENT = "publication of the yearly report"


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


def _too_long(text: str) -> Reply | None:
    problem = too_long("What the reminder says", text, REMINDER_TEXT_MAX)
    return error(problem) if problem else None


def _strip_area(ctx: Context, text: str) -> str:
    """Drop a trailing "in <area>" the router used to pick the area."""
    if not ctx.area_named or ctx.area is None:
        return text
    names = [ctx.area.name, ctx.area.slug.replace("-", " "), *ctx.area.protocol.area.aliases]
    for name in sorted(names, key=len, reverse=True):
        m = re.search(rf"\s+(?:in|for)\s+{re.escape(name)}\s*[?.!]*\s*$", text, re.I)
        if m:
            return text[: m.start()]
    return text


def _now(ctx: Context) -> dt.datetime:
    return ctx.services.clock()


def _find_board(ctx: Context, words: list[str]) -> tuple[str | None, int]:
    """The board named by the first words (longest first) and how many words it took."""
    area = ctx.area
    assert area is not None
    for n in range(min(6, len(words)), 0, -1):
        phrase = " ".join(words[:n])
        m = area.find_board(phrase)
        if m.match and m.match.method == "exact":
            return m.match.key, n
    return None, 0


@command("remind", section="Reminders")
async def remind(ctx: Context) -> Reply:
    """Add, change, list and cancel reminders for your boards (business managers).

    Examples:
      remind {board} 2026-12-01 09:30 send minutes to partners
      remind {board} first Tuesday of each quarter officers' meeting
      remind {other_board} last working day of March year-end returns
      remind list
      remind cancel 12
    """
    if ctx.services.store is None:
        return error("Reminders need the database; it is not available here.")
    m = _HEAD.match(ctx.request.text or "")
    raw = (m.group("rest") if m else "").strip()
    rest = _strip_area(ctx, raw)
    if ctx.area_named and rest == raw and ctx.request.area in ctx.knowledge.areas:
        # the area's name is part of the reminder ("send the Suffolk return"), not "... in Suffolk"
        ctx.area = ctx.knowledge.area(ctx.request.area)
    words = rest.split()
    sub = words[0].lower() if words else ""
    if not sub or sub in ("help", "?", "usage"):
        return Reply(text=localise(USAGE, ctx.area, ctx.knowledge), title="Reminders")
    if (refused := await refuse_unseen(ctx, "reminders", "reminder")) is not None:
        return refused
    if sub not in ("list", "ls", "show", "all", "mine"):  # everything else changes something
        async with ctx.services.store.session() as s:
            if (refused := await refuse_elsewhere(ctx, s, "reminder", "change reminders")) is not None:
                return refused
    if sub in ("list", "ls", "show", "all", "mine"):
        return await _list(ctx)
    if sub in ("cancel", "delete", "remove", "stop"):
        return await _cancel(ctx, words[1:])
    if sub in ("edit", "change", "move", "update"):
        return await _edit(ctx, rest.split(None, 1)[1] if len(words) > 1 else "")
    if sub in _RECORD_WORDS:
        return await _record(ctx, rest)
    return await _add(ctx, rest)


# --- add -------------------------------------------------------------------------------


async def _add(ctx: Context, rest: str) -> Reply:
    area = ctx.area
    assert area is not None
    actor = ctx.request.actor
    words = rest.split()
    board, used = _find_board(ctx, words)
    example = f"remind {area.protocol.boards[0].short_name} first Tuesday of each quarter officers' meeting"
    if board is None:
        names = ", ".join(b.short_name for b in area.protocol.boards if b.party)
        return error(f"Which board is the reminder for? \u201c{words[0] if words else ''}\u201d is not one of {area.name}'s boards.",
                     hint=f"Start with the board ({names}), e.g. \u201c{example}\u201d. Type \u201cremind help\u201d for more.")
    now = _now(ctx)
    text_after = rest.split(None, used)[used] if len(rest.split(None, used)) > used else ""
    try:
        sched = parse_schedule(text_after, now=now)
    except ScheduleError as exc:
        return error(str(exc), hint=f"e.g. \u201c{example}\u201d or \u201cremind {area.boards[board].short_name} 2026-12-01 09:30 "
                     "send minutes to partners\u201d.")
    if not sched.rest:
        return error("What should the reminder say? Put it after the date or rule.",
                     hint=f"e.g. \u201cremind {area.boards[board].short_name} {text_after.strip()} send minutes to partners\u201d")
    at = sched.time or dt.time(9, 0)
    if sched.spec["kind"] == "once" and local_to_utc(dt.date.fromisoformat(sched.spec["date"]), at) <= now:
        soon = (now.astimezone(LONDON) + dt.timedelta(days=7)).date().isoformat()
        return error(f"{fmt_date(dt.date.fromisoformat(sched.spec['date']))} at {at:%H:%M} has already passed.",
                     hint=f"Give a date and time still to come, e.g. \u201cremind {area.boards[board].short_name} {soon} 09:30 "
                          f"{sched.rest or 'send minutes to partners'}\u201d.")
    if (long := _too_long(sched.rest)) is not None:
        return long
    async with ctx.services.store.session() as s, s.begin():
        if not (actor.is_admin_in(area.slug) or board in managed_boards(actor, area.slug)):
            await record(s, area.slug, "reminder", None, actor.label, "refused", {"command": "add", "board": board})
            return error(f"Only the {area.boards[board].short_name}'s business manager (or an admin) can add its reminders.",
                         hint="Ask an admin to link you: admin link-user @you business manager of " + area.boards[board].short_name)
        if ctx.request.request_id and not await first_time(s, f"remind:{ctx.request.platform}:{ctx.request.request_id}"):
            return Reply(text="That reminder was already added (the request arrived twice).")
        aid = await directory.area_id(s, area.slug)
        row = ReminderRule(
            area_id=aid, key=f"user:{uuid.uuid4().hex[:16]}", origin="user", title=sched.rest, body="",
            citation=None, recurrence={**sched.spec, "since": now.isoformat()}, audience=[f"board:{board}"],
            lead_days=[0], local_time=f"{at:%H:%M}", public=False, active=True, created_by=created_by(actor),
            created_at=now, updated_at=now,
        )
        s.add(row)
        await s.flush()
        await record(s, area.slug, "reminder", row.id, actor.label, "added",
                     {"board": board, "recurrence": sched.spec, "time": f"{at:%H:%M}", "title": row.title})
        facts = await load_facts(s, aid)
        nxt = next_occurrence(row.recurrence, now, at=at, facts=facts)
        schedule = describe_rule(rule_view(row, area.slug), facts)
        where = await posting_note(ctx, s, [board])
    _changed(ctx)
    when = f" Next: {fmt(nxt.at)}." if nxt else ""
    return Reply(
        text=f"Reminder #{row.id} added for the {area.boards[board].short_name}: \u201c{row.title}\u201d \u2014 {schedule}.{when}\n"
             f"{where} "
             f"Change it: remind edit {row.id} <when>; stop it: remind cancel {row.id}.",
        title="Reminder added",
        data={"rule_id": row.id, "recurrence": sched.spec, "time": f"{at:%H:%M}", "next": nxt.at.isoformat() if nxt else None},
    )


async def posting_note(ctx: Context, s: Any, boards: list[str]) -> str:
    """Where the reminders for ``boards`` will be posted, truthfully: their channels, or, for a
    board with none, its people's inbox (the area's admins are asked, once, to link one)."""
    from bot.notify import Target, ask_for_channel

    area = ctx.area
    assert area is not None
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


def _changed(ctx: Context) -> None:
    cal = calendar_for(ctx.services)
    if cal is not None:
        cal.invalidate()


# --- list -------------------------------------------------------------------------------


async def _list(ctx: Context) -> Reply:
    area = ctx.area
    assert area is not None
    actor = ctx.request.actor
    now = _now(ctx)
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
        hint = localise("Your directory entry names no board; an admin can link you (admin link-user @you business manager of {board})."
                        if not mine else "Add one: " + USAGE.splitlines()[1].strip("• "), area)
        return Reply(text=f"No reminders for {scope} in {area.name}.\n{hint}", title="Reminders")
    lines = [f"Reminders for {scope} ({area.name}), London time:"]
    data = []
    for section, origin in (("Yours and your colleagues'", "user"), ("From the protocol", "protocol")):
        group = [r for r in shown if r.origin == origin]
        if not group:
            continue
        lines.append(f"{section}:")
        for r in group[:LIST_LIMIT]:
            view = rule_view(r, area.slug)
            nxt = next_occurrence(view.recurrence, now, at=view.at, facts=facts)
            boards = ", ".join(area.boards[b].short_name for b in sorted(rule_boards(r.audience)) if b in area.boards)
            source = f" \u2014 {r.citation['clause']}" if r.citation else f" \u2014 by {who_made(r.created_by)}"
            if r.citation and default_note(r.body):
                # the date is boardbot's, not the protocol's: say so, and keep the clause for what it does say
                source = f" \u2014 when: boardbot's default, not the protocol's; what: {r.citation['clause']}"
            lines.append(f"\u2022 #{r.id} {r.title} ({boards}) \u2014 {describe_rule(view, facts)}"
                         + (f"; next {fmt_date(nxt.at) if view.all_day else fmt(nxt.at)}" if nxt else "; no date to come")
                         + source)
            data.append({"id": r.id, "title": r.title, "origin": r.origin, "next": nxt.at.isoformat() if nxt else None})
        if len(group) > LIST_LIMIT:
            lines.append(f"\u2026 and {len(group) - LIST_LIMIT} more (type \u201ccalendar\u201d for the next 90 days).")
    lines.append("Change one: remind edit <n> <when>; cancel yours: remind cancel <n>.")
    return Reply(text="\n".join(lines), title=f"Reminders \u2014 {area.name}", data={"reminders": data})


# --- cancel and edit ----------------------------------------------------------------------------


async def _rule_for(ctx: Context, s: Any, number_text: str) -> tuple[ReminderRule | None, Reply | None]:
    area = ctx.area
    assert area is not None
    n = number_text.lstrip("#")
    if not n.isdigit():
        return None, error(f"Which reminder? Give its number, e.g. \u201cremind cancel 12\u201d (\u201c{number_text}\u201d is not one).",
                           hint="Type \u201cremind list\u201d to see the numbers.")
    aid = await directory.area_id(s, area.slug)
    row = (await s.execute(select(ReminderRule).where(ReminderRule.id == int(n), ReminderRule.area_id == aid,
                                                      ReminderRule.active))).scalar_one_or_none()
    if row is None or row.origin not in ("user", "protocol"):
        return None, error(f"There is no reminder #{n} in {area.name}.", hint="Type \u201cremind list\u201d to see the numbers.")
    if not may_change(ctx.request.actor, area.slug, row):
        await record(s, area.slug, "reminder", row.id, ctx.request.actor.label, "refused", {"command": "change"})
        boards = ", ".join(area.boards[b].short_name for b in sorted(rule_boards(row.audience)) if b in area.boards) or "its boards"
        return None, error(f"Only the business manager of {boards}, whoever set it, or an admin can change reminder #{n}.")
    return row, None


async def _cancel(ctx: Context, args: list[str]) -> Reply:
    area = ctx.area
    assert area is not None
    if not args:
        return error("Which reminder? e.g. \u201cremind cancel 12\u201d.", hint="Type \u201cremind list\u201d to see the numbers.")
    async with ctx.services.store.session() as s, s.begin():
        row, problem = await _rule_for(ctx, s, args[0])
        if problem:
            return problem
        assert row is not None
        if row.origin == "protocol":
            return error(f"Reminder #{row.id} comes from the protocol ({row.citation['clause'] if row.citation else ''}), "
                         "so it cannot be cancelled here.",
                         hint=f"Move it with \u201cremind edit {row.id} <when>\u201d, or press \u201cNot this time\u201d on a reminder "
                              "to skip one occurrence.")
        row.active = False
        row.updated_at = _now(ctx)
        n = await cancel_pending(s, row.id)
        await record(s, area.slug, "reminder", row.id, ctx.request.actor.label, "cancelled", {"pending_cancelled": n})
    _changed(ctx)
    return Reply(text=f"Cancelled reminder #{row.id}: \u201c{row.title}\u201d. Nothing more will be posted for it.",
                 title="Reminder cancelled", data={"rule_id": row.id})


_LEAD = re.compile(r"^(?:lead|lead\s+days?|notice|warn(?:ing)?|before)\s+(?P<days>[\d\s,and]+?)(?:\s+days?(?:\s+before)?)?\s*$", re.I)


async def _edit(ctx: Context, rest: str) -> Reply:
    area = ctx.area
    assert area is not None
    parts = rest.split(None, 1)
    if len(parts) < 2:
        return error("What should change? e.g. \u201cremind edit 12 first Wednesday of each quarter 14:00\u201d, "
                     "\u201cremind edit 12 time 14:00\u201d, \u201cremind edit 12 lead 14,1\u201d or \u201cremind edit 12 text new wording\u201d.",
                     hint="Type \u201cremind list\u201d to see the numbers.")
    number, change = parts[0], parts[1].strip()
    now = _now(ctx)
    changes: dict[str, Any] = {}
    kw = change.split(None, 1)
    head = kw[0].lower()
    if head in ("text", "title", "say", "wording"):
        if len(kw) < 2:
            return error("What should it say? e.g. \u201cremind edit 12 text send minutes to all partners\u201d.")
        changes["title"] = kw[1].strip()
        if (long := _too_long(changes["title"])) is not None:
            return long
    elif head in ("time", "at"):
        try:
            t, left = parse_time(kw[1] if len(kw) > 1 else "")
        except ScheduleError as exc:
            return error(str(exc))
        if t is None or left:
            return error("Give a time of day, e.g. \u201cremind edit 12 time 14:00\u201d.")
        changes["local_time"] = f"{t:%H:%M}"
    elif _LEAD.match(change):
        days = [int(x) for x in re.findall(r"\d+", _LEAD.match(change).group("days"))]
        if not days or any(d > 90 for d in days):
            return error("Give the days before, each 0 to 90, e.g. \u201cremind edit 12 lead 14,1\u201d (0 = on the day).")
        changes["lead_days"] = sorted(set(days), reverse=True)
    else:
        try:
            sched = parse_schedule(change, now=now)
        except ScheduleError as exc:
            return error(str(exc), hint="e.g. \u201cremind edit 12 first Wednesday of each quarter 14:00\u201d.")
        changes["recurrence"] = sched.spec
        if sched.time:
            changes["local_time"] = f"{sched.time:%H:%M}"
        if sched.rest:
            changes["title"] = sched.rest
            if (long := _too_long(sched.rest)) is not None:
                return long
    async with ctx.services.store.session() as s, s.begin():
        row, problem = await _rule_for(ctx, s, number)
        if problem:
            return problem
        assert row is not None
        if row.origin == "protocol" and "title" in changes:
            return error("The wording of a protocol reminder comes from the protocol; only its date, time and lead days can change.")
        if "recurrence" in changes:
            at = dt.time.fromisoformat(changes.get("local_time", row.local_time))
            spec = changes["recurrence"]
            if spec["kind"] == "once" and local_to_utc(dt.date.fromisoformat(spec["date"]), at) <= now:
                return error("That date has already passed.",
                             hint=f"Give a date still to come, e.g. \u201cremind edit {row.id} "
                                  f"{(now.astimezone(LONDON) + dt.timedelta(days=7)).date().isoformat()} 09:30\u201d.")
        if row.origin == "protocol":
            await _save_override(s, row, changes, now)
        if "recurrence" in changes:
            row.recurrence = {**changes["recurrence"], "all_day": row.recurrence.get("all_day", False), "since": now.isoformat()}
        elif schedule_changed(row, local_time=changes.get("local_time"), lead_days=changes.get("lead_days")):
            # a new time or new lead days count from now: no "late" posts for notices never promised
            row.recurrence = {**row.recurrence, "since": now.isoformat()}
        for k in ("title", "local_time", "lead_days"):
            if k in changes:
                setattr(row, k, changes[k])
        row.updated_at = now
        await record(s, area.slug, "reminder", row.id, ctx.request.actor.label, "edited",
                     {k: v for k, v in changes.items()})
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


async def _save_override(s: Any, row: ReminderRule, changes: dict[str, Any], now: dt.datetime) -> None:
    """Keep a business manager's change to a protocol reminder in the area's calendar settings."""
    area = await s.get(Area, row.area_id, with_for_update=s.bind.dialect.name == "postgresql")
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


# --- recording dates ------------------------------------------------------------------------------


def _record_example(key: str, label: str) -> str:
    if key == "protocol_signed":
        return "signed protocol"
    if key == "protocol_reviewed":
        return "reviewed protocol"
    words = label.lower().split()
    if words and words[0] == "publication":
        return "published " + " ".join(w for w in words[1:] if w not in ("of", "the"))
    return "record " + label.lower()


def _canon(words: list[str]) -> set[str]:
    return {_CANON.get(w, w) for w in words if w not in _STOP}


async def _record(ctx: Context, rest: str) -> Reply:
    area = ctx.area
    assert area is not None
    actor = ctx.request.actor
    events = recordable_events(area.protocol)
    # every area publishes a yearly report: its date is kept even where the protocol counts nothing from it
    events.setdefault(date_key(GENERIC_EVENT), GENERIC_EVENT)
    examples = "; ".join(f"\u201cremind {_record_example(key, label)} 2026-06-30\u201d" for key, label in events.items())
    if not events:
        return error(f"{area.name}'s protocol counts no deadline from a date you record.")
    m = _RECORD_DATE.search(rest)
    if not m:
        return error("Which date? Put it at the end, e.g. " + examples + ".")
    try:
        sched = parse_schedule(m.group("date"), now=_now(ctx))
        if sched.spec["kind"] != "once":
            raise ScheduleError("not a date")
        on = dt.date.fromisoformat(sched.spec["date"])
    except ScheduleError:
        return error(f"\u201c{m.group('date')}\u201d is not a date I can read; write it like 2026-06-30.")
    words = re.findall(r"[a-z]+", rest[: m.start()].lower())
    typed = _canon(words)
    best, score = None, 0
    for key, label in events.items():
        lw = _canon(re.findall(r"[a-z]+", label.lower()))
        if typed and typed <= lw | {"protocol"} and len(typed & lw) > score:
            best, score = key, len(typed & lw)
    if best is None:
        return error("I don't know which date that is.", hint="Dates you can record here: " + examples + ".")
    label = events[best] if best not in RECORDABLE else RECORDABLE[best]
    now = _now(ctx)
    if on > now.astimezone(LONDON).date():
        return error(f"{fmt_date(on)} is still to come; record the {label} once it has happened.")
    async with ctx.services.store.session() as s:
        aid = await directory.area_id(s, area.slug)
        settings = (await s.execute(select(Area.settings).where(Area.id == aid))).scalar_one()
    today = now.astimezone(LONDON).date()
    for r in derive(area.protocol, settings):
        spec = r.recurrence
        if spec.get("date_key") != best or spec.get("kind") != "after_date":
            continue
        due = (add_working_days(on, int(spec["working_days"])) if spec.get("working_days") is not None
               else on + dt.timedelta(days=int(spec.get("days") or 0)))
        if due < today:
            return error(f"That date is past its deadline: counted from the {label} on {fmt_date(on)}, \u201c{r.title}\u201d "
                         f"was due on {fmt_date(due)}, which has gone, so nothing was recorded and no reminder would help.",
                         hint="Record the date within the deadline to be reminded of it; if it was done, there is nothing "
                              "to record. To keep a note of your own: \u201cremind <board> <date> <what>\u201d.")
    async with ctx.services.store.session() as s, s.begin():
        if not (actor.is_admin_in(area.slug) or managed_boards(actor, area.slug)):
            await record(s, area.slug, "reminder", None, actor.label, "refused", {"command": "record", "key": best})
            return error("Only a business manager or an admin can record dates.")
        aid = await directory.area_id(s, area.slug)
        exists = (await s.execute(select(AreaDate.id).where(AreaDate.area_id == aid, AreaDate.key == best, AreaDate.on == on))).first()
        if exists is None:
            s.add(AreaDate(area_id=aid, key=best, on=on, recorded_by=created_by(actor), at=now))
            await s.flush()
            await record(s, area.slug, "reminder", None, actor.label, "recorded", {"key": best, "on": on.isoformat()})
        facts = await load_facts(s, aid)
        settings = (await s.execute(select(Area.settings).where(Area.id == aid))).scalar_one()
        concerned = sorted({b for r in derive(area.protocol, settings) if r.recurrence.get("date_key") == best
                            for b in rule_boards(r.audience) if b in area.boards})
        where = await posting_note(ctx, s, concerned) if concerned else ""
    _changed(ctx)
    from bot.workflows.protocol_review import forget

    forget(ctx.services)  # a review or signing recorded: the overdue note and the monthly reminder stop
    lines = [f"Recorded: the {label} on {fmt_date(on)}." if exists is None else f"Already recorded: the {label} on {fmt_date(on)}."]
    # what counts from this date, as the protocol (and the area's settings) say; recording a
    # date changes no rule, so the rules are read from the protocol, not synced here
    for r in derive(area.protocol, settings):
        if r.recurrence.get("date_key") != best:
            continue
        # a deadline counts from the date recorded; an anniversary comes round next after today
        start = now if r.recurrence.get("kind") == "anniversary" else local_to_utc(on, dt.time(0, 0))
        at = dt.time.fromisoformat(r.local_time)
        for occ in occurrences(r.recurrence, start=start, end=start + dt.timedelta(days=400), at=at, facts=facts):
            if r.recurrence.get("kind") == "anniversary" or (occ.about and fmt_date(on) in occ.about):
                boards = ", ".join(area.boards[b].short_name for b in sorted(rule_boards(r.audience)) if b in area.boards)
                lines.append(f"\u2022 {r.title}: due {fmt_date(occ.at)} ({boards}"
                             + (f"; {r.citation['file']}, {r.citation['clause']}" if r.citation else "") + ").")
                break
    if len(lines) == 1:
        lines.append(f"{area.name}'s protocol counts no deadline from the {label}, so no reminder follows; the date is kept on "
                     "the record.")
    if where:
        lines.append(where)
    return Reply(text="\n".join(lines), title="Date recorded", data={"key": best, "on": on.isoformat()})
