"""What the calendar reads from the database, each in as few queries as it can.

Plain rows in, plain data out (:mod:`scheduler.views`): the tick keeps these in memory and
reads them again only when :func:`fingerprints` shows that their table moved.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import String, Text, cast, func, or_, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.recurrence import Facts
from scheduler.rule_settings import DERIVATION_VERSION, settings_fingerprint
from scheduler.views import _RULE_COLUMNS, LinkView, RuleView, StateView, view_of
from storage.models import (
    Area,
    AreaDate,
    BoardMeeting,
    BoardRow,
    ChannelLink,
    OccurrenceState,
    ProtocolRevision,
    ReminderRule,
)

log = logging.getLogger("boardbot.calendar")

Links = dict[tuple[int, str, str], list[LinkView]]  # (area id, purpose, board key or "") -> channels


async def fingerprints(s: AsyncSession) -> dict[str, tuple]:
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


def fingerprint(sha256: str, settings: Mapping[str, Any] | None) -> str:
    """What an area's protocol rules are derived from: its protocol revision, its calendar settings
    and the way of deriving. Stored on the area (``areas.rules_fingerprint``) once they are."""
    return f"{sha256}:{settings_fingerprint(settings)}:{DERIVATION_VERSION}"


async def protocol_fingerprints(s: AsyncSession, area_slug: str | None = None) -> list[tuple[int, Any, str, str | None]]:
    """(area id, settings, fingerprint, stored fingerprint) per area (or of ``area_slug``): its rules need
    deriving again when the fingerprint moves (a new protocol revision, new calendar settings, or a new way
    of deriving) away from the one its stored rules were last derived from (None: never, or before it was kept)."""
    q = (select(Area.id, Area.settings, ProtocolRevision.sha256, Area.rules_fingerprint)
         .join(ProtocolRevision, (ProtocolRevision.area_id == Area.id) & ProtocolRevision.is_current))
    rows = (await s.execute(q if area_slug is None else q.where(Area.slug == area_slug))).all()
    return [(area_id, settings, fingerprint(sha, settings), stored) for area_id, settings, sha, stored in rows]


async def protocol_documents(s: AsyncSession, area_ids: list[int]) -> list[tuple[int, str]]:
    """The current protocol document of each area named, as its JSON text: validating the text
    (:func:`scheduler.rules.calendar_part`) skips building the document's dicts and lists first."""
    return [tuple(r) for r in (await s.execute(
        select(ProtocolRevision.area_id, cast(ProtocolRevision.document, Text))
        .where(ProtocolRevision.area_id.in_(area_ids), ProtocolRevision.is_current)
    )).all()]


async def links(s: AsyncSession) -> Links:
    out: Links = {}
    rows = (await s.execute(select(ChannelLink.id, ChannelLink.area_id, ChannelLink.purpose, ChannelLink.board_key,
                                   ChannelLink.platform, ChannelLink.workspace, ChannelLink.channel_id,
                                   ChannelLink.created_at).order_by(ChannelLink.id))).all()
    for id_, area_id, purpose, board_key, platform, workspace, channel_id, created_at in rows:
        key = (area_id, purpose, board_key if purpose == "board" else "")
        out.setdefault(key, []).append(LinkView(id_, platform, workspace, channel_id, created_at))
    return out


# the rule columns stored as JSON, and those stored as dates and times
_JSON_COLUMNS = frozenset({"citation", "recurrence", "audience", "lead_days"})
_MOMENT_COLUMNS = frozenset({"updated_at", "created_at"})


def _once_each(decode: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``decode``, run once for each distinct value: the rest get what the first got.

    Rules share most of their stored texts (the same audience, lead days and schedule in every
    area, the moment a protocol's rules were written): decoding 80,000 JSON values and 40,000
    dates at start was most of the cost of reading 20,000 rules. What is returned is shared
    between the rules, so :func:`scheduler.views.view_of` copies what a view could change."""
    seen: dict[Any, Any] = {}

    def once(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            out = seen[value] = decode(value)
            return out
        except TypeError:  # not hashable (a backend that hands back decoded values)
            return decode(value)

    return once


def _json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _schedule(text: str | None) -> tuple[Any, str | None]:
    """A stored recurrence, and its words apart from ``since`` (:attr:`RuleView.schedule`)."""
    spec = _json(text)
    if not isinstance(spec, dict):
        return spec, None
    return spec, json.dumps({k: v for k, v in spec.items() if k != "since"}, sort_keys=True, default=str)


def _same(value: Any) -> Any:
    return value


async def rules(s: AsyncSession, old: Mapping[int, RuleView]) -> dict[int, RuleView]:
    """The active rules; one not changed since ``old`` was read keeps its view (and its progress).

    With ``old`` (a refresh after a change), the rules' stamps are read first and only the new
    and changed rules whole: one rule edited among 20,000 re-read them all (170 ms)."""
    # the columns view_of reads, from the tables themselves: plain rows, without the ORM's loading
    # of each one; the JSON columns as their text and the dates as the driver gives them, each
    # distinct one decoded once
    rule, area = ReminderRule.__table__, Area.__table__
    dialect = s.get_bind().dialect
    moments = {name: rule.c[name].type.dialect_impl(dialect).result_processor(dialect, None) for name in _MOMENT_COLUMNS}
    columns = [cast(rule.c[n], Text) if n in _JSON_COLUMNS else type_coerce(rule.c[n], String) if n in moments else rule.c[n]
               for n in _RULE_COLUMNS]
    json_of = _once_each(_json)  # one for three columns: a text reads the same in any of them
    schedule_of = _once_each(_schedule)
    updated_of = _once_each(moments["updated_at"] or _same)
    created_of = _once_each(moments["created_at"] or _same)
    since_of = _once_each(dt.datetime.fromisoformat)
    whole = select(*columns, area.c.slug).select_from(rule.join(area, area.c.id == rule.c.area_id)).where(rule.c.active)
    out: dict[int, RuleView] = {}
    if old:
        order = (await s.execute(
            select(rule.c.id, type_coerce(rule.c.updated_at, String)).where(rule.c.active)
        )).all()
        fresh = []
        for id_, stamp in order:
            prev = old.get(id_)
            if prev is not None and prev.updated_at == updated_of(stamp):
                out[id_] = prev
            else:
                fresh.append(id_)
        rows = []
        for i in range(0, len(fresh), 500):
            rows.extend((await s.execute(whole.where(rule.c.id.in_(fresh[i:i + 500])))).all())
    else:
        rows = (await s.execute(whole)).all()
    for i, (id_, area_id, key, origin, title, body, citation, recurrence, audience, lead_days, local_time, public,
            created_by, subject_type, subject_id, updated_at, created_at, slug) in enumerate(rows, 1):
        if i % 1000 == 0:  # 20,000 at start: let the server answer requests in between
            await asyncio.sleep(0)
        try:
            spec, schedule = schedule_of(recurrence)
            out[id_] = view_of(id_, area_id, slug, key, origin, title, body, json_of(citation), spec, json_of(audience),
                               json_of(lead_days), local_time, public, created_by, subject_type, subject_id,
                               updated_of(updated_at), created_of(created_at), moment=since_of, schedule=schedule)
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("reminder rule %s has an unreadable schedule; skipped", id_)
    if old:  # in the table's order, as a whole read gives them
        out = {id_: out[id_] for id_, _ in order if id_ in out}
    return out


async def facts(s: AsyncSession) -> tuple[dict[int, Facts], dict[int, str]]:
    """Every area's recorded dates and board meetings, and a fingerprint of each area's."""
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
    found = {a: Facts(dates.get(a, {}), meetings.get(a, {}), labels.get(a, {})) for a in areas}
    fps = {a: hashlib.sha1(repr((sorted((k, sorted(v)) for k, v in f.dates.items()),
                                 sorted((k, sorted(v)) for k, v in f.meetings.items()))).encode()).hexdigest()
           for a, f in found.items()}
    return found, fps


async def states(s: AsyncSession, cutoff: dt.datetime) -> dict[int, dict[dt.datetime, StateView]]:
    """The answers (done, snoozed, not this time) that can still matter: for occurrences, or
    snoozes ending, after ``cutoff``. Planning never starts earlier, and the table only grows."""
    out: dict[int, dict[dt.datetime, StateView]] = {}
    for rule_id, occurs_at, state, until, at, by, reason in (await s.execute(
        select(OccurrenceState.rule_id, OccurrenceState.occurs_at, OccurrenceState.state, OccurrenceState.until,
               OccurrenceState.at, OccurrenceState.by, OccurrenceState.reason)
        .where(or_(OccurrenceState.occurs_at >= cutoff, OccurrenceState.until >= cutoff))
    )).all():
        out.setdefault(rule_id, {})[occurs_at] = StateView(state, until, at, by, reason)
    return out
