"""The ladder's rules on their own: no database, no posting, milliseconds.

Each test is something a chair or business manager would notice: when a reason is asked for,
what a closed challenge still allows, how the clock pauses and moves. The same rules run
behind every button (tests/workflows/test_challenges.py drives them end to end)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.workflows.challenges import rules
from bot.workflows.challenges.rules import Blocked, Moved, State, Status, Step

MON = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)  # Monday 23 November 2026, 10:00 in London too
LADDER = (Step("written_request", 20), Step("agenda_item", 30), Step("chairs_meeting", 15), Step("resolution_meeting", 10))


def london_5pm(y: int, m: int, d: int) -> dt.datetime:
    """17:00 in London on that day (GMT in winter), as UTC."""
    return dt.datetime(y, m, d, 17, 0, tzinfo=dt.UTC)


def raised(now: dt.datetime = MON) -> State:
    return rules.raised(LADDER[0], now)


def moved(result: Moved | Blocked | None) -> Moved:
    assert isinstance(result, Moved), result
    return result


def test_a_new_challenge_is_open_at_the_first_step_due_after_its_window():
    state = raised()
    assert (state.status, state.rung_index, state.rung_key) == (Status.OPEN, 0, "written_request")
    assert state.due_at == london_5pm(2026, 12, 21)  # 20 working days from Monday 23 November


# --- escalating -----------------------------------------------------------------------------


def test_escalating_before_the_window_passes_needs_a_reason():
    state = raised()
    assert rules.escalate(state, LADDER, from_rung=0, now=MON, reason="") == Blocked("reason needed")
    step = moved(rules.escalate(state, LADDER, from_rung=0, now=MON, reason="No answer to two letters."))
    assert step.state.rung_index == 1 and step.event.detail["reason"] == "No answer to two letters."
    assert step.event.detail["window_passed"] is False


def test_once_the_window_has_passed_with_no_response_no_reason_is_needed():
    state = raised()
    later = state.due_at + dt.timedelta(minutes=1)
    step = moved(rules.escalate(state, LADDER, from_rung=0, now=later, reason=""))
    assert step.event.kind == "escalated" and step.event.detail["window_passed"] is True
    assert "reason" not in step.event.detail


def test_after_a_response_escalating_is_a_judgement_that_needs_a_reason_even_late():
    state = moved(rules.respond(raised(), "We will add a profile.")).state
    late = state.due_at + dt.timedelta(days=30)
    assert rules.reason_needed(state, late)
    assert rules.escalate(state, LADDER, from_rung=0, now=late, reason="") == Blocked("reason needed")


@pytest.mark.parametrize("how", [Status.RESOLVED, Status.WITHDRAWN])
def test_a_closed_challenge_cannot_be_escalated_or_answered(how):
    closed = moved(rules.close(raised(), how, "Agreed a plan.", MON)).state
    assert rules.escalate(closed, LADDER, from_rung=0, now=MON, reason="Still worried.") == Blocked("moved on")
    assert rules.respond(closed, "Late answer") == Blocked("moved on")
    assert rules.ask_for_information(closed, "What?", MON) == Blocked("moved on")
    assert rules.close(closed, Status.RESOLVED, "again", MON) == Blocked("moved on")


def test_a_stale_escalate_button_does_not_climb_two_steps():
    """The second of two presses on the same Escalate button names the step the challenge has left."""
    once = moved(rules.escalate(raised(), LADDER, from_rung=0, now=MON, reason="why")).state
    assert rules.escalate(once, LADDER, from_rung=0, now=MON, reason="why") == Blocked("moved on")
    # and the stored challenge must still be at that step when the move is written
    assert moved(rules.escalate(once, LADDER, from_rung=1, now=MON, reason="why")).unchanged == ("rung_index",)


def test_the_top_of_the_ladder_is_the_last_step():
    state = raised()
    for rung in range(len(LADDER) - 1):
        state = moved(rules.escalate(state, LADDER, from_rung=rung, now=MON, reason="why")).state
    assert state.rung_key == "resolution_meeting"
    assert rules.escalate(state, LADDER, from_rung=len(LADDER) - 1, now=MON, reason="why") == Blocked("last step")


def test_escalating_restarts_the_clock_with_the_next_steps_window_and_lets_a_pause_go():
    paused = moved(rules.ask_for_information(raised(), "Which JSNA?", MON)).state
    step = moved(rules.escalate(paused, LADDER, from_rung=0, now=MON, reason="Going round in circles."))
    assert step.state.status is Status.OPEN
    assert step.state.paused_days_left is None and step.state.paused_at is None
    assert step.state.due_at == london_5pm(2027, 1, 7)  # 30 working days, over Christmas and New Year
    assert step.event.detail["from"] == "written_request" and step.event.detail["to"] == "agenda_item"


# --- the target board's answers and the clock ---------------------------------------------


def test_the_target_may_respond_again_but_not_while_it_waits_for_information():
    once = moved(rules.respond(raised(), "First answer")).state
    assert moved(rules.respond(once, "Fuller answer")).state.status is Status.RESPONDED
    paused = moved(rules.ask_for_information(raised(), "Which JSNA?", MON)).state
    assert rules.respond(paused, "answer") == Blocked("moved on")


def test_asking_for_information_pauses_the_clock_and_the_answer_restarts_it_with_the_days_left():
    state = raised()  # due Monday 21 December
    asked_on = dt.datetime(2026, 12, 14, 10, 0, tzinfo=dt.UTC)  # a week before
    paused = moved(rules.ask_for_information(state, "Which JSNA?", asked_on)).state
    assert paused.status is Status.AWAITING_INFO and paused.paused_days_left == 5
    answered_on = dt.datetime(2027, 1, 4, 10, 0, tzinfo=dt.UTC)  # weeks later: the pause did not count
    step = moved(rules.provide_information(paused, "The 2025 one.", answered_on))
    assert step.state.status is Status.OPEN and step.state.paused_days_left is None
    assert step.state.due_at == london_5pm(2027, 1, 11)  # the 5 working days that were left


def test_information_given_after_the_deadline_still_leaves_a_day():
    state = raised()
    paused = moved(rules.ask_for_information(state, "?", state.due_at + dt.timedelta(days=3))).state
    assert paused.paused_days_left == 0
    step = moved(rules.provide_information(paused, "here", MON))
    assert step.state.due_at == london_5pm(2026, 11, 24)  # one working day, not none


def test_information_can_only_be_provided_when_it_was_asked_for():
    assert rules.provide_information(raised(), "unasked", MON) == Blocked("moved on")


def test_agreed_time_moves_the_deadline_by_working_days_skipping_christmas():
    state = State(Status.OPEN, 0, "written_request", due_at=london_5pm(2026, 12, 23))
    step = moved(rules.decide_more_time(state, agree=True, days=3, request=7))
    # Thursday 24th, then Christmas Day and the Boxing Day holiday on Monday 28th are skipped
    assert step.state.due_at == london_5pm(2026, 12, 30)
    assert step.event == rules.Event("time-agreed", {"days": 3, "due": step.state.due_at.isoformat(), "request": 7})
    # and only if nobody moved the deadline meanwhile
    assert step.unchanged == ("due_at",)


def test_agreed_time_while_the_clock_is_paused_adds_to_the_days_left():
    paused = moved(rules.ask_for_information(raised(), "?", MON)).state
    step = moved(rules.decide_more_time(paused, agree=True, days=10, request=1))
    assert step.state.paused_days_left == paused.paused_days_left + 10
    assert step.state.due_at == paused.due_at


def test_refused_time_or_time_agreed_after_closing_changes_nothing_but_the_record():
    state = raised()
    refused = rules.decide_more_time(state, agree=False, days=5, request=1)
    assert refused.state == state and refused.event.kind == "time-refused" and not refused.expect
    closed = moved(rules.close(state, Status.RESOLVED, "done", MON)).state
    late = rules.decide_more_time(closed, agree=True, days=5, request=1)
    assert late.state == closed and late.event.kind == "time-agreed"


@pytest.mark.parametrize("raw,days", [("10", 10), (5, 5), (" 7 ", 7), ("0", None), ("61", None), ("1.5", None),
                                      ("ten", None), (True, None), ("-3", None), (None, None), ("0010", None)])
def test_more_time_is_a_whole_number_of_working_days_within_the_limits(raw, days):
    assert rules.extra_days(raw) == days


# --- closing, reopening, the window passing ----------------------------------------------------


def test_a_closed_challenge_reopens_with_a_fresh_window_and_only_a_closed_one_does():
    closed = moved(rules.close(raised(), Status.WITHDRAWN, "Raised in error", MON)).state
    assert closed.outcome == "Raised in error" and closed.closed_at == MON
    step = moved(rules.reopen(closed, 20, dt.datetime(2027, 2, 1, 9, 0, tzinfo=dt.UTC)))
    assert step.state.status is Status.OPEN and step.state.closed_at is None
    assert step.state.due_at == london_5pm(2027, 3, 1)
    assert rules.reopen(raised(), 20, MON) == Blocked("moved on")


def test_a_passed_window_is_noticed_once_and_only_while_the_response_is_awaited():
    state = raised()
    assert rules.window_passed(state, state.due_at - dt.timedelta(minutes=1)) is None
    after = state.due_at + dt.timedelta(hours=1)
    nudge = moved(rules.window_passed(state, after))
    assert nudge.event.kind == "window-passed" and nudge.state.nudged_at == after
    assert rules.window_passed(nudge.state, after + dt.timedelta(days=1)) is None  # once per window
    responded = moved(rules.respond(state, "answer")).state
    assert rules.window_passed(responded, after) is None
    paused = moved(rules.ask_for_information(state, "?", MON)).state
    assert rules.window_passed(paused, after) is None


def test_a_new_window_may_be_noticed_again():
    state = raised()
    nudged = moved(rules.window_passed(state, state.due_at + dt.timedelta(hours=1))).state
    again = moved(rules.escalate(nudged, LADDER, from_rung=0, now=state.due_at + dt.timedelta(hours=2), reason="")).state
    assert again.nudged_at is None
    assert rules.window_passed(again, again.due_at + dt.timedelta(hours=1)) is not None
