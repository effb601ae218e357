"""iCalendar (RFC 5545) feeds people can subscribe to in Outlook, Google or Apple Calendar.

Times are written in Europe/London with a VTIMEZONE (so a 10:00 meeting reads 10:00 in
summer and winter alike); all-day entries (a report due "in autumn", a review date) are
DATE values. UIDs are stable (area, rule key, occurrence), so a re-fetched feed updates
entries instead of duplicating them; DTSTAMP and LAST-MODIFIED move on when the rule or the
occurrence changes (marked done, "not this time"), so clients take the new version. Lines end CRLF and are folded at 75 octets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from bot.safetext import neutralise
from scheduler.calendar import Event
from scheduler.timeutil import LONDON

PRODID = "-//boardbot//Partnership boards' protocol calendar//EN"

VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    "TZID:Europe/London",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0100",
    "TZNAME:BST",
    "DTSTART:19810329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0000",
    "TZNAME:GMT",
    "DTSTART:19961027T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)


def escape(text: str) -> str:
    """A TEXT value: backslash, semicolon, comma and newline escaped (RFC 5545 3.3.11), without bidi
    overrides, invisible or control characters (:func:`bot.safetext.neutralise`)."""
    return (neutralise(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545 3.1)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    limit = 75
    while data:
        cut = min(limit, len(data))
        while cut < len(data) and (data[cut] & 0xC0) == 0x80:  # don't split a multi-byte character
            cut -= 1
        parts.append(data[:cut].decode("utf-8"))
        data = data[cut:]
        limit = 74  # continuation lines start with a space
    return "\r\n ".join(parts)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(e: Event, stamp: dt.datetime) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{e.uid}", f"DTSTAMP:{_utc(e.stamp or stamp)}"]
    if e.stamp:  # clients compare it to decide whether to refresh an entry they already have
        lines.append(f"LAST-MODIFIED:{_utc(e.stamp)}")
    local = e.start.astimezone(LONDON)
    if e.all_day:
        day = local.date()
        lines += [f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
                  "TRANSP:TRANSPARENT"]
    else:
        lines += [f"DTSTART;TZID=Europe/London:{local:%Y%m%dT%H%M%S}",
                  f"DTEND;TZID=Europe/London:{(e.start + e.duration).astimezone(LONDON):%Y%m%dT%H%M%S}"]
    lines.append(f"SUMMARY:{escape(e.title)}")
    desc = e.description
    if e.schedule:
        desc = f"{desc}\nWhen: {e.schedule}." if desc else f"When: {e.schedule}."
    if desc:
        lines.append(f"DESCRIPTION:{escape(desc)}")
    if e.boards:
        lines.append("CATEGORIES:" + ",".join(escape(b.upper()) for b in e.boards))
    lines.append("CLASS:" + ("PUBLIC" if e.public else "PRIVATE"))
    if e.state == "skipped":
        lines.append("STATUS:CANCELLED")
    else:
        lines.append("STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def calendar_text(events: Iterable[Event], *, name: str, now: dt.datetime, description: str = "") -> str:
    """A whole VCALENDAR for ``events``: CRLF line ends, folded lines."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape(name)}", "X-WR-TIMEZONE:Europe/London"]
    if description:
        lines.append(f"X-WR-CALDESC:{escape(description)}")
    lines += list(VTIMEZONE)
    for e in events:
        lines += _event_lines(e, now)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
