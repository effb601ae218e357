"""Sending the outbox: the :class:`Dispatcher`, one replica at a time, in order per channel.

What the rows are, and the ports a platform implements (:class:`~scheduler.outbox.Sender`),
are in :mod:`scheduler.outbox`, which says how the lease, the claims and the heartbeat keep
each post sent once and in order; the claim itself is :func:`scheduler.claims.claim_due`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import socket
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import reply_from_dict
from scheduler import lease
from scheduler.claims import Claimed, claim_due
from scheduler.outbox import (
    LATE_AFTER,
    Outgoing,
    PermanentSendError,
    Sender,
    TransientSendError,
    backoff,
    mark_late,
    tell_admins_of_failure,
)
from scheduler.sent_marks import SentMarks
from storage.models import ChannelLink, Delivery

log = logging.getLogger("boardbot.outbox")

LEASE_NAME = "outbox"
LEASE_SECONDS = 10.0  # a dead holder's lease lapses within this
CLAIM_SECONDS = 15.0  # a dead worker's claims lapse within this (a live one renews them every beat)
BEAT_SECONDS = 2.5  # how often every replica renews (or takes over) the lease and a batch its claims
GIVE_UP_AFTER = 50  # attempts; with capped back-off this is more than a day of trying


@dataclass
class TickResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    held: bool = True  # False when another replica holds the lease


class Dispatcher:
    """Sends due outbox rows. Call :meth:`tick` periodically (APScheduler) or :meth:`kick` to hurry."""

    def __init__(
        self,
        sessions: Callable[[], AsyncSession],
        senders: Mapping[str, Sender],
        *,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        worker_id: str | None = None,
        lease_seconds: float = LEASE_SECONDS,
        claim_seconds: float = CLAIM_SECONDS,
        beat_seconds: float | None = None,
        batch: int = 200,
        concurrency: int = 8,
    ) -> None:
        self.sessions = sessions
        self.senders = senders  # shared: platforms register their senders as they mount
        self.clock = clock
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.lease = dt.timedelta(seconds=lease_seconds)
        self.claim = dt.timedelta(seconds=claim_seconds)
        self.batch = batch
        self.concurrency = concurrency
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._lease_at = dt.datetime.min.replace(tzinfo=dt.UTC)  # when this worker last took or renewed the lease
        self._beat = beat_seconds
        self._holding = False  # as of the last beat or tick
        self._batch: _Batch | None = None  # the rows the tick in progress has claimed and not yet settled
        self._marks = SentMarks(sessions, self.worker_id)  # sent posts recorded together (group commit)

    # --- the lease -------------------------------------------------------------------------

    async def _take_lease(self, session: AsyncSession) -> bool:
        """Take or renew the outbox lease (commits)."""
        now = self.clock()
        if await lease.take(session, LEASE_NAME, self.worker_id, now=now, seconds=self.lease.total_seconds()):
            self._lease_at = now
            return True
        return False

    async def release(self) -> None:
        """Give the outbox lease up (a clean shutdown), so another replica takes over at once."""
        async with self.sessions() as s:
            await lease.release(s, LEASE_NAME, self.worker_id, now=self.clock())

    @property
    def beat_seconds(self) -> float:
        """How often :meth:`beat` should run: :data:`BEAT_SECONDS`, or less for shorter leases and claims."""
        if self._beat is not None:
            return self._beat
        return min(BEAT_SECONDS, self.lease.total_seconds() / 4, self.claim.total_seconds() / 4)

    async def beat(self) -> bool:
        """The heartbeat, run every :attr:`beat_seconds` on every replica; True while this one holds the lease.

        The holder renews the lease (whether or not anything is due) and the claims of the
        batch it is sending; a standby takes the lease over as soon as it lapses. Either asks
        for a tick at once (:meth:`kick`) when it has just taken the lease, or when it finds
        pending rows whose claims lapsed (a replica died mid-batch), instead of waiting for
        the next scheduled tick.
        """
        was = self._holding
        async with self.sessions() as s:
            held = await self._take_lease(s)
            batch = self._batch
            if held and batch is not None and batch.pending:
                kept = await self._keep_batch(s, batch)
                await s.commit()
                if kept is not None:
                    batch.until = kept
            elif not held and batch is not None:
                batch.lost = True  # another replica has the outbox: the batch stops before its next post
            abandoned = held and not was or (held and await self._abandoned(s))
        self._holding = held
        if abandoned:
            self.kick()
        return held

    async def _abandoned(self, s: AsyncSession) -> bool:
        """Whether a pending row's claim has lapsed (its worker died or gave up mid-batch)."""
        now = self.clock()
        row = (await s.execute(
            select(Delivery.id).where(Delivery.status == "pending", Delivery.claimed_until.is_not(None),
                                      Delivery.claimed_until < now, Delivery.next_attempt_at <= now).limit(1)
        )).first()
        return row is not None

    async def _keep_batch(self, s: AsyncSession, batch: _Batch) -> dt.datetime | None:
        """Extend this worker's claims on the batch's unsettled rows (does not commit); the new end."""
        now = self.clock()
        until = now + self.claim
        res = await s.execute(
            update(Delivery)
            .where(Delivery.id.in_(list(batch.pending)), Delivery.claimed_by == self.worker_id,
                   Delivery.claimed_until > now, Delivery.status == "pending")
            .values(claimed_until=until).execution_options(synchronize_session=False)
        )
        return until if res.rowcount else None

    # --- claiming ---------------------------------------------------------------------------

    async def _claim(self, session: AsyncSession) -> tuple[list[Claimed], dt.datetime]:
        """Claim the due rows that may go now (in order per channel); they are this worker's until the time returned."""
        now = self.clock()
        until = now + self.claim
        return await claim_due(session, worker_id=self.worker_id, now=now, until=until, limit=self.batch), until

    # --- sending ----------------------------------------------------------------------------

    def kick(self) -> None:
        """Ask for a tick soon (after a workflow queued something)."""
        self._wake.set()

    async def wait_for_kick(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), seconds)
        except TimeoutError:
            pass
        self._wake.clear()

    async def tick(self) -> TickResult:
        """Send what is due. Safe to call concurrently and from several replicas."""
        async with self._lock:
            async with self.sessions() as session:
                if not await self._take_lease(session):
                    self._holding = False
                    return TickResult(held=False)
                self._holding = True
                rows, held_until = await self._claim(session)
            if not rows:
                return TickResult()
            batch = self._batch = _Batch({r.id for r in rows}, held_until)
            keeper = asyncio.ensure_future(self._keep_alive(batch))
            try:
                refs = await self._conversation_refs({r.channel_link_id for r in rows if r.channel_link_id})
                by_channel: dict[tuple[str, str], list[Claimed]] = {}
                for r in rows:
                    by_channel.setdefault((r.platform, r.channel_id), []).append(r)
                result = TickResult()
                slots = asyncio.Semaphore(self.concurrency)
                await asyncio.gather(*(self._send_channel(v, refs, result, held_until, batch, slots)
                                       for v in by_channel.values()))
                return result
            finally:
                keeper.cancel()
                self._batch = None

    async def _keep_alive(self, batch: _Batch) -> None:
        """While a batch is sending, renew its claims (and the lease) every beat, however long one post takes."""
        while batch.pending and not batch.lost:
            await asyncio.sleep(self.beat_seconds)
            try:
                async with self.sessions() as s:
                    if not await self._take_lease(s):
                        batch.lost = True
                        return
                    kept = await self._keep_batch(s, batch) if batch.pending else batch.until
                    await s.commit()
            except Exception:  # the database is down: the claims lapse, and whoever can reach it takes over
                log.warning("could not renew the outbox claims", exc_info=True)
                continue
            if kept is not None:
                batch.until = kept

    async def _conversation_refs(self, link_ids: set[int]) -> dict[int, dict[str, Any] | None]:
        if not link_ids:
            return {}
        async with self.sessions() as s:
            rows = (await s.execute(select(ChannelLink.id, ChannelLink.conversation_ref).where(ChannelLink.id.in_(link_ids)))).all()
        return dict(rows)

    async def _send_channel(self, rows: list[Claimed], refs: dict[int, Any], result: TickResult,
                            held_until: dt.datetime, batch: _Batch, slots: asyncio.Semaphore) -> None:
        """Send one channel's rows in order, in one of the ``slots`` (:attr:`concurrency` channels at
        a time); stop (leaving the rest) where a row is no longer this worker's.

        The channel's last post waits for its sent mark outside the slot: no later post waits for
        that mark, so the slot takes the next channel meanwhile, and the marks of all the posts that
        finish while one transaction is written share the next (a tick of 500 posts to 500 channels
        wrote some 60 transactions, one per eight posts, and now writes a few). Its rows stay
        claimed (:attr:`_Batch.pending`) until the mark is committed."""
        try:
            async with slots:
                last = await self._send_rows(rows, refs, result, held_until, batch)
            if last is not None:
                await last
                result.sent += 1
        finally:
            batch.pending.difference_update(r.id for r in rows)

    async def _send_rows(self, rows: list[Claimed], refs: dict[int, Any], result: TickResult,
                         held_until: dt.datetime, batch: _Batch) -> asyncio.Future[None] | None:
        """Send ``rows`` in order, each marked sent before the next goes; the last one's mark, being
        written, if it was sent (None if it was not)."""
        for i, row in enumerate(rows):
            held_until = max(held_until, batch.until)  # the heartbeat may have renewed the claims meanwhile
            if batch.lost:  # another replica has the outbox now: leave it the rest, in order
                await self._release(rows[i:])
                return None
            if self._renewal_due(held_until):
                async with self.sessions() as s:
                    kept = await self._keep(s, rows[i:])
                    await s.commit()
                if kept is None:  # another replica has the channel now: leave it the rest, in order
                    await self._release(rows[i:])
                    return None
                held_until = kept
            sender = self.senders.get(row.platform)
            now = self.clock()
            late = row.late or now - row.due_at > LATE_AFTER
            reply = reply_from_dict(row.payload)
            if late and not row.payload.get("data", {}).get("late_marked"):
                reply = mark_late(reply, row.due_at)
            message = Outgoing(row.id, row.key, row.platform, row.workspace, row.channel_id, reply,
                               refs.get(row.channel_link_id) if row.channel_link_id else None, row.due_at, late, row.attempts + 1)
            try:
                if sender is None:
                    raise TransientSendError(f"{row.platform} is not configured on this server")
                ref = await sender.send(message)
            except TransientSendError as exc:
                await self._failed(row, str(exc), exc.retry_after, result, permanent=row.attempts + 1 >= GIVE_UP_AFTER)
                await self._release(rows[i + 1 :])  # keep order: later posts to this channel wait
                return None
            except PermanentSendError as exc:
                await self._failed(row, str(exc), None, result, permanent=True)
                continue
            except Exception as exc:  # a bug or an unexpected client error: retry, don't lose
                log.exception("sending delivery %s failed", row.id)
                await self._failed(row, f"{type(exc).__name__}: {exc}", None, result, permanent=False)
                await self._release(rows[i + 1 :])
                return None
            marked = self._marks.add(row_id=row.id, sent_at=self.clock(), message_ref=ref, attempts=row.attempts + 1,
                                     late=late)
            if i == len(rows) - 1:
                return marked
            await marked
            result.sent += 1
        return None

    def _renewal_due(self, held_until: dt.datetime) -> bool:
        """Whether a third of this worker's claim (or of its outbox lease) has gone by."""
        now = self.clock()
        return held_until - now <= self.claim * 2 / 3 or now - self._lease_at >= self.lease / 3

    async def _keep(self, s: AsyncSession, rows: list[Claimed]) -> dt.datetime | None:
        """Extend this worker's claim on ``rows`` (the next to send, and the channel's rows after
        it) and renew the outbox lease; the new claim's end, or None if ``rows[0]`` is no longer
        this worker's to send. Does not commit.

        A claim (and the lease) runs out if a batch sends slowly (a platform taking its time,
        Retry-After). Another replica then takes the lease and claims what has run out, and
        both would send it. A row is this worker's while its claim is unexpired (nobody else
        can claim it then), so the worker renews before a third of the claim or lease is left
        unused, and only where both are still its own; if not, it sends nothing more in
        this channel.
        """
        now = self.clock()
        if now - self._lease_at >= self.lease / 3 and not await self._take_lease(s):
            return None
        until = now + self.claim
        mine = (Delivery.claimed_by == self.worker_id, Delivery.claimed_until > now, Delivery.status == "pending")
        res = await s.execute(update(Delivery).where(Delivery.id == rows[0].id, *mine).values(claimed_until=until))
        if not res.rowcount:
            return None
        if len(rows) > 1:
            await s.execute(update(Delivery).where(Delivery.id.in_([r.id for r in rows[1:]]), *mine)
                            .values(claimed_until=until).execution_options(synchronize_session=False))
        return until

    async def _release(self, rows: list[Claimed]) -> None:
        """Give back claimed rows not tried after all (only those still this worker's)."""
        if not rows:
            return
        async with self.sessions() as s:
            await s.execute(update(Delivery)
                            .where(Delivery.id.in_([r.id for r in rows]), Delivery.claimed_by == self.worker_id,
                                   Delivery.status == "pending")
                            .values(claimed_until=None, claimed_by=None, attempts=Delivery.attempts - 1)
                            .execution_options(synchronize_session=False))
            await s.commit()

    async def _failed(self, row: Claimed, error: str, retry_after: float | None, result: TickResult, *, permanent: bool) -> None:
        now = self.clock()
        async with self.sessions() as s:
            values: dict[str, Any] = {"attempts": row.attempts + 1, "last_error": error[:2000], "claimed_until": None}
            if permanent:
                values["status"] = "failed"
            else:
                values["next_attempt_at"] = now + backoff(row.attempts + 1, retry_after)
            res = await s.execute(update(Delivery).where(Delivery.id == row.id, Delivery.claimed_by == self.worker_id)
                                  .values(**values))
            if not res.rowcount:  # another worker has it now, and decides
                log.warning("delivery %s failed (%s), but another worker has claimed it meanwhile", row.id, error)
                return
            if permanent and row.origin != "admin":
                await tell_admins_of_failure(s, row, error, now)
            await s.commit()
        if permanent:
            result.failed += 1
            log.warning("delivery %s failed permanently: %s", row.id, error)
        else:
            result.retried += 1
            log.info("delivery %s will be retried: %s", row.id, error)


@dataclass
class _Batch:
    """The rows one tick claimed: those not yet settled, until when they are claimed, and whether
    the outbox lease was lost meanwhile (then nothing more is sent)."""

    pending: set[int]
    until: dt.datetime
    lost: bool = False
