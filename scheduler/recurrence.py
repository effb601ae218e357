"""Recurrence rules: when a reminder's occurrences fall, as pure functions.

A rule's ``recurrence`` is a small JSON spec (stored in ``reminder_rules.recurrence``) so
that the database holds data, not code paths. Occurrences are computed on London
calendar dates at a London wall-clock time and returned as UTC instants; the DST gap and
overlap are resolved by :func:`scheduler.timeutil.local_to_utc` (a time in the spring gap
moves forward an hour, a time in the autumn overlap takes its first instance), so a
reminder is neither skipped nor doubled on the days the clocks change.

Kinds (every kind also takes optional ``"from"`` / ``"until"`` ISO dates bounding it, and
the month-based kinds take ``"every_years"`` with ``"anchor_year"``):

=================  =====================================================================
``once``           ``{"date": "2026-12-01"}``
``at``             ``{"at": "2026-12-01T09:30:15+00:00"}``: one exact instant (workflows)
``weekly``         ``{"weekdays": [0], "every": 1, "anchor": "2026-01-05"}`` (0 = Monday)
``monthly``        ``{"day": 15, "months": [5, 11]}``; day 31 in a short month is its last day
``nth_weekday``    ``{"n": 1, "weekday": 1, "months": [1, 4, 7, 10]}``: first Tuesday of
                   each quarter; ``n`` = -1 is the last; a missing fifth is skipped
``working_day``    ``{"n": -1, "months": [3]}``: last working day of March (England and
                   Wales bank holidays); ``n`` = 1 the first, 2 the second ...
``yearly``         ``{"month": 4, "day": 1}``; 29 February is 28 February in other years
``seasonal``       ``{"season": "autumn"}``: the season's start date, by default
                   spring 1 March, summer 1 June, autumn 1 September, winter 1 December
                   (``"month"``/``"day"`` override it)
``anniversary``    ``{"date_key": "protocol_signed", "month": 4, "day": 1}``: yearly from
                   the latest recorded date of that key, else on the given month/day
``after_date``     ``{"date_key": "publication_of_the_yearly_report", "working_days": 7}``
                   (or ``"days"``): after each recorded date
``board_meetings`` ``{"boards": ["hwb"], "working_days_after": 5}``: after each recorded
                   meeting of those boards; 0 means the meeting itself
=================  =====================================================================

Facts (recorded dates, board meetings) come in as :class:`Facts`; each occurrence derived
from a fact carries the moment that fact became known, so a reminder whose post time
passed before anyone recorded the fact is not posted late as if it had been missed.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from scheduler.timeutil import LONDON, local_to_utc
from scheduler.workdays import add_working_days, is_working_day

UTC = dt.UTC

KINDS = frozenset(
    {"once", "at", "weekly", "monthly", "nth_weekday", "working_day", "yearly", "seasonal", "anniversary",
     "after_date", "board_meetings"}
)

# Where a protocol gives only a season, boardbot uses the first day of the meteorological
# season. An area can set its own in ``areas.settings["calendar"]["seasons"]``.
SEASON_STARTS: dict[str, tuple[int, int]] = {"spring": (3, 1), "summer": (6, 1), "autumn": (9, 1), "winter": (12, 1)}

MONTH_NAMES = tuple(calendar.month_name)  # "", "January", ...
WEEKDAY_NAMES = tuple(calendar.day_name)  # "Monday", ...
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}


class RecurrenceError(ValueError):
    """A recurrence spec that cannot be used; the message says what is wrong."""


class Occurrence(NamedTuple):
    """One occurrence: when (UTC), since when it has been known (None: always), and what it follows."""

    at: dt.datetime
    known: dt.datetime | None = None
    about: str | None = None  # "the LSCB meeting on Tue 03 Mar 2026", "the publication ... on 30 Jun 2026"


@dataclass(frozen=True)
class Facts:
    """What an area has recorded: dated events and board meetings, with when they were recorded."""

    dates: Mapping[str, Sequence[tuple[dt.date, dt.datetime | None]]] = field(default_factory=dict)
    meetings: Mapping[str, Sequence[tuple[dt.datetime, dt.datetime | None]]] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)  # board key -> short name, date key -> words


NO_FACTS = Facts()


# --- helpers -------------------------------------------------------------------------------


@lru_cache(maxsize=2048)
def parse_time(text: str) -> dt.time:
    try:
        h, m = text.split(":")
        return dt.time(int(h), int(m))
    except (ValueError, AttributeError):
        raise RecurrenceError(f"a time of day looks like 09:30, not {text!r}") from None


def _date(value: Any, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise RecurrenceError(f"{what} must be a date like 2026-12-01, not {value!r}") from None


def _month_day(year: int, month: int, day: int) -> dt.date:
    """``day`` of ``month``, or the month's last day when it is shorter (31 -> 30, 29 Feb -> 28)."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _nth_weekday(year: int, month: int, n: int, weekday: int) -> dt.date | None:
    first_wd, days = calendar.monthrange(year, month)
    if n == -1:
        last_wd = (first_wd + days - 1) % 7
        return dt.date(year, month, days - (last_wd - weekday) % 7)
    day = 1 + (weekday - first_wd) % 7 + 7 * (n - 1)
    return dt.date(year, month, day) if day <= days else None


def _nth_working_day(year: int, month: int, n: int) -> dt.date | None:
    days = calendar.monthrange(year, month)[1]
    if n == -1:
        d = dt.date(year, month, days)
        while d.month == month:
            if is_working_day(d):
                return d
            d -= dt.timedelta(days=1)
        return None
    d, seen = dt.date(year, month, 1), 0
    while d.month == month:
        if is_working_day(d):
            seen += 1
            if seen == n:
                return d
        d += dt.timedelta(days=1)
    return None


def _months(spec: Mapping[str, Any]) -> list[int]:
    return list(spec.get("months") or range(1, 13))


def _year_ok(spec: Mapping[str, Any], year: int) -> bool:
    every = int(spec.get("every_years", 1) or 1)
    if every <= 1:
        return True
    anchor = spec.get("anchor_year")
    return anchor is None or (year - int(anchor)) % every == 0


def season_date(spec: Mapping[str, Any]) -> tuple[int, int]:
    if "month" in spec and "day" in spec:
        return int(spec["month"]), int(spec["day"])
    return SEASON_STARTS[spec["season"]]


# --- validation -------------------------------------------------------------------------------


def validate(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Check a spec; return it as a plain dict. Raises :class:`RecurrenceError`."""
    if not isinstance(spec, Mapping):
        raise RecurrenceError("a recurrence is an object with a 'kind'")
    kind = spec.get("kind")
    if kind not in KINDS:
        raise RecurrenceError(f"unknown recurrence kind {kind!r}; kinds are {', '.join(sorted(KINDS))}")
    for key in ("from", "until"):
        if spec.get(key):
            _date(spec[key], key)
    months = spec.get("months")
    if months is not None and (not isinstance(months, list) or not all(isinstance(m, int) and 1 <= m <= 12 for m in months)):
        raise RecurrenceError("months must be a list of numbers from 1 to 12")
    every_years = spec.get("every_years", 1)
    if not isinstance(every_years, int) or not 1 <= every_years <= 20:
        raise RecurrenceError("every_years must be a whole number from 1 to 20")
    if kind == "once":
        _date(spec.get("date"), "date")
    elif kind == "at":
        try:
            moment = dt.datetime.fromisoformat(str(spec.get("at")))
        except ValueError:
            raise RecurrenceError(f"'at' must be an ISO date-time with a timezone, not {spec.get('at')!r}") from None
        if moment.tzinfo is None:
            raise RecurrenceError("'at' needs a timezone (e.g. +00:00)")
    elif kind == "weekly":
        wds = spec.get("weekdays")
        if not wds or not all(isinstance(w, int) and 0 <= w <= 6 for w in wds):
            raise RecurrenceError("weekdays must be a list of numbers from 0 (Monday) to 6 (Sunday)")
        every = spec.get("every", 1)
        if not isinstance(every, int) or not 1 <= every <= 52:
            raise RecurrenceError("every must be a whole number of weeks from 1 to 52")
        if every > 1:
            _date(spec.get("anchor"), "anchor")
    elif kind == "monthly":
        day = spec.get("day")
        if not isinstance(day, int) or not 1 <= day <= 31:
            raise RecurrenceError("day must be a day of the month from 1 to 31")
    elif kind == "nth_weekday":
        if spec.get("n") not in (1, 2, 3, 4, 5, -1):
            raise RecurrenceError("n must be 1 to 5 (first to fifth) or -1 (last)")
        if not isinstance(spec.get("weekday"), int) or not 0 <= spec["weekday"] <= 6:
            raise RecurrenceError("weekday must be 0 (Monday) to 6 (Sunday)")
    elif kind == "working_day":
        n = spec.get("n")
        if not isinstance(n, int) or not (n == -1 or 1 <= n <= 23):
            raise RecurrenceError("n must be 1 (first working day) or more, or -1 (last working day)")
    elif kind in ("yearly", "seasonal", "anniversary"):
        if kind == "seasonal" and spec.get("season") not in SEASON_STARTS:
            raise RecurrenceError("season must be spring, summer, autumn or winter")
        if kind == "anniversary" and not spec.get("date_key"):
            raise RecurrenceError("an anniversary needs the date_key it counts from")
        if kind == "yearly" or "month" in spec or "day" in spec:
            month, day = spec.get("month"), spec.get("day")
            if not isinstance(month, int) or not 1 <= month <= 12 or not isinstance(day, int) or not 1 <= day <= 31:
                raise RecurrenceError("give month (1-12) and day (1-31)")
            if day > calendar.monthrange(2024, month)[1]:
                raise RecurrenceError(f"{MONTH_NAMES[month]} has no day {day}")
    elif kind == "after_date":
        if not spec.get("date_key"):
            raise RecurrenceError("after_date needs the date_key it counts from")
        wd, days = spec.get("working_days"), spec.get("days")
        if (wd is None) == (days is None):
            raise RecurrenceError("give exactly one of working_days or days")
        n = wd if wd is not None else days
        if not isinstance(n, int) or not 0 <= n <= 365:
            raise RecurrenceError("the number of days must be 0 to 365")
    elif kind == "board_meetings":
        if not spec.get("boards"):
            raise RecurrenceError("board_meetings needs the boards whose meetings it follows")
        n = spec.get("working_days_after", 0)
        if not isinstance(n, int) or not 0 <= n <= 60:
            raise RecurrenceError("working_days_after must be 0 to 60")
    return dict(spec)


# --- occurrences ------------------------------------------------------------------------------


def _local_dates(spec: Mapping[str, Any], first: dt.date, last: dt.date) -> Iterable[dt.date]:
    """Candidate London dates in [first, last] for the calendar kinds."""
    kind = spec["kind"]
    if kind == "once":
        d = dt.date.fromisoformat(spec["date"])
        if first <= d <= last:
            yield d
        return
    if kind == "weekly":
        weekdays = set(spec["weekdays"])
        every = int(spec.get("every", 1))
        anchor = dt.date.fromisoformat(spec["anchor"]) if spec.get("anchor") else None
        anchor_monday = anchor - dt.timedelta(days=anchor.weekday()) if anchor else None
        monday = first - dt.timedelta(days=first.weekday())
        offsets = sorted(weekdays)
        while monday <= last:
            weeks = (monday - anchor_monday).days // 7 if anchor_monday else 0
            if every == 1 or anchor_monday is None or (weeks >= 0 and weeks % every == 0):
                for off in offsets:
                    d = monday + dt.timedelta(days=off)
                    if first <= d <= last:
                        yield d
            monday += dt.timedelta(days=7)
        return
    months = _months(spec)
    for year in range(first.year, last.year + 1):
        if not _year_ok(spec, year):
            continue
        if kind in ("yearly", "seasonal"):
            month, day = (int(spec["month"]), int(spec["day"])) if kind == "yearly" else season_date(spec)
            cands: list[dt.date | None] = [_month_day(year, month, day)]
        else:
            cands = []
            for month in months:
                if kind == "monthly":
                    cands.append(_month_day(year, month, int(spec["day"])))
                elif kind == "nth_weekday":
                    cands.append(_nth_weekday(year, month, int(spec["n"]), int(spec["weekday"])))
                elif kind == "working_day":
                    cands.append(_nth_working_day(year, month, int(spec["n"])))
        for d in cands:
            if d is not None and first <= d <= last:
                yield d


def occurrences(
    spec: Mapping[str, Any],
    *,
    start: dt.datetime,
    end: dt.datetime,
    at: dt.time = dt.time(9, 0),
    facts: Facts = NO_FACTS,
) -> list[Occurrence]:
    """Occurrences of ``spec`` at London time ``at``, as UTC instants in ``[start, end)``, in order."""
    kind = spec["kind"]
    lo = dt.date.fromisoformat(spec["from"]) if spec.get("from") else None
    hi = dt.date.fromisoformat(spec["until"]) if spec.get("until") else None
    first = start.astimezone(LONDON).date() - dt.timedelta(days=1)
    last = end.astimezone(LONDON).date() + dt.timedelta(days=1)
    if lo:
        first = max(first, lo)
    if hi:
        last = min(last, hi)
    found: list[Occurrence] = []
    if kind == "at":
        moment = dt.datetime.fromisoformat(spec["at"]).astimezone(UTC)
        found.append(Occurrence(moment))
    elif kind == "anniversary":
        recorded = facts.dates.get(spec["date_key"], ())
        if recorded:
            base, known = max(recorded, key=lambda r: r[0])
            for year in range(max(first.year, base.year + 1), last.year + 1):
                if (year - base.year) % int(spec.get("every_years", 1) or 1) == 0:
                    d = _month_day(year, base.month, base.day)
                    if first <= d <= last:
                        found.append(Occurrence(local_to_utc(d, at), known))
        elif "month" in spec and "day" in spec:
            for d in _local_dates({**spec, "kind": "yearly"}, first, last):
                found.append(Occurrence(local_to_utc(d, at)))
    elif kind == "after_date":
        for base, known in facts.dates.get(spec["date_key"], ()):
            if spec.get("working_days") is not None:
                d = add_working_days(base, int(spec["working_days"]))
            else:
                d = base + dt.timedelta(days=int(spec["days"]))
            if first <= d <= last:
                label = facts.labels.get(spec["date_key"], spec["date_key"].replace("_", " "))
                found.append(Occurrence(local_to_utc(d, at), known, f"the {label} on {base:%a %d %b %Y}"))
    elif kind == "board_meetings":
        n = int(spec.get("working_days_after", 0))
        for board in spec["boards"]:
            name = facts.labels.get(board, board)
            for starts, known in facts.meetings.get(board, ()):
                about = f"the {name} meeting on {starts.astimezone(LONDON):%a %d %b %Y at %H:%M}"
                if n == 0:
                    found.append(Occurrence(starts.astimezone(UTC), known, about))
                else:
                    d = add_working_days(starts.astimezone(LONDON).date(), n)
                    if first <= d <= last:
                        found.append(Occurrence(local_to_utc(d, at), known, about))
    else:
        for d in _local_dates(spec, first, last):
            found.append(Occurrence(local_to_utc(d, at)))
    out = {}
    for occ in found:
        if start <= occ.at < end:
            local_day = occ.at.astimezone(LONDON).date()
            if (lo and local_day < lo) or (hi and local_day > hi):
                continue
            if occ.at not in out or (occ.known or start) < (out[occ.at].known or start):
                out[occ.at] = occ
    return [out[k] for k in sorted(out)]


def next_occurrence(spec: Mapping[str, Any], after: dt.datetime, *, at: dt.time = dt.time(9, 0), facts: Facts = NO_FACTS,
                    horizon_days: int = 1500) -> Occurrence | None:
    """The first occurrence strictly after ``after`` within ``horizon_days`` (four years and more)."""
    step = dt.timedelta(days=120)
    start = after + dt.timedelta(microseconds=1)
    limit = after + dt.timedelta(days=horizon_days)
    while start < limit:
        end = min(start + step, limit)
        found = occurrences(spec, start=start, end=end, at=at, facts=facts)
        if found:
            return found[0]
        start = end
    return None


def post_time(occurrence: dt.datetime, lead_days: int, at: dt.time | None = None) -> dt.datetime:
    """When to post the reminder ``lead_days`` before ``occurrence``: at London time ``at``
    (default the occurrence's own) on the date ``lead_days`` earlier, or the working day
    before that if it is a weekend or bank holiday (nobody reads a Saturday reminder).
    0 is the occurrence itself, whatever day it is."""
    if lead_days == 0:
        return occurrence
    local = occurrence.astimezone(LONDON)
    day = local.date() - dt.timedelta(days=lead_days)
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return local_to_utc(day, at or local.time().replace(tzinfo=None))


# A lead post moves back over at most a long weekend plus Christmas and New Year.
LEAD_SLACK_DAYS = 6


# --- in words -------------------------------------------------------------------------------


def _list(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _months_words(months: Sequence[int] | None, *, each: str = "every month") -> str:
    if not months or sorted(months) == list(range(1, 13)):
        return each
    if sorted(months) == [1, 4, 7, 10]:
        return "each quarter (January, April, July and October)"
    return _list([MONTH_NAMES[m] for m in sorted(months)])


def _day_th(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _years_words(spec: Mapping[str, Any]) -> str:
    every = int(spec.get("every_years", 1) or 1)
    if every <= 1:
        return ""
    anchor = spec.get("anchor_year")
    return f", every {every} years" + (f" (counting from {anchor})" if anchor else "")


def describe(spec: Mapping[str, Any], at: dt.time | str | None = None, *, date_labels: Mapping[str, str] | None = None,
             board_labels: Mapping[str, str] | None = None) -> str:
    """The rule in words: "the first Tuesday of each quarter (January, April, July and October) at 10:00"."""
    if isinstance(at, str):
        at = parse_time(at)
    when = f" at {at:%H:%M}" if at is not None else ""
    kind = spec["kind"]
    labels = date_labels or {}
    if kind == "once":
        text = dt.date.fromisoformat(spec["date"]).strftime("once, on %a %d %b %Y") + when
    elif kind == "at":
        text = dt.datetime.fromisoformat(spec["at"]).astimezone(LONDON).strftime("once, on %a %d %b %Y at %H:%M")
    elif kind == "weekly":
        days = _list([WEEKDAY_NAMES[w] for w in sorted(spec["weekdays"])])
        every = int(spec.get("every", 1))
        text = (f"every {days}" if every == 1 else f"every {every} weeks on {days}") + when
    elif kind == "monthly":
        text = f"the {_day_th(int(spec['day']))} of {_months_words(spec.get('months'))}" + when
    elif kind == "nth_weekday":
        text = (f"the {ORDINALS[int(spec['n'])]} {WEEKDAY_NAMES[int(spec['weekday'])]} of "
                f"{_months_words(spec.get('months'))}" + when)
    elif kind == "working_day":
        n = int(spec["n"])
        nth = ORDINALS.get(n, _day_th(n))
        text = f"the {nth} working day of {_months_words(spec.get('months'))}" + when
    elif kind == "yearly":
        text = f"{int(spec['day'])} {MONTH_NAMES[int(spec['month'])]} every year" + when
    elif kind == "seasonal":
        month, day = season_date(spec)
        text = f"each {spec['season']} (from {day} {MONTH_NAMES[month]})" + when
    elif kind == "anniversary":
        label = labels.get(spec["date_key"], spec["date_key"].replace("_", " "))
        text = f"every year on the anniversary of the {label}"
        if "month" in spec and "day" in spec:
            text += f" (until it is recorded: {int(spec['day'])} {MONTH_NAMES[int(spec['month'])]})"
        text += when
    elif kind == "after_date":
        label = labels.get(spec["date_key"], spec["date_key"].replace("_", " "))
        n = spec.get("working_days")
        period = f"{n} working day{'s' if n != 1 else ''}" if n is not None else f"{spec['days']} day{'s' if spec['days'] != 1 else ''}"
        text = f"{period} after each recorded {label}" + when
    elif kind == "board_meetings":
        names = _list([(board_labels or {}).get(b, b.upper()) for b in spec["boards"]])
        n = int(spec.get("working_days_after", 0))
        text = f"at each {names} meeting" if n == 0 else f"{n} working day{'s' if n != 1 else ''} after each {names} meeting" + when
    else:  # pragma: no cover - validate() rejects unknown kinds
        text = kind
    text += _years_words(spec) if kind not in ("once", "at", "anniversary") else ""
    if spec.get("from") and kind not in ("once", "at"):
        text += f", from {dt.date.fromisoformat(spec['from']):%d %b %Y}"
    if spec.get("until") and kind not in ("once", "at"):
        text += f", until {dt.date.fromisoformat(spec['until']):%d %b %Y}"
    return text
