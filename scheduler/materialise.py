"""From rules to outbox rows: each reminder posted once, on time, and never lost.

:class:`Calendar` is the scheduler's half of the design in DESIGN.md ("Scheduling without
losing or doubling a reminder"). Each tick it:

1. keeps every area's protocol rules in step with its current protocol and calendar
   settings (:func:`scheduler.stored_rules.sync_area`), when either changed;
2. finds the posts whose time has come: for each occurrence of each rule, one post per
   lead time (e.g. 14 days and 1 day before), plus a re-post after a snooze; an occurrence
   marked done or "not this time" gets no more posts;
3. inserts them into the outbox with a unique key per (rule, occurrence, lead time,
   channel): ``rule:{rule.id}:{occurrence_iso}:{lead}|{platform}:{channel}``, built by
   :func:`scheduler.outbox.delivery_row` as :func:`scheduler.outbox.enqueue` builds its own,
   so two replicas (or a retried tick) insert each post once; then kicks the dispatcher,
   which sends them in order per channel.

What a post says, and which buttons it carries, is not the scheduler's: it asks its
:class:`ReminderReplies` (the reminders workflow implements them) and queues the reply as data.

Catching up: posts that fell due while boardbot was down (up to :attr:`Calendar.lookback`)
are inserted on start and marked late; those more than :attr:`Calendar.summarise_after`
late are not posted one by one but summarised in one post per channel (each summarised
post is recorded as a cancelled row under its own key, so it is summarised only once).
A post never goes out for a time before its rule's schedule was set, before the fact it
counts from was recorded, or before its channel was linked.

Only the replica holding the ``calendar`` lease materialises; the others stand by. Rules,
facts and states are cached in memory and reloaded when a cheap fingerprint query shows
they changed (every ``refresh_seconds``, or at once after :meth:`Calendar.invalidate`);
between refreshes a tick costs nothing until the next post time comes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import os
import socket
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import Reply, reply_to_dict
from scheduler import lease, reads
from scheduler.agenda import Agenda
from scheduler.outbox import LATE_AFTER, delivery_key, delivery_row
from scheduler.planning import Shared, plan, targets
from scheduler.recurrence import FACT_KINDS, NO_FACTS, Facts
from scheduler.stored_rules import bring_in_step
from scheduler.views import LinkView, Planned, RuleView, StateView
from storage import collector
from storage.models import Delivery
from storage.sql import insert_for

log = logging.getLogger("boardbot.calendar")

LEASE_NAME = "calendar"
LEASE_SECONDS = 10.0  # kept alive by Calendar.beat; a dead holder's lapses within this
YIELD_EVERY = 1000  # rules planned or read between two chances for the server to answer a request
_NO_STATES: dict[dt.datetime, StateView] = {}  # a rule nobody has answered (read only)


# --- what it reports, and who words the posts ----------------------------------------------------


class ReminderReplies(ABC):
    """How a due reminder reads when it is posted, with its buttons: the reminders workflow's
    business (:mod:`bot.workflows.reminder_posts`), not the scheduler's, which queues the reply it is given."""

    @abstractmethod
    def reminder(self, post: Planned) -> Reply:
        """One reminder, ``post.lead`` days before its occurrence (None: again after a snooze)."""

    @abstractmethod
    def summary(self, posts: list[Planned], now: dt.datetime) -> Reply:
        """One post for a channel in place of reminders that fell due long ago while nothing could post."""


@dataclass
class TickReport:
    held: bool = True
    synced_areas: int = 0
    considered: int = 0
    queued: int = 0
    late: int = 0
    summarised: int = 0
    summaries: int = 0


# --- the calendar service -----------------------------------------------------------------------------


class Calendar:
    """Turns due occurrences into outbox rows. Call :meth:`tick` often (every second is fine)."""

    def __init__(
        self,
        sessions: Callable[[], AsyncSession],
        *,
        replies: ReminderReplies,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        kick: Callable[[], None] | None = None,
        worker_id: str | None = None,
        lookback_days: float = 90,
        summarise_after_days: float = 7,
        refresh_seconds: float = 15.0,
        lease_seconds: float = LEASE_SECONDS,
        check_every_days: float = 7,
    ) -> None:
        self.sessions = sessions
        self.replies = replies
        self.clock = clock
        self.kick = kick
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.lookback = dt.timedelta(days=lookback_days)
        self.summarise_after = dt.timedelta(days=summarise_after_days)
        self.refresh = dt.timedelta(seconds=refresh_seconds)
        self.lease_seconds = lease_seconds
        self.check_every = dt.timedelta(days=check_every_days)
        self._syncing: asyncio.Lock | None = None
        self._reset()

    # --- cache ------------------------------------------------------------------------------

    def _reset(self) -> None:
        self._loaded = False
        self._refreshed_at: dt.datetime | None = None
        self._fps: dict[str, Any] = {}
        self.rules: dict[int, RuleView] = {}
        self._facts: dict[int, Facts] = {}
        self._facts_fp: dict[int, str] = {}
        self._states: dict[int, dict[dt.datetime, StateView]] = {}
        self._links: dict[tuple[int, str, str], list[LinkView]] = {}
        self._wake: dt.datetime | None = None
        self._dirty = True
        self._agenda = Agenda()  # which rules to look at in a tick

    def invalidate(self) -> None:
        """Something changed rules, facts, states or links in this process: reload on the next tick."""
        self._dirty = True

    def in_step(self) -> bool:
        """Whether this process keeps the protocol rules in step now: it holds the lease and
        looked for changes within the last two refresh periods. Commands can then rely on it."""
        return self._loaded and self._refreshed_at is not None and self.clock() - self._refreshed_at <= 2 * self.refresh

    def next_wakeup(self) -> dt.datetime | None:
        """The earliest moment a post may fall due (as far as this process knows)."""
        return self._wake

    def seconds_to_wakeup(self) -> float | None:
        """How long until :meth:`next_wakeup`, by this calendar's clock (for the server's clock to
        tick at that moment rather than at its next interval); None if nothing is due."""
        wake = self._wake
        return None if wake is None else (wake - self.clock()).total_seconds()

    # --- the tick ------------------------------------------------------------------------------

    async def tick(self) -> TickReport:
        now = self.clock()
        refresh_due = self._dirty or self._refreshed_at is None or now - self._refreshed_at >= self.refresh
        if not refresh_due and (self._wake is None or now < self._wake):
            return TickReport()
        if self._loaded:
            return await self._tick(now, refresh_due)
        # The first load reads and plans every rule (tens of thousands of small objects, all
        # kept): collector passes meanwhile would walk them again and again, for nothing, and
        # later ones too, unless they are kept out of its way once loaded.
        with collector.paused():
            report = await self._tick(now, refresh_due)
            if self._loaded:
                collector.keep()
            return report

    async def _tick(self, now: dt.datetime, refresh_due: bool) -> TickReport:
        report = TickReport()
        async with self.sessions() as s:
            if not await lease.take(s, LEASE_NAME, self.worker_id, now=now, seconds=self.lease_seconds):
                if self._loaded:
                    self._reset()
                self._refreshed_at = now  # standing by: ask again at the next change check, not every second
                self._dirty = False
                report.held = False
                return report
            if refresh_due:
                report.synced_areas = await self._refresh(s, now)
            due = self._agenda.due(self.rules, now)
            report.considered = len(due)
            plans: list[Planned] = []
            looks: list[tuple[RuleView, dt.datetime]] = []
            shared = Shared()
            for i, r in enumerate(due, 1):
                planned, next_look = self._plan(r, now, shared)
                plans.extend(planned)
                looks.append((r, next_look))
                if i % YIELD_EVERY == 0:  # the first tick plans every rule: let requests in between
                    await asyncio.sleep(0)
            if plans:
                try:
                    await self._queue(s, plans, now, report)
                except BaseException:
                    self._agenda.look_at_every_rule()  # the rules taken off it are still due
                    raise
            # only now that the posts are committed are they done with: had the insert failed,
            # the next tick would plan them again rather than think them queued
            for r, next_look in looks:
                r.next_check, r.checked_until = next_look, now
            self._wake = self._agenda.put_back(self.rules, looks)
        if report.queued and self.kick:
            self.kick()
        return report

    async def beat(self) -> bool:
        """The heartbeat, every few seconds on every replica: the holder keeps the ``calendar``
        lease between refreshes; a standby takes it over as soon as it lapses (a replica died)
        and loads and catches up at its next tick. True while this one holds it."""
        now = self.clock()
        async with self.sessions() as s:
            held = await lease.take(s, LEASE_NAME, self.worker_id, now=now, seconds=self.lease_seconds)
        if held and not self._loaded:
            self._dirty = True  # just taken over: refresh (and queue what fell due) at the next tick
        elif not held and self._loaded:
            self._reset()
            self._refreshed_at = now
            self._dirty = False
        return held

    async def release(self) -> None:
        async with self.sessions() as s:
            await lease.release(s, LEASE_NAME, self.worker_id, now=self.clock())

    # --- refreshing from the database -------------------------------------------------------------

    async def _refresh(self, s: AsyncSession, now: dt.datetime) -> int:
        synced = await self._sync_protocols(s, now)
        fps = await reads.fingerprints(s)
        changed = {k for k, v in fps.items() if self._fps.get(k) != v}
        if "links" in changed:
            self._links = await reads.links(s)
        if "rules" in changed:
            self.rules = await reads.rules(s, self.rules)
            self._agenda.fresh(i for i, r in self.rules.items() if r.next_check is None)
        if changed & {"dates", "meetings"}:
            await self._load_facts(s)
        if "states" in changed:
            await self._load_states(s, now)
        self._fps = fps
        self._refreshed_at = now
        self._dirty = False
        self._loaded = True
        return synced

    async def plan_protocols(self) -> int:
        """Bring every area's protocol rules in step with its protocol now, whether or not this
        replica holds the lease (the start-up readiness pass: no replica may say it is ready with
        an empty calendar). How many areas had to be derived again.

        On a fresh database that is every area: each protocol validated, derived and dropped,
        thousands of objects a second, so the collector is held off as for the first tick."""
        with collector.paused():
            async with self.sessions() as s:
                return await self._sync_protocols(s, self.clock())

    async def _sync_protocols(self, s: AsyncSession, now: dt.datetime) -> int:
        """Derive again the rules of every area whose protocol or calendar settings changed since
        they were last derived (:func:`scheduler.stored_rules.bring_in_step`): a restart derives
        nothing that has not."""
        if self._syncing is None:
            self._syncing = asyncio.Lock()
        async with self._syncing:  # the start-up pass and the first tick: each area once
            return (await bring_in_step(s, now))[1]

    async def _load_facts(self, s: AsyncSession) -> None:
        facts, fps = await reads.facts(s)
        changed_areas = {a for a in set(fps) | set(self._facts_fp) if fps.get(a) != self._facts_fp.get(a)}
        self._facts, self._facts_fp = facts, fps
        for r in self.rules.values():
            if r.area_id in changed_areas and r.recurrence.get("kind") in FACT_KINDS:
                r.next_check = r.checked_until = None
                self._agenda.fresh((r.id,))

    async def _load_states(self, s: AsyncSession, now: dt.datetime) -> None:
        states = await reads.states(s, now - self.lookback)
        for rule_id in set(states) | set(self._states):
            if states.get(rule_id) != self._states.get(rule_id) and rule_id in self.rules:
                r = self.rules[rule_id]
                r.next_check = r.checked_until = None
                self._agenda.fresh((rule_id,))
        self._states = states

    # --- planning ---------------------------------------------------------------------------------

    def facts(self, area_id: int) -> Facts:
        return self._facts.get(area_id) or NO_FACTS

    def _plan(self, r: RuleView, now: dt.datetime, shared: Shared | None = None) -> tuple[list[Planned], dt.datetime]:
        """The posts of ``r`` due by ``now`` not yet considered, and when to look at ``r`` next
        (:func:`scheduler.planning.plan`; ``shared``: the tick's :class:`~scheduler.planning.Shared`)."""
        return plan(r, now, states=self._states.get(r.id, _NO_STATES), facts=self.facts(r.area_id),
                    lookback=self.lookback, check_every=self.check_every, shared=shared)

    # --- queueing -------------------------------------------------------------------------------------

    async def _queue(self, s: AsyncSession, plans: list[Planned], now: dt.datetime, report: TickReport) -> None:
        plans.sort(key=lambda p: (p.post_at, p.rule.id, p.occurrence.at))
        wanted: list[tuple[Planned, LinkView, str]] = []
        for p in plans:
            for link in targets(p.rule, self._links):
                if link.created_at and p.post_at < link.created_at - dt.timedelta(minutes=1):
                    continue  # the channel was linked after this fell due
                wanted.append((p, link, delivery_key(p.key, link.platform, link.channel_id)))
        if not wanted:
            return
        existing: set[str] = set()
        keys = [k for _, _, k in wanted]
        for i in range(0, len(keys), 500):
            existing.update((await s.execute(select(Delivery.key).where(Delivery.key.in_(keys[i:i + 500])))).scalars())
        rows: list[dict[str, Any]] = []
        summaries: dict[tuple[int, LinkView], list[tuple[Planned, str]]] = {}
        rendered: dict[tuple[int, dt.datetime, int | None, dt.datetime], dict[str, Any]] = {}
        for p, link, key in wanted:
            if key in existing:
                continue
            if now - p.post_at > self.summarise_after:
                summaries.setdefault((p.rule.area_id, link), []).append((p, key))
                continue
            ident = (p.rule.id, p.occurrence.at, p.lead, p.post_at)
            if ident not in rendered:
                rendered[ident] = reply_to_dict(self.replies.reminder(p))
            late = now - p.post_at > LATE_AFTER
            rows.append(self._row(p, link, p.key, rendered[ident], p.post_at, late=late))
            report.late += late
        for (_area_id, link), items in summaries.items():
            rows.extend(self._summary_rows(link, items, now))
            report.summaries += 1
            report.summarised += len(items)
        if not rows:
            return
        # one statement, many rows (SQLAlchemy batches them); a key already there (another replica) is skipped
        await s.execute(insert_for(s)(Delivery.__table__).on_conflict_do_nothing(index_elements=["key"]), rows)
        await s.commit()
        report.queued += sum(1 for r in rows if r["status"] == "pending")

    def _summary_rows(self, link: LinkView, items: list[tuple[Planned, str]], now: dt.datetime) -> list[dict[str, Any]]:
        """One post for the channel in place of ``items``, and each of them recorded as summarised
        (a cancelled row under its own key), so it is summarised only once."""
        members = sorted(k for _, k in items)
        summary = f"summary:{hashlib.sha1('|'.join(members).encode()).hexdigest()[:24]}"
        skey = delivery_key(summary, link.platform, link.channel_id)
        reply = self.replies.summary([p for p, _ in items], now)
        rows = [self._row(items[0][0], link, summary, reply_to_dict(reply), now, rule=False)]
        for p, _key in items:
            rows.append(self._row(p, link, p.key, {"text": "summarised", "data": {"summarised_in": skey}}, p.post_at,
                                  status="cancelled", error=f"summarised in {skey}"))
        return rows

    def _row(self, p: Planned, link: LinkView, key: str, payload: dict[str, Any], due_at: dt.datetime, *, late: bool = False,
             status: str = "pending", error: str | None = None, rule: bool = True) -> dict[str, Any]:
        return delivery_row(key=key, area_id=p.rule.area_id, origin="reminder", link=link, payload=payload, due_at=due_at,
                            created_at=self.clock(), status=status, late=late, error=error,
                            rule_id=p.rule.id if rule else None, occurs_at=p.occurrence.at if rule else None)


