"""The ladder's rules: what may happen to a challenge next, given its state.

Pure: a step takes the challenge's :class:`State` (and the clock, the ladder's windows, what
was typed) and returns where it moves (:class:`Moved`: the new state and the event the audit
records) or why it may not (:class:`Blocked`). Nothing here reads or writes the database or
posts anything; the use cases (:mod:`.usecase`) run a step through a conditional update,
the audit and the Notifier. So every rule is tested in milliseconds
(``tests/workflows/test_challenge_rules.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import Any, Literal

from bot.limits import EXTRA_DAYS_MAX, EXTRA_DAYS_MIN
from bot.workflows.windows import due_after, working_days_left
from scheduler.timeutil import LONDON, local_to_utc
from scheduler.workdays import add_working_days

SUBJECT = "challenge"  # a challenge's subject type in the audit


class Status(StrEnum):
    OPEN = "open"  # awaiting the target board's response; its clock runs
    AWAITING_INFO = "awaiting_info"  # the target board asked the raiser for information; the clock is paused
    RESPONDED = "responded"  # the target board responded; the raising chair may resolve or escalate
    RESOLVED = "resolved"
    WITHDRAWN = "withdrawn"


OPEN_STATUSES: tuple[Status, ...] = (Status.OPEN, Status.AWAITING_INFO, Status.RESPONDED)  # not closed
ANSWERABLE: tuple[Status, ...] = (Status.OPEN, Status.RESPONDED)  # the target board may respond, ask, ask for time
CLOSED: tuple[Status, ...] = (Status.RESOLVED, Status.WITHDRAWN)


@dataclass(frozen=True)
class State:
    """What the rules read of a challenge (the stored columns of the same names)."""

    status: Status
    rung_index: int
    rung_key: str
    due_at: dt.datetime | None = None
    paused_at: dt.datetime | None = None
    paused_days_left: int | None = None
    nudged_at: dt.datetime | None = None
    outcome: str | None = None
    closed_at: dt.datetime | None = None

    def changes(self, new: State) -> dict[str, Any]:
        """The fields ``new`` holds differently, by name."""
        return {f.name: getattr(new, f.name) for f in fields(self) if getattr(new, f.name) != getattr(self, f.name)}


@dataclass(frozen=True)
class Step:
    """A rung as the rules see it: its key and the working days the target board has there."""

    key: str
    window: int


@dataclass(frozen=True)
class Event:
    """What the audit records of a step: its kind (``responded``, ``escalated`` ...) and detail."""

    kind: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Moved:
    """A step the rules allow: the state after it and the event to record.

    The step holds only while the stored challenge is still in one of ``expect`` (when given)
    and still has the values read for the fields in ``unchanged``: a double click, a retry or
    two people at once find it moved on, and exactly one of them acts."""

    state: State
    event: Event
    expect: tuple[Status, ...] = ()
    unchanged: tuple[str, ...] = ()


Why = Literal["moved on", "last step", "reason needed"]


@dataclass(frozen=True)
class Blocked:
    """Why a step may not happen now: the challenge has moved on (it is closed, the clock is
    paused, it is at another rung), it is at the top of the ladder, or a reason is needed."""

    why: Why


def raised(first: Step, now: dt.datetime) -> State:
    """A new challenge: open at the first rung, its response due after that rung's window."""
    return State(Status.OPEN, 0, first.key, due_at=due_after(now, first.window))


def acknowledge(state: State) -> Moved:
    """The target board acknowledges: recorded, and the raiser told; the state is unchanged."""
    return Moved(state, Event("acknowledged"))


def respond(state: State, text: str) -> Moved | Blocked:
    """The target board responds (again, if it likes) while the challenge awaits it."""
    if state.status not in ANSWERABLE:
        return Blocked("moved on")
    return Moved(replace(state, status=Status.RESPONDED), Event("responded", {"text": text}), expect=ANSWERABLE)


def ask_for_information(state: State, question: str, now: dt.datetime) -> Moved | Blocked:
    """The target board asks the raiser a question: the clock pauses, keeping the days left."""
    if state.status not in ANSWERABLE:
        return Blocked("moved on")
    left = working_days_left(now, state.due_at) if state.due_at else 0
    return Moved(replace(state, status=Status.AWAITING_INFO, paused_at=now, paused_days_left=left),
                 Event("information-requested", {"question": question, "days_left": left}), expect=ANSWERABLE)


def provide_information(state: State, text: str, now: dt.datetime) -> Moved | Blocked:
    """The raiser answers: the clock restarts with the days that were left (at least one)."""
    if state.status is not Status.AWAITING_INFO:
        return Blocked("moved on")
    left = state.paused_days_left or 1
    return Moved(replace(state, status=Status.OPEN, paused_at=None, paused_days_left=None, due_at=due_after(now, left),
                         nudged_at=None),
                 Event("information-provided", {"text": text}), expect=(Status.AWAITING_INFO,))


def request_more_time(state: State, days: int, reason: str) -> Moved:
    """The target board asks for more time: recorded for the raiser to agree or refuse."""
    return Moved(state, Event("time-requested", {"days": days, "reason": reason}))


def decide_more_time(state: State, *, agree: bool, days: int, request: int) -> Moved:
    """The raiser agrees (or refuses) ``days`` more working days, asked for in event ``request``.

    Agreed while paused, the days are added to those left; while the clock runs, the deadline
    moves by that many working days, at the same time of day; a refusal (or an agreement once
    the challenge has closed) changes nothing but the record."""
    kind = "time-agreed" if agree else "time-refused"
    new, expect, unchanged = state, (), ()
    if agree and state.status is Status.AWAITING_INFO and state.paused_days_left is not None:
        new, expect = replace(state, paused_days_left=state.paused_days_left + days), (Status.AWAITING_INFO,)
    elif agree and state.due_at and state.status in ANSWERABLE:
        local = state.due_at.astimezone(LONDON)
        due = local_to_utc(add_working_days(local.date(), days), local.time().replace(tzinfo=None))
        new, expect, unchanged = replace(state, due_at=due, nudged_at=None), ANSWERABLE, ("due_at",)
    detail = {"days": days, "due": new.due_at.isoformat() if new.due_at else None, "request": request}
    return Moved(new, Event(kind, detail), expect=expect, unchanged=unchanged)


def reason_needed(state: State, now: dt.datetime) -> bool:
    """A reason is asked for unless the response window has passed with no response (the protocol's
    trigger for the next step): escalating early, or after a response, is a judgement to record."""
    return not (state.status is Status.OPEN and state.due_at is not None and state.due_at <= now)


def escalation_blocked(state: State, rungs: int, from_rung: int) -> Blocked | None:
    """Why the challenge cannot go up from ``from_rung`` (the rung its button was shown at), if so."""
    if state.status not in OPEN_STATUSES or from_rung != state.rung_index:
        return Blocked("moved on")
    if state.rung_index + 1 >= rungs:
        return Blocked("last step")
    return None


def escalate(state: State, ladder: Sequence[Step], *, from_rung: int, now: dt.datetime, reason: str) -> Moved | Blocked:
    """The raising chair moves the challenge up one rung: open again there, with that rung's window
    and the clock running (a paused clock is let go)."""
    if (blocked := escalation_blocked(state, len(ladder), from_rung)) is not None:
        return blocked
    needed = reason_needed(state, now)
    if needed and not reason:
        return Blocked("reason needed")
    nxt = ladder[state.rung_index + 1]
    due = due_after(now, nxt.window)
    detail: dict[str, Any] = {"from": ladder[from_rung].key, "to": nxt.key, "due": due.isoformat(), "window_passed": not needed}
    if reason:
        detail["reason"] = reason
    new = replace(state, rung_index=state.rung_index + 1, rung_key=nxt.key, status=Status.OPEN, due_at=due, nudged_at=None,
                  paused_at=None, paused_days_left=None)
    return Moved(new, Event("escalated", detail), expect=OPEN_STATUSES, unchanged=("rung_index",))


def close(state: State, how: Literal[Status.RESOLVED, Status.WITHDRAWN], text: str, now: dt.datetime) -> Moved | Blocked:
    """The raising chair resolves (with the outcome) or withdraws (with why) a challenge not yet closed."""
    if state.status not in OPEN_STATUSES:
        return Blocked("moved on")
    return Moved(replace(state, status=how, outcome=text, closed_at=now),
                 Event(how.value, {"text": text, "rung": state.rung_key}), expect=OPEN_STATUSES)


def reopen(state: State, window: int, now: dt.datetime) -> Moved | Blocked:
    """A closed challenge opens again at its rung, the clock restarting with the rung's window."""
    if state.status not in CLOSED:
        return Blocked("moved on")
    due = due_after(now, window)
    return Moved(replace(state, status=Status.OPEN, closed_at=None, due_at=due, nudged_at=None),
                 Event("reopened", {"due": due.isoformat()}), expect=CLOSED)


def window_passed(state: State, now: dt.datetime) -> Moved | None:
    """Once per window: an open challenge whose response is overdue is nudged (None otherwise)."""
    if state.status is not Status.OPEN or state.due_at is None or state.due_at >= now or state.nudged_at is not None:
        return None
    return Moved(replace(state, nudged_at=now), Event("window-passed", {"rung": state.rung_key, "due": state.due_at.isoformat()}),
                 unchanged=("nudged_at",))


def extra_days(raw: object) -> int | None:
    """Working days of more time, if ``raw`` is a whole number within the limits (bot.limits)."""
    text = str(raw).strip() if isinstance(raw, (str, int)) and not isinstance(raw, bool) else ""
    if not text.isdigit() or len(text) > 3:
        return None
    days = int(text)
    return days if EXTRA_DAYS_MIN <= days <= EXTRA_DAYS_MAX else None
