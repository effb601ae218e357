"""Reading a schedule from what a business manager types.

``/board remind BSCB first Tuesday of each quarter officers' meeting`` is a board, a
schedule and a title run together. :func:`parse_schedule` reads the schedule (and an
optional time of day) from the front of the text and returns the recurrence spec and
what is left, which is the title. Anything it cannot read raises
:class:`ScheduleError` with examples of what it can, so the command can show the person
what to type; nothing is guessed.

Understood (case does not matter; a time such as ``09:30``, ``9.30``, ``9am`` or
``at 14:00`` may follow any of them):

- ``2026-12-01``, ``1 December 2026``, ``1 Dec 2026``, ``today``, ``tomorrow``
- ``every Monday``, ``every other Tuesday``, ``every 2 weeks on Friday``, ``weekly on Monday``
- ``15th of each month``, ``every month on the 15th``, ``monthly on the 1st``
- ``first Tuesday of each quarter``, ``last Friday of every month``, ``second Monday of March and September``
- ``last working day of March``, ``first working day of each month``
- ``quarterly`` (the 1st of January, April, July, October), ``quarterly on the 10th``
- ``six-monthly in May and November``, ``twice a year in May and November``
- ``every year on 1 April``, ``annually on 31 March``, ``every 4 years on 1 September from 2025``
- ``every autumn``, ``each spring``, ``in winter``, ``every autumn every 4 years from 2025``
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from scheduler.recurrence import RecurrenceError, validate
from scheduler.timeutil import LONDON

EXAMPLES = (
    "2026-12-01 09:30",
    "first Tuesday of each quarter",
    "last working day of March",
    "every Monday 09:00",
    "15th of each month",
    "every year on 1 April",
    "every 4 years on 1 September from 2025",
    "every autumn",
)


class ScheduleError(ValueError):
    """The text does not start with a schedule boardbot can read."""


@dataclass(frozen=True)
class Schedule:
    spec: dict[str, Any]
    time: dt.time | None
    rest: str


_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2, "thursday": 3, "thu": 3,
    "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}
_ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5, "5th": 5,
        "last": -1}
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}

_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")s?"
_MONTH_LIST = rf"{_MONTH}(?:\s*(?:,|and|&|,\s*and)\s*{_MONTH})*"
_WEEKDAY_LIST = rf"{_WEEKDAY}(?:\s*(?:,|and|&|,\s*and)\s*{_WEEKDAY})*"
_DAYNUM = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_ORDINAL = r"(?P<ord>first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)"
_EACH = r"(?:each|every|the|a)"
_B = r"(?=$|[\s,.;:!?-])"  # a word ends here

_TIME = re.compile(
    r"^(?:at\s+)?(?:(?P<h>\d{1,2})[:.](?P<m>\d{2})\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?|(?P<h2>\d{1,2})\s*(?P<ampm2>am|pm|a\.m\.|p\.m\.))"
    + _B,
    re.I,
)


def _month_words(text: str) -> list[int]:
    words = re.findall(r"[a-z]+\.?", text.lower())
    return sorted({_MONTHS[w.rstrip(".")] for w in words if w.rstrip(".") in _MONTHS})


def _weekday_words(text: str) -> list[int]:
    words = re.findall(r"[a-z]+", text.lower())
    out = set()
    for w in words:
        w2 = w[:-1] if w.endswith("s") and w[:-1] in _WEEKDAYS else w
        if w2 in _WEEKDAYS:
            out.add(_WEEKDAYS[w2])
    return sorted(out)


def _period_months(word: str) -> list[int] | None:
    word = word.lower()
    if word in ("month",):
        return None
    if word in ("quarter",):
        return [1, 4, 7, 10]
    if word in ("year",):
        return [1]
    return None


def _date(y: int, m: int, d: int) -> dt.date:
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise ScheduleError(f"{y:04d}-{m:02d}-{d:02d} is not a date on the calendar.") from None


# Each pattern reads a schedule from the start of the text; the builder returns a spec.

def _once_iso(m: re.Match, today: dt.date) -> dict[str, Any]:
    return {"kind": "once", "date": _date(int(m["y"]), int(m["mo"]), int(m["d"])).isoformat()}


def _once_words(m: re.Match, today: dt.date) -> dict[str, Any]:
    month = _MONTHS[m["mon"].lower().rstrip(".")]
    return {"kind": "once", "date": _date(int(m["y"]), month, int(m["d"])).isoformat()}


def _relative(m: re.Match, today: dt.date) -> dict[str, Any]:
    word = m["rel"].lower()
    day = today if word == "today" else today + dt.timedelta(days=1)
    return {"kind": "once", "date": day.isoformat()}


def _next_weekday(m: re.Match, today: dt.date) -> dict[str, Any]:
    wd = _WEEKDAYS[m["wd"].lower()]
    ahead = (wd - today.weekday()) % 7 or 7
    return {"kind": "once", "date": (today + dt.timedelta(days=ahead)).isoformat()}


def _weekly(m: re.Match, today: dt.date) -> dict[str, Any]:
    every_text = (m["every"] or "").lower()
    every = 2 if every_text == "other" else int(_NUMBERS.get(every_text, every_text or 1))
    spec: dict[str, Any] = {"kind": "weekly", "weekdays": _weekday_words(m["wds"])}
    if every > 1:
        spec["every"] = every
        spec["anchor"] = today.isoformat()
    return spec


def _monthly(m: re.Match, today: dt.date) -> dict[str, Any]:
    return {"kind": "monthly", "day": int(m["day"])}


def _nth_weekday(m: re.Match, today: dt.date) -> dict[str, Any]:
    spec: dict[str, Any] = {"kind": "nth_weekday", "n": _ORD[m["ord"].lower()], "weekday": _weekday_words(m["wd"])[0]}
    spec.update(_scope(m))
    return spec


def _working_day(m: re.Match, today: dt.date) -> dict[str, Any]:
    spec: dict[str, Any] = {"kind": "working_day", "n": _ORD[m["ord"].lower()]}
    spec.update(_scope(m))
    return spec


def _scope(m: re.Match) -> dict[str, Any]:
    if m["period"]:
        months = _period_months(m["period"])
        return {"months": months} if months else {}
    return {"months": _month_words(m["months"])}


def _quarterly(m: re.Match, today: dt.date) -> dict[str, Any]:
    return {"kind": "monthly", "day": int(m["day"] or 1), "months": [1, 4, 7, 10]}


def _six_monthly(m: re.Match, today: dt.date) -> dict[str, Any]:
    months = _month_words(m["months"])
    if len(months) != 2:
        raise ScheduleError("Six-monthly needs two months, e.g. \u201csix-monthly in May and November\u201d.")
    return {"kind": "monthly", "day": int(m["day"] or 1), "months": months}


def _yearly(m: re.Match, today: dt.date) -> dict[str, Any]:
    month = _MONTHS[(m["mon"] or m["mon2"]).lower().rstrip(".")]
    day = int(m["day"] or m["day2"])
    if not 1 <= day <= calendar.monthrange(2024, month)[1]:  # 2024: a leap year, so 29 February is allowed
        raise ScheduleError(f"{calendar.month_name[month]} has no day {day}.")
    spec: dict[str, Any] = {"kind": "yearly", "month": month, "day": day}
    n = m.groupdict().get("n")
    if n:
        spec["every_years"] = int(_NUMBERS.get(n.lower(), n))
        spec["anchor_year"] = int(m["from"]) if m.groupdict().get("from") else today.year
    return spec


def _seasonal(m: re.Match, today: dt.date) -> dict[str, Any]:
    season = m["season"].lower()
    season = "autumn" if season == "fall" else season
    spec: dict[str, Any] = {"kind": "seasonal", "season": season}
    n = m.groupdict().get("n")
    if n:
        spec["every_years"] = int(_NUMBERS.get(n.lower(), n))
        spec["anchor_year"] = int(m["from"]) if m.groupdict().get("from") else today.year
    return spec


_N = r"(?P<n>\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)"
_FROM = r"(?:\s+(?:from|starting|starting in|counting from)\s+(?P<from>\d{4}))?"
_SCOPE = rf"(?:(?:{_EACH}\s+)?(?P<period>month|quarter|year)|(?P<months>{_MONTH_LIST}))"

_PATTERNS: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"^(?:on\s+)?(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})" + _B, re.I), _once_iso),
    (re.compile(rf"^(?:on\s+)?(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH})\s+(?P<y>\d{{4}})" + _B, re.I),
     _once_words),
    (re.compile(rf"^(?:on\s+)?(?P<mon>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})" + _B, re.I), _once_words),
    (re.compile(r"^(?P<rel>today|tomorrow)" + _B, re.I), _relative),
    (re.compile(rf"^(?:on\s+)?next\s+(?P<wd>{'|'.join(sorted(_WEEKDAYS, key=len, reverse=True))})" + _B, re.I), _next_weekday),
    (re.compile(rf"^(?:(?:the\s+)?{_ORDINAL}\s+working\s+day\s+(?:of|in)\s+{_SCOPE})" + _B, re.I), _working_day),
    (re.compile(rf"^(?:(?:on\s+)?(?:the\s+)?{_ORDINAL}\s+(?P<wd>{_WEEKDAY})\s+(?:of|in)\s+{_SCOPE})" + _B, re.I), _nth_weekday),
    (re.compile(rf"^(?:(?:every|each)\s+(?:(?P<every>other|\d{{1,2}}|two|three|four)\s+)?weeks?\s+on\s+|weekly\s+on\s+|(?:every|each)\s+(?:(?P<every2>other)\s+)?)(?P<wds>{_WEEKDAY_LIST})" + _B, re.I),
     lambda m, t: _weekly(_Merged(m, every=m["every"] or m["every2"]), t)),
    (re.compile(rf"^(?:on\s+)?(?:the\s+)?{_DAYNUM}\s+(?:day\s+)?of\s+(?:each|every|the)\s+month" + _B, re.I), _monthly),
    (re.compile(rf"^(?:(?:every|each)\s+month|monthly)\s+on\s+(?:the\s+)?(?:day\s+)?{_DAYNUM}" + _B, re.I), _monthly),
    (re.compile(rf"^(?:quarterly|(?:every|each)\s+quarter)(?:\s+on\s+(?:the\s+)?(?:day\s+)?{_DAYNUM})?" + _B, re.I), _quarterly),
    (re.compile(rf"^(?:six[-\s]?monthly|every\s+six\s+months|twice\s+a\s+year)\s+(?:in\s+)?(?P<months>{_MONTH_LIST})(?:\s+on\s+(?:the\s+)?{_DAYNUM})?" + _B, re.I),
     _six_monthly),
    (re.compile(rf"^(?:(?:every|each)\s+year|annually|yearly)\s+on\s+(?:the\s+)?(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH})|(?P<mon2>{_MONTH})\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?)" + _B, re.I),
     _yearly),
    (re.compile(rf"^(?:every|each)\s+{_N}\s+years\s+on\s+(?:the\s+)?(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH})|(?P<mon2>{_MONTH})\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?){_FROM}" + _B, re.I),
     _yearly),
    (re.compile(rf"^(?:on\s+)?(?:the\s+)?(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH})|(?P<mon2>{_MONTH})\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?)\s+(?:every|each)\s+year" + _B, re.I),
     _yearly),
    (re.compile(rf"^(?:every|each|in|in\s+the)\s+(?P<season>spring|summer|autumn|fall|winter)(?:\s+every\s+{_N}\s+years{_FROM})?" + _B, re.I),
     _seasonal),
]


class _Merged:
    """A match with one group overridden (two spellings of the same group)."""

    def __init__(self, m: re.Match, **over: Any) -> None:
        self._m, self._over = m, over

    def __getitem__(self, key: str) -> Any:
        return self._over[key] if key in self._over else self._m[key]

    def groupdict(self) -> dict[str, Any]:
        return {**self._m.groupdict(), **self._over}


def parse_time(text: str) -> tuple[dt.time | None, str]:
    """A time of day at the start of ``text`` ("09:30", "9.30am", "2pm", "at 14:00") and the rest."""
    m = _TIME.match(text.strip())
    if not m:
        return None, text.strip()
    h = int(m["h"] or m["h2"])
    minute = int(m["m"] or 0)
    ampm = (m["ampm"] or m["ampm2"] or "").lower().replace(".", "")
    if ampm:
        if not 1 <= h <= 12:
            raise ScheduleError(f"{m.group(0).strip()} is not a time of day.")
        h = h % 12 + (12 if ampm == "pm" else 0)
    if h > 23 or minute > 59:
        raise ScheduleError(f"{m.group(0).strip()} is not a time of day; write it like 09:30 or 2pm.")
    return dt.time(h, minute), text.strip()[m.end():].strip()


def _title(rest: str) -> str:
    rest = rest.strip().lstrip(",;:-\u2013\u2014").strip()
    if re.match(r"^to\s+\S", rest, re.I):
        rest = rest[3:].strip()
    return rest


def parse_schedule(text: str, *, now: dt.datetime | None = None) -> Schedule:
    """Read a schedule (and time) from the front of ``text``; the rest is the title.

    Raises :class:`ScheduleError` saying what can be typed.
    """
    now = now or dt.datetime.now(dt.UTC)
    today = now.astimezone(LONDON).date()
    s = text.strip()
    # a time may come first: "remind BSCB 09:30 2026-12-01 ..." is unusual but harmless
    lead_time, s2 = parse_time(s)
    if lead_time is not None:
        s = s2
    for rx, build in _PATTERNS:
        m = rx.match(s)
        if not m:
            continue
        spec = build(m, today)
        rest = s[m.end():].strip().lstrip(",").strip()
        time, rest = parse_time(rest) if lead_time is None else (lead_time, rest)
        try:
            spec = validate(spec)
        except RecurrenceError as exc:
            raise ScheduleError(str(exc)) from None
        if spec["kind"] in ("nth_weekday", "working_day") and spec.get("months") == []:
            raise ScheduleError("Which months? e.g. \u201cof each quarter\u201d, \u201cof March\u201d.")
        return Schedule(spec, time, _title(rest))
    raise ScheduleError(
        "I couldn't tell when. Start with a date or a rule, for example: " + "; ".join(f"\u201c{e}\u201d" for e in EXAMPLES) + "."
    )
