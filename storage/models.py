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
    """A platform user known to an area's directory, with their roles."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("platform", "workspace", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str | None] = mapped_column(String(200))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    roles: Mapped[list[PersonRole]] = relationship(
        back_populates="person", cascade="all, delete-orphan", lazy="selectin"
    )


class PersonRole(Base):
    """A role string: ``chair:<board>``, ``business_manager:<board>``, ``delegated_officer:<board>``,
    ``director``, or ``post:<directory role key>``."""

    __tablename__ = "person_roles"
    __table_args__ = (UniqueConstraint("person_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
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
