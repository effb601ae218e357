"""Claiming the outbox rows a dispatcher may send now, in order per channel.

:func:`claim_due` is the :class:`~scheduler.dispatch.Dispatcher`'s one query for that: the due
rows no earlier post of their channel waits before, in channels no other worker has a post of
in hand, each claimed for this worker (and its attempt counted) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Row, and_, exists, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Delivery

Claimed = Row[Any]  # a claimed ``deliveries`` row: its columns as plain values (``row.id``, ``row.payload`` ...)


async def claim_due(session: AsyncSession, *, worker_id: str, now: dt.datetime, until: dt.datetime,
                    limit: int) -> list[Claimed]:
    """Claim up to ``limit`` rows due at ``now`` for ``worker_id`` until ``until``, soonest first (commits).

    The rows come back as they were before the claim (their ``attempts`` without this one)."""
    d = Delivery.__table__
    earlier = d.alias("earlier")
    blocked = exists().where(
        earlier.c.status == "pending",
        earlier.c.platform == d.c.platform,
        earlier.c.channel_id == d.c.channel_id,
        or_(earlier.c.due_at < d.c.due_at, and_(earlier.c.due_at == d.c.due_at, earlier.c.id < d.c.id)),
        earlier.c.next_attempt_at > now,  # an earlier post waiting to be retried
    )
    # a channel with a post still in another worker's hands (a batch that lost the lease, a
    # crashed replica's claim): nothing more goes there until that is settled (one query, not per row)
    held = d.alias("held")
    busy = select(held.c.platform, held.c.channel_id).where(held.c.status == "pending", held.c.claimed_until >= now)
    # plain rows, not ORM objects: nothing is changed through them, and loading 500 objects
    # (their identity map, their state) cost more than the query
    rows = list((await session.execute(
        select(d)
        .where(
            d.c.status == "pending",
            d.c.next_attempt_at <= now,
            or_(d.c.claimed_until.is_(None), d.c.claimed_until < now),
            ~blocked,
            tuple_(d.c.platform, d.c.channel_id).not_in(busy),
        )
        .order_by(d.c.due_at, d.c.id)
        .limit(limit)
    )).all())
    if not rows:
        return []
    # the attempt is counted when it is claimed, so a send cut short by a crash (kill -9)
    # is seen as a second attempt next time and the sender checks the channel first
    claimed = set((await session.execute(
        update(d)
        .where(d.c.id.in_([r.id for r in rows]), d.c.status == "pending",
               or_(d.c.claimed_until.is_(None), d.c.claimed_until < now))  # not one taken meanwhile
        .values(claimed_by=worker_id, claimed_until=until, attempts=d.c.attempts + 1)
        .returning(d.c.id)
    )).scalars())
    await session.commit()
    return [r for r in rows if r.id in claimed]
