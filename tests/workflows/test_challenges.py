"""Mutual challenge through the core: every rung of every area's ladder, the clock, permissions,
idempotency, personal data, visibility and the record."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.workflows.challenges import check_clocks
from scheduler.timeutil import LONDON

LADDERS = {
    # area: (raising board, target board, rungs, rungs that notify directors)
    "central-bedfordshire": ("lscb", "hwb", 4, 1),
    "buckinghamshire": ("bscb", "ssbpb", 4, 1),
    "suffolk": ("lscb", "hwb", 5, 2),
    "lancashire": ("lscb", "hwb", 4, 1),  # the protocol names no ladder: boardbot's default
}


async def raise_challenge(world, area: str, chair, to_board: str, request_id: str = "view-1", **extra):
    form = await world.say(chair, f"challenge {to_board}", area)
    assert form.form is not None, form.text
    values = {"to_board": to_board, "subject": "CSE profiling", "concern": "The JSNA has no CSE profile.",
              "response_sought": "A plan to add one by spring.", **extra}
    return await world.submit(chair, form, area, request_id=request_id, **values)


@pytest.mark.parametrize("area", list(LADDERS))
async def test_a_challenge_climbs_every_rung_of_the_areas_ladder(world, area):
    frm, to, rungs, director_rungs = LADDERS[area]
    chair = world.person("Raising Chair", f"chair:{frm}")
    reply = await raise_challenge(world, area, chair, to)
    assert reply.data["rung"] == 0 and reply.data["status"] == "open"
    assert "Posted to the" in reply.text
    if area == "lancashire":
        assert "default ladder" in reply.text

    for step in range(1, rungs):
        reply = await world.escalate(chair, reply, area)
        assert reply.data["rung"] == step, reply.text
    assert not any(b.label.startswith("Escalate") for b in reply.buttons)

    target = await world.deliveries(f"C-{area}-{to}")
    raiser = await world.deliveries(f"C-{area}-{frm}")
    directors = await world.deliveries(f"C-{area}-directors")
    assert target[0].payload["title"].startswith("Challenge C1")
    # the agenda rung created an agenda request for the target's business manager
    assert any(d.payload["title"].startswith("Agenda request A1") for d in target)
    # the chairs' meeting rung proposed a meeting to both boards
    assert any("Meeting of the chairs" in d.payload["title"] for d in raiser)
    assert any("Meeting of the chairs" in d.payload["title"] for d in target)
    # resolution rungs reached the directors, naming who must attend
    assert len(directors) == director_rungs
    assert all("Must attend" in d.payload["text"] for d in directors)


async def test_suffolk_top_rung_names_the_chief_executive(world):
    chair = world.person("Chair", "chair:lscb")
    reply = await raise_challenge(world, "suffolk", chair, "hwb")
    for _ in range(4):
        reply = await world.escalate(chair, reply, "suffolk")
    last = (await world.deliveries("C-suffolk-directors"))[-1]
    assert "Chief Executive" in last.payload["text"]


async def test_only_a_chair_may_raise_and_is_told_who_may(world):
    member = world.person("Member")
    reply = await world.say(member, "challenge HWB", "central-bedfordshire")
    assert not reply.ok and reply.form is None
    assert "chair" in reply.text.lower() and "at their direction" in reply.text


async def test_a_delegated_officer_may_raise_only_where_the_protocol_allows(world):
    cb = world.person("Delegate", "delegated_officer:lscb")
    assert (await world.say(cb, "challenge HWB", "central-bedfordshire")).form is not None  # "or at their direction"
    bucks = world.person("Delegate", "delegated_officer:bscb")
    assert (await world.say(bucks, "challenge HWB", "buckinghamshire")).form is None  # "Any of the Chairs"


async def test_a_forged_button_press_is_refused_and_recorded(world):
    chair = world.person("Chair", "chair:lscb")
    reply = await raise_challenge(world, "suffolk", chair, "hwb")
    escalate = next(b for b in reply.buttons if b.action == "challenge.escalate")
    intruder = world.person("Someone Else", "chair:ssab")
    refused = await world.act(intruder, escalate.action, escalate.value, "suffolk")
    assert not refused.ok and "Only the LSCB's chair" in refused.text
    assert [e.detail["action"] for e in await world.audit("refused")] == ["challenge.escalate"]
    assert len(await world.deliveries("C-suffolk-directors")) == 0


async def test_a_double_click_escalates_once(world):
    chair = world.person("Chair", "chair:bscb")
    reply = await raise_challenge(world, "buckinghamshire", chair, "hwb")
    for _ in range(2):
        reply = await world.escalate(chair, reply, "buckinghamshire")
    escalate = next(b for b in reply.buttons if b.action == "challenge.escalate")
    confirmed = {**escalate.value, "confirmed": 1, "reason": "No answer."}
    first = await world.act(chair, escalate.action, confirmed, "buckinghamshire")
    second = await world.act(chair, escalate.action, confirmed, "buckinghamshire")
    assert first.data["rung"] == 3 and second.data["rung"] == 3
    assert "already moved on" in second.text and "escalated it from a meeting of the chairs to a resolution meeting (step 4" in second.text
    assert len(await world.deliveries("C-buckinghamshire-directors")) == 1
    assert len(await world.audit("escalated")) == 3


async def test_a_resubmitted_form_creates_one_challenge(world):
    chair = world.person("Chair", "chair:lscb")
    await raise_challenge(world, "suffolk", chair, "hwb", request_id="view-42")
    again = await raise_challenge(world, "suffolk", chair, "hwb", request_id="view-42")
    assert "already raised" in again.text
    assert len(await world.audit("raised")) == 1
    assert len(await world.deliveries("C-suffolk-hwb")) == 1


async def test_the_clock_pauses_for_information_and_restarts(world):
    chair = world.person("Chair", "chair:lscb")
    bm = world.person("HWB Manager", "business_manager:hwb")
    raised = await raise_challenge(world, "central-bedfordshire", chair, "hwb")
    due = dt.datetime.fromisoformat(raised.data["due_at"])
    # 20 working days from Mon 23 Nov 2026, 17:00 London
    assert due.astimezone(LONDON).date() == dt.date(2026, 12, 21)
    notice = (await world.deliveries("C-central-bedfordshire-hwb"))[0]
    from bot.messages import reply_from_dict

    card = reply_from_dict(notice.payload)
    form = await world.press(bm, card, "Ask for more information", "central-bedfordshire")
    paused = await world.submit(bm, form, "central-bedfordshire", text="Which JSNA chapter?")
    assert paused.data["status"] == "awaiting_info"
    world.advance(days=14)  # two weeks pass while paused
    question = (await world.deliveries("C-central-bedfordshire-lscb"))[-1]
    form = await world.press(chair, reply_from_dict(question.payload), "Provide information", "central-bedfordshire")
    resumed = await world.submit(chair, form, "central-bedfordshire", text="Chapter 4.")
    new_due = dt.datetime.fromisoformat(resumed.data["due_at"])
    assert resumed.data["status"] == "open"
    assert new_due - due >= dt.timedelta(days=14)  # the paused fortnight is not counted


async def test_a_passed_window_nudges_once_and_lets_the_raiser_escalate(world):
    chair = world.person("Chair", "chair:bscb")
    await raise_challenge(world, "buckinghamshire", chair, "ssbpb")
    assert await check_clocks(world.services) == 0
    world.advance(days=40)
    assert await check_clocks(world.services) == 1
    assert await check_clocks(world.services) == 0
    nudge_target = (await world.deliveries("C-buckinghamshire-ssbpb"))[-1]
    nudge_raiser = (await world.deliveries("C-buckinghamshire-bscb"))[-1]
    assert "Reminder" in nudge_target.payload["text"]
    assert "You may escalate" in nudge_raiser.payload["text"]
    assert any(b["action"] == "challenge.escalate" for b in nudge_raiser.payload["buttons"])


async def test_more_time_needs_the_raising_chairs_agreement(world):
    from bot.messages import reply_from_dict

    chair = world.person("Chair", "chair:lscb")
    bm = world.person("Manager", "business_manager:hwb")
    raised = await raise_challenge(world, "suffolk", chair, "hwb")
    due = dt.datetime.fromisoformat(raised.data["due_at"])
    card = reply_from_dict((await world.deliveries("C-suffolk-hwb"))[0].payload)
    form = await world.press(bm, card, "Ask for more time", "suffolk")
    bad = await world.submit(bm, form, "suffolk", text="Board meets in January", days="many")
    assert not bad.ok and "1 to 60" in bad.text
    await world.submit(bm, form, "suffolk", text="Board meets in January", days="10")
    ask = reply_from_dict((await world.deliveries("C-suffolk-lscb"))[-1].payload)
    # the business manager cannot agree their own extension
    assert not (await world.press(bm, ask, "Agree", "suffolk")).ok
    agreed = await world.press(chair, ask, "Agree", "suffolk")
    assert dt.datetime.fromisoformat(agreed.data["due_at"]) > due + dt.timedelta(days=13)
    again = await world.press(chair, ask, "Agree", "suffolk")
    assert "already agreed by Chair" in again.text


async def test_resolve_records_the_outcome_and_reopen_restarts_the_clock(world):
    chair = world.person("Chair", "chair:lscb")
    raised = await raise_challenge(world, "lancashire", chair, "hwb")
    form = await world.press(chair, raised, "Resolve", "lancashire")
    empty = await world.submit(chair, form, "lancashire", text="")
    assert not empty.ok
    resolved = await world.submit(chair, form, "lancashire", text="HWB added CSE to the JSNA.")
    assert resolved.data["status"] == "resolved"
    world.advance(days=30)
    reopened = await world.press(chair, resolved, "Reopen", "lancashire")
    assert reopened.data["status"] == "open"
    assert dt.datetime.fromisoformat(reopened.data["due_at"]) > world.now


async def test_personal_data_is_flagged_before_anything_is_posted(world):
    chair = world.person("Chair", "chair:lscb")
    warned = await raise_challenge(world, "suffolk", chair, "hwb", concern="Child with NHS number 943 476 5919 was missed.")
    assert not warned.ok and "NHS number" in warned.text
    assert await world.deliveries() == [] and await world.audit("raised") == []
    posted = await world.press(chair, warned, "Post anyway", "suffolk")
    assert posted.data["status"] == "open"
    assert (await world.audit("raised"))[0].detail["personal_data_confirmed"] is True


async def test_common_membership_is_declared(world):
    chair = world.person("Chair", "chair:lscb")
    reply = await raise_challenge(world, "lancashire", chair, "hwb")
    assert "Declare:" in reply.text and "Director of Public Health" in reply.text


async def test_challenges_are_visible_to_the_boards_involved_and_directors_only(world):
    chair = world.person("Chair", "chair:lscb")
    await raise_challenge(world, "suffolk", chair, "hwb")
    bm = world.person("HWB Manager", "business_manager:hwb")
    director = world.person("Director", "director")
    outsider = world.person("CPB Chair", "chair:cpb")
    assert len((await world.say(bm, "challenges", "suffolk")).data["challenges"]) == 1
    assert len((await world.say(director, "challenges", "suffolk")).data["challenges"]) == 1
    assert (await world.say(outsider, "challenges", "suffolk")).data["challenges"] == []
    assert not (await world.say(outsider, "challenge 1", "suffolk")).ok
    history = await world.say(bm, "challenge 1", "suffolk")
    assert "History:" in history.text and "raised" in history.text
    # never across areas: a Lancashire chair pressing a Suffolk challenge's button
    lancs = world.person("Lancs", "chair:lscb", admin=True, area="lancashire")
    forged = await world.act(lancs, "challenge.escalate", {"area": "lancashire", "id": 1, "rung": 0}, "lancashire")
    assert not forged.ok and "belongs to Suffolk" in forged.text


async def test_export_for_the_annual_report(world):
    chair = world.person("Chair", "chair:bscb", "director")
    reply = await raise_challenge(world, "buckinghamshire", chair, "hwb")
    await world.escalate(chair, reply, "buckinghamshire", reason="The JSNA refresh is too late.")
    export = await world.say(chair, "challenge export 2026-04-01 2027-03-31", "buckinghamshire")
    csv_text = export.data["files"]["challenges.csv"]
    assert csv_text.splitlines()[0].startswith("number,raised,from,to,subject")
    assert "C1,2026-11-23,BSCB,HWB,CSE profiling" in csv_text
    md = export.data["files"]["challenges.md"]
    assert "record of decisions and actions taken" in md and "escalated it from a written request to an agenda item (step 2" in md
    assert "reason: The JSNA refresh is too late." in md


async def test_the_export_keeps_what_people_typed_as_text_in_any_markdown_viewer(world):
    chair = world.person("Chair", "chair:bscb", "director")
    subject = "Plans <img src=x onerror=alert(1)> [see](javascript:alert(1)) | cut"
    reply = await raise_challenge(world, "buckinghamshire", chair, "hwb", subject=subject)
    await world.escalate(chair, reply, "buckinghamshire", reason="Late | again\n# Not a heading <b>bold</b>")
    md = (await world.say(chair, "challenge export 2026-04-01 2027-03-31", "buckinghamshire")).data["files"]["challenges.md"]
    assert "<img" not in md and "<b>" not in md and not re.search(r"(?<!\\)\]\(javascript:", md)  # no live link
    assert "## C1: Plans &lt;img src=x onerror=alert(1)&gt; \\[see\\](javascript:alert(1)) | cut" in md
    history = [line for line in md.splitlines() if line.startswith("| ") and "escalated" in line]
    assert history and all(line.count(" | ") == 2 for line in history)  # the typed "|" stays inside its cell
    assert not any(line.startswith("# Not a heading") for line in md.splitlines())
