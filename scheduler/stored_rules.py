"""Keeping the stored reminder rules in step with what :func:`scheduler.rules.derive` produces.

:func:`bring_in_step` finds the areas whose rules are out of step with their protocol and
derives them again; :func:`sync_area` inserts, updates in place and deletes an area's protocol rules;
:func:`schedule_changed` says whether a change moves *when or where* a rule posts (then it
counts from the change); :func:`cancel_pending` cancels a rule's queued posts.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.rule_settings import RuleSpec
from storage.models import Area, Delivery, ReminderRule
from storage.sql import insert_for

log = logging.getLogger("boardbot.calendar")


def _schedule_part(recurrence: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in recurrence.items() if k != "since"}


def schedule_changed(row: ReminderRule, recurrence: Mapping[str, Any] | None = None, *, local_time: str | None = None,
                     lead_days: list[int] | None = None, audience: list[str] | None = None) -> bool:
    """Whether the new values (None: unchanged) change *when or where* ``row`` posts.

    Its dates and time, and also its lead days and audience: a new lead time or a newly
    named board has posts "due" in the past (a 14-day notice for a meeting next week), and
    none of them was ever promised, so the rule counts from the change (``since``) instead
    of catching them up late or in a summary.
    """
    return ((recurrence is not None and _schedule_part(row.recurrence) != _schedule_part(recurrence))
            or (local_time is not None and row.local_time != local_time)
            or (lead_days is not None and [int(x) for x in row.lead_days or []] != [int(x) for x in lead_days])
            or (audience is not None and list(row.audience or []) != list(audience)))


@dataclass
class SyncResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


async def sync_area(session: AsyncSession, area_id: int, specs: list[RuleSpec], now: dt.datetime) -> SyncResult:
    """Make the area's protocol rules match ``specs``: insert, update in place, delete the stale.

    A rule whose schedule changes (see :func:`schedule_changed`) starts counting from ``now``
    (``recurrence["since"]``), so a changed date never makes boardbot post "late" reminders
    for dates that were never set.
    Pending posts of removed rules are cancelled. The caller commits.
    """
    return (await sync_areas(session, {area_id: specs}, now))[area_id]


async def sync_areas(session: AsyncSession, wanted: Mapping[int, list[RuleSpec]], now: dt.datetime) -> dict[int, SyncResult]:
    """:func:`sync_area` for many areas at once: one read of their stored rules, one insert of the new ones."""
    results = {area_id: SyncResult() for area_id in wanted}
    existing: dict[int, dict[str, ReminderRule]] = {area_id: {} for area_id in wanted}
    ids = list(wanted)
    for i in range(0, len(ids), 500):
        for r in (await session.execute(
            select(ReminderRule).where(ReminderRule.area_id.in_(ids[i:i + 500]), ReminderRule.origin == "protocol")
        )).scalars():
            existing[r.area_id][r.key] = r
    inserts: list[dict[str, Any]] = []
    stale: list[ReminderRule] = []
    for area_id, specs in wanted.items():
        result, rows = results[area_id], existing[area_id]
        for spec in specs:
            row = rows.pop(spec.key, None)
            if row is None:
                inserts.append(_new_row(area_id, spec, now))
                result.added.append(spec.key)
            elif _update(row, spec, now):
                result.updated.append(spec.key)
        for row in rows.values():
            stale.append(row)
            result.removed.append(row.key)
    if inserts:
        await session.execute(
            insert_for(session)(ReminderRule).on_conflict_do_nothing(index_elements=["area_id", "key"]), inserts
        )
    for row in stale:
        await cancel_pending(session, row.id)
        # by statement, not session.delete: another process removing it too is not an error
        await session.execute(delete(ReminderRule).where(ReminderRule.id == row.id))
    await session.flush()
    return results


async def bring_in_step(session: AsyncSession, now: dt.datetime, *, area_slug: str | None = None,
                        commit: bool = True) -> tuple[int, int]:
    """Derive again the protocol rules of every area (or of ``area_slug``) whose protocol
    revision, calendar settings or way of deriving moved since they were last derived
    (``areas.rules_fingerprint``, :func:`scheduler.reads.protocol_fingerprints`); how many
    areas there were, and how many were derived again.

    The one staleness check: the calendar's start-up pass and tick, and a command about one
    area, all come here. An area whose protocol cannot be derived is logged and left as it
    was (its fingerprint unmoved, so it is tried again), never stopping the others nor the
    command. Commits after each 200 areas, unless ``commit`` is False (inside the caller's
    transaction).
    """
    from scheduler import reads

    rows = await reads.protocol_fingerprints(session, area_slug)
    stale = {area_id: (fp, settings) for area_id, settings, fp, stored in rows if stored != fp}
    ids = list(stale)
    for i in range(0, len(ids), 200):
        await _derive(session, {a: stale[a] for a in ids[i:i + 200]}, now)
        if commit:
            await session.commit()
    return len(rows), len(stale)


async def _derive(session: AsyncSession, areas: Mapping[int, tuple[str, Any]], now: dt.datetime) -> None:
    from scheduler import reads
    from scheduler.rules import calendar_part, derive

    wanted: dict[int, list[RuleSpec]] = {}
    for area_id, text in await reads.protocol_documents(session, list(areas)):
        try:
            wanted[area_id] = derive(calendar_part(text), areas[area_id][1])
        except Exception:  # a protocol the calendar cannot read must not stop the others
            log.exception("cannot derive reminders for area %s", area_id)
    results = await sync_areas(session, wanted, now)
    for area_id, result in results.items():
        if result.changed:
            log.info("area %s: reminders added %s, updated %s, removed %s", area_id, result.added, result.updated, result.removed)
    if results:  # one statement for them all (by primary key, many parameter sets)
        await session.execute(update(Area), [{"id": a, "rules_fingerprint": areas[a][0]} for a in results])


def _new_row(area_id: int, spec: RuleSpec, now: dt.datetime) -> dict[str, Any]:
    values = spec.row_values()
    values["recurrence"] = {**values["recurrence"], "since": now.isoformat()}
    return {"area_id": area_id, "key": spec.key, "origin": "protocol", "active": True, "created_by": "protocol",
            "created_at": now, "updated_at": now, **values}


def _update(row: ReminderRule, spec: RuleSpec, now: dt.datetime) -> bool:
    """Bring a stored rule in line with ``spec``; whether anything changed."""
    values = spec.row_values()
    new_schedule = _schedule_part(values["recurrence"])
    if schedule_changed(row, new_schedule, local_time=values["local_time"], lead_days=values["lead_days"],
                        audience=values["audience"]):
        values["recurrence"] = {**new_schedule, "since": now.isoformat()}
    else:
        values["recurrence"] = dict(row.recurrence)
    changed = {k: v for k, v in values.items() if getattr(row, k) != v}
    if not row.active:
        changed["active"] = True
    if not changed:
        return False
    for k, v in changed.items():
        setattr(row, k, v)
    row.updated_at = now
    return True


async def cancel_pending(session: AsyncSession, rule_id: int, occurs_at: dt.datetime | None = None) -> int:
    """Cancel posts of a rule (or one occurrence) that are queued but not yet sent."""
    q = update(Delivery).where(Delivery.rule_id == rule_id, Delivery.status == "pending")
    if occurs_at is not None:
        q = q.where(Delivery.occurs_at == occurs_at)
    result = await session.execute(q.values(status="cancelled", last_error="cancelled: the reminder was answered or removed"))
    return result.rowcount or 0
