"""The outbox: everything posted proactively, and where each notice went (or that it waits)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


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
