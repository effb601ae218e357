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

import functools
import re
from dataclasses import dataclass
from dataclasses import replace as _replace

from bot.commands.arguments import strip_area_words
from bot.commands.registry import command
from bot.context import Context
from bot.messages import Reply, Visibility, error

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
_NUM_C = r"(?:challenge\s+)?[Cc]?(?P<n>\d{1,9})(?!\d)"
_NUM_A = r"(?:agenda\s+request\s+|request\s+)?[Aa]?(?P<n>\d{1,9})(?!\d)"
_NUM_R = r"(?:reminder\s+)?(?:#|[Rr](?=\d))?(?P<n>\d{1,9})(?!\d)"
_REST = r"(?:\s*[:,\-–—]?\s*(?P<rest>.*))?"

# Every step names its object by number, so words with no digit are no step (match): the patterns
# are compiled the first time a message has one (compiling them all cost every start ~20 ms)
_STEP_PATTERNS: list[tuple[str, Step]] = [
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
    (rf"^{_C}withdraw\s+(?:challenge\s+)?[Cc](?P<n>\d{{1,9}})(?!\d){_REST}$", Step("challenge", "challenge.withdraw", "challenge.withdraw.submit")),
    (rf"^challenge\s+withdraw\s+[Cc]?(?P<n>\d{{1,9}})(?!\d){_REST}$", Step("challenge", "challenge.withdraw", "challenge.withdraw.submit")),
    (rf"^{_C}reopen\s+{_NUM_C}\s*$", Step("challenge", "challenge.reopen")),
    (rf"^{_A}accept\s+{_NUM_A}(?:\s+(?:onto|on|for|at|to)?\s*(?:the\s+)?(?:meeting\s+(?:of|on)?\s*)?(?P<rest>\d{{4}}-\d{{2}}-\d{{2}}.*))?\s*$",
     Step("agenda", "agenda.accept", "agenda.accept.submit", "new_meeting")),
    (rf"^{_A}defer\s+{_NUM_A}{_REST}$", Step("agenda", "agenda.defer", "agenda.defer.submit", "reason")),
    (rf"^{_A}decline\s+{_NUM_A}{_REST}$", Step("agenda", "agenda.decline", "agenda.decline.submit", "reason")),
    (rf"^agenda\s+withdraw\s+{_NUM_A}\s*$", Step("agenda", "agenda.withdraw")),
    (r"^withdraw\s+(?:agenda\s+request\s+)?[Aa](?P<n>\d{1,9})(?!\d)\s*$", Step("agenda", "agenda.withdraw")),
    (rf"^{_R}(?:done|mark\s+done|complete)\s+{_NUM_R}(?:\s+(?P<rest>\d{{4}}-\d{{2}}-\d{{2}}))?\s*$", Step("reminder", "reminder.done", field="occ")),
    (rf"^{_R}snooze\s+{_NUM_R}(?:\s+(?:for\s+)?(?P<rest>.*))?$", Step("reminder", "reminder.snooze", field="for")),
    (rf"^{_R}(?:skip|not\s+this\s+time)\s+{_NUM_R}{_REST}$", Step("reminder", "reminder.skip", "reminder.skip_reason", "reason")),
    (r"^risks?\s+review\s+[Rr]?(?P<n>\d{1,9})(?!\d)(?:\s*[:,\-–—]?\s*(?P<rest>.*))?$", Step("risk", "risk.review", "risk.review.submit")),
    (r"^risks?\s+close\s+[Rr]?(?P<n>\d{1,9})(?!\d)(?:\s*[:,\-–—]?\s*(?P<rest>.*))?$", Step("risk", "risk.close", "risk.close.submit")),
]
_PREFIX = r"^\s*(?:/board\s+|@?boardbot\s+)"


@functools.cache
def _steps() -> tuple[re.Pattern[str], list[tuple[re.Pattern[str], Step]]]:
    return re.compile(_PREFIX, re.I), [(re.compile(rx, re.I | re.S), step) for rx, step in _STEP_PATTERNS]


_DIGIT = re.compile(r"\d")


def match(text: str) -> tuple[Step, int, str] | None:
    """The typed step ``text`` is, its object's number and the words after it; None if it is none."""
    if not _DIGIT.search(text or ""):
        return None  # every step names the number of what it acts on (C3, A2, 12): a question seldom does
    prefix, steps = _steps()
    t = prefix.sub("", text or "").strip().rstrip(".!")
    for rx, step in steps:
        m = rx.match(t)
        if m:
            return step, int(m.group("n")), (m.groupdict().get("rest") or "").strip()
    return None


def is_step(text: str) -> bool:
    return match(text) is not None


def _snooze_for(words: str) -> str | None:
    w = words.lower().strip()
    if w in ("", "1d", "a day", "1 day", "day", "one day", "tomorrow", "24h", "24 hours"):
        return "1d"
    if w in ("1w", "a week", "1 week", "week", "one week", "7 days", "7d"):
        return "1w"
    return None


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
    # the workflows (and with them the database layer) are imported when a step is typed, not when a
    # plain question loads the command modules
    from bot.actions import handle_action
    from bot.workflows import typed_steps
    from bot.workflows.common import refuse_unseen

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
                                              "reminder": "reminders", "risk": "risk log entries"}[what.kind], what.kind)) is not None:
        return refused
    action, words = what.action, rest
    async with ctx.services.store.session() as s:
        if what.kind == "challenge":
            value, problem = await typed_steps.challenge_value(ctx, s, number, what.action)
        elif what.kind == "agenda":
            value, problem = await typed_steps.agenda_value(ctx, s, number)
        elif what.kind == "risk":
            value, problem = await typed_steps.risk_value(ctx, s, number)
        else:
            value, problem = await typed_steps.reminder_value(ctx, s, number, rest if what.field == "occ" else "")
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
