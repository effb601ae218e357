"""When a spec's occurrences fall: London calendar dates at a London wall-clock time, as UTC.

The calendar kinds (``once``, ``weekly``, the month-based kinds, ``yearly``, ``seasonal``)
give candidate dates (:func:`_local_dates`); the kinds that follow recorded facts
(``anniversary``, ``review``, ``after_date``, ``board_meetings``) and the exact ``at`` have one function
each in :data:`_FROM_FACTS`. :func:`occurrences` then keeps what falls in the window and
inside the spec's own ``from`` / ``until``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from scheduler.recurrence.spec import season_date
from scheduler.review_due import RECORDED, plus_years, review_due
from scheduler.timeutil import LONDON, local_to_utc
from scheduler.workdays import add_working_days, is_working_day

UTC = dt.UTC


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


# --- dates in a month ------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)  # pure, and asked the same thing for every rule of a kind
def _month_day(year: int, month: int, day: int) -> dt.date:
    """``day`` of ``month``, or the month's last day when it is shorter (31 -> 30, 29 Feb -> 28)."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


@lru_cache(maxsize=1 << 16)  # pure, and asked the same thing for every rule of a kind
def _nth_weekday(year: int, month: int, n: int, weekday: int) -> dt.date | None:
    first_wd, days = calendar.monthrange(year, month)
    if n == -1:
        last_wd = (first_wd + days - 1) % 7
        return dt.date(year, month, days - (last_wd - weekday) % 7)
    day = 1 + (weekday - first_wd) % 7 + 7 * (n - 1)
    return dt.date(year, month, day) if day <= days else None


@lru_cache(maxsize=1 << 16)  # pure, and asked the same thing for every rule of a kind
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


def _year_ok(spec: Mapping[str, Any], year: int) -> bool:
    every = int(spec.get("every_years", 1) or 1)
    if every <= 1:
        return True
    anchor = spec.get("anchor_year")
    return anchor is None or (year - int(anchor)) % every == 0


# --- the calendar kinds: candidate London dates ------------------------------------------------


def _weekly_dates(spec: Mapping[str, Any], first: dt.date, last: dt.date) -> Iterable[dt.date]:
    every = int(spec.get("every", 1))
    anchor = dt.date.fromisoformat(spec["anchor"]) if spec.get("anchor") else None
    anchor_monday = anchor - dt.timedelta(days=anchor.weekday()) if anchor else None
    monday = first - dt.timedelta(days=first.weekday())
    offsets = sorted(set(spec["weekdays"]))
    while monday <= last:
        weeks = (monday - anchor_monday).days // 7 if anchor_monday else 0
        if every == 1 or anchor_monday is None or (weeks >= 0 and weeks % every == 0):
            for off in offsets:
                d = monday + dt.timedelta(days=off)
                if first <= d <= last:
                    yield d
        monday += dt.timedelta(days=7)


# the dates of one year (for yearly kinds) or of one month (for the others)
_IN_YEAR: dict[str, Callable[[Mapping[str, Any], int], dt.date | None]] = {
    "yearly": lambda spec, year: _month_day(year, int(spec["month"]), int(spec["day"])),
    "seasonal": lambda spec, year: _month_day(year, *season_date(spec)),
}
_IN_MONTH: dict[str, Callable[[Mapping[str, Any], int, int], dt.date | None]] = {
    "monthly": lambda spec, year, month: _month_day(year, month, int(spec["day"])),
    "nth_weekday": lambda spec, year, month: _nth_weekday(year, month, int(spec["n"]), int(spec["weekday"])),
    "working_day": lambda spec, year, month: _nth_working_day(year, month, int(spec["n"])),
}


def _yearly_dates(spec: Mapping[str, Any], first: dt.date, last: dt.date) -> Iterable[dt.date]:
    kind = spec["kind"]
    months = list(spec.get("months") or range(1, 13))
    for year in range(first.year, last.year + 1):
        if not _year_ok(spec, year):
            continue
        if kind in _IN_YEAR:
            cands = [_IN_YEAR[kind](spec, year)]
        else:
            cands = [_IN_MONTH[kind](spec, year, month) for month in months]
        for d in cands:
            if d is not None and first <= d <= last:
                yield d


def _local_dates(spec: Mapping[str, Any], first: dt.date, last: dt.date) -> Iterable[dt.date]:
    """Candidate London dates in [first, last] for the calendar kinds."""
    kind = spec["kind"]
    if kind == "once":
        d = dt.date.fromisoformat(spec["date"])
        return [d] if first <= d <= last else []
    if kind == "weekly":
        return _weekly_dates(spec, first, last)
    return _yearly_dates(spec, first, last)


# --- the kinds that follow facts -----------------------------------------------------------------


def _at(spec: Mapping[str, Any], first: dt.date, last: dt.date, at: dt.time, facts: Facts) -> Iterable[Occurrence]:
    return [Occurrence(dt.datetime.fromisoformat(spec["at"]).astimezone(UTC))]


def _anniversary(spec: Mapping[str, Any], first: dt.date, last: dt.date, at: dt.time, facts: Facts) -> Iterable[Occurrence]:
    recorded = facts.dates.get(spec["date_key"], ())
    if not recorded:  # until it is recorded: on the spec's own month and day, if it gives them
        if "month" in spec and "day" in spec:
            for d in _local_dates({**spec, "kind": "yearly"}, first, last):
                yield Occurrence(local_to_utc(d, at))
        return
    base, known = max(recorded, key=lambda r: r[0])
    for year in range(max(first.year, base.year + 1), last.year + 1):
        if (year - base.year) % int(spec.get("every_years", 1) or 1) == 0:
            d = _month_day(year, base.month, base.day)
            if first <= d <= last:
                yield Occurrence(local_to_utc(d, at), known)


def latest_recorded(facts: Facts) -> dict[str, tuple[dt.date, dt.datetime | None]]:
    """The latest recorded review and signing (:data:`scheduler.review_due.RECORDED`), each with when it was recorded."""
    out = {}
    for key in RECORDED:
        if rows := facts.dates.get(key):
            out[key] = max(rows, key=lambda r: r[0])
    return out


def follows(spec: Mapping[str, Any]) -> frozenset[str]:
    """The recorded dates (their keys) a spec's occurrences are counted from: recording one moves them."""
    if spec.get("kind") == "review":
        signing = str(spec.get("rule", "")).endswith("from_signing")
        return frozenset(("protocol_reviewed", "protocol_signed") if signing else ("protocol_reviewed",))
    return frozenset([spec["date_key"]]) if spec.get("date_key") else frozenset()


def _review(spec: Mapping[str, Any], first: dt.date, last: dt.date, at: dt.time, facts: Facts) -> Iterable[Occurrence]:
    """On the date :func:`scheduler.review_due.review_due` gives (the one the answers give), and while no later
    review is recorded, on that day each year after; until there is anything to count from, on the
    spec's own month and day, if it gives them."""
    latest = latest_recorded(facts)
    found = review_due(spec, {k: on for k, (on, _) in latest.items()})
    if found.due is None:
        if "month" in spec and "day" in spec:
            for d in _local_dates({**spec, "kind": "yearly"}, first, last):
                yield Occurrence(local_to_utc(d, at))
        return
    due, key = found.due, found.counted_from
    known = latest[key][1] if key else None
    for year in range(max(first.year, due.year), last.year + 1):
        d = plus_years(due, year - due.year)
        if not first <= d <= last:
            continue
        if d != due:
            about = f"the review date of {due:%a %d %b %Y} passed with no review recorded"
        elif key:
            about = f"the {RECORDED[key]} recorded on {latest[key][0]:%a %d %b %Y}"
        else:
            about = None
        yield Occurrence(local_to_utc(d, at), known, about)


def _after_date(spec: Mapping[str, Any], first: dt.date, last: dt.date, at: dt.time, facts: Facts) -> Iterable[Occurrence]:
    for base, known in facts.dates.get(spec["date_key"], ()):
        if spec.get("working_days") is not None:
            d = add_working_days(base, int(spec["working_days"]))
        else:
            d = base + dt.timedelta(days=int(spec["days"]))
        if first <= d <= last:
            label = facts.labels.get(spec["date_key"], spec["date_key"].replace("_", " "))
            yield Occurrence(local_to_utc(d, at), known, f"the {label} on {base:%a %d %b %Y}")


def _board_meetings(spec: Mapping[str, Any], first: dt.date, last: dt.date, at: dt.time, facts: Facts) -> Iterable[Occurrence]:
    n = int(spec.get("working_days_after", 0))
    for board in spec["boards"]:
        name = facts.labels.get(board, board)
        for starts, known in facts.meetings.get(board, ()):
            about = f"the {name} meeting on {starts.astimezone(LONDON):%a %d %b %Y at %H:%M}"
            if n == 0:
                yield Occurrence(starts.astimezone(UTC), known, about)
                continue
            d = add_working_days(starts.astimezone(LONDON).date(), n)
            if first <= d <= last:
                yield Occurrence(local_to_utc(d, at), known, about)


_FROM_FACTS: dict[str, Callable[[Mapping[str, Any], dt.date, dt.date, dt.time, Facts], Iterable[Occurrence]]] = {
    "at": _at, "anniversary": _anniversary, "review": _review, "after_date": _after_date, "board_meetings": _board_meetings,
}

# the kinds whose occurrences depend on what an area has recorded (the others on the spec alone)
FACT_KINDS = frozenset({"anniversary", "review", "after_date", "board_meetings"})


# --- occurrences -------------------------------------------------------------------------------------


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
    if kind in _FROM_FACTS:
        found = _FROM_FACTS[kind](spec, first, last, at, facts)
    else:
        found = (Occurrence(local_to_utc(d, at)) for d in _local_dates(spec, first, last))
    return _in_window(found, start, end, lo, hi)


def _in_window(found: Iterable[Occurrence], start: dt.datetime, end: dt.datetime,
               lo: dt.date | None, hi: dt.date | None) -> list[Occurrence]:
    """Those in ``[start, end)`` and on London days within ``lo``..``hi``, one per instant (the
    earliest known), in time order."""
    out: dict[dt.datetime, Occurrence] = {}
    for occ in found:
        if not start <= occ.at < end:
            continue
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


@lru_cache(maxsize=1 << 16)  # pure, and asked the same thing for every rule of a kind
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
