"""The agenda request's lifecycle, pure: what may happen to a request next, given its state.

    requested -> accepted (onto a dated meeting) | deferred (with a reason, still open) |
    declined (with a reason) | withdrawn (by the requester) | closed (with its challenge)

A step takes the request's :class:`State` and returns :class:`Moved` (the new state, the
event the audit records, and what the stored row must still hold for the step to take:
the conditional update) or :class:`Blocked`. No database, no posting.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Literal

from scheduler.timeutil import local_to_utc

SUBJECT = "agenda"  # an agenda request's subject type in the audit
CHALLENGE_SUBJECT = "challenge"  # the audit subject of the challenge an escalation made a request for


class Status(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DEFERRED = "deferred"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"  # its challenge was resolved or withdrawn before a decision


AWAITING: tuple[Status, ...] = (Status.REQUESTED, Status.DEFERRED)  # still to be decided
DECISIONS: dict[str, Status] = {"accept": Status.ACCEPTED, "defer": Status.DEFERRED, "decline": Status.DECLINED}
Decision = Literal["accept", "defer", "decline"]


@dataclass(frozen=True)
class State:
    """What the rules read of a request (the stored columns of the same names)."""

    status: Status
    meeting_id: int | None = None
    decision_reason: str | None = None
    decided_by: str | None = None


@dataclass(frozen=True)
class Event:
    kind: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Moved:
    """The request after the step and its event; the step holds only while the stored request is
    still in one of ``expect`` and (``as_read``) exactly as it was read, so of two people
    deciding at once (even both deferring) the second is told what the first did."""

    state: State
    event: Event
    expect: tuple[Status, ...]
    as_read: bool = False


@dataclass(frozen=True)
class Blocked:
    why: Literal["moved on", "reason needed"]


def decide(state: State, kind: Decision, *, by: str, reason: str, meeting: tuple[int, dt.datetime] | None = None) -> Moved | Blocked:
    """The target board's business manager accepts (onto ``meeting``: its id and time), defers or
    declines (each with a reason the requester will see) a request not yet decided."""
    if state.status not in AWAITING:
        return Blocked("moved on")
    if kind != "accept" and not reason:
        return Blocked("reason needed")
    status = DECISIONS[kind]
    new = State(status, meeting_id=meeting[0] if meeting else None, decision_reason=reason or None, decided_by=by)
    detail = {"meeting": meeting[1].isoformat() if meeting else None, "reason": new.decision_reason}
    return Moved(new, Event(status.value, detail), expect=(state.status,), as_read=True)


def withdraw(state: State, *, by: str) -> Moved | Blocked:
    """The requesting board withdraws a request not yet decided."""
    if state.status not in AWAITING:
        return Blocked("moved on")
    return Moved(replace(state, status=Status.WITHDRAWN, decided_by=by), Event("withdrawn"), expect=AWAITING)


def close_with_challenge(state: State, *, by: str, number: int, how: str, text: str, challenge_id: int) -> Moved | Blocked:
    """A request an escalation made follows its challenge when that is resolved or withdrawn before a
    decision; an item already accepted onto a meeting stays there."""
    if state.status not in AWAITING:
        return Blocked("moved on")
    reason = f"challenge C{number} was {how}: {text}"[:3000]
    return Moved(replace(state, status=Status.CLOSED, decision_reason=reason, decided_by=by),
                 Event("closed", {"challenge": challenge_id, "reason": reason}), expect=(state.status,))


_WHEN = re.compile(r"(?P<date>\d{4}-\d{2}-\d{2})(?:[ T]+(?P<time>\d{1,2}[:.]\d{2}))?")


def parse_when(text: str) -> dt.datetime | None:
    """'2026-12-03 10:00' (London) -> UTC; date alone means 10:00."""
    m = _WHEN.search(text)
    if not m:
        return None
    try:
        day = dt.date.fromisoformat(m.group("date"))
        hh, mm = (m.group("time") or "10:00").replace(".", ":").split(":")
        return local_to_utc(day, dt.time(int(hh), int(mm)))
    except ValueError:
        return None
