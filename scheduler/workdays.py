"""Working days in England and Wales: weekdays that are not bank holidays.

Statutory deadlines ("within 7 working days of publication") and challenge response
windows are counted here. Bank holidays are England and Wales' (:func:`_bank_holidays`:
the same days the ``holidays`` package gives for GB, subdivision ENG, which the tests check
them against; Scotland's and Northern Ireland's are not used).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

# One-off bank holidays by royal proclamation, and the years a regular one was moved.
_ONE_OFF = frozenset({
    dt.date(1981, 7, 29),  # the wedding of the Prince of Wales
    dt.date(1999, 12, 31),  # the millennium
    dt.date(2002, 6, 3),  # the Golden Jubilee
    dt.date(2011, 4, 29),  # the wedding of Prince William
    dt.date(2012, 6, 5),  # the Diamond Jubilee
    dt.date(2022, 6, 3),  # the Platinum Jubilee
    dt.date(2022, 9, 19),  # the state funeral of Queen Elizabeth II
    dt.date(2023, 5, 8),  # the coronation of King Charles III
})
_EARLY_MAY_MOVED = {1995: dt.date(1995, 5, 8), 2020: dt.date(2020, 5, 8)}  # VE Day anniversaries
_SPRING_MOVED = {2002: dt.date(2002, 6, 4), 2012: dt.date(2012, 6, 4), 2022: dt.date(2022, 6, 2)}  # jubilees


def _easter(year: int) -> dt.date:
    """Easter Sunday (the Gregorian computus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _first_monday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=-first.weekday() % 7)


def _last_monday(year: int, month: int) -> dt.date:
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=last.weekday())


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    """England and Wales' bank holidays in ``year``, with the day each falls on and its
    substitute weekday when it falls at a weekend (both count as not working).

    The Banking and Financial Dealings Act 1971's days (New Year's Day, Good Friday,
    Easter Monday, the early May, spring and summer bank holidays, Christmas and Boxing
    Day) and the one-off days proclaimed since 1980 (:data:`_ONE_OFF`). Computed here
    rather than loaded from the ``holidays`` package, which costs a server some 17 MB of
    memory for the one country it needs; ``tests/scheduler/test_workdays.py`` checks the
    two agree for every year from 1980 to 2060 (a newly proclaimed day is added above).
    """
    new_year = dt.date(year, 1, 1)
    days = {new_year, new_year + dt.timedelta(days={5: 2, 6: 1}.get(new_year.weekday(), 0))}
    easter = _easter(year)
    days |= {easter - dt.timedelta(days=2), easter + dt.timedelta(days=1)}
    days.add(_EARLY_MAY_MOVED.get(year) or _first_monday(year, 5))
    days.add(_SPRING_MOVED.get(year) or _last_monday(year, 5))
    days.add(_last_monday(year, 8))
    christmas = dt.date(year, 12, 25)
    days |= {christmas, dt.date(year, 12, 26)}
    if christmas.weekday() in (4, 5):  # Boxing Day on a Saturday (or both at the weekend)
        days.add(dt.date(year, 12, 28))
    if christmas.weekday() in (5, 6):  # Christmas Day at the weekend
        days.add(dt.date(year, 12, 27))
    days |= {d for d in _ONE_OFF if d.year == year}
    return frozenset(days)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    day = start
    left = days
    while left:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end <= start)."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
