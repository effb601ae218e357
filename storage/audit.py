"""The append-only record: every workflow step, every admin change, every refusal."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import directory
from storage.models import AuditEvent


async def record(
    session: AsyncSession, area_slug: str, subject_type: str, subject_id: int | None, actor: str, kind: str,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(area_id=await directory.area_id(session, area_slug), subject_type=subject_type,
                       subject_id=subject_id, actor=actor, kind=kind, detail=detail or {})
    session.add(event)
    await session.flush()
    return event


async def history(session: AsyncSession, subject_type: str, subject_id: int) -> list[AuditEvent]:
    return list(
        (
            await session.execute(
                select(AuditEvent).where(AuditEvent.subject_type == subject_type, AuditEvent.subject_id == subject_id)
                .order_by(AuditEvent.at, AuditEvent.id)
            )
        ).scalars()
    )
