"""Is an area's protocol overdue for review? Worked out from the protocol and the dates recorded.

A protocol states when it is reviewed (a date, yearly from signing, yearly, or not at all);
an area records a review or a signing with ``remind reviewed protocol 2026-03-01``. The
review is overdue when the date the protocol (or the last recorded review) gives has
passed and no later review is recorded. Buckinghamshire's protocol, due in January 2018,
is the case that shows why this must be said wherever the protocol is quoted.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storage.protocol.schema import Protocol, parse_partial_date

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from storage.documents import StoredProtocol


@dataclass(frozen=True)
class ReviewStatus:
    """Where an area's protocol review stands on ``today``."""

    due: dt.date | None  # the date the next review falls due, where one can be worked out
    overdue: bool
    basis: str  # how the due date was found, in words

    def sentence(self, area_name: str, today: dt.date) -> str:
        """"Buckinghamshire's protocol was due for review in January 2018 (8 years and 10 months ago)." or ""."""
        if not self.overdue or self.due is None:
            return ""
        return (f"{area_name}'s protocol was due for review by {self.due:%-d %B %Y} ({_ago(self.due, today)} ago; "
                f"{self.basis}), and no later review is recorded.")


def _end_of(partial: str) -> dt.date:
    """The last day a partial date covers: '2018-01' is due by 31 January 2018, '2018' by 31 December."""
    d = parse_partial_date(partial)
    if len(partial) == 4:
        return dt.date(d.year, 12, 31)
    if len(partial) == 7:
        return dt.date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
    return d


def _plus_year(d: dt.date, years: int = 1) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _every(years: int) -> str:
    return "yearly" if years == 1 else f"every {years} years"


def _ago(then: dt.date, today: dt.date) -> str:
    months = (today.year - then.year) * 12 + today.month - then.month - (today.day < then.day)
    years, months = divmod(max(months, 0), 12)
    parts = [f"{years} year{'s' if years != 1 else ''}"] if years else []
    if months or not years:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    return " and ".join(parts)


def review_status(protocol: Protocol | StoredProtocol, recorded: dict[str, dt.date], today: dt.date) -> ReviewStatus:
    """Pure: the protocol (its ``protocol`` details are all it reads), the latest recorded
    ``protocol_reviewed`` / ``protocol_signed`` dates, today."""
    review = protocol.protocol.review
    reviewed = recorded.get("protocol_reviewed")
    if review is None or review.rule == "unspecified":
        return ReviewStatus(None, False, "the protocol states no review date")
    if review.rule == "on_date" and review.next_due:
        due = _end_of(review.next_due)
        basis = f"the protocol gives {review.next_due}"
        if reviewed and reviewed >= parse_partial_date(review.next_due):
            due, basis = _plus_year(reviewed), f"yearly from the review recorded on {reviewed:%-d %B %Y}"
        return ReviewStatus(due, today > due, basis)
    every = _every(review.years)
    if review.from_signing:
        signed = recorded.get("protocol_signed")
        agreed = protocol.protocol.agreed
        known = [d for d in (reviewed, signed) if d]
        start = max(known) if known else None
        if start is None and agreed:
            start = parse_partial_date(agreed)
        if start is None:
            return ReviewStatus(None, False, f"{every} from the signing date, which is not recorded")
        due = _plus_year(start, review.years)
        return ReviewStatus(due, today > due, f"{every} from {start:%-d %B %Y}")
    # "annual" / "every_years": from the last review
    if reviewed is None:
        return ReviewStatus(None, False, f"{every}, and no review is recorded yet")
    due = _plus_year(reviewed, review.years)
    return ReviewStatus(due, today > due, f"{every} from the review recorded on {reviewed:%-d %B %Y}")


async def area_review_status(session: AsyncSession, protocol: Protocol | StoredProtocol, today: dt.date) -> ReviewStatus:
    from storage.revisions import review_dates

    return review_status(protocol, await review_dates(session, protocol.area.slug), today)
