"""Recurrence rules: dates in London, instants in UTC, bank holidays, and both DST changes."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from scheduler.recurrence import (
    NO_FACTS,
    Facts,
    RecurrenceError,
    describe,
    next_occurrence,
    occurrences,
    post_time,
    validate,
)
from scheduler.timeutil import LONDON
from scheduler.workdays import is_working_day

UTC = dt.UTC


def local_dates(spec, start, end, at=dt.time(9, 0), facts=NO_FACTS):
    return [o.at.astimezone(LONDON).date().isoformat() for o in occurrences(spec, start=start, end=end, at=at, facts=facts)]


def year(y: int) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime(y, 1, 1, tzinfo=LONDON), dt.datetime(y + 1, 1, 1, tzinfo=LONDON)


def test_first_tuesday_of_each_quarter() -> None:
    spec = {"kind": "nth_weekday", "n": 1, "weekday": 1, "months": [1, 4, 7, 10]}
    got = occurrences(spec, start=year(2026)[0], end=year(2026)[1], at=dt.time(10, 0))
    assert [o.at.astimezone(LONDON).isoformat() for o in got] == [
        "2026-01-06T10:00:00+00:00", "2026-04-07T10:00:00+01:00", "2026-07-07T10:00:00+01:00", "2026-10-06T10:00:00+01:00"]
    # stored as UTC: 10:00 in summer is 09:00 UTC
    assert got[1].at == dt.datetime(2026, 4, 7, 9, 0, tzinfo=UTC)


def test_last_working_day_of_march_skips_weekends_and_good_friday() -> None:
    spec = {"kind": "working_day", "n": -1, "months": [3]}
    assert local_dates(spec, *year(2026)) == ["2026-03-31"]  # a Tuesday
    assert local_dates(spec, *year(2029)) == ["2029-03-29"]  # 31st a Saturday, 30th Good Friday
    assert local_dates(spec, *year(2024)) == ["2024-03-28"]  # 31st Easter Sunday, 29th Good Friday
    assert local_dates({"kind": "working_day", "n": 1, "months": [1]}, *year(2027)) == ["2027-01-04"]  # 1 Jan a Friday


def test_last_weekday_and_missing_fifth() -> None:
    assert local_dates({"kind": "nth_weekday", "n": -1, "weekday": 4, "months": [2]}, *year(2026)) == ["2026-02-27"]
    # February 2026 has only four Mondays: a "fifth Monday" is skipped, not moved
    assert local_dates({"kind": "nth_weekday", "n": 5, "weekday": 0, "months": [2, 3]}, *year(2026)) == ["2026-03-30"]


def test_monthly_day_beyond_a_short_month_is_its_last_day() -> None:
    got = local_dates({"kind": "monthly", "day": 31, "months": [1, 2, 4]}, *year(2028))
    assert got == ["2028-01-31", "2028-02-29", "2028-04-30"]
    assert local_dates({"kind": "yearly", "month": 2, "day": 29}, dt.datetime(2027, 1, 1, tzinfo=UTC),
                       dt.datetime(2029, 1, 1, tzinfo=UTC)) == ["2027-02-28", "2028-02-29"]


def test_every_n_years_counts_from_the_anchor() -> None:
    spec = {"kind": "seasonal", "season": "autumn", "every_years": 4, "anchor_year": 2017}
    got = local_dates(spec, dt.datetime(2017, 1, 1, tzinfo=UTC), dt.datetime(2031, 1, 1, tzinfo=UTC))
    assert got == ["2017-09-01", "2021-09-01", "2025-09-01", "2029-09-01"]


@pytest.mark.parametrize("season,date", [("spring", "2026-03-01"), ("summer", "2026-06-01"), ("autumn", "2026-09-01"),
                                         ("winter", "2026-12-01")])
def test_season_default_dates(season: str, date: str) -> None:
    assert local_dates({"kind": "seasonal", "season": season}, *year(2026)) == [date]


def test_seven_working_days_after_publication_over_christmas() -> None:
    recorded = dt.datetime(2026, 12, 24, 12, tzinfo=UTC)
    facts = Facts(dates={"publication_of_the_yearly_report": [(dt.date(2026, 12, 24), recorded)]})
    spec = {"kind": "after_date", "date_key": "publication_of_the_yearly_report", "working_days": 7}
    (occ,) = occurrences(spec, start=year(2026)[0], end=year(2027)[1], facts=facts)
    # 25 Dec, 28 Dec (Boxing Day's substitute) and 1 Jan are bank holidays
    assert occ.at.astimezone(LONDON).date() == dt.date(2027, 1, 7)
    assert occ.known == recorded and "24 Dec 2026" in occ.about
    calendar_days = {"kind": "after_date", "date_key": "publication_of_the_yearly_report", "days": 7}
    assert local_dates(calendar_days, *year(2026), facts=facts) == ["2026-12-31"]


def test_anniversary_uses_the_recorded_date_else_the_default() -> None:
    spec = {"kind": "anniversary", "date_key": "protocol_signed", "month": 4, "day": 1}
    assert local_dates(spec, *year(2026)) == ["2026-04-01"]
    facts = Facts(dates={"protocol_signed": [(dt.date(2019, 6, 12), None)]})
    assert local_dates(spec, *year(2026), facts=facts) == ["2026-06-12"]


def test_board_meetings_the_meeting_itself_or_working_days_after() -> None:
    meeting = dt.datetime(2026, 4, 2, 13, 0, tzinfo=UTC)  # Thursday before Good Friday, 14:00 BST
    facts = Facts(meetings={"hwb": [(meeting, None)]}, labels={"hwb": "HWB"})
    at_meeting = occurrences({"kind": "board_meetings", "boards": ["hwb"]}, start=year(2026)[0], end=year(2026)[1], facts=facts)
    assert [o.at for o in at_meeting] == [meeting]
    after = occurrences({"kind": "board_meetings", "boards": ["hwb"], "working_days_after": 2},
                        start=year(2026)[0], end=year(2026)[1], facts=facts)
    assert after[0].at.astimezone(LONDON).date() == dt.date(2026, 4, 8)  # over Good Friday and Easter Monday
    assert "HWB meeting on Thu 02 Apr 2026 at 14:00" in after[0].about


def test_lead_posts_move_back_to_a_working_day() -> None:
    occ = dt.datetime(2026, 4, 7, 9, 0, tzinfo=UTC)  # Tue 7 April 2026, 10:00 BST
    assert post_time(occ, 1, dt.time(10, 0)).astimezone(LONDON).date() == dt.date(2026, 4, 2)  # not Easter Monday
    assert post_time(occ, 14, dt.time(10, 0)).astimezone(LONDON) == dt.datetime(2026, 3, 24, 10, 0, tzinfo=LONDON)
    assert post_time(occ, 0) == occ


# --- daylight saving: neither skipped nor doubled -----------------------------------------------------


def test_a_0130_reminder_on_the_spring_forward_day_is_not_skipped() -> None:
    spec = {"kind": "weekly", "weekdays": [6]}
    got = occurrences(spec, start=dt.datetime(2026, 3, 21, tzinfo=UTC), end=dt.datetime(2026, 4, 6, tzinfo=UTC),
                      at=dt.time(1, 30))
    assert [o.at for o in got] == [dt.datetime(2026, 3, 22, 1, 30, tzinfo=UTC),
                                   dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC),  # 01:30 does not exist: 02:30 BST
                                   dt.datetime(2026, 4, 5, 0, 30, tzinfo=UTC)]
    assert got[1].at.astimezone(LONDON).strftime("%H:%M %Z") == "02:30 BST"


def test_a_0130_reminder_on_the_autumn_back_day_is_not_doubled() -> None:
    spec = {"kind": "weekly", "weekdays": [6]}
    got = occurrences(spec, start=dt.datetime(2026, 10, 17, tzinfo=UTC), end=dt.datetime(2026, 11, 2, tzinfo=UTC),
                      at=dt.time(1, 30))
    assert [o.at for o in got] == [dt.datetime(2026, 10, 18, 0, 30, tzinfo=UTC),
                                   dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # 01:30 happens twice: the first
                                   dt.datetime(2026, 11, 1, 1, 30, tzinfo=UTC)]


def test_lead_days_across_a_clock_change_keep_the_wall_time() -> None:
    occ = occurrences({"kind": "once", "date": "2026-03-30"}, start=year(2026)[0], end=year(2026)[1], at=dt.time(9, 0))[0]
    before = post_time(occ.at, 3, dt.time(9, 0))  # Friday 27 March, still GMT
    assert before.astimezone(LONDON) == dt.datetime(2026, 3, 27, 9, 0, tzinfo=LONDON)
    assert before == dt.datetime(2026, 3, 27, 9, 0, tzinfo=UTC) and occ.at == dt.datetime(2026, 3, 30, 8, 0, tzinfo=UTC)


# --- properties, over many random rules and windows (seeded, so failures reproduce) -------------------


def _random_spec(rng: random.Random) -> dict:
    kind = rng.choice(["once", "weekly", "monthly", "nth_weekday", "working_day", "yearly", "seasonal"])
    months = sorted(rng.sample(range(1, 13), rng.randint(1, 4)))
    if kind == "once":
        return {"kind": kind, "date": (dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 1500))).isoformat()}
    if kind == "weekly":
        spec = {"kind": kind, "weekdays": sorted(rng.sample(range(7), rng.randint(1, 3)))}
        if rng.random() < 0.3:
            spec.update(every=rng.randint(2, 4), anchor="2025-03-03")
        return spec
    if kind == "monthly":
        return {"kind": kind, "day": rng.randint(1, 31), "months": months}
    if kind == "nth_weekday":
        return {"kind": kind, "n": rng.choice([1, 2, 3, 4, 5, -1]), "weekday": rng.randint(0, 6), "months": months}
    if kind == "working_day":
        return {"kind": kind, "n": rng.choice([1, 2, -1]), "months": months}
    if kind == "yearly":
        m = rng.randint(1, 12)
        return {"kind": kind, "month": m, "day": rng.randint(1, 28), "every_years": rng.choice([1, 1, 2, 4]), "anchor_year": 2025}
    return {"kind": kind, "season": rng.choice(["spring", "summer", "autumn", "winter"])}


def test_properties_of_occurrences() -> None:
    rng = random.Random(20261123)
    times = [dt.time(0, 0), dt.time(1, 0), dt.time(1, 30), dt.time(1, 59), dt.time(2, 0), dt.time(9, 30), dt.time(23, 59)]
    for _ in range(400):
        spec = validate(_random_spec(rng))
        at = rng.choice(times)
        start = dt.datetime(2025, 1, 1, tzinfo=UTC) + dt.timedelta(hours=rng.randint(0, 24 * 900))
        end = start + dt.timedelta(hours=rng.randint(1, 24 * 500))
        whole = occurrences(spec, start=start, end=end, at=at)
        instants = [o.at for o in whole]
        assert instants == sorted(set(instants)), spec  # in order, no doubles
        assert all(start <= t < end for t in instants), spec
        # splitting the window anywhere loses and doubles nothing
        cut = start + (end - start) * rng.random()
        parts = occurrences(spec, start=start, end=cut, at=at) + occurrences(spec, start=cut, end=end, at=at)
        assert [o.at for o in parts] == instants, (spec, cut)
        for t in instants:
            local = t.astimezone(LONDON)
            # the wall-clock time asked for, or an hour later in the spring gap
            assert local.time() == at or (local.time().hour == at.hour + 1 and local.utcoffset() == dt.timedelta(hours=1)
                                          and t.astimezone(UTC).hour == at.hour), (spec, at, local)
            if spec["kind"] == "nth_weekday":
                assert local.weekday() == spec["weekday"] and local.month in spec["months"]
            if spec["kind"] == "working_day":
                assert is_working_day(local.date())
        if instants and instants[0] > start:
            nxt = next_occurrence(spec, start, at=at)
            assert nxt is not None and nxt.at == instants[0], spec


def test_bad_specs_say_what_is_wrong() -> None:
    for spec, words in [({"kind": "fortnightly"}, "unknown recurrence kind"),
                        ({"kind": "monthly", "day": 32}, "day of the month"),
                        ({"kind": "nth_weekday", "n": 6, "weekday": 1}, "first to fifth"),
                        ({"kind": "yearly", "month": 2, "day": 30}, "February has no day 30"),
                        ({"kind": "once", "date": "2026-13-01"}, "must be a date"),
                        ({"kind": "after_date", "date_key": "x", "days": 3, "working_days": 2}, "exactly one")]:
        with pytest.raises(RecurrenceError, match=words):
            validate(spec)


def test_rules_in_words() -> None:
    assert describe({"kind": "nth_weekday", "n": 1, "weekday": 1, "months": [1, 4, 7, 10]}, "10:00") == \
        "the first Tuesday of each quarter (January, April, July and October) at 10:00"
    assert describe({"kind": "working_day", "n": -1, "months": [3]}) == "the last working day of March"
    assert describe({"kind": "seasonal", "season": "autumn", "every_years": 4, "anchor_year": 2017}) == \
        "each autumn (from 1 September), every 4 years (counting from 2017)"
    assert describe({"kind": "after_date", "date_key": "publication_of_the_yearly_report", "working_days": 7}) == \
        "7 working days after each recorded publication of the yearly report"
