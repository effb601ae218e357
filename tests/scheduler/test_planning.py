"""Which posts of a rule are due, without a database: the rule, its answers and facts in; posts out."""

from __future__ import annotations

import datetime as dt

from scheduler.planning import plan, targets
from scheduler.recurrence import NO_FACTS, Facts, parse_time
from scheduler.timeutil import LONDON
from scheduler.views import LinkView, RuleView, StateView

WEEK, LOOKBACK = dt.timedelta(days=7), dt.timedelta(days=90)


def london(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=LONDON).astimezone(dt.UTC)


START = london(2026, 1, 1)


def rule(recurrence: dict, *, lead_days: list[int] | None = None, since: dt.datetime = START,
         audience: list[str] | None = None) -> RuleView:
    return RuleView(id=1, area_id=1, area_slug="buckinghamshire", key="test", origin="user", title="Send the minutes",
                    body="", citation=None, recurrence=recurrence, audience=audience or ["board:bscb"],
                    lead_days=lead_days or [0], local_time="09:30", public=False, created_by=None, subject_type=None,
                    subject_id=None, updated_at=since, since=since, at=parse_time("09:30"))


def due(r: RuleView, now: dt.datetime, states: dict | None = None, facts: Facts = NO_FACTS):
    posts, look = plan(r, now, states=states or {}, facts=facts, lookback=LOOKBACK, check_every=WEEK)
    return [(p.post_at, p.lead) for p in posts], look


def test_each_lead_time_is_posted_on_a_working_day_and_the_next_one_is_when_to_look() -> None:
    r = rule({"kind": "once", "date": "2026-03-16"}, lead_days=[14, 1])  # a Monday
    assert due(r, london(2026, 3, 1)) == ([], london(2026, 3, 2, 9, 30))  # 14 days before: Monday 2 March
    posts, look = due(r, london(2026, 3, 14))  # Saturday: the 1-day post falls back to Friday 13th
    assert posts == [(london(2026, 3, 2, 9, 30), 14), (london(2026, 3, 13, 9, 30), 1)]
    assert look == london(2026, 3, 21, 0, 0)  # nothing more: at the latest a week on, on the hour


def test_an_answered_occurrence_gets_no_more_posts_and_a_snooze_posts_again_when_it_ends() -> None:
    r = rule({"kind": "once", "date": "2026-03-16"}, lead_days=[1, 0])
    occ = london(2026, 3, 16, 9, 30)
    done = {occ: StateView("done", None, london(2026, 3, 13, 10), "Bm", None)}
    assert due(r, london(2026, 3, 17), done)[0] == []
    snoozed = {occ: StateView("snoozed", london(2026, 3, 16, 12), london(2026, 3, 13, 10), "Bm", None)}
    posts, _ = due(r, london(2026, 3, 16, 10), snoozed)
    assert posts == [(london(2026, 3, 13, 9, 30), 1)]  # the day's own post waits for the snooze
    posts, _ = due(r, london(2026, 3, 16, 12), snoozed)
    assert (london(2026, 3, 16, 12), None) in posts


def test_nothing_is_posted_for_a_time_before_the_fact_it_counts_from_was_recorded() -> None:
    r = rule({"kind": "after_date", "date_key": "pub", "working_days": 2})
    facts = Facts(dates={"pub": [(dt.date(2026, 6, 29), london(2026, 7, 2, 15))]})  # recorded three days late
    assert due(r, london(2026, 7, 3), facts=facts)[0] == []
    early = Facts(dates={"pub": [(dt.date(2026, 6, 29), london(2026, 6, 29, 15))]})
    assert due(r, london(2026, 7, 3), facts=early)[0] == [(london(2026, 7, 1, 9, 30), 0)]


def test_a_rule_reaches_each_channel_of_its_audience_once() -> None:
    at = london(2026, 1, 1)
    links = {(1, "board", "bscb"): [LinkView(1, "slack", "T1", "C1", at), LinkView(2, "teams", "t", "19:x", at)],
             (1, "directors", ""): [LinkView(3, "slack", "T1", "C1", at)], (2, "board", "bscb"): [LinkView(4, "slack", "T2", "C9", at)]}
    found = targets(rule({"kind": "once", "date": "2026-03-16"}, audience=["board:bscb", "directors"]), links)
    assert [(link.platform, link.channel_id) for link in found] == [("slack", "C1"), ("teams", "19:x")]
