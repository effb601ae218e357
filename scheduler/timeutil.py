"""Time in Europe/London: what users read and what the protocols mean by "9am on Monday"."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def london(moment: dt.datetime) -> dt.datetime:
    """A UTC (aware) moment as London local time."""
    return moment.astimezone(LONDON)


@lru_cache(maxsize=1 << 16)  # pure; the calendar asks it for the same days and times over and over
def local_to_utc(day: dt.date, at: dt.time) -> dt.datetime:
    """The UTC instant of a London wall-clock time on ``day``.

    In the spring gap (01:00-02:00 does not exist) the time is moved forward an hour; in
    the autumn overlap (01:00-02:00 happens twice) the first occurrence is used, so a
    reminder is neither skipped nor doubled.
    """
    naive = dt.datetime.combine(day, at)
    first = naive.replace(tzinfo=LONDON, fold=0)
    # a wall time in the gap does not round-trip: move it forward by the gap
    if first.astimezone(dt.UTC).astimezone(LONDON).replace(tzinfo=None) != naive:
        first = (naive + dt.timedelta(hours=1)).replace(tzinfo=LONDON)
    return first.astimezone(dt.UTC)


def fmt(moment: dt.datetime) -> str:
    """'Tue 14 Jan 2025, 09:00' in London time."""
    return london(moment).strftime("%a %d %b %Y, %H:%M")


def fmt_date(moment: dt.datetime | dt.date) -> str:
    d = london(moment).date() if isinstance(moment, dt.datetime) else moment
    return d.strftime("%a %d %b %Y")
