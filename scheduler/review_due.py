"""When a protocol's review falls due: one pure function for the answers and the calendar alike.

A protocol states how it is reviewed (a date, yearly or every few years from signing, yearly
or every few years from the last review, or not at all), and an area records reviews and
signings (``remind reviewed protocol 2026-03-01``). :func:`review_due` works out from those
when the next review falls due, and in what words. :mod:`bot.review` says it in answers (and
whether it is overdue); the calendar's ``review`` recurrence kind (:mod:`scheduler.recurrence`) reminds on
it, so what the reminder says and what the answers say cannot drift apart, and recording a
review moves the reminder.

The review clause travels as plain data (:func:`review_terms`): it is what the calendar rule
stores in its recurrence spec, so this module reads no protocol model (only the schema's
reading of a partial date, :func:`~storage.protocol.schema.parse_partial_date`): answering a
question loads it without the calendar.

A month-only or year-only date covers the whole month or year: a review given as "2018-01"
is due by 31 January 2018, one counted yearly from a signing in "2015-08" by 31 August 2016.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from storage.protocol.schema import parse_partial_date

RULES = ("annual", "annual_from_signing", "every_years", "every_years_from_signing", "on_date")
RECORDED = {"protocol_reviewed": "review", "protocol_signed": "signing"}  # the dates a review counts from


class _ReviewClause(Protocol):
    rule: str
    next_due: str | None

    @property
    def years(self) -> int: ...

    @property
    def from_signing(self) -> bool: ...


class _ProtocolDetails(Protocol):
    """What :func:`review_terms` reads of a protocol's details (``storage.protocol.schema.ProtocolInfo``)."""

    @property
    def review(self) -> _ReviewClause | None: ...

    @property
    def agreed(self) -> str | None: ...


@dataclass(frozen=True)
class ReviewDue:
    """When the next review falls due, and how that was found."""

    due: dt.date | None  # None: nothing to count from yet
    basis: str  # in words: "the protocol gives January 2018", "yearly from the review recorded on 1 March 2026"
    counted_from: str | None = None  # the recorded date's key (protocol_reviewed / protocol_signed) it counts from


def review_terms(info: _ProtocolDetails) -> dict[str, Any] | None:
    """The protocol's review clause as plain data, or None where it states no review.

    ``{"rule": "on_date", "next_due": "2018-01"}``, ``{"rule": "every_years_from_signing",
    "every_years": 2, "agreed": "2024-05-01"}``: what :func:`review_due` reads, and what the
    calendar's review rule stores."""
    review = info.review
    if review is None or review.rule not in RULES:
        return None
    terms: dict[str, Any] = {"rule": review.rule}
    if review.next_due:  # on_date's date; under another rule, the next review's date where the protocol gives it
        terms["next_due"] = review.next_due
    if review.years > 1:
        terms["every_years"] = review.years
    if review.from_signing and info.agreed:
        terms["agreed"] = info.agreed
    return terms


def end_of(partial: str) -> dt.date:
    """The last day a partial date covers: '2018-01' is due by 31 January 2018, '2018' by 31 December."""
    d = parse_partial_date(partial)
    if len(partial) == 4:
        return dt.date(d.year, 12, 31)
    if len(partial) == 7:
        return dt.date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
    return d


def plus_years(d: dt.date, years: int = 1) -> dt.date:
    """The same day ``years`` later; 29 February becomes 28 February."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def every_words(years: int) -> str:
    return "yearly" if years == 1 else f"every {years} years"


def partial_words(partial: str) -> str:
    """'2015-08' -> 'August 2015', '2015' -> '2015', '2015-08-12' -> '12 August 2015'."""
    d = parse_partial_date(partial)
    return {4: f"{d.year}", 7: f"{calendar.month_name[d.month]} {d.year}"}.get(len(partial), f"{d:%-d %B %Y}")


def review_due(terms: Mapping[str, Any] | None, recorded: Mapping[str, dt.date]) -> ReviewDue:
    """Pure: the review clause (:func:`review_terms`) and the latest recorded ``protocol_reviewed``
    / ``protocol_signed`` dates in; when the next review falls due out.

    - where the protocol gives the next review's date (``on_date``, or ``next_due`` under
      another rule): by the end of that date, until a review (or, from signing, a signing) is
      recorded on or after its start; an earlier one is the review that date was set from;
    - from signing: ``every_years`` (1: yearly) after the later of the signing and the review
      recorded, else after the protocol's own date of agreement;
    - from the last review (and on a date): ``every_years`` after the review recorded, else
      not known yet.
    """
    if not terms or terms.get("rule") not in RULES:
        return ReviewDue(None, "the protocol states no review date")
    rule, years, given = terms["rule"], int(terms.get("every_years") or 1), terms.get("next_due")
    every = every_words(years)
    signing = rule.endswith("from_signing")
    keys = ("protocol_signed", "protocol_reviewed") if signing else ("protocol_reviewed",)
    known = [(recorded[k], k) for k in keys if recorded.get(k) and (not given or recorded[k] >= parse_partial_date(given))]
    if known:
        start, key = max(known, key=lambda dk: dk[0])
        words = f"{start:%-d %B %Y}" if signing else f"the review recorded on {start:%-d %B %Y}"
        return ReviewDue(plus_years(start, years), f"{every} from {words}", key)
    if given:
        return ReviewDue(end_of(given), f"the protocol gives {partial_words(given)}")
    if signing and terms.get("agreed"):
        agreed = terms["agreed"]
        return ReviewDue(plus_years(end_of(agreed), years), f"{every} from {partial_words(agreed)}")
    if signing:
        return ReviewDue(None, f"{every} from the signing date, which is not recorded")
    return ReviewDue(None, f"{every}, and no review is recorded yet")
