"""The overdue review note is worked out once per area and London day, for one protocol index:
a new day, a new index (a protocol imported) or a recorded review (forget) works it out again."""

from __future__ import annotations

import datetime as dt

from bot.knowledge import Knowledge
from bot.services import Services
from bot.workflows.protocol_review import _known, forget
from scheduler.timeutil import local_to_utc
from storage.protocol.loader import bundled_protocol_paths, load_protocol_file

AREA = "buckinghamshire"  # its protocol's review fell due in January 2018


def _index() -> Knowledge:
    return Knowledge([load_protocol_file(p).protocol for p in bundled_protocol_paths()])


async def test_the_note_is_kept_for_the_day_and_the_index_and_worked_out_again_after() -> None:
    now = [dt.datetime(2026, 6, 30, 22, 58, tzinfo=dt.UTC)]  # 23:58 in London (summer time)
    services = Services(knowledge=_index(), clock=lambda: now[0])
    first = await _known(services, AREA)
    assert first is not None and first.sentence
    now[0] += dt.timedelta(minutes=1)
    assert await _known(services, AREA) is first  # the same London day: kept

    now[0] += dt.timedelta(minutes=2)  # 00:01 on 1 July in London, still 30 June in UTC
    next_day = await _known(services, AREA)
    assert next_day is not first
    assert next_day.starts == local_to_utc(dt.date(2026, 7, 1), dt.time(0))

    services.knowledge = _index()  # a protocol imported: a new index
    reindexed = await _known(services, AREA)
    assert reindexed is not next_day and reindexed.knowledge is services.knowledge

    forget(services)  # a review recorded
    assert await _known(services, AREA) is not reindexed
