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

from scheduler.recurrence import LEAD_SLACK_DAYS, Facts, Occurrence, occurrences, post_time
from scheduler.views import LinkView, Planned, RuleView, StateView

log = logging.getLogger("boardbot.calendar")


def plan(r: RuleView, now: dt.datetime, *, states: Mapping[dt.datetime, StateView], facts: Facts,
         lookback: dt.timedelta, check_every: dt.timedelta) -> tuple[list[Planned], dt.datetime]:
    """The posts of ``r`` due by ``now`` not yet considered, and when to look at ``r`` next."""
    lo = max(r.since, now - lookback)
    if r.checked_until is not None:
        lo = max(lo, r.checked_until)
    cap = (now + check_every).replace(minute=0, second=0, microsecond=0)
    try:
        occs = occurrences(r.recurrence, start=lo, end=cap + dt.timedelta(days=max(r.leads) + LEAD_SLACK_DAYS),
                           at=r.at, facts=facts)
    except Exception:
        log.exception("reminder rule %s: cannot compute its occurrences", r.id)
        return [], cap
    out, best = _lead_posts(r, occs, states, lo, now)
    again, until = _snooze_ends(r, states, lo, now)
    out.extend(again)
    nexts = [t for t in (best, until) if t is not None]
    return out, min(min(nexts), cap) if nexts else cap


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
