"""Recurrence rules: when a reminder's occurrences fall, as pure functions.

:mod:`.spec` says what a spec may hold (:func:`validate`), :mod:`.dates` when it falls
(:func:`occurrences`), :mod:`.words` what it says (:func:`describe`). When a protocol's review
falls due is :mod:`scheduler.review_due`'s, for the answers and the ``review`` kind alike.

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
``review``         ``{"rule": "on_date", "next_due": "2018-01"}`` (the protocol's review clause,
                   :func:`scheduler.review_due.review_terms`; ``"month"``/``"day"`` until anything is
                   recorded): on the date :func:`scheduler.review_due.review_due` gives from the latest
                   recorded review and signing, then yearly while no later one is recorded
``after_date``     ``{"date_key": "publication_of_the_yearly_report", "working_days": 7}``
                   (or ``"days"``): after each recorded date
``board_meetings`` ``{"boards": ["hwb"], "working_days_after": 5}``: after each recorded
                   meeting of those boards; 0 means the meeting itself
=================  =====================================================================

Facts (recorded dates, board meetings) come in as :class:`Facts`; each occurrence derived
from a fact carries the moment that fact became known, so a reminder whose post time
passed before anyone recorded the fact is not posted late as if it had been missed.
"""

from scheduler.recurrence.dates import (
    FACT_KINDS,
    LEAD_SLACK_DAYS,
    NO_FACTS,
    Facts,
    Occurrence,
    follows,
    latest_recorded,
    next_occurrence,
    occurrences,
    post_time,
)
from scheduler.recurrence.spec import (
    KINDS,
    MONTH_NAMES,
    ORDINALS,
    SEASON_STARTS,
    WEEKDAY_NAMES,
    RecurrenceError,
    parse_time,
    season_date,
    validate,
)
from scheduler.recurrence.words import describe

__all__ = [
    "FACT_KINDS", "KINDS", "LEAD_SLACK_DAYS", "MONTH_NAMES", "NO_FACTS", "ORDINALS", "SEASON_STARTS", "WEEKDAY_NAMES",
    "Facts", "Occurrence", "RecurrenceError", "describe", "follows", "latest_recorded", "next_occurrence", "occurrences",
    "parse_time", "post_time",
    "season_date", "validate",
]
