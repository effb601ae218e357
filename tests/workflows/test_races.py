"""Twenty people pressing the same button at the same moment, on SQLite and PostgreSQL: the state
ends right, one press acts, and every other presser is told what already happened and by whom
(never "Something went wrong")."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select
from tenancy_world import build

from storage.models import AuditEvent, BoardMeeting, Delivery

N = 20


@pytest.fixture
async def world(db_url):
    from bot.bootstrap import open_services
    from bot.config import from_env

    services = await open_services(from_env({"DATABASE_URL": db_url}))
    try:
        yield await build(services)
    finally:
        await services.close()


async def at_once(w, who: str, action: str, value: dict):
    return await asyncio.gather(*(w.act(who, action, dict(value)) for _ in range(N)))


async def count(w, model, *where) -> int:
    async with w.services.store.session() as s:
        return (await s.execute(select(func.count()).select_from(model).where(*where))).scalar_one()


def winners_and_losers(replies, won: str, lost: str):
    assert all(r.ok for r in replies), [r.text for r in replies if not r.ok]
    winners = [r for r in replies if won in r.text and "Nothing was changed" not in r.text]
    losers = [r for r in replies if lost in r.text and "Nothing was changed" in r.text]
    assert len(winners) == 1 and len(losers) == N - 1, [r.text[:120] for r in replies]
    return winners[0], losers


async def test_twenty_accepts_onto_a_new_meeting(world):
    w = world
    replies = await at_once(w, "sam", "agenda.accept.submit", {"id": w.objects["agenda"], "new_meeting": "2027-02-02 10:00"})
    assert all("Something went wrong" not in r.text for r in replies)
    _, losers = winners_and_losers(replies, "Status: Accepted onto the meeting", "was already accepted onto the meeting")
    assert all("by Sam Lee" in r.text for r in losers)
    assert (await w.agenda_request()).status == "accepted"
    assert await count(w, BoardMeeting) == 2  # the one added in set-up, and this one, once
    assert await count(w, AuditEvent, AuditEvent.kind == "accepted") == 1


async def test_twenty_declines_and_twenty_defers(world):
    """Deferring leaves a request open, so the form says which state it was decided from."""
    w = world
    form = await w.act("sam", "agenda.defer", {"id": w.objects["agenda"]})
    replies = await at_once(w, "sam", "agenda.defer.submit", {**form.form.context, "reason": "Next quarter"})
    winners_and_losers(replies, "Status: Deferred", "was already deferred by Sam Lee")
    form = await w.act("sam", "agenda.decline", {"id": w.objects["agenda"]})
    replies = await at_once(w, "sam", "agenda.decline.submit", {**form.form.context, "reason": "Not ours"})
    winners_and_losers(replies, "Status: Declined", "was already declined by Sam Lee")
    assert await count(w, AuditEvent, AuditEvent.kind.in_(("deferred", "declined"))) == 2


async def test_twenty_resolves(world):
    w = world
    replies = await at_once(w, "jo", "challenge.resolve.submit", {"id": w.objects["challenge"], "text": "Agreed a plan."})
    _, losers = winners_and_losers(replies, "Challenge C1 resolved.", "already moved on")
    assert all("Jo Smith resolved: Agreed a plan." in r.text for r in losers)
    assert (await w.challenge()).status == "resolved"
    assert await count(w, AuditEvent, AuditEvent.kind == "resolved") == 1


async def test_twenty_escalations_climb_one_rung(world):
    w = world
    replies = await at_once(w, "jo", "challenge.escalate", {"id": w.objects["challenge"], "rung": 0, "confirmed": 1,
                                                             "reason": "No answer."})
    _, losers = winners_and_losers(replies, "Escalated to step 2", "already moved on")
    assert all("Jo Smith escalated it from a written request to an agenda item (step 2" in r.text for r in losers)
    assert (await w.challenge()).rung_index == 1
    assert await count(w, AuditEvent, AuditEvent.kind == "escalated") == 1
    assert await count(w, AuditEvent, AuditEvent.kind == "requested", AuditEvent.subject_type == "agenda") == 2


async def test_twenty_agreements_to_more_time_extend_once(world):
    w = world
    before = (await w.challenge()).due_at
    replies = await at_once(w, "jo", "challenge.extend", {"id": w.objects["challenge"], "event": w.objects["event"], "days": 10})
    _, losers = winners_and_losers(replies, "Extension agreed.", "already agreed by Jo Smith")
    after = (await w.challenge()).due_at
    assert 13 <= (after - before).days <= 18  # ten working days (over Christmas), once
    assert await count(w, AuditEvent, AuditEvent.kind == "time-agreed") == 1
    assert await count(w, Delivery, Delivery.key.like("%extension%")) == 1


async def test_twenty_dones_on_one_reminder(world):
    from storage.models import OccurrenceState

    w = world
    value = {"rule": w.objects["rule"], "occ": "2026-12-01T09:00:00+00:00"}
    replies = await at_once(w, "ada", "reminder.done", value)
    _, losers = winners_and_losers(replies, "Done:", "was already marked done by Ada Admin")
    assert await count(w, OccurrenceState) == 1
    assert await count(w, AuditEvent, AuditEvent.kind == "done") == 1
    # a different answer afterwards still replaces it
    snoozed = await w.act("ada", "reminder.snooze", {**value, "for": "1w"})
    assert snoozed.ok and "Snoozed" in snoozed.text and "Nothing was changed" not in snoozed.text
