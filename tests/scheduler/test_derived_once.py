"""An area's protocol reminders are derived once per protocol revision and settings, not at every start."""

from __future__ import annotations

from schedtest import Clock, RecordingSender, london, machinery
from sqlalchemy import select, update

from scheduler.calendar import ensure_synced
from storage.models import Area, ReminderRule

START = london(2026, 2, 2, 8, 0)


async def test_a_restart_derives_nothing_that_has_not_changed(store) -> None:
    clock = Clock(START)
    first, _ = machinery(store, clock, RecordingSender(clock))
    derived = await first.plan_protocols()
    assert derived >= 4  # the bundled areas, on first start
    async with store.session() as s:
        fps = dict((await s.execute(select(Area.slug, Area.rules_fingerprint))).all())
        rules = (await s.execute(select(ReminderRule.id, ReminderRule.updated_at).order_by(ReminderRule.id))).all()
    assert all(fps.values())

    again, _ = machinery(store, clock, RecordingSender(clock))  # a new process on the same database
    assert await again.plan_protocols() == 0
    await again.tick()
    async with store.session() as s:
        assert (await s.execute(select(ReminderRule.id, ReminderRule.updated_at).order_by(ReminderRule.id))).all() == rules


async def test_new_calendar_settings_derive_that_area_again(store) -> None:
    clock = Clock(START)
    cal, _ = machinery(store, clock, RecordingSender(clock))
    await cal.plan_protocols()
    async with store.session() as s:
        await s.execute(update(Area).where(Area.slug == "suffolk").values(settings={"calendar": {"lead_days": [7]}}))
        await s.commit()
    fresh, _ = machinery(store, clock, RecordingSender(clock))
    assert await fresh.plan_protocols() == 1
    async with store.session() as s:
        leads = (await s.execute(select(ReminderRule.lead_days).join(Area, Area.id == ReminderRule.area_id).where(
            Area.slug == "suffolk", ReminderRule.origin == "protocol"))).scalars().all()
    assert leads and [7] in leads


async def test_a_command_brings_an_area_in_step_once(store, monkeypatch) -> None:
    import scheduler.calendar as calendar_module

    calls: list[str] = []
    real = calendar_module.derive

    def counting(protocol, settings):
        calls.append(protocol.protocol.title)
        return real(protocol, settings)

    monkeypatch.setattr(calendar_module, "derive", counting)
    async with store.session() as s:
        assert await ensure_synced(s, "lancashire", START)
        assert len(calls) == 1 and "Lancashire" in calls[0]
        fp = (await s.execute(select(Area.rules_fingerprint).where(Area.slug == "lancashire"))).scalar_one()
        assert fp
        count = len((await s.execute(select(ReminderRule.id).join(Area, Area.id == ReminderRule.area_id)
                                     .where(Area.slug == "lancashire"))).all())
        assert await ensure_synced(s, "lancashire", START)
        assert len(calls) == 1  # in step already: nothing derived the second time
        assert len((await s.execute(select(ReminderRule.id).join(Area, Area.id == ReminderRule.area_id)
                                    .where(Area.slug == "lancashire"))).all()) == count
        assert not await ensure_synced(s, "nowhere", START)


async def test_the_start_up_pass_and_first_tick_overlapping_leave_the_collector_on(store) -> None:
    import asyncio
    import gc

    clock = Clock(START)
    cal, _ = machinery(store, clock, RecordingSender(clock))
    assert gc.isenabled()
    # both hold the collector off while they load; whichever ends first must not turn it on
    # under the other, nor leave it off (a server that never collects again grows without bound)
    await asyncio.gather(cal.plan_protocols(), cal.tick())
    assert gc.isenabled()
    async with store.session() as s:
        assert all((await s.execute(select(Area.rules_fingerprint))).scalars())
