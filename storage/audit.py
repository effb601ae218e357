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
    return (await histories(session, subject_type, [subject_id]))[subject_id]


async def histories(session: AsyncSession, subject_type: str, subject_ids: list[int]) -> dict[int, list[AuditEvent]]:
    """Each subject's events, oldest first, in one query (an export of a year's challenges reads
    them all at once)."""
    out: dict[int, list[AuditEvent]] = {i: [] for i in subject_ids}
    if not subject_ids:
        return out
    rows = await session.execute(
        select(AuditEvent).where(AuditEvent.subject_type == subject_type, AuditEvent.subject_id.in_(subject_ids))
        .order_by(AuditEvent.at, AuditEvent.id))
    for event in rows.scalars():
        out[event.subject_id].append(event)
    return out
