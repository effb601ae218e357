"""The Notifier port: how workflows post to other people's channels.

Workflows call :meth:`Notifier.post` inside their own database transaction; the outbox
implementation queues a delivery row per linked channel, and the dispatcher sends it.
Tests assert on the outbox rows it writes, through the real dispatcher and stand-in servers.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import Reply
from scheduler.outbox import ADMINS, DIRECTORS, Target, enqueue

__all__ = ["Notifier", "OutboxNotifier", "Target", "DIRECTORS", "ADMINS"]


class Notifier(ABC):
    @abstractmethod
    async def post(
        self, session: AsyncSession, *, area_slug: str, target: Target, reply: Reply, key: str, origin: str,
        due_at: dt.datetime | None = None, exclude: tuple[str, str] | None = None,
    ) -> int:
        """Queue ``reply`` for ``target``'s channels in ``session``'s transaction; return how many.
        ``exclude`` = (platform, workspace) leaves out that workspace's channels."""

    def kick(self) -> None:
        """Ask for queued posts to be sent soon (after the caller commits). Optional: by default
        they go at the next tick."""
        return None


class OutboxNotifier(Notifier):
    def __init__(self, dispatcher=None, clock=lambda: dt.datetime.now(dt.UTC)) -> None:
        self.dispatcher = dispatcher
        self.clock = clock

    async def post(self, session, *, area_slug, target, reply, key, origin, due_at=None, exclude=None) -> int:
        return await enqueue(session, area_slug=area_slug, target=target, reply=reply, key=key, origin=origin,
                             due_at=due_at or self.clock(), exclude=exclude)

    def kick(self) -> None:
        if self.dispatcher is not None:
            self.dispatcher.kick()
