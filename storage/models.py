"""SQLAlchemy models: the protocols (read side) and everything people do (write side).

The protocol of an area is stored whole, as the validated document of each imported
revision (history is kept), with its boards also as rows so that channel links,
challenges and agenda requests can refer to them. Everything people do is append-only
where it is a record (audit events) and de-duplicated on natural keys where a platform
may deliver the same thing twice (Slack retries, double clicks, Teams re-sends).

All timestamps are timezone-aware UTC; local (Europe/London) time is a presentation
concern.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware datetimes in UTC on every backend (SQLite has no timezone type)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


# --- the protocols ---------------------------------------------------------------------


class Area(Base):
    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # what the area's protocol reminders were last derived from (scheduler.reads.protocol_fingerprints)
    rules_fingerprint: Mapped[str | None] = mapped_column(String(200), default=None)


class ProtocolRevision(Base):
    """One imported version of an area's protocol; the current one has ``is_current``."""

    __tablename__ = "protocol_revisions"
    __table_args__ = (UniqueConstraint("area_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(16))  # "bundled" or "import"
    source_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict[str, Any]] = mapped_column()
    text: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    imported_by: Mapped[str | None] = mapped_column(String(200))
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)


class BoardRow(Base):
    """A board of an area, kept in step with the current protocol (key is stable)."""

    __tablename__ = "boards"
    __table_args__ = (UniqueConstraint("area_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    short_name: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(64))
    party: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


# --- who is who, and where -----------------------------------------------------------------


class Workspace(Base):
    """A Slack workspace (team id) or Teams tenant linked to an area."""

    __tablename__ = "workspaces"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(200))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Person(Base):
    """A platform user known to boardbot, with their roles (each in one area).

    ``area_id`` is the area that first recorded them (their home: where their personal
    calendar feed looks); what they may do anywhere comes from ``roles`` alone.
    """

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("platform", "workspace", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    roles: Mapped[list[PersonRole]] = relationship(
        back_populates="person", cascade="all, delete-orphan", lazy="selectin"
    )


class PersonRole(Base):
    """A role held in one area: ``chair:<board>``, ``business_manager:<board>``,
    ``delegated_officer:<board>``, ``director``, ``post:<directory role key>`` or ``admin``.

    (area, board, role): a board key means a board of ``area_id``'s protocol, and nothing in
    any other area, even one with a board of the same key.
    """

    __tablename__ = "person_roles"
    __table_args__ = (UniqueConstraint("person_id", "area_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(200))
    person: Mapped[Person] = relationship(back_populates="roles")


class ChannelLink(Base):
    """A platform channel linked to a board (its business channel) or a purpose (directors, admins).

    ``conversation_ref`` holds what the platform needs to post there proactively (Teams).
    """

    __tablename__ = "channel_links"
    __table_args__ = (UniqueConstraint("area_id", "platform", "channel_id", "purpose", "board_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(200))
    channel_id: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str] = mapped_column(String(32))  # board | directors | admins
    board_key: Mapped[str] = mapped_column(String(64), default="")
    conversation_ref: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ConversationRef(Base):
    """The last known Bot Framework conversation reference per conversation, for proactive posts."""

    __tablename__ = "conversation_refs"

    conversation_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    tenant_id: Mapped[str | None] = mapped_column(String(200))
    reference: Mapped[dict[str, Any]] = mapped_column()
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ProcessedRequest(Base):
    """Requests already handled (Slack retries, double clicks, Teams re-sends).

    The key is the platform's own id for the thing (event id, action's message + action
    ts, activity id); the stored reply is returned again instead of acting twice.
    """

    __tablename__ = "processed_requests"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class AuditEvent(Base):
    """Append-only record of every step taken (and every refusal) in a workflow."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


# --- the outbox: everything posted proactively ---------------------------------------------


class Notice(Base):
    """One proactive post as it was meant: for whom (a board, the directors, the admins), what it
    said and how many channels it went to. Written with the outbox rows, in the same transaction,
    whether or not a channel is linked, so each person's inbox can show what was posted for them
    and their boards, and a post waiting for a channel is sent when one is linked.
    ``channels`` is how many channel posts were queued (0: waiting for a channel)."""

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_target", "area_id", "purpose", "board_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))  # board | directors | admins
    board_key: Mapped[str] = mapped_column(String(64), default="")
    origin: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column()
    channels: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)



class Delivery(Base):
    """One message to post to one channel: the outbox.

    ``key`` is unique per intended post (rule + occurrence + target + lead time for a
    reminder; workflow step + target for a notification), so a retried or repeated
    enqueue never doubles a post. A dispatcher claims due rows, sends, and marks them sent;
    failures retry with back-off from ``next_attempt_at``.
    """

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    origin: Mapped[str] = mapped_column(String(32))  # reminder | challenge | agenda | minutes | admin
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(200))
    channel_id: Mapped[str] = mapped_column(String(300))
    channel_link_id: Mapped[int | None] = mapped_column(ForeignKey("channel_links.id", ondelete="SET NULL"))
    payload: Mapped[dict[str, Any]] = mapped_column()
    due_at: Mapped[dt.datetime] = mapped_column()
    next_attempt_at: Mapped[dt.datetime] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | sent | failed | cancelled
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[dt.datetime | None] = mapped_column()
    sent_at: Mapped[dt.datetime | None] = mapped_column()
    message_ref: Mapped[str | None] = mapped_column(String(300))
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    rule_id: Mapped[int | None] = mapped_column(Integer, index=True)
    occurs_at: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


# --- the protocols' calendar ----------------------------------------------------------------


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


# --- workflows: mutual challenge and agenda requests -------------------------------------------


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
