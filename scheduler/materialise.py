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

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import Reply, reply_to_dict
from scheduler import lease
from scheduler.outbox import LATE_AFTER, delivery_key, delivery_row
from scheduler.recurrence import LEAD_SLACK_DAYS, Facts, Occurrence, occurrences, post_time
from scheduler.rules import DERIVATION_VERSION, derive, settings_fingerprint
from scheduler.stored_rules import sync_area
from scheduler.views import _RULE_COLUMNS, LinkView, Planned, RuleView, StateView, rule_view
from storage.models import (
    Area,
    AreaDate,
    BoardMeeting,
    BoardRow,
    ChannelLink,
    Delivery,
    OccurrenceState,
    ProtocolRevision,
    ReminderRule,
)
from storage.protocol.schema import Protocol
from storage.sql import insert_for

log = logging.getLogger("boardbot.calendar")

LEASE_NAME = "calendar"


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
        lease_seconds: float = 30.0,
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
        self._reset()

    # --- cache ------------------------------------------------------------------------------

    def _reset(self) -> None:
        self._loaded = False
        self._refreshed_at: dt.datetime | None = None
        self._area_fp: dict[int, str] = {}
        self._fps: dict[str, Any] = {}
        self.rules: dict[int, RuleView] = {}
        self._facts: dict[int, Facts] = {}
        self._facts_fp: dict[int, str] = {}
        self._states: dict[int, dict[dt.datetime, StateView]] = {}
        self._links: dict[tuple[int, str, str], list[LinkView]] = {}
        self._wake: dt.datetime | None = None
        self._dirty = True

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

    # --- the tick ------------------------------------------------------------------------------

    async def tick(self) -> TickReport:
        now = self.clock()
        report = TickReport()
        refresh_due = self._dirty or self._refreshed_at is None or now - self._refreshed_at >= self.refresh
        if not refresh_due and (self._wake is None or now < self._wake):
            return report
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
            due = [r for r in self.rules.values() if r.next_check is None or r.next_check <= now]
            report.considered = len(due)
            plans: list[Planned] = []
            looks: list[tuple[RuleView, dt.datetime]] = []
            for r in due:
                planned, next_look = self._plan(r, now)
                plans.extend(planned)
                looks.append((r, next_look))
            if plans:
                await self._queue(s, plans, now, report)
            # only now that the posts are committed are they done with: had the insert failed,
            # the next tick would plan them again rather than think them queued
            for r, next_look in looks:
                r.next_check, r.checked_until = next_look, now
            self._wake = min((r.next_check for r in self.rules.values() if r.next_check), default=None)
        if report.queued and self.kick:
            self.kick()
        return report

    async def release(self) -> None:
        async with self.sessions() as s:
            await lease.release(s, LEASE_NAME, self.worker_id, now=self.clock())

    # --- refreshing from the database -------------------------------------------------------------

    async def _fingerprints(self, s: AsyncSession) -> dict[str, tuple]:
        """Counts and maxima of the tables the calendar reads, in one round trip: if none moved, nothing changed."""
        parts = {
            "rules": (ReminderRule, ReminderRule.id, ReminderRule.updated_at),
            "dates": (AreaDate, AreaDate.id, AreaDate.at),
            "meetings": (BoardMeeting, BoardMeeting.id, BoardMeeting.created_at, BoardMeeting.starts_at),
            "states": (OccurrenceState, OccurrenceState.id, OccurrenceState.at, OccurrenceState.until),
            "links": (ChannelLink, ChannelLink.id, ChannelLink.created_at),
        }
        cols, names = [], []
        for name, (model, *fields) in parts.items():
            cols.append(select(func.count()).select_from(model).scalar_subquery())
            cols.extend(select(func.max(f)).scalar_subquery() for f in fields)
            names.append((name, 1 + len(fields)))
        row = list((await s.execute(select(*cols))).one())
        out, i = {}, 0
        for name, n in names:
            out[name] = tuple(row[i:i + n])
            i += n
        return out

    async def _refresh(self, s: AsyncSession, now: dt.datetime) -> int:
        synced = await self._sync_protocols(s, now)
        fps = await self._fingerprints(s)
        changed = {k for k, v in fps.items() if self._fps.get(k) != v}
        if "links" in changed:
            await self._load_links(s)
        if "rules" in changed:
            await self._load_rules(s)
        if changed & {"dates", "meetings"}:
            await self._load_facts(s)
        if "states" in changed:
            await self._load_states(s, now)
        self._fps = fps
        self._refreshed_at = now
        self._dirty = False
        self._loaded = True
        return synced

    async def _sync_protocols(self, s: AsyncSession, now: dt.datetime) -> int:
        rows = (await s.execute(
            select(Area.id, Area.settings, ProtocolRevision.sha256)
            .join(ProtocolRevision, (ProtocolRevision.area_id == Area.id) & ProtocolRevision.is_current)
        )).all()
        stale = {}
        for area_id, settings, sha in rows:
            fp = f"{sha}:{settings_fingerprint(settings)}:{DERIVATION_VERSION}"
            if self._area_fp.get(area_id) != fp:
                stale[area_id] = (fp, settings)
        if not stale:
            return 0
        ids = list(stale)
        for i in range(0, len(ids), 200):
            chunk = ids[i:i + 200]
            docs = (await s.execute(
                select(ProtocolRevision.area_id, ProtocolRevision.document)
                .where(ProtocolRevision.area_id.in_(chunk), ProtocolRevision.is_current)
            )).all()
            for area_id, doc in docs:
                fp, settings = stale[area_id]
                try:
                    specs = derive(Protocol.model_validate(doc), settings)
                except Exception:  # a protocol the calendar cannot read must not stop the others
                    log.exception("cannot derive reminders for area %s", area_id)
                    continue
                result = await sync_area(s, area_id, specs, now)
                if result.changed:
                    log.info("area %s: reminders added %s, updated %s, removed %s", area_id, result.added, result.updated, result.removed)
                self._area_fp[area_id] = fp
            await s.commit()
        return len(stale)

    async def _load_links(self, s: AsyncSession) -> None:
        links: dict[tuple[int, str, str], list[LinkView]] = {}
        rows = (await s.execute(select(ChannelLink.id, ChannelLink.area_id, ChannelLink.purpose, ChannelLink.board_key,
                                       ChannelLink.platform, ChannelLink.workspace, ChannelLink.channel_id,
                                       ChannelLink.created_at).order_by(ChannelLink.id))).all()
        for id_, area_id, purpose, board_key, platform, workspace, channel_id, created_at in rows:
            key = (area_id, purpose, board_key if purpose == "board" else "")
            links.setdefault(key, []).append(LinkView(id_, platform, workspace, channel_id, created_at))
        self._links = links

    async def _load_rules(self, s: AsyncSession) -> None:
        # the columns rule_view reads, by their attribute names (a Row, not ORM objects: 20,000 load fast)
        rows = (await s.execute(
            select(*(getattr(ReminderRule, c) for c in _RULE_COLUMNS), Area.slug.label("area_slug"))
            .join(Area, Area.id == ReminderRule.area_id)
            .where(ReminderRule.active)
        )).all()
        old = self.rules
        rules: dict[int, RuleView] = {}
        for row in rows:
            prev = old.get(row.id)
            if prev is not None and prev.updated_at == row.updated_at:
                rules[row.id] = prev
                continue
            try:
                rules[row.id] = rule_view(row, row.area_slug)
            except (ValueError, KeyError, TypeError):
                log.warning("reminder rule %s has an unreadable schedule; skipped", row.id)
        self.rules = rules

    async def _load_facts(self, s: AsyncSession) -> None:
        dates: dict[int, dict[str, list[tuple[dt.date, dt.datetime | None]]]] = {}
        for area_id, key, on, at in (await s.execute(select(AreaDate.area_id, AreaDate.key, AreaDate.on, AreaDate.at))).all():
            dates.setdefault(area_id, {}).setdefault(key, []).append((on, at))
        meetings: dict[int, dict[str, list[tuple[dt.datetime, dt.datetime | None]]]] = {}
        for area_id, board, starts, created in (await s.execute(
            select(BoardMeeting.area_id, BoardMeeting.board_key, BoardMeeting.starts_at, BoardMeeting.created_at)
        )).all():
            meetings.setdefault(area_id, {}).setdefault(board, []).append((starts, created))
        labels: dict[int, dict[str, str]] = {}
        areas = set(dates) | set(meetings)
        if meetings:
            for area_id, key, short in (await s.execute(
                select(BoardRow.area_id, BoardRow.key, BoardRow.short_name).where(BoardRow.area_id.in_(list(meetings)))
            )).all():
                labels.setdefault(area_id, {})[key] = short
        facts = {a: Facts(dates.get(a, {}), meetings.get(a, {}), labels.get(a, {})) for a in areas}
        fps = {a: hashlib.sha1(repr((sorted((k, sorted(v)) for k, v in f.dates.items()),
                                     sorted((k, sorted(v)) for k, v in f.meetings.items()))).encode()).hexdigest()
               for a, f in facts.items()}
        changed_areas = {a for a in set(fps) | set(self._facts_fp) if fps.get(a) != self._facts_fp.get(a)}
        self._facts, self._facts_fp = facts, fps
        for r in self.rules.values():
            if r.area_id in changed_areas and r.recurrence.get("kind") in ("anniversary", "after_date", "board_meetings"):
                r.next_check = r.checked_until = None

    async def _load_states(self, s: AsyncSession, now: dt.datetime) -> None:
        """The answers (done, snoozed, not this time) that can still matter: for occurrences, or
        snoozes ending, within the look-back. Planning never starts earlier, and the table only grows."""
        cutoff = now - self.lookback
        states: dict[int, dict[dt.datetime, StateView]] = {}
        for rule_id, occurs_at, state, until, at, by, reason in (await s.execute(
            select(OccurrenceState.rule_id, OccurrenceState.occurs_at, OccurrenceState.state, OccurrenceState.until,
                   OccurrenceState.at, OccurrenceState.by, OccurrenceState.reason)
            .where(or_(OccurrenceState.occurs_at >= cutoff, OccurrenceState.until >= cutoff))
        )).all():
            states.setdefault(rule_id, {})[occurs_at] = StateView(state, until, at, by, reason)
        for rule_id in set(states) | set(self._states):
            if states.get(rule_id) != self._states.get(rule_id) and rule_id in self.rules:
                r = self.rules[rule_id]
                r.next_check = r.checked_until = None
        self._states = states

    # --- planning ---------------------------------------------------------------------------------

    def facts(self, area_id: int) -> Facts:
        return self._facts.get(area_id) or Facts()

    def _plan(self, r: RuleView, now: dt.datetime) -> tuple[list[Planned], dt.datetime]:
        """The posts of ``r`` due by ``now`` not yet considered, and when to look at ``r`` next.

        One pass over the occurrences from the lower bound (the schedule's start, the look-back,
        or what this process already did) to a week ahead: post times up to ``now`` are planned,
        the first one after ``now`` is the next look (at the latest a week on, on the hour, so the
        rules looked at together share their next look and wake-ups stay few).
        """
        lo = max(r.since, now - self.lookback)
        if r.checked_until is not None:
            lo = max(lo, r.checked_until)
        cap = (now + self.check_every).replace(minute=0, second=0, microsecond=0)
        leads = r.leads
        states = self._states.get(r.id, {})
        out: list[Planned] = []
        best: dt.datetime | None = None
        try:
            occs = occurrences(r.recurrence, start=lo, end=cap + dt.timedelta(days=max(leads) + LEAD_SLACK_DAYS), at=r.at,
                               facts=self.facts(r.area_id))
        except Exception:
            log.exception("reminder rule %s: cannot compute its occurrences", r.id)
            return out, cap
        for occ in occs:
            st = states.get(occ.at)
            for lead in leads:
                pt = post_time(occ.at, lead, r.at)
                if pt > now:
                    if best is None or pt < best:
                        best = pt
                    continue
                if pt < lo or (st and st.state in ("done", "skipped")):
                    continue
                if occ.known and pt < occ.known:
                    continue  # due before anyone recorded what it counts from
                if st and st.state == "snoozed" and st.until and st.at <= pt < st.until:
                    continue
                out.append(Planned(r, occ, lead, pt))
        for occ_at, st in states.items():
            if st.state == "snoozed" and st.until:
                if lo <= st.until <= now:
                    out.append(Planned(r, Occurrence(occ_at), None, st.until))
                elif st.until > now and (best is None or st.until < best):
                    best = st.until
        return out, min(best, cap) if best else cap

    # --- queueing -------------------------------------------------------------------------------------

    def _targets(self, r: RuleView) -> list[LinkView]:
        out: list[LinkView] = []
        seen = set()
        for who in r.audience:
            purpose, _, board = who.partition(":")
            for link in self._links.get((r.area_id, purpose, board if purpose == "board" else ""), []):
                if (link.platform, link.channel_id) not in seen:
                    seen.add((link.platform, link.channel_id))
                    out.append(link)
        return out

    async def _queue(self, s: AsyncSession, plans: list[Planned], now: dt.datetime, report: TickReport) -> None:
        plans.sort(key=lambda p: (p.post_at, p.rule.id, p.occurrence.at))
        wanted: list[tuple[Planned, LinkView, str]] = []
        for p in plans:
            for link in self._targets(p.rule):
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
            members = sorted(k for _, k in items)
            summary = f"summary:{hashlib.sha1('|'.join(members).encode()).hexdigest()[:24]}"
            skey = delivery_key(summary, link.platform, link.channel_id)
            reply = self.replies.summary([p for p, _ in items], now)
            rows.append(self._row(items[0][0], link, summary, reply_to_dict(reply), now, rule=False))
            for p, _key in items:
                rows.append(self._row(p, link, p.key, {"text": "summarised", "data": {"summarised_in": skey}}, p.post_at,
                                      status="cancelled", error=f"summarised in {skey}"))
            report.summaries += 1
            report.summarised += len(items)
        if not rows:
            return
        # one statement, many rows (SQLAlchemy batches them); a key already there (another replica) is skipped
        await s.execute(insert_for(s)(Delivery).on_conflict_do_nothing(index_elements=["key"]), rows)
        await s.commit()
        report.queued += sum(1 for r in rows if r["status"] == "pending")

    def _row(self, p: Planned, link: LinkView, key: str, payload: dict[str, Any], due_at: dt.datetime, *, late: bool = False,
             status: str = "pending", error: str | None = None, rule: bool = True) -> dict[str, Any]:
        return delivery_row(key=key, area_id=p.rule.area_id, origin="reminder", link=link, payload=payload, due_at=due_at,
                            created_at=self.clock(), status=status, late=late, error=error,
                            rule_id=p.rule.id if rule else None, occurs_at=p.occurrence.at if rule else None)


