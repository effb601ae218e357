"""Doing a thing once, whatever the platform re-delivers.

Slack retries events it thinks timed out (X-Slack-Retry-Num), people double-click, Teams
re-sends activities. :func:`first_time` records the platform's own id for the thing in
``processed_requests`` (primary key): the first caller gets True, every repeat False,
across processes and replicas.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedRequest
from storage.sql import insert_for

# One statement per dialect, built once: this runs for every message and button press, and
# building the INSERT afresh cost more than executing it.
_FIRST_TIME: dict[str, Any] = {}


def _first_time_statement(session: AsyncSession) -> Any:
    dialect = session.bind.dialect.name
    statement = _FIRST_TIME.get(dialect)
    if statement is None:
        table = ProcessedRequest.__table__  # the table, not the entity: a plain INSERT, with its row count
        statement = _FIRST_TIME[dialect] = (
            insert_for(session)(table)
            .values(key=bindparam("k"), created_at=bindparam("at"), result=bindparam("r", type_=table.c.result.type))
            .on_conflict_do_nothing(index_elements=["key"])
        )
    return statement


async def first_time(session: AsyncSession, key: str, result: dict[str, Any] | None = None) -> bool:
    res = await session.execute(_first_time_statement(session),
                                {"k": key[:300], "at": dt.datetime.now(dt.UTC), "r": result})
    return bool(res.rowcount)


async def forget(session: AsyncSession, key: str) -> None:
    """Let ``key`` be acted on again (e.g. a form button whose form was not submitted)."""
    await session.execute(delete(ProcessedRequest).where(ProcessedRequest.key == key[:300]))


async def first_time_in(sessions, key: str, result: dict[str, Any] | None = None) -> bool:
    """:func:`first_time` in a transaction of its own (``sessions`` is a session factory)."""
    async with sessions() as s:
        fresh = await first_time(s, key, result)
        await s.commit()
    return fresh


async def remembered(session: AsyncSession, key: str) -> dict[str, Any] | None:
    row = (await session.execute(select(ProcessedRequest).where(ProcessedRequest.key == key[:300]))).scalar_one_or_none()
    return row.result if row else None


# Kept as long as the buttons carrying them may be pressed: Slack button values too big for
# Slack's 2,000 characters are stored here under this prefix and looked up on the press.
# Slack's first-use welcome is said once per person, ever: its key is kept too.
LONG_LIVED_PREFIXES = ("slack:value:", "slack:welcomed:")
RETENTION = dt.timedelta(days=30)


async def forget_old(session: AsyncSession, now: dt.datetime) -> int:
    """Drop retry guards older than :data:`RETENTION` (platforms retry within minutes; a press
    of an old card is guarded by the workflow's own state). Returns how many went."""
    stmt = delete(ProcessedRequest).where(ProcessedRequest.created_at < now - RETENTION)
    for prefix in LONG_LIVED_PREFIXES:
        stmt = stmt.where(~ProcessedRequest.key.startswith(prefix))
    res = await session.execute(stmt)
    return res.rowcount or 0
