"""Notices: what was posted for whom, whether or not a channel was linked to take it.

Written beside the outbox rows, in the same transaction (see :class:`bot.notify.OutboxNotifier`):
the outbox says which channel a post went to; a notice says who it was for (a board, the
directors, the admins), so a person's inbox can list what was posted for them and their boards,
and a post nobody could receive yet (no channel linked) waits, said as waiting, until one is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import directory
from storage.models import Notice
from storage.sql import insert_for


async def remember(session: AsyncSession, *, area_slug: str, purpose: str, board_key: str, key: str, origin: str,
                   payload: dict[str, Any], now: dt.datetime) -> bool:
    """Record the notice ``key`` once; True when it is new."""
    aid = await directory.area_id(session, area_slug)
    res = await session.execute(
        insert_for(session)(Notice)
        .values(key=key[:400], area_id=aid, purpose=purpose, board_key=board_key, origin=origin, payload=payload,
                channels=0, created_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    return bool(res.rowcount)


async def delivered(session: AsyncSession, key: str, channels: int) -> None:
    """Add ``channels`` to the channel posts queued for notice ``key``."""
    if channels:
        await session.execute(update(Notice).where(Notice.key == key[:400]).values(channels=Notice.channels + channels))


async def waiting(session: AsyncSession, area_slug: str, purpose: str, board_key: str = "", *,
                  since: dt.datetime | None = None) -> list[Notice]:
    """Notices for a target that no channel has taken yet, oldest first."""
    aid = await directory.area_id(session, area_slug)
    q = select(Notice).where(Notice.area_id == aid, Notice.purpose == purpose, Notice.channels == 0)
    if purpose == "board":
        q = q.where(Notice.board_key == board_key)
    if since is not None:
        q = q.where(Notice.created_at >= since)
    return list((await session.execute(q.order_by(Notice.id))).scalars())


async def for_targets(session: AsyncSession, area_slug: str, *, boards: set[str], directors: bool, admins: bool,
                      since: dt.datetime, limit: int = 50) -> list[Notice]:
    """The notices for any of ``boards`` (and the directors' / admins' when asked), newest first."""
    aid = await directory.area_id(session, area_slug)
    wanted = []
    if boards:
        wanted.append((Notice.purpose == "board") & Notice.board_key.in_(sorted(boards)))
    if directors:
        wanted.append(Notice.purpose == "directors")
    if admins:
        wanted.append(Notice.purpose == "admins")
    if not wanted:
        return []
    q = (select(Notice).where(Notice.area_id == aid, Notice.created_at >= since, or_(*wanted))
         .order_by(Notice.created_at.desc(), Notice.id.desc()).limit(limit))
    return list((await session.execute(q)).scalars())
