"""Reminder rules as plain data, as the scheduler and the commands read them.

:class:`RuleView` is a rule as loaded (a ``ReminderRule`` row, or a row of its
:data:`_RULE_COLUMNS`, through :func:`rule_view`; :func:`view_of` is the one builder);
:class:`Planned` is one post to make. :func:`load_facts` reads an area's recorded dates and meetings, and
:func:`describe_rule` says a rule's schedule in words. Nothing here builds a message: the
reminder as posted is the reminders workflow's (:class:`scheduler.materialise.ReminderReplies`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import Citation
from scheduler.recurrence import Facts, Occurrence, describe, parse_time
from scheduler.rule_settings import RECORDABLE
from storage.models import AreaDate, BoardMeeting, BoardRow, ReminderRule


@dataclass
class RuleView:
    """A reminder rule as loaded (plain data), with this process's progress through it."""

    id: int
    area_id: int
    area_slug: str
    key: str
    origin: str
    title: str
    body: str
    citation: dict[str, str] | None
    recurrence: dict[str, Any]
    audience: list[str]
    lead_days: list[int]
    local_time: str
    public: bool
    created_by: str | None
    subject_type: str | None
    subject_id: int | None
    updated_at: dt.datetime
    since: dt.datetime
    at: dt.time
    next_check: dt.datetime | None = None  # in memory: nothing to post before this
    checked_until: dt.datetime | None = None  # in memory: posts up to here are done
    # the schedule's words apart from its ``since`` (None: not known): rules with the same one have
    # the same occurrences, worked out once per tick (:class:`scheduler.planning.Shared`)
    schedule: str | None = field(default=None, compare=False)
    # the lead days, longest first, each once: asked at every look at the rule (a view is replaced,
    # not changed, when its rule is)
    leads: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.leads = _leads(tuple(self.lead_days or (0,)))

    @property
    def all_day(self) -> bool:
        return bool(self.recurrence.get("all_day"))


@lru_cache(maxsize=256)  # a few lead-day lists serve every rule
def _leads(lead_days: tuple[Any, ...]) -> tuple[int, ...]:
    return tuple(sorted({int(x) for x in lead_days}, reverse=True))


@dataclass(frozen=True)
class StateView:
    state: str
    until: dt.datetime | None
    at: dt.datetime
    by: str
    reason: str | None


@dataclass(frozen=True)
class LinkView:
    id: int
    platform: str
    workspace: str
    channel_id: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Planned:
    """One post to make: a rule's occurrence, ``lead`` days before it (None: re-post after a snooze)."""

    rule: RuleView
    occurrence: Occurrence
    lead: int | None
    post_at: dt.datetime

    @property
    def key(self) -> str:
        occ = self.occurrence.at.isoformat()
        tail = f"snooze:{self.post_at.isoformat()}" if self.lead is None else str(self.lead)
        return f"rule:{self.rule.id}:{occ}:{tail}"


def citation_of(rule: RuleView) -> Citation | None:
    c = rule.citation
    if not c:
        return None
    return Citation(rule.area_slug, c.get("file", ""), c.get("clause", ""), c.get("document", ""))


async def load_facts(session: AsyncSession, area_id: int) -> Facts:
    """An area's recorded dates and board meetings, for computing its occurrences outside a tick."""
    dates: dict[str, list[tuple[dt.date, dt.datetime | None]]] = {}
    for key, on, at in (await session.execute(select(AreaDate.key, AreaDate.on, AreaDate.at).where(AreaDate.area_id == area_id))).all():
        dates.setdefault(key, []).append((on, at))
    meetings: dict[str, list[tuple[dt.datetime, dt.datetime | None]]] = {}
    for board, starts, created in (await session.execute(
        select(BoardMeeting.board_key, BoardMeeting.starts_at, BoardMeeting.created_at).where(BoardMeeting.area_id == area_id)
    )).all():
        meetings.setdefault(board, []).append((starts, created))
    labels = dict((await session.execute(select(BoardRow.key, BoardRow.short_name).where(BoardRow.area_id == area_id))).all())
    return Facts(dates, meetings, labels)


_RULE_COLUMNS = ("id", "area_id", "key", "origin", "title", "body", "citation", "recurrence", "audience", "lead_days",
                 "local_time", "public", "created_by", "subject_type", "subject_id", "updated_at", "created_at")


def rule_view(row: ReminderRule | Row[Any], area_slug: str) -> RuleView:
    """A :class:`RuleView` of a ``ReminderRule``, or of a row of its :data:`_RULE_COLUMNS` (:func:`view_of`).

    Raises ValueError (or KeyError) for a schedule it cannot read."""
    return view_of(row.id, row.area_id, area_slug, row.key, row.origin, row.title, row.body, row.citation, row.recurrence,
                   row.audience, row.lead_days, row.local_time, row.public, row.created_by, row.subject_type,
                   row.subject_id, row.updated_at, row.created_at)


def view_of(id_: int, area_id: int, area_slug: str, key: str, origin: str, title: str, body: str | None,
            citation: dict[str, str] | None, recurrence: dict[str, Any], audience: list[str] | None,
            lead_days: list[int] | None, local_time: str | None, public: bool, created_by: str | None,
            subject_type: str | None, subject_id: int | None, updated_at: dt.datetime, created_at: dt.datetime, *,
            moment: Callable[[str], dt.datetime] = dt.datetime.fromisoformat, schedule: str | None = None) -> RuleView:
    """The one builder of a :class:`RuleView`, from the values of :data:`_RULE_COLUMNS` in that order.

    The view has its own copies of the recurrence and the lists: the calendar's read decodes each
    distinct JSON text once and hands the same values to every rule that has it (the citation,
    which nothing changes, is shared as it is). ``moment`` reads the schedule's ``since`` (the read passes one that reads
    each distinct text once); ``schedule`` is :attr:`RuleView.schedule`. Raises ValueError (or
    KeyError) for a schedule it cannot read."""
    since = recurrence.get("since")
    return RuleView(id_, area_id, area_slug, key, origin, title, body or "", citation, dict(recurrence),
                    list(audience or ()), list(lead_days or ()), local_time, public, created_by, subject_type, subject_id,
                    updated_at, moment(since) if since else created_at, parse_time(local_time or "09:00"),
                    schedule=schedule)


def describe_rule(rule: RuleView | ReminderRule, facts: Facts | None = None) -> str:
    labels: Mapping[str, str] = (facts.labels if facts else {}) or {}
    spec = rule.recurrence
    at = None if spec.get("kind") in ("at",) or (spec.get("kind") == "board_meetings" and not spec.get("working_days_after")) else rule.local_time
    return describe(spec, at, date_labels={**RECORDABLE, **labels}, board_labels=labels)
