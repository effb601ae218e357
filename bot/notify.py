"""The Notifier port: how workflows post to other people's channels.

Workflows call :meth:`Notifier.post` inside their own database transaction; the outbox
implementation records the notice (who it is for: :mod:`storage.notices`, read by each
person's inbox), queues a delivery row per linked channel, and the dispatcher sends it.
Where no channel is linked the notice waits, the area's admins are asked once to link one
(:func:`ask_for_channel`), and linking it sends what waited (:func:`release_waiting`);
:func:`where_sent` says which of these happened, so confirmations tell the truth.
Tests assert on the outbox rows it writes, through the real dispatcher and stand-in servers.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import Reply, Visibility, reply_to_dict
from scheduler.outbox import ADMINS, DIRECTORS, Target, enqueue
from storage import directory, notices

__all__ = ["Notifier", "OutboxNotifier", "Target", "DIRECTORS", "ADMINS", "where_sent", "release_waiting", "ask_for_channel"]

WAIT_DAYS = 90  # a post waiting longer than this for a channel is not sent when one is linked (only listed)


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
    def __init__(self, dispatcher=None, clock=lambda: dt.datetime.now(dt.UTC), names=None) -> None:
        self.dispatcher = dispatcher
        self.clock = clock
        self.names = names  # (area slug, board key) -> the board's short name, for the admins' request

    async def post(self, session, *, area_slug, target, reply, key, origin, due_at=None, exclude=None) -> int:
        now = self.clock()
        new = await notices.remember(session, area_slug=area_slug, purpose=target.purpose, board_key=target.board_key,
                                     key=key, origin=origin, payload=reply_to_dict(reply), now=now)
        queued = await enqueue(session, area_slug=area_slug, target=target, reply=reply, key=key, origin=origin,
                               due_at=due_at or now, exclude=exclude)
        await notices.delivered(session, key, queued)
        if new and not queued and target.purpose != "admins":
            await ask_for_channel(self, session, area_slug, target, now)
        return queued

    def kick(self) -> None:
        if self.dispatcher is not None:
            self.dispatcher.kick()


def _target_words(area_slug: str, target: Target, short: str = "") -> str:
    if target.purpose == "directors":
        return "the directors' channel"
    if target.purpose == "admins":
        return "the admins' channel"
    return f"the {short or target.board_key} channel"


async def ask_for_channel(notifier: Notifier, session: AsyncSession, area_slug: str, target: Target, now: dt.datetime) -> None:
    """Ask the area's admins, once per target, to link the channel a post is waiting for."""
    names = getattr(notifier, "names", None)
    short = (names(area_slug, target.board_key) if names else target.board_key.upper()) if target.purpose == "board" else ""
    what = "directors" if target.purpose == "directors" else short or target.board_key
    words = _target_words(area_slug, target, short)
    ask = Reply(
        title=f"A channel is wanted: {words}",
        text=(f"boardbot has a post waiting for {words}, and no channel is linked for it. In that channel, type "
              f"“admin link-channel {what}”: what is waiting is posted there then. Until it is, the people concerned "
              "see it in their “inbox”."),
        visibility=Visibility.CHANNEL, data={"channel_wanted": {"purpose": target.purpose, "board": target.board_key}},
    )
    await notifier.post(session, area_slug=area_slug, target=ADMINS, reply=ask,
                        key=f"channel-wanted:{area_slug}:{target.purpose}:{target.board_key}", origin="admin", due_at=now)


async def where_sent(session: AsyncSession, area_slug: str, target: Target, queued: int, short: str = "") -> str:
    """The truth about one post, for a confirmation: where it went, or that it waits, for whom, and who was asked."""
    if queued:
        return f"Posted to {_target_words(area_slug, target, short)}."
    admins = ("the area's admins have been asked, in their channel, to link one" if await directory.channels_for(session, area_slug, "admins")
              else "the area's admins have been asked to link one (in their inbox: no admins' channel is linked either)")
    if target.purpose == "directors":
        return (f"No directors' channel is linked yet, so it waits: the directors see it in their “inbox” and it is posted "
                f"when one is linked; {admins}.")
    board = short or target.board_key
    return (f"No channel is linked for the {board} yet, so it waits: the {board}'s chair and business manager see it in their "
            f"“inbox” and it is posted when one is linked; {admins}.")


async def release_waiting(session: AsyncSession, area_slug: str, purpose: str, board_key: str, now: dt.datetime) -> int:
    """Queue, for a channel just linked, the posts that were waiting for it (up to :data:`WAIT_DAYS` old)."""
    from bot.messages import reply_from_dict

    sent = 0
    for n in await notices.waiting(session, area_slug, purpose, board_key, since=now - dt.timedelta(days=WAIT_DAYS)):
        queued = await enqueue(session, area_slug=area_slug, target=Target(purpose, board_key), reply=reply_from_dict(n.payload),
                               key=n.key, origin=n.origin, due_at=now)
        await notices.delivered(session, n.key, queued)
        sent += queued
    return sent
