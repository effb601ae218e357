"""What a recurrence spec may say: the kinds, their fields, and :func:`validate`.

Each kind has one small checker in :data:`CHECKS`; :func:`validate` runs the checks every
kind shares and then the kind's own, so a new kind is one function and one entry.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from scheduler.review_due import RULES

# Where a protocol gives only a season, boardbot uses the first day of the meteorological
# season. An area can set its own in ``areas.settings["calendar"]["seasons"]``.
SEASON_STARTS: dict[str, tuple[int, int]] = {"spring": (3, 1), "summer": (6, 1), "autumn": (9, 1), "winter": (12, 1)}

MONTH_NAMES = tuple(calendar.month_name)  # "", "January", ...
WEEKDAY_NAMES = tuple(calendar.day_name)  # "Monday", ...
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}


class RecurrenceError(ValueError):
    """A recurrence spec that cannot be used; the message says what is wrong."""


@lru_cache(maxsize=2048)
def parse_time(text: str) -> dt.time:
    try:
        h, m = text.split(":")
        return dt.time(int(h), int(m))
    except (ValueError, AttributeError):
        raise RecurrenceError(f"a time of day looks like 09:30, not {text!r}") from None


def check_date(value: Any, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise RecurrenceError(f"{what} must be a date like 2026-12-01, not {value!r}") from None


def season_date(spec: Mapping[str, Any]) -> tuple[int, int]:
    if "month" in spec and "day" in spec:
        return int(spec["month"]), int(spec["day"])
    return SEASON_STARTS[spec["season"]]


def _whole(value: Any, lo: int, hi: int) -> bool:
    return isinstance(value, int) and lo <= value <= hi


# --- one checker per kind -------------------------------------------------------------------


def _once(spec: Mapping[str, Any]) -> None:
    check_date(spec.get("date"), "date")


def _at(spec: Mapping[str, Any]) -> None:
    try:
        moment = dt.datetime.fromisoformat(str(spec.get("at")))
    except ValueError:
        raise RecurrenceError(f"'at' must be an ISO date-time with a timezone, not {spec.get('at')!r}") from None
    if moment.tzinfo is None:
        raise RecurrenceError("'at' needs a timezone (e.g. +00:00)")


def _weekly(spec: Mapping[str, Any]) -> None:
    wds = spec.get("weekdays")
    if not wds or not all(_whole(w, 0, 6) for w in wds):
        raise RecurrenceError("weekdays must be a list of numbers from 0 (Monday) to 6 (Sunday)")
    every = spec.get("every", 1)
    if not _whole(every, 1, 52):
        raise RecurrenceError("every must be a whole number of weeks from 1 to 52")
    if every > 1:
        check_date(spec.get("anchor"), "anchor")


def _monthly(spec: Mapping[str, Any]) -> None:
    if not _whole(spec.get("day"), 1, 31):
        raise RecurrenceError("day must be a day of the month from 1 to 31")


def _nth_weekday(spec: Mapping[str, Any]) -> None:
    if spec.get("n") not in (1, 2, 3, 4, 5, -1):
        raise RecurrenceError("n must be 1 to 5 (first to fifth) or -1 (last)")
    if not _whole(spec.get("weekday"), 0, 6):
        raise RecurrenceError("weekday must be 0 (Monday) to 6 (Sunday)")


def _working_day(spec: Mapping[str, Any]) -> None:
    n = spec.get("n")
    if not isinstance(n, int) or not (n == -1 or 1 <= n <= 23):
        raise RecurrenceError("n must be 1 (first working day) or more, or -1 (last working day)")


def _month_and_day(spec: Mapping[str, Any]) -> None:
    month, day = spec.get("month"), spec.get("day")
    if not _whole(month, 1, 12) or not _whole(day, 1, 31):
        raise RecurrenceError("give month (1-12) and day (1-31)")
    if day > calendar.monthrange(2024, month)[1]:
        raise RecurrenceError(f"{MONTH_NAMES[month]} has no day {day}")


def _yearly(spec: Mapping[str, Any]) -> None:
    _month_and_day(spec)


def _seasonal(spec: Mapping[str, Any]) -> None:
    if spec.get("season") not in SEASON_STARTS:
        raise RecurrenceError("season must be spring, summer, autumn or winter")
    if "month" in spec or "day" in spec:
        _month_and_day(spec)


def _anniversary(spec: Mapping[str, Any]) -> None:
    if not spec.get("date_key"):
        raise RecurrenceError("an anniversary needs the date_key it counts from")
    if "month" in spec or "day" in spec:
        _month_and_day(spec)


def _review(spec: Mapping[str, Any]) -> None:
    if spec.get("rule") not in RULES:
        raise RecurrenceError(f"a review's rule is one of {', '.join(RULES)}")
    if (spec["rule"] == "on_date" or spec.get("next_due") is not None) and not _partial(spec.get("next_due")):
        raise RecurrenceError("next_due is the review's date, like 2019, 2019-04 or 2019-04-28 (on_date needs one)")
    if spec.get("agreed") is not None and not _partial(spec["agreed"]):
        raise RecurrenceError("agreed must be a date like 2019, 2019-04 or 2019-04-28")
    if "month" in spec or "day" in spec:
        _month_and_day(spec)


def _partial(value: Any) -> bool:
    """A date, a month or a year: '2019-04-28', '2019-04', '2019'."""
    if not isinstance(value, str) or len(value) not in (4, 7, 10):
        return False
    try:
        dt.date.fromisoformat((value + "-01-01")[:10])
    except ValueError:
        return False
    return True


def _after_date(spec: Mapping[str, Any]) -> None:
    if not spec.get("date_key"):
        raise RecurrenceError("after_date needs the date_key it counts from")
    wd, days = spec.get("working_days"), spec.get("days")
    if (wd is None) == (days is None):
        raise RecurrenceError("give exactly one of working_days or days")
    if not _whole(wd if wd is not None else days, 0, 365):
        raise RecurrenceError("the number of days must be 0 to 365")


def _board_meetings(spec: Mapping[str, Any]) -> None:
    if not spec.get("boards"):
        raise RecurrenceError("board_meetings needs the boards whose meetings it follows")
    if not _whole(spec.get("working_days_after", 0), 0, 60):
        raise RecurrenceError("working_days_after must be 0 to 60")


CHECKS: dict[str, Callable[[Mapping[str, Any]], None]] = {
    "once": _once, "at": _at, "weekly": _weekly, "monthly": _monthly, "nth_weekday": _nth_weekday,
    "working_day": _working_day, "yearly": _yearly, "seasonal": _seasonal, "anniversary": _anniversary,
    "review": _review, "after_date": _after_date, "board_meetings": _board_meetings,
}

KINDS = frozenset(CHECKS)


def _shared(spec: Mapping[str, Any]) -> None:
    """The fields every kind may carry: its bounds, its months and its cycle of years."""
    for key in ("from", "until"):
        if spec.get(key):
            check_date(spec[key], key)
    months = spec.get("months")
    if months is not None and (not isinstance(months, list) or not all(_whole(m, 1, 12) for m in months)):
        raise RecurrenceError("months must be a list of numbers from 1 to 12")
    if not _whole(spec.get("every_years", 1), 1, 20):
        raise RecurrenceError("every_years must be a whole number from 1 to 20")


def validate(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Check a spec; return it as a plain dict. Raises :class:`RecurrenceError`."""
    if not isinstance(spec, Mapping):
        raise RecurrenceError("a recurrence is an object with a 'kind'")
    kind = spec.get("kind")
    if kind not in KINDS:
        raise RecurrenceError(f"unknown recurrence kind {kind!r}; kinds are {', '.join(sorted(KINDS))}")
    _shared(spec)
    CHECKS[kind](spec)
    return dict(spec)
