"""Escalating shows what it will do, asks why when the response window has not passed and
records it; history reads in words; a linked agenda request follows its challenge; the
meeting steps name who must attend."""

from __future__ import annotations

from tests.workflows.test_typed_steps import raise_challenge

AREA = "suffolk"


async def test_escalating_early_shows_what_it_will_do_and_asks_why(world):
    chair = world.person("LSCB Chair", "chair:lscb")
    raised = await raise_challenge(world, AREA, chair, "hwb")
    preview = await world.press(chair, raised, "Escalate", AREA)
    assert preview.form is not None and preview.data["reason_needed"] is True
    assert "This will send an agenda request to the HWB's business manager" in preview.text
    assert "The HWB is told" in preview.text and "say why you escalate now" in preview.text
    # nothing moved: the preview is not the step
    assert (await world.say(chair, "challenge 1", AREA)).data["rung"] == 0
    assert await world.audit("escalated") == []

    refused = await world.submit(chair, preview, AREA, reason="")
    assert not refused.ok and "say why you escalate now" in refused.text and refused.data["field_errors"] == {
        "reason": "Say why you escalate now"}
    done = await world.submit(chair, preview, AREA, reason="The JSNA timetable leaves no room for CSE.")
    assert done.data["rung"] == 1 and "Reason: The JSNA timetable leaves no room for CSE." in done.text
    [event] = await world.audit("escalated")
    assert event.detail["reason"] == "The JSNA timetable leaves no room for CSE." and event.detail["window_passed"] is False
    target = (await world.deliveries(f"C-{AREA}-hwb"))
    assert any("Reason: The JSNA timetable" in d.payload["text"] for d in target)


async def test_the_chairs_and_resolution_steps_say_who_is_told_and_who_must_attend(world):
    chair = world.person("LSCB Chair", "chair:lscb")
    reply = await raise_challenge(world, AREA, chair, "hwb")
    reply = await world.escalate(chair, reply, AREA)
    preview = await world.press(chair, reply, "Escalate", AREA)
    assert "This will propose a meeting of the chairs" in preview.text and "to both boards" in preview.text
    reply = await world.submit(chair, preview, AREA, reason="No agreement at the board.")
    assert "Must attend at this step:" in reply.text
    preview = await world.press(chair, reply, "Escalate", AREA)
    assert "This will post an escalation notice to the directors' channel; must attend:" in preview.text
    reply = await world.submit(chair, preview, AREA, reason="Still no agreement.")
    assert "Must attend at this step:" in reply.text


async def test_after_the_window_passes_no_reason_is_asked(world):
    chair = world.person("LSCB Chair", "chair:lscb")
    raised = await raise_challenge(world, AREA, chair, "hwb")
    world.advance(days=40)
    preview = await world.press(chair, raised, "Escalate", AREA)
    assert preview.data["reason_needed"] is False and "has not come" in preview.text
    done = await world.submit(chair, preview, AREA)
    assert done.ok and done.data["rung"] == 1
    assert (await world.audit("escalated"))[0].detail["window_passed"] is True


async def test_typed_escalation_previews_then_acts_with_its_reason(world):
    chair = world.person("LSCB Chair", "chair:lscb")
    await raise_challenge(world, AREA, chair, "hwb")
    preview = await world.say(chair, "escalate C1", AREA)
    assert preview.form is not None and "This will send an agenda request" in preview.text
    done = await world.say(chair, "escalate C1 the board meets too late to help", AREA)
    assert done.data["rung"] == 1


async def test_history_reads_in_words_and_the_agenda_request_follows_the_resolution(world):
    chair = world.person("LSCB Chair", "chair:lscb")
    manager = world.person("HWB Manager", "business_manager:hwb")
    reply = await raise_challenge(world, AREA, chair, "hwb")
    await world.escalate(chair, reply, AREA, reason="Too slow.")
    resolved = await world.say(chair, "resolve C1 a CSE profile is agreed", AREA)
    assert "Agenda request A1 is closed with it" in resolved.text
    history = await world.say(chair, "challenge 1", AREA)
    assert "escalated it from a written request to an agenda item (step 2" in history.text
    assert "escalated from written_request" not in history.text and "reason: Too slow." in history.text
    agenda = await world.say(manager, "agenda HWB", AREA)
    assert agenda.ok and "A1" not in agenda.text  # no longer awaiting a decision
    late = await world.say(manager, "agenda accept A1 2027-01-12 10:00", AREA)
    assert "already closed with its challenge" in late.text
    closed = [d for d in await world.deliveries(f"C-{AREA}-hwb") if "Closed: challenge C1 was resolved" in d.payload["text"]]
    assert len(closed) == 1
