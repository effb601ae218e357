"""The protocols' calendar: reminder rules, each occurrence's state, the dates an area
records, and the calendar feeds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class ReminderRule(Base):
    """A recurring or one-off reminder: what, when (a recurrence spec), to whom, with which lead times.

    ``origin`` is ``protocol`` for rules derived from an area's protocol data (kept in step
    on import, keyed by ``key``), ``user`` for business managers' own. (Challenge
    response windows are not rules: the challenge workflow's own clock nudges them.)
    """

    __tablename__ = "reminder_rules"
    __table_args__ = (UniqueConstraint("area_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    origin: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text, default="")
    citation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    recurrence: Mapped[dict[str, Any]] = mapped_column()
    audience: Mapped[list[Any]] = mapped_column(default=list)
    lead_days: Mapped[list[Any]] = mapped_column(default=list)
    local_time: Mapped[str] = mapped_column(String(5), default="09:00")
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str | None] = mapped_column(String(300))
    subject_type: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OccurrenceState(Base):
    """What people said about one occurrence of a rule: done, snoozed until, not this time (why)."""

    __tablename__ = "occurrence_states"
    __table_args__ = (UniqueConstraint("rule_id", "occurs_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("reminder_rules.id", ondelete="CASCADE"), index=True)
    occurs_at: Mapped[dt.datetime] = mapped_column()
    state: Mapped[str] = mapped_column(String(16))  # done | snoozed | skipped
    reason: Mapped[str | None] = mapped_column(Text)
    until: Mapped[dt.datetime | None] = mapped_column()
    by: Mapped[str] = mapped_column(String(300))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AreaDate(Base):
    """A dated event an area records, from which statutory deadlines run (e.g. publication)."""

    __tablename__ = "area_dates"
    __table_args__ = (UniqueConstraint("area_id", "key", "on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    on: Mapped[dt.date] = mapped_column(Date())
    recorded_by: Mapped[str] = mapped_column(String(300))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CalendarFeed(Base):
    """A personal iCalendar feed behind an unguessable token (only its hash is stored)."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column()
