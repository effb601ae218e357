"""Who is who and where: workspaces, people and their roles per area, channel links,
conversation references, de-duplicated requests and the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, utcnow


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
