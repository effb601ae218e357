"""What people do together: mutual challenges, board meetings and agenda requests, the
leases replicas hold, and the risk log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class Challenge(Base):
    """A formal challenge from one board to another, at a rung of the area's ladder."""

    __tablename__ = "challenges"
    __table_args__ = (UniqueConstraint("area_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    idempotency_key: Mapped[str] = mapped_column(String(300), unique=True)
    from_board: Mapped[str] = mapped_column(String(64))
    to_board: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(Text)  # as long as the form allows (bot.limits)
    concern: Mapped[str] = mapped_column(Text)
    response_sought: Mapped[str] = mapped_column(Text)
    theme_key: Mapped[str | None] = mapped_column(String(64))
    raised_by: Mapped[str] = mapped_column(String(300))
    raised_by_user: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(24))  # open | awaiting_info | responded | resolved | withdrawn
    rung_index: Mapped[int] = mapped_column(Integer, default=0)
    rung_key: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[dt.datetime | None] = mapped_column()
    paused_at: Mapped[dt.datetime | None] = mapped_column()
    paused_days_left: Mapped[int | None] = mapped_column(Integer)
    nudged_at: Mapped[dt.datetime | None] = mapped_column()
    outcome: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column()


class BoardMeeting(Base):
    """A dated meeting of a board, to which agenda items are accepted."""

    __tablename__ = "board_meetings"
    __table_args__ = (UniqueConstraint("area_id", "board_key", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    board_key: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[dt.datetime] = mapped_column()
    title: Mapped[str] = mapped_column(String(300), default="")
    created_by: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AgendaRequest(Base):
    """A request from one board's chair for an item on another board's agenda."""

    __tablename__ = "agenda_requests"
    __table_args__ = (UniqueConstraint("area_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    idempotency_key: Mapped[str] = mapped_column(String(300), unique=True)
    from_board: Mapped[str] = mapped_column(String(64))
    to_board: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)  # as long as the form allows (bot.limits)
    reason: Mapped[str] = mapped_column(Text)
    preferred_meeting: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # requested | accepted | deferred | declined | withdrawn
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("board_meetings.id", ondelete="SET NULL"))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(300))
    challenge_id: Mapped[int | None] = mapped_column(ForeignKey("challenges.id", ondelete="SET NULL"))
    requested_by: Mapped[str] = mapped_column(String(300))
    requested_by_user: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Lease(Base):
    """A named, expiring lease: at most one replica holds it (e.g. the outbox dispatcher).

    Portable across SQLite and PostgreSQL; a holder that dies (even kill -9) loses it
    when ``until`` passes, and another replica takes over.
    """

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    until: Mapped[dt.datetime] = mapped_column()


class RiskEntry(Base):
    """An entry in a risk log the partners share, where an area's protocol names one (Central
    Bedfordshire's: "the Risk Log held by the Local Safeguarding Children Board"). ``board_key``
    is the board that holds the log; ``owner`` who owns the risk, in the raiser's words;
    ``review_on`` the London date of its next review."""

    __tablename__ = "risk_entries"
    __table_args__ = (UniqueConstraint("area_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    idempotency_key: Mapped[str] = mapped_column(String(300), unique=True)
    board_key: Mapped[str] = mapped_column(String(64))
    raised_for: Mapped[str] = mapped_column(String(64))  # the board on whose behalf it was raised
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # open | closed
    review_on: Mapped[dt.date | None] = mapped_column(Date)
    last_review: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column()
    closed_reason: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[dt.datetime | None] = mapped_column()
    raised_by: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
