"""Bank holidays: boardbot's own England and Wales list is the ``holidays`` package's, every year."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

from scheduler.workdays import _bank_holidays, add_working_days, is_working_day


@pytest.mark.parametrize("year", range(1980, 2061))
def test_the_bank_holidays_are_those_the_holidays_package_gives(year):
    expected = frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())
    assert _bank_holidays(year) == expected


def test_christmas_at_the_weekend_moves_to_the_next_working_days():
    # 2021: Christmas Saturday, Boxing Day Sunday -> Monday 27 and Tuesday 28 are not working days
    assert not is_working_day(dt.date(2021, 12, 27)) and not is_working_day(dt.date(2021, 12, 28))
    assert add_working_days(dt.date(2021, 12, 24), 1) == dt.date(2021, 12, 29)
    # the coronation and the state funeral
    assert not is_working_day(dt.date(2023, 5, 8)) and not is_working_day(dt.date(2022, 9, 19))
