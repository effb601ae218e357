"""Doing a thing once, whatever the platform re-delivers.

Slack retries events it thinks timed out (X-Slack-Retry-Num), people double-click, Teams
re-sends activities. :func:`first_time` records the platform's own id for the thing in
``processed_requests`` (primary key): the first caller gets True, every repeat False,
across processes and replicas.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedRequest
from storage.sql import insert_for

# One statement per dialect, built once: this runs for every message and button press, and
# building the INSERT afresh cost more than executing it.
_FIRST_TIME: dict[str, Any] = {}
_FIRST_TIMES: dict[str, Any] = {}


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


def _first_times_statement(session: AsyncSession) -> Any:
    dialect = session.bind.dialect.name
    statement = _FIRST_TIMES.get(dialect)
    if statement is None:
        statement = _FIRST_TIMES[dialect] = _first_time_statement(session).returning(ProcessedRequest.__table__.c.key)
    return statement


async def first_time(session: AsyncSession, key: str, result: dict[str, Any] | None = None) -> bool:
    res = await session.execute(_first_time_statement(session),
                                {"k": key[:300], "at": dt.datetime.now(dt.UTC), "r": result})
    return bool(res.rowcount)


async def first_times(session: AsyncSession, keys: Sequence[str]) -> set[str]:
    """:func:`first_time` for many keys in one statement: the keys (cut to 300 characters) not seen before.

    For callers that record the keys of several deliveries arriving together in one
    transaction (one INSERT with RETURNING; SQLite before 3.35 has no RETURNING, so there
    each key is inserted on its own, in the same transaction).
    """
    keys = [k[:300] for k in keys]
    if not keys:
        return set()
    at = dt.datetime.now(dt.UTC)
    if session.bind.dialect.name == "sqlite" and sqlite3.sqlite_version_info < (3, 35):
        return {k for k in dict.fromkeys(keys) if await first_time(session, k)}
    res = await session.execute(_first_times_statement(session), [{"k": k, "at": at, "r": None} for k in keys])
    return set(res.scalars())


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
