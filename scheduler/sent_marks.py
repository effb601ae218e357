"""Recording posts as sent: one transaction for every post that went out meanwhile (group commit).

The :class:`~scheduler.dispatch.Dispatcher` sends to several channels at once. Each post,
once sent, must be recorded as sent before its channel's next post goes (so a restart never
sends it again, and a channel's posts stay in order); writing each with its own UPDATE and
COMMIT made a busy tick pay a transaction per post. :class:`SentMarks` gathers the marks of
the posts that finish while one transaction is being written into the next.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Delivery

log = logging.getLogger("boardbot.outbox")


class SentMarks:
    """The sent marks of one worker (``worker_id``): :meth:`mark` returns once its mark is committed."""

    def __init__(self, sessions: Callable[[], AsyncSession], worker_id: str) -> None:
        self.sessions = sessions
        self.worker_id = worker_id
        self._waiting: list[tuple[dict[str, Any], asyncio.Future[None]]] = []  # sent, not yet recorded
        self._writing: asyncio.Future[None] | None = None

    async def mark(self, *, row_id: int, sent_at: dt.datetime, message_ref: str | None, attempts: int, late: bool) -> None:
        """Record a post as sent (only while it is still this worker's), and return once that is committed.

        A row is still sent before it is marked, and marked before its channel's next row is
        sent; the marks of other channels that finish meanwhile share the transaction. If the
        write fails, each waiting post's mark fails as its own write would have.
        """
        await self.add(row_id=row_id, sent_at=sent_at, message_ref=message_ref, attempts=attempts, late=late)

    def add(self, *, row_id: int, sent_at: dt.datetime, message_ref: str | None, attempts: int,
            late: bool) -> asyncio.Future[None]:
        """:meth:`mark`, without waiting: the mark is in the next transaction, and what is returned
        is done once that is committed (or fails as it failed). For a channel's last post, which
        no later post waits for: its sender can take the next channel meanwhile."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(({"row_id": row_id, "sent_at": sent_at, "message_ref": message_ref, "attempts": attempts,
                               "late": late}, done))
        if self._writing is None or self._writing.done():
            self._writing = asyncio.ensure_future(self._write())
        return done

    async def _write(self) -> None:
        table = Delivery.__table__
        statement = (update(table)
                     .where(table.c.id == bindparam("row_id"), table.c.claimed_by == self.worker_id)
                     .values(status="sent", sent_at=bindparam("sent_at"), message_ref=bindparam("message_ref"),
                             attempts=bindparam("attempts"), late=bindparam("late"), claimed_until=None, last_error=None))
        while self._waiting:
            await asyncio.sleep(0)  # let the posts finishing at this moment join the batch
            batch, self._waiting = self._waiting, []
            try:
                async with self.sessions() as s:
                    done = await s.execute(statement, [v for v, _ in batch])
                    await s.commit()
            except BaseException as exc:  # each waiting channel fails as its own write would have
                for _, waiter in batch:
                    if not waiter.done():
                        waiter.set_exception(exc)
                if isinstance(exc, asyncio.CancelledError):
                    raise
                continue
            if 0 <= (done.rowcount or 0) < len(batch):  # cannot happen while the claims hold; say so if it does
                log.warning("%d of %d deliveries were marked sent after another worker claimed them (%s)",
                            len(batch) - max(done.rowcount, 0), len(batch), self.worker_id)
            for _, waiter in batch:
                if not waiter.done():
                    waiter.set_result(None)
