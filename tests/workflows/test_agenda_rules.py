"""The agenda request's lifecycle on its own: no database, milliseconds. What a business manager
or a requesting chair would notice (tests/workflows/test_agenda.py drives it end to end)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.workflows.agenda import rules
from bot.workflows.agenda.rules import Blocked, Moved, State, Status

MEETING = (7, dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC))


def moved(result: Moved | Blocked) -> Moved:
    assert isinstance(result, Moved), result
    return result


def test_accepting_puts_the_item_on_the_meeting_without_a_reason():
    step = moved(rules.decide(State(Status.REQUESTED), "accept", by="Jo", reason="", meeting=MEETING))
    assert step.state == State(Status.ACCEPTED, meeting_id=7, decision_reason=None, decided_by="Jo")
    assert step.event == rules.Event("accepted", {"meeting": "2026-12-03T10:00:00+00:00", "reason": None})


@pytest.mark.parametrize("kind", ["defer", "decline"])
def test_deferring_or_declining_needs_a_reason_the_requester_will_see(kind):
    assert rules.decide(State(Status.REQUESTED), kind, by="Jo", reason="") == Blocked("reason needed")
    step = moved(rules.decide(State(Status.REQUESTED), kind, by="Jo", reason="Full agenda until March"))
    assert step.state.decision_reason == "Full agenda until March" and step.state.meeting_id is None


def test_a_deferred_request_can_still_be_decided():
    deferred = moved(rules.decide(State(Status.REQUESTED), "defer", by="Jo", reason="Until March")).state
    assert moved(rules.decide(deferred, "accept", by="Jo", reason="", meeting=MEETING)).state.status is Status.ACCEPTED
    assert moved(rules.withdraw(deferred, by="Chair")).state.status is Status.WITHDRAWN


@pytest.mark.parametrize("done", [Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN, Status.CLOSED])
def test_a_decided_request_is_not_decided_again_nor_withdrawn(done):
    state = State(done)
    for kind in ("accept", "defer", "decline"):
        assert rules.decide(state, kind, by="Jo", reason="why", meeting=MEETING) == Blocked("moved on")
    assert rules.withdraw(state, by="Chair") == Blocked("moved on")
    assert rules.close_with_challenge(state, by="Chair", number=1, how="resolved", text="ok", challenge_id=1) == Blocked("moved on")


def test_of_two_people_deciding_from_the_same_view_only_the_first_acts():
    """Even both deferring: the decision holds only on the request exactly as it was read."""
    step = moved(rules.decide(State(Status.DEFERRED), "defer", by="Jo", reason="Still full"))
    assert step.expect == (Status.DEFERRED,) and step.as_read


def test_a_request_closes_with_its_challenge_saying_why():
    step = moved(rules.close_with_challenge(State(Status.REQUESTED), by="Chair", number=4, how="withdrawn",
                                            text="Raised in error", challenge_id=9))
    assert step.state.status is Status.CLOSED
    assert step.state.decision_reason == "challenge C4 was withdrawn: Raised in error"
    assert step.event.detail == {"challenge": 9, "reason": "challenge C4 was withdrawn: Raised in error"}
    long = moved(rules.close_with_challenge(State(Status.REQUESTED), by="C", number=4, how="resolved", text="x" * 5000,
                                            challenge_id=9))
    assert len(long.state.decision_reason or "") == 3000


@pytest.mark.parametrize("text,when", [
    ("2026-12-03 14:30", dt.datetime(2026, 12, 3, 14, 30, tzinfo=dt.UTC)),  # GMT in winter
    ("2026-06-03 14.30", dt.datetime(2026, 6, 3, 13, 30, tzinfo=dt.UTC)),  # BST in summer
    ("on 2026-12-03", dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)),  # a date alone is 10:00
    ("2026-02-30 10:00", None), ("next Tuesday", None), ("2026-12-03 25:00", None),
])
def test_a_meeting_time_is_read_in_london_time(text, when):
    assert rules.parse_when(text) == when
