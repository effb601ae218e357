"""The calendar's review reminder falls when the answers say the review is due, and moves when a
review is recorded.

Buckinghamshire's protocol gives its review date as January 2018 and no review is recorded: the
answers say it was due by 31 January 2018, so the calendar reminds on 31 January (each year while
it is overdue). A business manager records a review; the answers and the reminder both move to a
year after it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from schedtest import Clock, RecordingSender, link_boards, london, machinery, say, services_for

from bot.review import review_status
from scheduler.recurrence import occurrences
from scheduler.rules import derive
from storage.protocol.loader import bundled_protocol_paths, parse_protocol
from storage.revisions import review_dates

BUCKS = "buckinghamshire"


def _protocol(slug: str):
    path = next(p for p in bundled_protocol_paths() if p.stem == slug)
    return parse_protocol(path.read_text(), path.name).protocol


def _with_review(protocol, **changes):
    """``protocol`` with its review clause (and, with ``agreed``, its date of agreement) changed."""
    agreed = changes.pop("agreed", protocol.protocol.agreed)
    review = protocol.protocol.review.model_copy(update=changes)
    info = protocol.protocol.model_copy(update={"review": review, "agreed": agreed})
    return protocol.model_copy(update={"protocol": info})


def _review_days(protocol, recorded: dict[str, dt.date], start: dt.date, years: int = 3) -> list[dt.date]:
    """The London dates the derived review reminder falls on, from ``start`` for ``years``, given these recorded dates."""
    from scheduler.recurrence import Facts

    rule = next(r for r in derive(protocol) if r.key == "review:protocol")
    facts = Facts(dates={k: [(d, None)] for k, d in recorded.items()})
    found = occurrences(rule.recurrence, start=london(start.year, start.month, start.day),
                        end=london(start.year + years, start.month, start.day), facts=facts)
    return [o.at.date() for o in found]


async def _run(calendar, dispatcher, clock: Clock, until: dt.datetime) -> None:
    """Tick the calendar at every wake-up it asks for (and every few days) until ``until``."""
    await calendar.tick()
    await dispatcher.tick()
    while True:
        extra = (clock.now + dt.timedelta(days=3)).replace(hour=6, minute=0, second=0, microsecond=0)
        nxt = min(c for c in (extra, calendar.next_wakeup() or extra) if c > clock.now)
        if nxt >= until:
            break
        clock.set(nxt)
        await calendar.tick()
        await dispatcher.tick()


def _review_posts(sender: RecordingSender, channel: str = "C-bscb") -> list:
    return [p for p in sender.posted if p.reminder.get("rule_key") == "review:protocol" and p.channel == channel]


async def test_recording_a_review_moves_the_reminder_to_a_year_after_it(store) -> None:
    clock = Clock(london(2027, 1, 1, 8, 0))
    sender = RecordingSender(clock)
    calendar, dispatcher = machinery(store, clock, sender)
    await link_boards(store, BUCKS, at=clock.now)
    services = await services_for(store, clock, calendar)

    # overdue since 31 January 2018: reminded on its day, Sun 31 Jan 2027 (14 days before is a
    # Sunday, so Friday 15 Jan; 1 day before a Saturday, so Friday 29 Jan), on the answers' basis
    await _run(calendar, dispatcher, clock, london(2027, 2, 5))
    posts = _review_posts(sender)
    assert [p.local.date() for p in posts] == [dt.date(2027, 1, 15), dt.date(2027, 1, 29)]
    assert "Due: Sun 31 Jan 2027" in posts[0].message.reply.text
    assert "After the review date of Wed 31 Jan 2018 passed with no review recorded." in posts[0].message.reply.text
    async with store.session() as s:
        status = review_status(services.knowledge.area(BUCKS).protocol, await review_dates(s, BUCKS), clock.now.date())
    assert status.overdue and status.due == dt.date(2018, 1, 31)
    assert status.due.strftime("%d %m") == dt.date(2027, 1, 31).strftime("%d %m")  # the same day of the year

    clock.set(london(2027, 2, 10, 12, 0))
    recorded = await say(services, "remind reviewed protocol 2027-02-10")
    assert recorded.ok, recorded.text
    assert "Review of the joint protocol (V3.0): due Thu 10 Feb 2028 (yearly from the review recorded on 10 February 2027" \
        in recorded.text, recorded.text

    # a year after the review: Thu 10 Feb 2028, 14 days before (Thu 27 Jan) and 1 day before (Wed 9 Feb);
    # nothing on 31 January any more (its posts would be Mon 17 Jan and Fri 28 Jan 2028)
    await _run(calendar, dispatcher, clock, london(2028, 3, 1))
    later = [p for p in _review_posts(sender) if p.local.date() > dt.date(2027, 2, 10)]
    assert [p.local.date() for p in later] == [dt.date(2028, 1, 27), dt.date(2028, 2, 9)]
    assert "Due: Thu 10 Feb 2028" in later[0].message.reply.text
    assert "After the review recorded on Wed 10 Feb 2027." in later[0].message.reply.text
    async with store.session() as s:
        status = review_status(services.knowledge.area(BUCKS).protocol, await review_dates(s, BUCKS), dt.date(2027, 6, 1))
    assert not status.overdue and status.due == dt.date(2028, 2, 10)


@pytest.mark.parametrize("changes", [{}, {"rule": "annual", "next_due": "2018-01"}])
def test_a_review_recorded_before_the_protocols_date_does_not_move_it(changes) -> None:
    bucks = _with_review(_protocol(BUCKS), **changes)
    early = {"protocol_reviewed": dt.date(2017, 6, 1)}  # before January 2018: not the review the protocol asks for
    assert _review_days(bucks, early, dt.date(2026, 1, 1), 2) == [dt.date(2026, 1, 31), dt.date(2027, 1, 31)]
    assert review_status(bucks, early, dt.date(2026, 1, 1)).due == dt.date(2018, 1, 31)


@pytest.mark.parametrize(("changes", "due", "basis"), [
    ({"next_due": "2027-03"}, dt.date(2027, 3, 31), "the protocol gives March 2027"),  # a month: by its last day
    ({"next_due": "2027"}, dt.date(2027, 12, 31), "the protocol gives 2027"),  # a year: by 31 December
    ({"next_due": "2027-03-15"}, dt.date(2027, 3, 15), "the protocol gives 15 March 2027"),
    ({"rule": "annual", "next_due": "2027-04"}, dt.date(2027, 4, 30), "the protocol gives April 2027"),  # any rule's date
    ({"rule": "annual_from_signing", "next_due": None, "agreed": "2026-05"}, dt.date(2027, 5, 31),
     "yearly from May 2026"),  # signed in May 2026: due by the end of May 2027
    ({"rule": "every_years_from_signing", "every_years": 2, "next_due": None, "agreed": "2025-09-10"},
     dt.date(2027, 9, 10), "every 2 years from 10 September 2025"),
])
def test_the_reminder_falls_on_the_date_the_answers_give(changes, due, basis) -> None:
    protocol = _with_review(_protocol(BUCKS), **changes)
    status = review_status(protocol, {}, dt.date(2026, 12, 1))
    assert (status.due, status.overdue, status.basis) == (due, False, basis)
    assert _review_days(protocol, {}, dt.date(2026, 12, 1))[0] == due
    rule = next(r for r in derive(protocol) if r.key == "review:protocol")
    assert f"{due:%-d %B %Y}" in rule.body  # its text gives the same date


def test_every_two_years_counts_from_the_later_of_signing_and_review() -> None:
    protocol = _with_review(_protocol(BUCKS), rule="every_years_from_signing", every_years=2, next_due=None,
                            agreed="2022-04-01")
    recorded = {"protocol_signed": dt.date(2022, 4, 1), "protocol_reviewed": dt.date(2025, 7, 14)}
    status = review_status(protocol, recorded, dt.date(2026, 12, 1))
    assert status.due == dt.date(2027, 7, 14) and not status.overdue
    assert _review_days(protocol, recorded, dt.date(2026, 12, 1), 3) == [dt.date(2027, 7, 14), dt.date(2028, 7, 14),
                                                                        dt.date(2029, 7, 14)]  # yearly once overdue


def test_until_anything_is_recorded_a_yearly_review_reminds_on_the_default_day() -> None:
    lancs = _protocol("lancashire")  # reviewed annually, from the last review: none recorded
    assert review_status(lancs, {}, dt.date(2026, 12, 1)).due is None
    assert _review_days(lancs, {}, dt.date(2026, 12, 1), 2) == [dt.date(2027, 4, 1), dt.date(2028, 4, 1)]
    recorded = {"protocol_reviewed": dt.date(2026, 9, 8)}
    assert review_status(lancs, recorded, dt.date(2026, 12, 1)).due == dt.date(2027, 9, 8)
    assert _review_days(lancs, recorded, dt.date(2026, 12, 1), 2) == [dt.date(2027, 9, 8), dt.date(2028, 9, 8)]


def test_a_protocol_stating_no_review_gets_no_reminder() -> None:
    suffolk = _protocol("suffolk")
    assert not any(r.key == "review:protocol" for r in derive(suffolk))
    assert review_status(suffolk, {"protocol_reviewed": dt.date(2026, 1, 1)}, dt.date(2026, 12, 1)).due is None


async def test_a_review_recorded_late_is_reminded_of_within_days(store) -> None:
    """A review recorded after the fact can bring the next one within days: the calendar sees it at once."""
    clock = Clock(london(2027, 2, 1, 8, 0))
    sender = RecordingSender(clock)
    calendar, dispatcher = machinery(store, clock, sender)
    await link_boards(store, BUCKS, at=clock.now)
    services = await services_for(store, clock, calendar)
    await _run(calendar, dispatcher, clock, london(2027, 2, 10, 12, 0))
    clock.set(london(2027, 2, 10, 12, 0))
    recorded = await say(services, "remind reviewed protocol 2026-02-15")
    assert "due Mon 15 Feb 2027" in recorded.text, recorded.text
    # Mon 15 Feb 2027: 1 day before is a Sunday, so Friday 12 Feb, on time; the 14-day notice
    # (1 Feb) fell before the review was recorded and is not posted late
    await _run(calendar, dispatcher, clock, london(2027, 2, 20))
    posts = [p for p in _review_posts(sender) if p.local.date() > dt.date(2027, 2, 10)]
    assert [(p.local.date(), p.local.hour, p.message.late) for p in posts] == [(dt.date(2027, 2, 12), 9, False)]


async def test_a_review_is_recorded_where_the_protocol_counts_from_signing(store) -> None:
    """Central Bedfordshire reviews yearly from signing: a review recorded counts as the answers count it."""
    clock = Clock(london(2026, 11, 20, 12, 0))
    await link_boards(store, "central-bedfordshire", at=clock.now)
    services = await services_for(store, clock)
    recorded = await say(services, "remind reviewed protocol 2026-06-01", roles=frozenset({"business_manager:lscb"}),
                         area="central-bedfordshire")
    assert recorded.ok and "Recorded: the last review of the protocol on Mon 01 Jun 2026." in recorded.text, recorded.text
    assert "Review of the joint protocol: due Tue 01 Jun 2027 (yearly from 1 June 2026;" in recorded.text, recorded.text


@pytest.mark.parametrize(("changes", "keys"), [
    ({"rule": "every_years", "every_years": 2, "next_due": None}, {"protocol_reviewed"}),
    ({"rule": "every_years_from_signing", "every_years": 3, "next_due": None}, {"protocol_reviewed", "protocol_signed"}),
    ({"rule": "annual", "next_due": None}, {"protocol_reviewed"}),
    ({"rule": "unspecified", "next_due": None}, set()),
])
def test_the_dates_a_review_counts_from_can_be_recorded(changes, keys) -> None:
    from scheduler.rule_settings import recordable_events

    protocol = _with_review(_protocol(BUCKS), **changes)
    assert set(recordable_events(protocol)) == keys
