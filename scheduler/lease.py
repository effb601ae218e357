"""Named, expiring leases in the ``leases`` table: at most one replica does a job at a time.

The outbox dispatcher (``outbox``) and the calendar (``calendar``) hold one each: the
holder renews it on every tick; a holder that dies (even ``kill -9``) loses it when
``until`` passes and another replica takes over. Works on SQLite and PostgreSQL alike
(a conditional UPDATE, then an INSERT that does nothing on conflict).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Lease
from storage.sql import insert_for


async def take(session: AsyncSession, name: str, holder: str, *, now: dt.datetime, seconds: float) -> bool:
    """Take or renew lease ``name`` for ``holder`` until ``now + seconds``; True if held. Commits."""
    until = now + dt.timedelta(seconds=seconds)
    result = await session.execute(
        update(Lease).where(Lease.name == name, or_(Lease.until < now, Lease.holder == holder)).values(holder=holder, until=until)
    )
    if result.rowcount:
        await session.commit()
        return True
    result = await session.execute(
        insert_for(session)(Lease).values(name=name, holder=holder, until=until).on_conflict_do_nothing(index_elements=["name"])
    )
    await session.commit()
    return bool(result.rowcount)


async def release(session: AsyncSession, name: str, holder: str, *, now: dt.datetime) -> None:
    """Give the lease up at once (a clean shutdown), so another replica need not wait it out. Commits."""
    await session.execute(
        update(Lease).where(Lease.name == name, Lease.holder == holder).values(until=now - dt.timedelta(seconds=1))
    )
    await session.commit()
