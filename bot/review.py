"""Is an area's protocol overdue for review? Worked out from the protocol and the dates recorded.

A protocol states when it is reviewed (a date, yearly from signing, yearly, or not at all);
an area records a review or a signing with ``remind reviewed protocol 2026-03-01``. The
review is overdue when the date the protocol (or the last recorded review) gives has
passed and no later review is recorded. Buckinghamshire's protocol, due in January 2018,
is the case that shows why this must be said wherever the protocol is quoted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scheduler.review_due import review_due, review_terms

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.messages import Section
    from storage.documents import StoredProtocol
    from storage.protocol.schema import Protocol


@dataclass(frozen=True)
class ReviewStatus:
    """Where an area's protocol review stands on ``today``."""

    due: dt.date | None  # the date the next review falls due, where one can be worked out
    overdue: bool
    basis: str  # how the due date was found, in words
    counted_from: str | None = None  # the recorded date it counts from (protocol_reviewed / protocol_signed), if any

    def since_recorded(self) -> str:
        """"Next due by 23 November 2027 (yearly from the review recorded on 23 November 2026)." where
        the due date counts from a review or signing recorded, else "": what is said beside the
        protocol's own date, which a recorded review has overtaken."""
        if self.due is None or self.counted_from is None:
            return ""
        return f"{'Overdue: was due' if self.overdue else 'Next due'} by {self.due:%-d %B %Y} ({self.basis})."

    def sentence(self, area_name: str, today: dt.date) -> str:
        """"Buckinghamshire's protocol was due for review in January 2018 (8 years and 10 months ago)." or ""."""
        if not self.overdue or self.due is None:
            return ""
        return (f"{area_name}'s protocol was due for review by {self.due:%-d %B %Y} ({_ago(self.due, today)} ago; "
                f"{self.basis}), and no later review is recorded.")


def _ago(then: dt.date, today: dt.date) -> str:
    months = (today.year - then.year) * 12 + today.month - then.month - (today.day < then.day)
    years, months = divmod(max(months, 0), 12)
    parts = [f"{years} year{'s' if years != 1 else ''}"] if years else []
    if months or not years:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    return " and ".join(parts)


def review_status(protocol: Protocol | StoredProtocol, recorded: Mapping[str, dt.date], today: dt.date) -> ReviewStatus:
    """Pure: the protocol (its ``protocol`` details are all it reads), the latest recorded
    ``protocol_reviewed`` / ``protocol_signed`` dates, today.

    The due date is :func:`scheduler.review_due.review_due`'s, the one the calendar's
    review reminder falls on, so the answer and the reminder say the same date."""
    found = review_due(review_terms(protocol.protocol), recorded)
    return ReviewStatus(found.due, found.due is not None and today > found.due, found.basis, found.counted_from)


async def area_review_status(session: AsyncSession, protocol: Protocol | StoredProtocol, today: dt.date) -> ReviewStatus:
    from storage.revisions import review_dates

    return review_status(protocol, await review_dates(session, protocol.area.slug), today)


@dataclass(frozen=True)
class Known:
    """Where one area's review stands on one London day, as the index ``knowledge`` has it, until
    ``until`` (monotonic): worked out once, then read by every answer quoting the protocol that day."""

    until: float
    knowledge: object  # the index it was worked out from (held, so it is never another one at the same address)
    starts: dt.datetime  # the London day it holds for, as UTC instants: [starts, ends)
    ends: dt.datetime
    status: ReviewStatus
    sentence: str  # the overdue sentence, "" when not overdue
    note: Section | None  # the "Note:" line every quoting answer gets, as a section
