"""Doing a thing once, whatever the platform re-delivers.

Slack retries events it thinks timed out (X-Slack-Retry-Num), people double-click, Teams
re-sends activities. :func:`first_time` records the platform's own id for the thing in
``processed_requests`` (primary key): the first caller gets True, every repeat False,
across processes and replicas.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedRequest


async def first_time(session: AsyncSession, key: str, result: dict[str, Any] | None = None) -> bool:
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    res = await session.execute(
        insert(ProcessedRequest).values(key=key[:300], created_at=dt.datetime.now(dt.UTC), result=result)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    return bool(res.rowcount)


async def remembered(session: AsyncSession, key: str) -> dict[str, Any] | None:
    row = (await session.execute(select(ProcessedRequest).where(ProcessedRequest.key == key[:300]))).scalar_one_or_none()
    return row.result if row else None


async def forget_older_than(session: AsyncSession, days: int = 7) -> int:
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    res = await session.execute(delete(ProcessedRequest).where(ProcessedRequest.created_at < cutoff))
    return res.rowcount or 0
