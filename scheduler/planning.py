"""Which posts of a rule are due, as a pure function: the rule, its answers and facts in; posts out.

:func:`plan` is what the calendar's tick does for each rule it looks at, without the
database: one pass over the occurrences from the lower bound (the schedule's start, the
look-back, or what was already done) to a week ahead. Post times up to ``now`` become
:class:`~scheduler.views.Planned` posts (an occurrence answered done or "not this time"
gets none; a snoozed one waits for the snooze to end, then is posted again); the first post
time after ``now`` is when to look at the rule next (at the latest a week on, on the hour,
so the rules looked at together share their next look and wake-ups stay few).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping

from scheduler.recurrence import (
    FACT_KINDS,
    LEAD_SLACK_DAYS,
    Facts,
    Occurrence,
    occurrences,
    post_time,
)
from scheduler.views import LinkView, Planned, RuleView, StateView

log = logging.getLogger("boardbot.calendar")


class Shared:
    """What the rules looked at in one tick have in common, worked out once for them all.

    A thousand areas have the same quarterly meeting, the same seasons, the same monthly dates:
    rules with the same :attr:`~scheduler.views.RuleView.schedule` and time of day have the same
    occurrences in the same window. The kinds that follow an area's recorded facts are worked
    out for each rule. One for each tick (it keeps every window it was asked for); what it hands
    out is shared, to be read only."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, dt.time, dt.datetime, dt.datetime], list[Occurrence]] = {}
        self._asked: tuple[dt.datetime, dt.timedelta, dt.timedelta] | None = None
        self._window: tuple[dt.datetime, dt.datetime] = (dt.datetime.min, dt.datetime.min)
        self._ends: dict[int, dt.datetime] = {}

    def window(self, now: dt.datetime, lookback: dt.timedelta, check_every: dt.timedelta) -> tuple[dt.datetime, dt.datetime]:
        """The earliest post time looked for at ``now``, and the latest next look (a week on, on the hour)."""
        asked = (now, lookback, check_every)
        if asked != self._asked:
            self._asked, self._ends = asked, {}
            self._window = (now - lookback, (now + check_every).replace(minute=0, second=0, microsecond=0))
        return self._window

    def end(self, cap: dt.datetime, lead: int) -> dt.datetime:
        """Where the occurrences looked for end, for posts up to ``lead`` days before them by ``cap``."""
        end = self._ends.get(lead)
        if end is None:
            end = self._ends[lead] = cap + dt.timedelta(days=lead + LEAD_SLACK_DAYS)
        return end

    def occurrences(self, r: RuleView, start: dt.datetime, end: dt.datetime, facts: Facts) -> list[Occurrence]:
        if r.schedule is None or r.recurrence.get("kind") in FACT_KINDS:
            return occurrences(r.recurrence, start=start, end=end, at=r.at, facts=facts)
        key = (r.schedule, r.at, start, end)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = occurrences(r.recurrence, start=start, end=end, at=r.at, facts=facts)
        return found


def plan(r: RuleView, now: dt.datetime, *, states: Mapping[dt.datetime, StateView], facts: Facts,
         lookback: dt.timedelta, check_every: dt.timedelta,
         shared: Shared | None = None) -> tuple[list[Planned], dt.datetime]:
    """The posts of ``r`` due by ``now`` not yet considered, and when to look at ``r`` next
    (``shared``: what the rules looked at with it have in common, :class:`Shared`)."""
    if shared is None:
        shared = Shared()
    earliest, cap = shared.window(now, lookback, check_every)
    lo = max(r.since, earliest)
    if r.checked_until is not None:
        lo = max(lo, r.checked_until)
    try:
        occs = shared.occurrences(r, lo, shared.end(cap, r.leads[0]), facts)
    except Exception:
        log.exception("reminder rule %s: cannot compute its occurrences", r.id)
        return [], cap
    out, best = _lead_posts(r, occs, states, lo, now)
    if states:
        again, until = _snooze_ends(r, states, lo, now)
        out.extend(again)
        if until is not None and (best is None or until < best):
            best = until
    return out, cap if best is None or best > cap else best


def _lead_posts(r: RuleView, occs: list[Occurrence], states: Mapping[dt.datetime, StateView], lo: dt.datetime,
                now: dt.datetime) -> tuple[list[Planned], dt.datetime | None]:
    """The posts ``lead`` days before each occurrence that are due, and the first post time still to come."""
    out: list[Planned] = []
    best: dt.datetime | None = None
    for occ in occs:
        st = states.get(occ.at)
        for lead in r.leads:
            pt = post_time(occ.at, lead, r.at)
            if pt > now:
                best = pt if best is None or pt < best else best
            elif _wanted(pt, occ, st, lo):
                out.append(Planned(r, occ, lead, pt))
    return out, best


def _wanted(pt: dt.datetime, occ: Occurrence, st: StateView | None, lo: dt.datetime) -> bool:
    if pt < lo or (st and st.state in ("done", "skipped")):
        return False
    if occ.known and pt < occ.known:
        return False  # due before anyone recorded what it counts from
    return not (st and st.state == "snoozed" and st.until and st.at <= pt < st.until)


def _snooze_ends(r: RuleView, states: Mapping[dt.datetime, StateView], lo: dt.datetime,
                 now: dt.datetime) -> tuple[list[Planned], dt.datetime | None]:
    """The posts again after a snooze that has ended, and the end of the first snooze still running."""
    out: list[Planned] = []
    best: dt.datetime | None = None
    for occ_at, st in states.items():
        if st.state != "snoozed" or not st.until:
            continue
        if lo <= st.until <= now:
            out.append(Planned(r, Occurrence(occ_at), None, st.until))
        elif st.until > now and (best is None or st.until < best):
            best = st.until
    return out, best


def targets(r: RuleView, links: Mapping[tuple[int, str, str], list[LinkView]]) -> list[LinkView]:
    """The channels ``r``'s audience names (``board:<key>``, ``directors``, ``admins``), each once."""
    out: list[LinkView] = []
    seen = set()
    for who in r.audience:
        purpose, _, board = who.partition(":")
        for link in links.get((r.area_id, purpose, board if purpose == "board" else ""), []):
            if (link.platform, link.channel_id) not in seen:
                seen.add((link.platform, link.channel_id))
                out.append(link)
    return out
