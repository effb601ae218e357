"""A recurrence in words: "the first Tuesday of each quarter (January, April, July and October) at 10:00".

One phrase per kind (:data:`_PHRASES`); :func:`describe` adds the time of day, the cycle of
years and the spec's bounds that every kind shares.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from scheduler.recurrence.spec import MONTH_NAMES, ORDINALS, WEEKDAY_NAMES, parse_time, season_date
from scheduler.review_due import end_of, every_words, partial_words
from scheduler.timeutil import LONDON


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


def _days(n: int, unit: str = "day") -> str:
    return f"{n} {unit}{'s' if n != 1 else ''}"


# each phrase gets the spec, the time of day in words (" at 10:00" or ""), and the labels of
# recorded dates and of boards
_Phrase = Callable[[Mapping[str, Any], str, Mapping[str, str], Mapping[str, str]], str]


def _once(spec: Mapping[str, Any], when: str, dates: Mapping[str, str], boards: Mapping[str, str]) -> str:
    return dt.date.fromisoformat(spec["date"]).strftime("once, on %a %d %b %Y") + when


def _at(spec: Mapping[str, Any], when: str, dates: Mapping[str, str], boards: Mapping[str, str]) -> str:
    return dt.datetime.fromisoformat(spec["at"]).astimezone(LONDON).strftime("once, on %a %d %b %Y at %H:%M")


def _weekly(spec: Mapping[str, Any], when: str, dates: Mapping[str, str], boards: Mapping[str, str]) -> str:
    days = _list([WEEKDAY_NAMES[w] for w in sorted(spec["weekdays"])])
    every = int(spec.get("every", 1))
    return (f"every {days}" if every == 1 else f"every {every} weeks on {days}") + when


def _monthly(spec: Mapping[str, Any], when: str, dates: Mapping[str, str], boards: Mapping[str, str]) -> str:
    return f"the {_day_th(int(spec['day']))} of {_months_words(spec.get('months'))}" + when


def _nth_weekday(spec: Mapping[str, Any], when: str, dates: Mapping[str, str], boards: Mapping[str, str]) -> str:
    return (f"the {ORDINALS[int(spec['n'])]} {WEEKDAY_NAMES[int(spec['weekday'])]} of "
            f"{_months_words(spec.get('months'))}" + when)


def _working_day(spec: Mapping[str, Any], when: str, dates: Mapping[str, str], boards: Mapping[str, str]) -> str:
    n = int(spec["n"])
    return f"the {ORDINALS.get(n, _day_th(n))} working day of {_months_words(spec.get('months'))}" + when


def _yearly(spec: Mapping[str, Any], when: str, dates: Mapping[str, str], boards: Mapping[str, str]) -> str:
    return f"{int(spec['day'])} {MONTH_NAMES[int(spec['month'])]} every year" + when


def _seasonal(spec: Mapping[str, Any], when: str, dates: Mapping[str, str], boards: Mapping[str, str]) -> str:
    month, day = season_date(spec)
    return f"each {spec['season']} (from {day} {MONTH_NAMES[month]})" + when


def _date_label(spec: Mapping[str, Any], dates: Mapping[str, str]) -> str:
    return dates.get(spec["date_key"], spec["date_key"].replace("_", " "))


def _anniversary(spec: Mapping[str, Any], when: str, dates: Mapping[str, str], boards: Mapping[str, str]) -> str:
    text = f"every year on the anniversary of the {_date_label(spec, dates)}"
    if "month" in spec and "day" in spec:
        text += f" (until it is recorded: {int(spec['day'])} {MONTH_NAMES[int(spec['month'])]})"
    return text + when


def _review(spec: Mapping[str, Any], when: str, dates: Mapping[str, str], boards: Mapping[str, str]) -> str:
    years = int(spec.get("every_years") or 1)
    overdue = "; yearly while overdue" if spec.get("next_due") or years > 1 else ""
    if spec.get("next_due"):
        after = "a year" if years == 1 else f"{years} years"
        last = "signing or review" if spec["rule"].endswith("from_signing") else "review"
        text = f"by {end_of(spec['next_due']):%-d %B %Y} (the protocol's date), or {after} after the last {last} recorded"
    elif spec["rule"].endswith("from_signing"):
        signed = f" ({partial_words(spec['agreed'])})" if spec.get("agreed") else ""
        text = f"{every_words(years)} from the signing{signed} or the last review recorded"
    else:
        text = f"{every_words(years)} from the last review recorded"
    if "month" in spec and "day" in spec:
        overdue += f" (until {'either' if spec['rule'].endswith('from_signing') else 'one'} is recorded: " \
                   f"{int(spec['day'])} {MONTH_NAMES[int(spec['month'])]})"
    return text + overdue  # all day: the review is due on the day, whatever time its reminders are posted


def _after_date(spec: Mapping[str, Any], when: str, dates: Mapping[str, str], boards: Mapping[str, str]) -> str:
    n = spec.get("working_days")
    period = _days(n, "working day") if n is not None else _days(spec["days"])
    return f"{period} after each recorded {_date_label(spec, dates)}" + when


def _board_meetings(spec: Mapping[str, Any], when: str, dates: Mapping[str, str], boards: Mapping[str, str]) -> str:
    names = _list([boards.get(b, b.upper()) for b in spec["boards"]])
    n = int(spec.get("working_days_after", 0))
    if n == 0:
        return f"at each {names} meeting"  # at the meeting's own time
    return f"{_days(n, 'working day')} after each {names} meeting" + when


_PHRASES: dict[str, _Phrase] = {
    "once": _once, "at": _at, "weekly": _weekly, "monthly": _monthly, "nth_weekday": _nth_weekday,
    "working_day": _working_day, "yearly": _yearly, "seasonal": _seasonal, "anniversary": _anniversary,
    "review": _review, "after_date": _after_date, "board_meetings": _board_meetings,
}


def describe(spec: Mapping[str, Any], at: dt.time | str | None = None, *, date_labels: Mapping[str, str] | None = None,
             board_labels: Mapping[str, str] | None = None) -> str:
    """The rule in words: "the first Tuesday of each quarter (January, April, July and October) at 10:00"."""
    if isinstance(at, str):
        at = parse_time(at)
    when = f" at {at:%H:%M}" if at is not None else ""
    kind = spec["kind"]
    phrase = _PHRASES.get(kind)
    text = phrase(spec, when, date_labels or {}, board_labels or {}) if phrase else kind
    if kind in ("once", "at"):
        return text
    if kind not in ("anniversary", "review"):  # their phrases say their cycle themselves
        text += _years_words(spec)
    if spec.get("from"):
        text += f", from {dt.date.fromisoformat(spec['from']):%d %b %Y}"
    if spec.get("until"):
        text += f", until {dt.date.fromisoformat(spec['until']):%d %b %Y}"
    return text
