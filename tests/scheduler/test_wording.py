"""Reading schedules from what business managers type."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.wording import ScheduleError, parse_schedule

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)  # a Monday


@pytest.mark.parametrize("text,spec,time,rest", [
    ("2026-12-01 09:30 send minutes to partners", {"kind": "once", "date": "2026-12-01"}, "09:30", "send minutes to partners"),
    ("first Tuesday of each quarter officers' meeting",
     {"kind": "nth_weekday", "n": 1, "weekday": 1, "months": [1, 4, 7, 10]}, None, "officers' meeting"),
    ("last working day of March year-end returns", {"kind": "working_day", "n": -1, "months": [3]}, None, "year-end returns"),
    ("every Monday 9am team check", {"kind": "weekly", "weekdays": [0]}, "09:00", "team check"),
    ("every other Tuesday at 2pm: budget", {"kind": "weekly", "weekdays": [1], "every": 2, "anchor": "2026-11-23"}, "14:00", "budget"),
    ("15th of each month dashboard", {"kind": "monthly", "day": 15}, None, "dashboard"),
    ("quarterly on the 10th returns", {"kind": "monthly", "day": 10, "months": [1, 4, 7, 10]}, None, "returns"),
    ("six-monthly in May and November Prevent update", {"kind": "monthly", "day": 1, "months": [5, 11]}, None, "Prevent update"),
    ("every year on 1 April - review", {"kind": "yearly", "month": 4, "day": 1}, None, "review"),
    ("every 4 years on 1 September from 2025 JHWS consultation",
     {"kind": "yearly", "month": 9, "day": 1, "every_years": 4, "anchor_year": 2025}, None, "JHWS consultation"),
    ("every autumn annual report", {"kind": "seasonal", "season": "autumn"}, None, "annual report"),
    ("1 Dec 2026 14:15 to chase the CCG", {"kind": "once", "date": "2026-12-01"}, "14:15", "chase the CCG"),
    ("tomorrow 10.00 agenda", {"kind": "once", "date": "2026-11-24"}, "10:00", "agenda"),
    ("next Friday papers out", {"kind": "once", "date": "2026-11-27"}, None, "papers out"),
    ("second Monday of March and September survey", {"kind": "nth_weekday", "n": 2, "weekday": 0, "months": [3, 9]}, None, "survey"),
])
def test_schedules_people_type(text, spec, time, rest) -> None:
    got = parse_schedule(text, now=NOW)
    assert got.spec == spec
    assert (got.time.strftime("%H:%M") if got.time else None) == time
    assert got.rest == rest


@pytest.mark.parametrize("text,words", [
    ("whenever you like", "couldn't tell when"),
    ("2026-02-30 report", "not a date on the calendar"),
    ("2026-12-01 25:00 report", "not a time of day"),
    ("every year on 30 February x", "February has no day 30"),
])
def test_what_cannot_be_read_says_what_to_type(text, words) -> None:
    with pytest.raises(ScheduleError, match=words) as info:
        parse_schedule(text, now=NOW)
    if "couldn't" in words:
        assert "first Tuesday of each quarter" in str(info.value)
