"""Reading the calendar: what is coming up for an area, a board or a person, and personal feeds.

The area's calendar (``GET /calendar/AREA.ics``, ``boardbot calendar export``) carries
only the protocol's own dates (``reminder_rules.public``), which are public anyway.
Everything else (business managers' own reminders, challenge deadlines) is private and
appears only in a person's feed, behind an unguessable token whose hash alone is stored
and which the person can revoke (``/board calendar revoke``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.materialise import Calendar
from scheduler.reads import fingerprint, protocol_documents
from scheduler.recurrence import occurrences
from scheduler.rules import calendar_part, derive
from scheduler.stored_rules import sync_area
from scheduler.views import citation_of, describe_rule, load_facts, rule_view
from storage import directory
from storage.directory import PersonInfo
from storage.models import (
    Area,
    CalendarFeed,
    OccurrenceState,
    Person,
    ProtocolRevision,
    ReminderRule,
)


@dataclass(frozen=True)
class Event:
    """One dated thing on a calendar (a feed entry, a line of ``/board calendar``)."""

    uid: str
    start: dt.datetime  # UTC
    title: str
    description: str = ""
    all_day: bool = False
    duration: dt.timedelta = dt.timedelta(hours=1)
    boards: tuple[str, ...] = ()
    citation: str = ""  # "file, clause"
    public: bool = True
    rule_id: int | None = None
    rule_key: str = ""
    schedule: str = ""  # the rule in words
    state: str | None = None  # done | skipped | snoozed
    stamp: dt.datetime | None = None  # when the entry last changed: its rule, or an answer (iCalendar DTSTAMP, LAST-MODIFIED)


async def private_events_for(session: AsyncSession, person: PersonInfo, start: dt.datetime, end: dt.datetime) -> list[Event]:
    """Private dates for ``person`` that are not reminder rules: open challenges' response deadlines.

    A challenge is the business of the two boards involved, the area's directors and its
    admins, so it appears only in their personal feeds, never in the public area feed.
    """
    from storage.models import Area, Challenge

    boards = {r.partition(":")[2] for r in person.roles
              if r.split(":")[0] in ("chair", "business_manager", "delegated_officer")}
    everyone = person.is_admin or "director" in person.roles
    if not boards and not everyone:
        return []
    q = (select(Challenge).join(Area, Area.id == Challenge.area_id)
         .where(Area.slug == person.area_slug, Challenge.status.in_(("open", "responded")),
                Challenge.due_at >= start, Challenge.due_at < end))
    out = []
    for ch in (await session.execute(q)).scalars():
        if not everyone and not ({ch.from_board, ch.to_board} & boards):
            continue
        out.append(Event(
            uid=f"challenge-{ch.id}-{ch.rung_key}-{int(ch.due_at.timestamp())}@boardbot", start=ch.due_at,
            title=f"Challenge C{ch.number} response due ({ch.from_board.upper()} \u2192 {ch.to_board.upper()}): {ch.subject}",
            description=f"Step {ch.rung_index + 1} ({ch.rung_key.replace('_', ' ')}). Status: {ch.status}.",
            duration=dt.timedelta(minutes=30), boards=(ch.from_board, ch.to_board), public=False, stamp=ch.updated_at,
        ))
    return out


async def ensure_synced(session: AsyncSession, area_slug: str, now: dt.datetime, *, commit: bool = True) -> bool:
    """Bring the area's protocol rules up to date (cheap when they already are). False if no such area.

    Commits when something changed, unless ``commit`` is False (inside the caller's transaction)."""
    row = (await session.execute(
        select(Area.id, Area.settings, ProtocolRevision.sha256, Area.rules_fingerprint)
        .join(ProtocolRevision, (ProtocolRevision.area_id == Area.id) & ProtocolRevision.is_current)
        .where(Area.slug == area_slug)
    )).first()
    if row is None:
        return False
    area_id, settings, sha, stored = row
    fp = fingerprint(sha, settings)
    if stored == fp:
        return True
    [(_, text)] = await protocol_documents(session, [area_id])
    await sync_area(session, area_id, derive(calendar_part(text), settings), now)
    await session.execute(update(Area).where(Area.id == area_id).values(rules_fingerprint=fp))
    if commit:
        await session.commit()
    return True


def _boards_of(audience: list[str]) -> tuple[str, ...]:
    return tuple(a.partition(":")[2] for a in audience if a.startswith("board:"))


async def events(
    session: AsyncSession,
    area_slug: str,
    *,
    start: dt.datetime,
    end: dt.datetime,
    boards: set[str] | None = None,
    public_only: bool = True,
    include_private_for_boards: set[str] | None = None,
) -> list[Event]:
    """The area's occurrences in ``[start, end)``, in time order.

    ``boards`` limits to rules whose audience names one of them (None: all). Private rules
    are left out when ``public_only``; otherwise they are included only where their audience
    names a board in ``include_private_for_boards`` (None: all of them, for admins).
    """
    area_id = await directory.area_id(session, area_slug)
    facts = await load_facts(session, area_id)
    rows = list((await session.execute(
        select(ReminderRule).where(ReminderRule.area_id == area_id, ReminderRule.active).order_by(ReminderRule.id)
    )).scalars())
    states = {
        (rid, occ): (st, at)
        for rid, occ, st, at in (await session.execute(
            select(OccurrenceState.rule_id, OccurrenceState.occurs_at, OccurrenceState.state, OccurrenceState.at)
            .join(ReminderRule, ReminderRule.id == OccurrenceState.rule_id)
            .where(ReminderRule.area_id == area_id, OccurrenceState.occurs_at >= start, OccurrenceState.occurs_at < end)
        )).all()
    }
    out: list[Event] = []
    for row in rows:
        rb = _boards_of(row.audience or [])
        if boards is not None and not (set(rb) & boards):
            continue
        if not row.public:
            if public_only:
                continue
            if include_private_for_boards is not None and not (set(rb) & include_private_for_boards):
                continue
        r = rule_view(row, area_slug)
        cite = citation_of(r)
        schedule = describe_rule(r, facts)
        for occ in occurrences(r.recurrence, start=start, end=end, at=r.at, facts=facts):
            desc = [row.body] if row.body else []
            if occ.about:
                desc.insert(0, f"After {occ.about}.")
            if cite:
                desc.append(f"Required by: {cite.file}, {cite.clause}.")
            state, answered = states.get((row.id, occ.at), (None, None))
            out.append(Event(
                uid=f"{area_slug}/{row.key}/{occ.at:%Y%m%dT%H%M%SZ}@boardbot",
                start=occ.at, title=row.title, description="\n".join(desc), all_day=r.all_day, boards=rb,
                citation=f"{cite.file}, {cite.clause}" if cite else "", public=row.public, rule_id=row.id,
                rule_key=row.key, schedule=schedule, state=state,
                # answered (done, not this time) after the rule last changed: a newer stamp, so calendars refresh it
                stamp=max(row.updated_at, answered) if answered else row.updated_at,
            ))
    out.sort(key=lambda e: (e.start, e.title))
    return out


async def person_events(session: AsyncSession, person: PersonInfo, *, start: dt.datetime, end: dt.datetime) -> list[Event]:
    """A person's own calendar: the protocol's dates for their boards (all the area's if they
    hold no board role), private reminders for their boards (all, for an admin), and
    :func:`private_events_for`."""
    mine = {r.partition(":")[2] for r in person.roles if ":" in r and not r.startswith("post:")}
    public = await events(session, person.area_slug, start=start, end=end, boards=mine or None, public_only=True)
    private = await events(session, person.area_slug, start=start, end=end, public_only=False,
                           include_private_for_boards=None if person.is_admin else mine)
    private = [e for e in private if not e.public]
    extra = [e for e in await private_events_for(session, person, start, end) if not e.public]
    return sorted([*public, *private, *extra], key=lambda e: (e.start, e.title))


# --- personal feeds ----------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_feed(session: AsyncSession, person_id: int, now: dt.datetime) -> str:
    """A new personal feed token for the person (earlier ones are revoked). Only its hash is kept."""
    await revoke_feeds(session, person_id, now)
    token = secrets.token_urlsafe(32)
    session.add(CalendarFeed(person_id=person_id, token_hash=token_hash(token), created_at=now))
    await session.flush()
    return token


async def revoke_feeds(session: AsyncSession, person_id: int, now: dt.datetime) -> int:
    result = await session.execute(
        update(CalendarFeed).where(CalendarFeed.person_id == person_id, CalendarFeed.revoked_at.is_(None)).values(revoked_at=now)
    )
    return result.rowcount or 0


async def feed_owner(session: AsyncSession, token: str) -> PersonInfo | None:
    """The person a live feed token belongs to, or None (unknown or revoked)."""
    if not token or len(token) > 200:
        return None
    p = (await session.execute(
        select(Person).join(CalendarFeed, CalendarFeed.person_id == Person.id)
        .where(CalendarFeed.token_hash == token_hash(token), CalendarFeed.revoked_at.is_(None))
    )).scalar_one_or_none()
    if p is None:
        return None
    # the feed is of the person's home area, with the roles they hold there (none elsewhere count)
    return await directory.get_person(session, p.platform, p.workspace, p.user_id)


# --- the process's Calendar, for commands ---------------------------------


def calendar_for(services: Any) -> Calendar | None:
    """The services' Calendar (:func:`bot.bootstrap.open_services` builds it), if they have one."""
    return services.calendar


async def sync_unless_in_step(services: Any, session: Any, area_slug: str, now: dt.datetime) -> None:
    """Bring the area's protocol rules up to date for a command, unless this process's
    Calendar is doing so already (when serving, it is: it looks every few seconds)."""
    cal = services.calendar
    if cal is None or not cal.in_step():
        await ensure_synced(session, area_slug, now)
