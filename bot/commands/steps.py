"""Every button, typed: the steps of a challenge, an agenda request and a reminder in words.

A button is one way to take a step; typing it is another, for the terminal, for screen-reader
users and for anyone who lost the message. Each typed step names its object by number
(``C3``, ``A2``, a reminder's ``12``), is looked up in the area the request is about, and
then runs as exactly the button's action (:func:`bot.actions.handle_action`): the same area
wall, the same permission checks, the same refusals on the record, the same races. A step that
needs words (a response, an outcome, a reason) takes them after the number; without them
the button's form is opened (prompts in the terminal, a modal in Slack, a card in Teams).

:data:`TYPED` maps every action id to what to type for it; the README's table is checked
against it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from dataclasses import replace as _replace
from typing import Any

from sqlalchemy import select

from bot.commands.arguments import strip_area_words
from bot.commands.registry import command
from bot.context import Context
from bot.messages import Reply, Visibility, error
from bot.workflows.common import area_row, refuse, refuse_unseen
from bot.workflows.permissions import may_see

# what to type for each action id (the README's table of buttons lists these)
TYPED: dict[str, str] = {
    "ask": "the question the button shows (e.g. “theme adult safeguarding”)",
    "challenge.submit": "challenge HWB (then answer the form's questions)",
    "challenge.edit": "challenge HWB (the form again, with your answers kept)",
    "challenge.ack": "acknowledge C3",
    "challenge.respond": "respond C3",
    "challenge.respond.submit": "respond C3 <your board's response>",
    "challenge.ask_info": "ask info C3",
    "challenge.ask_info.submit": "ask info C3 <what you need to know>",
    "challenge.more_time": "more time C3",
    "challenge.more_time.submit": "more time C3 10 days <why>",
    "challenge.extend": "agree more time C3",
    "challenge.refuse_extension": "refuse more time C3",
    "challenge.provide_info": "provide info C3",
    "challenge.provide_info.submit": "provide info C3 <the information>",
    "challenge.escalate": "escalate C3 (shows what it will do; then say why) / escalate C3 <reason>",
    "challenge.resolve": "resolve C3",
    "challenge.resolve.submit": "resolve C3 <the outcome>",
    "challenge.withdraw": "withdraw C3",
    "challenge.withdraw.submit": "withdraw C3 <why>",
    "challenge.reopen": "reopen C3",
    "agenda.submit": "agenda request HWB (then answer the form's questions)",
    "agenda.accept": "agenda accept A2",
    "agenda.accept.submit": "agenda accept A2 2026-12-03 10:00",
    "agenda.defer": "agenda defer A2",
    "agenda.defer.submit": "agenda defer A2 <why, and until when>",
    "agenda.decline": "agenda decline A2",
    "agenda.decline.submit": "agenda decline A2 <why>",
    "agenda.withdraw": "agenda withdraw A2",
    "reminder.done": "remind done 12",
    "reminder.snooze": "remind snooze 12 (a day) / remind snooze 12 week",
    "reminder.skip": "remind skip 12",
    "reminder.skip_reason": "remind skip 12 <why not this time>",
    "risk.submit": "risk raise (then answer the form's questions)",
    "risk.review": "risk review R1",
    "risk.review.submit": "risk review R1 <what was found> next 2027-06-01",
    "risk.close": "risk close R1",
    "risk.close.submit": "risk close R1 <why>",
}
# buttons that only confirm the form just filled (no record exists yet to name by number):
# typed, they are the form again, answered without the personal data
CONFIRMS = {"challenge.submit", "agenda.submit", "risk.submit"}


@dataclass(frozen=True)
class Step:
    """One typed step: which kind of object, the action to run, and what the words after the number mean."""

    kind: str  # challenge | agenda | reminder | risk
    action: str  # the button's action (the form); ``submit`` the action when the words are given
    submit: str | None = None
    field: str = "text"


_C = r"(?:challenge\s+)?"
_A = r"(?:agenda(?:\s+request)?\s+)?"
_R = r"(?:remind(?:er)?s?\s+)?"
_NUM_C = r"(?:challenge\s+)?[Cc]?(?P<n>\d{1,9})"
_NUM_A = r"(?:agenda\s+request\s+|request\s+)?[Aa]?(?P<n>\d{1,9})"
_NUM_R = r"(?:reminder\s+)?(?:#|[Rr](?=\d))?(?P<n>\d{1,9})"
_REST = r"(?:\s*[:,\-–—]?\s*(?P<rest>.*))?"

_STEPS: list[tuple[re.Pattern[str], Step]] = [(re.compile(rx, re.I | re.S), step) for rx, step in [
    (rf"^{_C}(?:ack|acknowledge)(?:d)?\s+{_NUM_C}\s*$", Step("challenge", "challenge.ack")),
    (rf"^{_C}(?:agree|accept|grant)\s+(?:to\s+)?(?:the\s+)?(?:more\s+time|extra\s+time|extension|time)\s+(?:for\s+|on\s+|to\s+)?{_NUM_C}\s*$",
     Step("challenge", "challenge.extend")),
    (rf"^{_C}(?:refuse|decline|reject)\s+(?:the\s+)?(?:more\s+time|extra\s+time|extension|time)\s+(?:for\s+|on\s+|to\s+)?{_NUM_C}\s*$",
     Step("challenge", "challenge.refuse_extension")),
    (rf"^{_C}(?:ask\s+(?:for\s+)?)?(?:more|extra)\s+time\s+(?:for\s+|on\s+|to\s+)?{_NUM_C}{_REST}$",
     Step("challenge", "challenge.more_time", "challenge.more_time.submit")),
    (rf"^{_C}respond(?:\s+to)?\s+{_NUM_C}{_REST}$", Step("challenge", "challenge.respond", "challenge.respond.submit")),
    (rf"^{_C}(?:ask\s+(?:for\s+)?(?:more\s+)?info(?:rmation)?|ask\s+about|question)\s+(?:on\s+|about\s+|for\s+)?{_NUM_C}{_REST}$",
     Step("challenge", "challenge.ask_info", "challenge.ask_info.submit")),
    (rf"^{_C}(?:provide|give|send)\s+(?:the\s+)?info(?:rmation)?\s+(?:for\s+|on\s+|about\s+)?{_NUM_C}{_REST}$",
     Step("challenge", "challenge.provide_info", "challenge.provide_info.submit")),
    (rf"^{_C}escalate\s+{_NUM_C}{_REST}$", Step("challenge", "challenge.escalate", "challenge.escalate", "reason")),
    (rf"^{_C}resolve\s+{_NUM_C}{_REST}$", Step("challenge", "challenge.resolve", "challenge.resolve.submit")),
    (rf"^{_C}withdraw\s+(?:challenge\s+)?[Cc](?P<n>\d{{1,9}}){_REST}$", Step("challenge", "challenge.withdraw", "challenge.withdraw.submit")),
    (rf"^challenge\s+withdraw\s+[Cc]?(?P<n>\d{{1,9}}){_REST}$", Step("challenge", "challenge.withdraw", "challenge.withdraw.submit")),
    (rf"^{_C}reopen\s+{_NUM_C}\s*$", Step("challenge", "challenge.reopen")),
    (rf"^{_A}accept\s+{_NUM_A}(?:\s+(?:onto|on|for|at|to)?\s*(?:the\s+)?(?:meeting\s+(?:of|on)?\s*)?(?P<rest>\d{{4}}-\d{{2}}-\d{{2}}.*))?\s*$",
     Step("agenda", "agenda.accept", "agenda.accept.submit", "new_meeting")),
    (rf"^{_A}defer\s+{_NUM_A}{_REST}$", Step("agenda", "agenda.defer", "agenda.defer.submit", "reason")),
    (rf"^{_A}decline\s+{_NUM_A}{_REST}$", Step("agenda", "agenda.decline", "agenda.decline.submit", "reason")),
    (rf"^agenda\s+withdraw\s+{_NUM_A}\s*$", Step("agenda", "agenda.withdraw")),
    (r"^withdraw\s+(?:agenda\s+request\s+)?[Aa](?P<n>\d{1,9})\s*$", Step("agenda", "agenda.withdraw")),
    (rf"^{_R}(?:done|mark\s+done|complete)\s+{_NUM_R}(?:\s+(?P<rest>\d{{4}}-\d{{2}}-\d{{2}}))?\s*$", Step("reminder", "reminder.done", field="occ")),
    (rf"^{_R}snooze\s+{_NUM_R}(?:\s+(?:for\s+)?(?P<rest>.*))?$", Step("reminder", "reminder.snooze", field="for")),
    (rf"^{_R}(?:skip|not\s+this\s+time)\s+{_NUM_R}{_REST}$", Step("reminder", "reminder.skip", "reminder.skip_reason", "reason")),
    (r"^risks?\s+review\s+[Rr]?(?P<n>\d{1,9})(?:\s*[:,\-–—]?\s*(?P<rest>.*))?$", Step("risk", "risk.review", "risk.review.submit")),
    (r"^risks?\s+close\s+[Rr]?(?P<n>\d{1,9})(?:\s*[:,\-–—]?\s*(?P<rest>.*))?$", Step("risk", "risk.close", "risk.close.submit")),
]]
_PREFIX = re.compile(r"^\s*(?:/board\s+|@?boardbot\s+)", re.I)


def match(text: str) -> tuple[Step, int, str] | None:
    """The typed step ``text`` is, its object's number and the words after it; None if it is none."""
    t = _PREFIX.sub("", text or "").strip().rstrip(".!")
    for rx, step in _STEPS:
        m = rx.match(t)
        if m:
            return step, int(m.group("n")), (m.groupdict().get("rest") or "").strip()
    return None


def is_step(text: str) -> bool:
    return match(text) is not None


async def _challenge_value(ctx: Context, s: Any, number: int, step: Step) -> tuple[dict[str, Any] | None, Reply | None]:
    from bot.workflows.challenges import SUBJECT
    from storage.audit import history
    from storage.models import Challenge

    area = ctx.here
    row = await area_row(s, area.slug)
    ch = (await s.execute(select(Challenge).where(Challenge.area_id == row.id, Challenge.number == number))).scalar_one_or_none()
    if ch is None or not may_see(ctx.request.actor, area.slug, (ch.from_board, ch.to_board)):
        if ch is not None:
            await refuse(ctx, s, SUBJECT, ch.id, f"not one of the boards involved in C{number}")
        return None, error(f"No challenge C{number} that you can see in {area.name}.", hint="\u201cchallenges\u201d lists the ones you can.")
    value: dict[str, Any] = {"id": ch.id, "rung": ch.rung_index, "side": "target" if step.action in (
        "challenge.ack", "challenge.respond", "challenge.ask_info", "challenge.more_time") else "raiser"}
    if step.action in ("challenge.extend", "challenge.refuse_extension"):
        events = await history(s, SUBJECT, ch.id)
        decided = {str(e.detail.get("request")) for e in events if e.kind in ("time-agreed", "time-refused")}
        asked = [e for e in events if e.kind == "time-requested" and str(e.id) not in decided]
        if not asked:
            last = next((e for e in reversed(events) if e.kind in ("time-agreed", "time-refused")), None)
            said = (f" The last one was {'agreed' if last.kind == 'time-agreed' else 'refused'} by {last.actor}." if last else "")
            return None, error(f"No request for more time on C{number} is waiting for a decision.{said}",
                               hint=f"\u201cchallenge {number}\u201d shows its history.")
        value["event"] = asked[-1].id
    return value, None


async def _agenda_value(ctx: Context, s: Any, number: int) -> tuple[dict[str, Any] | None, Reply | None]:
    from bot.workflows.agenda import SUBJECT
    from storage.models import AgendaRequest

    area = ctx.here
    row = await area_row(s, area.slug)
    req = (await s.execute(select(AgendaRequest).where(AgendaRequest.area_id == row.id, AgendaRequest.number == number))
           ).scalar_one_or_none()
    if req is None or not may_see(ctx.request.actor, area.slug, (req.from_board, req.to_board)):
        if req is not None:
            await refuse(ctx, s, SUBJECT, req.id, f"not one of the boards involved in A{number}")
        return None, error(f"No agenda request A{number} that you can see in {area.name}.",
                           hint="\u201cinbox\u201d lists what was sent to your boards.")
    return {"id": req.id}, None


async def _risk_value(ctx: Context, s: Any, number: int) -> tuple[dict[str, Any] | None, Reply | None]:
    from storage.models import RiskEntry

    area = ctx.here
    row = await area_row(s, area.slug)
    r = (await s.execute(select(RiskEntry).where(RiskEntry.area_id == row.id, RiskEntry.number == number))).scalar_one_or_none()
    if r is None:
        return None, error(f"No risk R{number} in {area.name}'s risk log.", hint="\u201crisks\u201d lists them.")
    return {"id": r.id}, None


def _snooze_for(words: str) -> str | None:
    w = words.lower().strip()
    if w in ("", "1d", "a day", "1 day", "day", "one day", "tomorrow", "24h", "24 hours"):
        return "1d"
    if w in ("1w", "a week", "1 week", "week", "one week", "7 days", "7d"):
        return "1w"
    return None


async def _reminder_value(ctx: Context, s: Any, number: int, on: str) -> tuple[dict[str, Any] | None, Reply | None]:
    """The rule and the occurrence a typed reminder step answers: the one on the date given, else
    the latest already posted and not yet answered, else the next to come."""
    from scheduler.calendar import events
    from storage.models import ReminderRule

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
        from scheduler.timeutil import london

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


@command("step", section="Steps", hidden=False)
async def step(ctx: Context) -> Reply:
    """Take any step a button takes, by typing it: challenges, agenda requests, reminders.

    Examples:
      agree more time C3
      escalate C3 no response after two reminders
      resolve C3 the JSNA now profiles CSE
      agenda accept A2 2026-12-03 10:00
      agenda decline A2 not a matter for this board
      remind done 12
      remind snooze 12 week
    """
    from bot.actions import handle_action

    area = ctx.here
    if ctx.services.store is None:
        return error("This step needs the database; it is not available here.")
    text = strip_area_words(ctx, ctx.request.text)
    if ctx.area_named and text == ctx.request.text.strip() and ctx.request.area in ctx.knowledge.areas:
        # a place in the words ("… met in Ipswich") is part of what was said, not the area asked about
        ctx.area = ctx.knowledge.area(ctx.request.area)
    found = match(text)
    if found is None:
        return error("I couldn't tell which step that is.", hint="Type \u201chelp steps\u201d for what to type.")
    what, number, rest = found
    if (refused := await refuse_unseen(ctx, {"challenge": "challenges", "agenda": "agenda requests",
                                              "reminder": "reminders", "risk": "risk log"}[what.kind], what.kind)) is not None:
        return refused
    action, words = what.action, rest
    async with ctx.services.store.session() as s:
        if what.kind == "challenge":
            value, problem = await _challenge_value(ctx, s, number, what)
        elif what.kind == "agenda":
            value, problem = await _agenda_value(ctx, s, number)
        elif what.kind == "risk":
            value, problem = await _risk_value(ctx, s, number)
        else:
            value, problem = await _reminder_value(ctx, s, number, rest if what.field == "occ" else "")
    if problem is not None or value is None:
        return problem or error("That is no longer there.")
    if what.kind == "reminder" and what.field == "for":
        length = _snooze_for(rest)
        if length is None:
            return error(f"Snooze for a day or a week: \u201cremind snooze {number}\u201d or \u201cremind snooze {number} week\u201d.")
        value["for"] = length
    elif words and what.submit:
        action = what.submit
        if what.action == "challenge.more_time":
            m = re.match(r"^(?P<days>\d{1,3})\s*(?:more\s+)?(?:working\s+)?(?:days?)?\b\s*[:,\-–—]?\s*(?P<why>.*)$", words, re.I | re.S)
            value["days"], value["text"] = (m.group("days"), m.group("why").strip()) if m else (words, "")
        else:
            value[what.field] = words
        if what.action == "challenge.escalate":
            value["confirmed"] = 1  # the reason typed with it is the answer to its preview
        if what.action == "risk.review":
            found_next = re.search(r"\s*[,;]?\s*(?:next(?:\s+review)?(?:\s+on)?|review\s+again(?:\s+on)?)\s+(\S+)\s*$", words, re.I)
            if found_next:
                value["text"], value["review_on"] = words[: found_next.start()].strip(), found_next.group(1)
    value["area"] = area.slug
    request = _replace(ctx.request, text="", action=action, value=value)
    reply = await handle_action(request, ctx.services)
    # a typed step answers the person who typed it; the boards concerned are told through their channels
    if reply.visibility == Visibility.CHANNEL:
        reply = _replace(reply, visibility=Visibility.PRIVATE)
    return reply
