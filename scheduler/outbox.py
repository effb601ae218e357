"""The outbox: every proactive post is a row first, and a post second.

Workflows and reminders call :func:`enqueue` inside their own transaction, so a
challenge and its notification are saved together or not at all; nothing a user entered
is lost when Slack or Teams is down. The :class:`~scheduler.dispatch.Dispatcher` then sends
due rows (this module holds the rows and the ports; :mod:`scheduler.dispatch` the sending):

- one replica at a time holds the ``outbox`` lease (:mod:`scheduler.lease`), so posts to
  one channel go out in order;
- a row is marked claimed (committed) before its post and sent after it, so a crash
  mid-send is retried when the claim expires (at least once; the Slack sender checks the
  channel for the delivery key before re-posting, see bot.platforms.slack);
- leases and claims are short (:data:`LEASE_SECONDS`, :data:`CLAIM_SECONDS`) and kept alive
  by a heartbeat while their holder lives: every replica calls :meth:`Dispatcher.beat`
  every :data:`BEAT_SECONDS` (renewing the lease, or taking it over when it has lapsed, and
  looking for claims a dead replica left), and a batch in progress renews its claims on the
  same beat however slow one post is. So a replica killed with ``kill -9`` has its channels
  taken over within about :data:`CLAIM_SECONDS` + :data:`BEAT_SECONDS`, in order;
- a slow batch renews the lease and extends its claims as it goes, and sends a row only
  while the claim is still its own, so a replica that took over never sends it too;
- a transient failure (5xx, 429, timeout) backs off, honouring Retry-After, and holds
  back later posts to the same channel so order is kept; a permanent failure marks the row
  failed and tells the area's admins channel.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, replace
from typing import Any, Protocol

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import Reply, reply_from_dict, reply_to_dict
from storage import directory
from storage.models import Delivery
from storage.sql import insert_for

log = logging.getLogger("boardbot.outbox")

LATE_AFTER = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Target:
    """Where a post goes: a board's linked channels, or the area's directors' / admins' channels."""

    purpose: str  # board | directors | admins
    board_key: str = ""

    @staticmethod
    def board(key: str) -> Target:
        return Target("board", key)


DIRECTORS = Target("directors")
ADMINS = Target("admins")


@dataclass(frozen=True)
class Outgoing:
    """What a sender gets: the rendered reply and where it goes."""

    delivery_id: int
    key: str
    platform: str
    workspace: str
    channel_id: str
    reply: Reply
    conversation_ref: dict[str, Any] | None
    due_at: dt.datetime
    late: bool
    attempt: int


class TransientSendError(Exception):
    """Try again later (5xx, 429, timeouts). ``retry_after`` seconds if the platform said."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentSendError(Exception):
    """Retrying will not help (channel gone, bot removed, bad token)."""


class Sender(Protocol):
    async def send(self, message: Outgoing) -> str | None:
        """Post ``message``; return the platform's id for the posted message."""


class LinkLike(Protocol):
    """A linked channel as the outbox needs it (a ``ChannelLink`` row, or the calendar's cached copy)."""

    id: int
    platform: str
    workspace: str
    channel_id: str


def delivery_key(key: str, platform: str, channel_id: str) -> str:
    """The outbox key of post ``key`` to one channel: unique, so the same post is queued once per channel."""
    return f"{key}|{platform}:{channel_id}"[:400]


def delivery_row(
    *,
    key: str,
    area_id: int,
    origin: str,
    link: LinkLike,
    payload: dict[str, Any],
    due_at: dt.datetime,
    created_at: dt.datetime,
    status: str = "pending",
    late: bool = False,
    rule_id: int | None = None,
    occurs_at: dt.datetime | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    """The ``deliveries`` row for post ``key`` to ``link``'s channel (insert it with ``on_conflict_do_nothing``).

    One builder for :func:`enqueue` and the calendar, so both make the same key for the same post.
    """
    return {
        "key": delivery_key(key, link.platform, link.channel_id), "area_id": area_id, "origin": origin,
        "platform": link.platform, "workspace": link.workspace, "channel_id": link.channel_id, "channel_link_id": link.id,
        "payload": payload, "due_at": due_at, "next_attempt_at": due_at, "status": status, "attempts": 0, "late": late,
        "rule_id": rule_id, "occurs_at": occurs_at, "last_error": error, "created_at": created_at,
    }


async def enqueue(
    session: AsyncSession,
    *,
    area_slug: str,
    target: Target,
    reply: Reply,
    key: str,
    origin: str,
    due_at: dt.datetime,
    rule_id: int | None = None,
    occurs_at: dt.datetime | None = None,
    late: bool = False,
    exclude: tuple[str, str] | None = None,
) -> int:
    """Queue ``reply`` for every channel linked to ``target``; return how many were queued.

    ``key`` identifies the intended post; it is suffixed with each channel so enqueueing
    the same thing twice (a Slack retry, a double click, two replicas) queues it once.
    ``exclude`` = (platform, workspace) leaves out the channels of a workspace boardbot can no
    longer post to (uninstalled).
    """
    links = await directory.channels_for(session, area_slug, target.purpose, target.board_key)
    if exclude is not None:
        links = [link for link in links if (link.platform, link.workspace) != exclude]
    if not links:
        return 0
    aid = await directory.area_id(session, area_slug)
    payload = reply_to_dict(reply)
    insert = insert_for(session)
    now = dt.datetime.now(dt.UTC)
    queued = 0
    for link in links:
        row = delivery_row(key=key, area_id=aid, origin=origin, link=link, payload=payload, due_at=due_at, created_at=now,
                           late=late, rule_id=rule_id, occurs_at=occurs_at)
        result = await session.execute(insert(Delivery).values(**row).on_conflict_do_nothing(index_elements=["key"]))
        queued += result.rowcount or 0
    return queued


async def abandon(session: AsyncSession, *, platform: str, workspace: str, reason: str) -> dict[int, int]:
    """Settle every post still queued for a workspace boardbot can no longer post to (uninstalled,
    its token revoked) as failed, now, instead of retrying each for a day; returns how many per area id.
    Does not commit."""
    rows = (await session.execute(
        select(Delivery.area_id).where(Delivery.platform == platform, Delivery.workspace == workspace,
                                       Delivery.status == "pending")
    )).scalars().all()
    if not rows:
        return {}
    await session.execute(
        update(Delivery).where(Delivery.platform == platform, Delivery.workspace == workspace, Delivery.status == "pending")
        .values(status="failed", last_error=reason[:2000], claimed_until=None).execution_options(synchronize_session=False)
    )
    out: dict[int, int] = {}
    for area_id in rows:
        out[area_id] = out.get(area_id, 0) + 1
    return out


def backoff(attempts: int, retry_after: float | None = None) -> dt.timedelta:
    """2, 4, 8 ... seconds, capped at 15 minutes; at least what the platform asked for."""
    seconds = min(900.0, 2.0 ** max(1, attempts))
    if retry_after is not None:
        seconds = max(seconds, retry_after)
    return dt.timedelta(seconds=seconds)


async def tell_admins_of_failure(session: AsyncSession, row: Delivery | Row[Any], error: str, now: dt.datetime) -> None:
    """Queue a post to the area's admins' channel: ``row`` could not be delivered, and what to check."""
    from storage.directory import area_slug_by_id

    slug = await area_slug_by_id(session, row.area_id)
    what = reply_from_dict(row.payload)
    await enqueue(
        session, area_slug=slug, target=ADMINS, origin="admin", key=f"failed:{row.id}", due_at=now,
        reply=Reply(
            title="A post could not be delivered",
            text=(f"boardbot could not post to {row.platform} channel {row.channel_id} "
                  f"after {row.attempts + 1} attempt(s): {error[:300]}\n"
                  f"What it was: {what.title or what.text[:120]}\n"
                  "Check the channel still exists and boardbot is in it, then relink it with /board admin."),
        ),
    )


def mark_late(reply: Reply, due_at: dt.datetime) -> Reply:
    """Say plainly that a post is late (it fell due while boardbot was down or the platform was)."""
    from scheduler.timeutil import london

    when = london(due_at).strftime("%a %d %b %Y %H:%M")
    note = f"(Late: this was due {when}.)"
    return replace(reply, title=f"{reply.title} (late)" if reply.title else reply.title, text=f"{note}\n{reply.text}",
                   data={**reply.data, "late_marked": True})
