"""The protocols (read side): each area, every imported revision of its protocol kept whole,
and its boards as rows so that links, challenges and agenda requests can refer to them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


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
    # written with the document (storage.documents.pack): what a server reads of it at start,
    # and the document itself as compressed JSON, kept in memory until first used
    head: Mapped[dict[str, Any] | None] = mapped_column()
    packed: Mapped[bytes | None] = mapped_column(LargeBinary)
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
