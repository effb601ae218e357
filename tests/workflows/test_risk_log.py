"""Central Bedfordshire's risk log, held by its LSCB, as its protocol names it: raise, review,
close, with an owner and review dates; nothing where a protocol names none."""

from __future__ import annotations

import datetime as dt

from bot.workflows.risks import review_reminders, risk_log_of

AREA = "central-bedfordshire"


def test_the_risk_log_is_found_where_the_protocol_names_it_and_nowhere_else(knowledge):
    log = risk_log_of(knowledge.area(AREA))
    assert log is not None and log.board_key == "lscb" and log.citation.clause == "7 Information sharing"
    assert "Risk Log held by the Local Safeguarding Children Board" in log.text
    assert all(risk_log_of(knowledge.area(a)) is None for a in ("suffolk", "buckinghamshire", "lancashire"))


async def _raise(world, who, **values):
    form = await world.say(who, "risk raise", AREA)
    assert form.form is not None, form.text
    return await world.submit(who, form, AREA, **values)


async def test_a_risk_is_raised_reviewed_and_closed(world):
    hwb = world.person("HWB Manager", "business_manager:hwb")
    lscb = world.person("LSCB Manager", "business_manager:lscb")
    raised = await _raise(world, hwb, title="No CSE profile in the JSNA", description="The JSNA has no CSE chapter.",
                          owner="HWB business manager", review_on="2027-01-15")
    assert raised.ok and raised.data["number"] == 1 and "Posted to the LSCB channel." in raised.text, raised.text
    assert "Next review: Fri 15 Jan 2027" in raised.text and "Owner: HWB business manager" in raised.text
    listed = await world.say(world.person("SAB Chair", "chair:sab"), "risks", AREA)
    assert "R1 No CSE profile in the JSNA" in listed.text and "owner: HWB business manager" in listed.text

    stranger = world.person("SAB Chair", "chair:sab")
    refused = await world.say(stranger, "risk close R1 not ours", AREA)
    assert not refused.ok and "Only the chair or business manager of the LSCB" in refused.text

    reviewed = await world.say(lscb, "risk review R1 a chapter is drafted next 2027-04-01", AREA)
    assert reviewed.ok and "Next review: Thu 01 Apr 2027" in reviewed.text, reviewed.text
    assert "Last review" in reviewed.text and "a chapter is drafted" in reviewed.text
    closed = await world.say(hwb, "risk close R1 the chapter is published", AREA)
    assert closed.data["status"] == "closed"
    shown = await world.say(lscb, "risk R1", AREA)
    assert "reviewed it: a chapter is drafted (next review 2027-04-01)" in shown.text and "closed it" in shown.text
    assert "no open risks" in (await world.say(lscb, "risks", AREA)).text


async def test_bad_answers_are_named_and_the_others_kept(world):
    hwb = world.person("HWB Manager", "business_manager:hwb")
    again = await _raise(world, hwb, title="Gap", description="", owner="Me", review_on="2020-01-01")
    assert not again.ok and set(again.data["field_errors"]) == {"description", "review_on"}
    assert {f.name: f.initial for f in again.form.fields}["title"] == "Gap"
    member = world.person("Member")
    assert not (await world.say(member, "risk raise", AREA)).ok


async def test_a_review_falling_due_is_posted_to_the_holding_board_once(world):
    hwb = world.person("HWB Manager", "business_manager:hwb")
    await _raise(world, hwb, title="Gap", description="A gap.", owner="Me", review_on="2026-12-01")
    world.now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    assert await review_reminders(world.services) == 2  # the LSCB (holds the log) and the HWB (raised it)
    assert await review_reminders(world.services) == 0
    due = [d for d in await world.deliveries(f"C-{AREA}-lscb") if "The review of R1 is due" in d.payload["text"]]
    assert len(due) == 1


async def test_no_risk_log_is_invented_where_the_protocol_names_none(world):
    reply = await world.say(world.person("Chair", "chair:lscb"), "risks", "suffolk")
    assert not reply.ok and "names no risk log" in reply.text


async def test_someone_of_another_area_is_told_plainly_the_risk_log_is_not_theirs(world):
    suffolk = world.person("Suffolk Chair", "chair:hwb", area="suffolk")
    for text in ("risks", "risk R1"):
        refused = await world.say(suffolk, text, AREA)
        assert not refused.ok and refused.text.startswith(
            "Central Bedfordshire's risk log entries are only for people who hold a role in Central Bedfordshire"), refused.text
