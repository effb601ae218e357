"""Reminders: business managers add, change, list and cancel reminders for their boards, in words.

``remind <board> <when> <what>`` adds one; ``<when>`` is a date or a rule (see
:mod:`scheduler.wording`). The protocol's own reminders (its meetings, reports, review and
deadlines) are listed too, and a business manager can move them (``remind edit``): the
change is kept in the area's calendar settings, so re-importing the protocol keeps it.
Dates the protocol counts deadlines from (publication of a yearly report, signing of the
protocol) are recorded here too. Bad input changes nothing and says what to type.

This module reads what was typed; :mod:`bot.workflows.reminder_changes` checks who may,
stores the change and answers.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from bot.commands.examples import localise
from bot.commands.registry import command
from bot.context import Context
from bot.limits import REMINDER_TEXT_MAX, too_long
from bot.messages import Reply, error
from bot.workflows import reminder_changes as flow
from bot.workflows.common import refuse_elsewhere, refuse_unseen
from bot.workflows.permissions import board_roles
from scheduler.rules import RECORDABLE, date_key, recordable_events
from scheduler.timeutil import LONDON, fmt_date, local_to_utc
from scheduler.wording import EXAMPLES, ScheduleError, parse_schedule, parse_time

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
GENERIC_EVENT = "publication of the yearly report"


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
    area = ctx.here
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
    area = ctx.here
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
    return await flow.add(ctx, board, sched.spec, at, sched.rest)


# --- list -------------------------------------------------------------------------------


async def _list(ctx: Context) -> Reply:
    area = ctx.here
    mine = board_roles(ctx.request.actor, area.slug)
    hint = localise("Your directory entry names no board; an admin can link you (admin link-user @you business manager of {board})."
                    if not mine else "Add one: " + USAGE.splitlines()[1].strip("• "), area)
    return await flow.listing(ctx, nothing_hint=hint)


# --- cancel and edit ----------------------------------------------------------------------------


async def _cancel(ctx: Context, args: list[str]) -> Reply:
    if not args:
        return error("Which reminder? e.g. \u201cremind cancel 12\u201d.", hint="Type \u201cremind list\u201d to see the numbers.")
    return await flow.cancel(ctx, args[0])


_LEAD = re.compile(r"^(?:lead|lead\s+days?|notice|warn(?:ing)?|before)\s+(?P<days>[\d\s,and]+?)(?:\s+days?(?:\s+before)?)?\s*$", re.I)


def _changes(change: str, now: dt.datetime) -> dict[str, Any] | Reply:
    """What ``remind edit <n> …`` asks to change: the wording, the time, the lead days, or the
    schedule (with a time and wording of its own); or what to type instead."""
    changes: dict[str, Any] = {}
    kw = change.split(None, 1)
    head = kw[0].lower()
    if head in ("text", "title", "say", "wording"):
        if len(kw) < 2:
            return error("What should it say? e.g. \u201cremind edit 12 text send minutes to all partners\u201d.")
        changes["title"] = kw[1].strip()
        return _too_long(changes["title"]) or changes
    if head in ("time", "at"):
        try:
            t, left = parse_time(kw[1] if len(kw) > 1 else "")
        except ScheduleError as exc:
            return error(str(exc))
        if t is None or left:
            return error("Give a time of day, e.g. \u201cremind edit 12 time 14:00\u201d.")
        return {"local_time": f"{t:%H:%M}"}
    if lead := _LEAD.match(change):
        days = [int(x) for x in re.findall(r"\d+", lead.group("days"))]
        if not days or any(d > 90 for d in days):
            return error("Give the days before, each 0 to 90, e.g. \u201cremind edit 12 lead 14,1\u201d (0 = on the day).")
        return {"lead_days": sorted(set(days), reverse=True)}
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
    return changes


async def _edit(ctx: Context, rest: str) -> Reply:
    parts = rest.split(None, 1)
    if len(parts) < 2:
        return error("What should change? e.g. \u201cremind edit 12 first Wednesday of each quarter 14:00\u201d, "
                     "\u201cremind edit 12 time 14:00\u201d, \u201cremind edit 12 lead 14,1\u201d or \u201cremind edit 12 text new wording\u201d.",
                     hint="Type \u201cremind list\u201d to see the numbers.")
    changes = _changes(parts[1].strip(), _now(ctx))
    return changes if isinstance(changes, Reply) else await flow.edit(ctx, parts[0], changes)


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


def _which_date(events: dict[str, str], typed_words: str) -> str | None:
    """The recordable date the words before the date name (the best match), if any."""
    typed = _canon(re.findall(r"[a-z]+", typed_words.lower()))
    best, score = None, 0
    for key, label in events.items():
        lw = _canon(re.findall(r"[a-z]+", label.lower()))
        if typed and typed <= lw | {"protocol"} and len(typed & lw) > score:
            best, score = key, len(typed & lw)
    return best


async def _record(ctx: Context, rest: str) -> Reply:
    area = ctx.here
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
    best = _which_date(events, rest[: m.start()])
    if best is None:
        return error("I don't know which date that is.", hint="Dates you can record here: " + examples + ".")
    label = events[best] if best not in RECORDABLE else RECORDABLE[best]
    if on > _now(ctx).astimezone(LONDON).date():
        return error(f"{fmt_date(on)} is still to come; record the {label} once it has happened.")
    return await flow.record_date(ctx, best, label, on)
