"""`remind published yearly report DATE` works in every area; a date whose deadline has already
gone is refused, saying which and when, with nothing recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from storage.models import AreaDate

AREAS = ["central-bedfordshire", "suffolk", "buckinghamshire", "lancashire"]


def manager_in(world, area: str):
    board = next(b.key for b in world.services.knowledge.area(area).protocol.boards if b.party)
    return world.person("Business Manager", f"business_manager:{board}")


@pytest.mark.parametrize("area", AREAS)
async def test_the_readmes_example_records_the_publication_in_every_area(world, area):
    world.now = dt.datetime(2026, 7, 2, 10, 0, tzinfo=dt.UTC)
    reply = await world.say(manager_in(world, area), "remind published yearly report 2026-06-30", area)
    assert reply.ok and "Recorded: the publication of the yearly report on Tue 30 Jun 2026" in reply.text, reply.text
    if area == "central-bedfordshire":
        assert "due Thu 09 Jul 2026" in reply.text
    else:
        assert "counts no deadline from the publication of the yearly report" in reply.text


async def test_a_date_whose_deadline_has_gone_is_refused_and_nothing_recorded(world):
    reply = await world.say(manager_in(world, "central-bedfordshire"), "remind published yearly report 2026-06-30",
                            "central-bedfordshire")
    assert not reply.ok and "was due on Thu 09 Jul 2026, which has gone" in reply.text, reply.text
    async with world.services.store.session() as s:
        assert (await s.execute(select(AreaDate))).first() is None


async def test_someone_who_may_not_record_dates_is_refused_as_such_even_for_a_late_date(world):
    """The permission comes first: a member is told who may record dates, not about the deadline."""
    member = world.person("A member")
    reply = await world.say(member, "remind published yearly report 2026-06-30", "central-bedfordshire")
    assert not reply.ok and "Only a business manager or an admin can record dates" in reply.text, reply.text
    assert "deadline" not in reply.text
