"""Agenda requests, meetings and sharing papers through the core."""

from __future__ import annotations

from bot.messages import reply_from_dict


async def request_item(world, area, chair, to_board, **extra):
    form = await world.say(chair, f"agenda request {to_board}", area)
    assert form.form is not None, form.text
    values = {"to_board": to_board, "title": "CSE profile in the JSNA", "reason": "The profile is out of date.",
              "preferred_meeting": "March", **extra}
    return await world.submit(chair, form, area, **values)


async def test_request_accept_onto_a_new_meeting_and_the_requester_is_told(world):
    chair = world.person("BSCB Chair", "chair:bscb")
    bm = world.person("HWB Lead Officer", "business_manager:hwb")
    sent = await request_item(world, "buckinghamshire", chair, "hwb")
    assert sent.data["status"] == "requested" and sent.data["queued"] == 1
    notice = reply_from_dict((await world.deliveries("C-buckinghamshire-hwb"))[0].payload)
    assert "Business Manager" in notice.text
    form = await world.press(bm, notice, "Accept", "buckinghamshire")
    past = await world.submit(bm, form, "buckinghamshire", new_meeting="2020-01-01 10:00")
    assert not past.ok
    accepted = await world.submit(bm, form, "buckinghamshire", new_meeting="2027-01-14 10:00")
    assert accepted.data["status"] == "accepted"
    told = (await world.deliveries("C-buckinghamshire-bscb"))[-1]
    assert "Accepted onto the meeting of Thu 14 Jan 2027, 10:00" in told.payload["text"]
    agenda = await world.say(bm, "agenda HWB", "buckinghamshire")
    assert "A1: CSE profile in the JSNA" in agenda.text


async def test_decline_needs_a_reason_and_only_the_business_manager_decides(world):
    chair = world.person("LSCB Chair", "chair:lscb")
    await request_item(world, "lancashire", chair, "hwb")
    notice = reply_from_dict((await world.deliveries("C-lancashire-hwb"))[0].payload)
    refused = await world.press(chair, notice, "Decline", "lancashire")
    assert not refused.ok and "business manager" in refused.text
    bm = world.person("HWB Manager", "business_manager:hwb")
    form = await world.press(bm, notice, "Decline", "lancashire")
    assert not (await world.submit(bm, form, "lancashire", reason="")).ok
    declined = await world.submit(bm, form, "lancashire", reason="Covered by the JSNA refresh in May.")
    assert declined.data["status"] == "declined"
    again = await world.submit(bm, form, "lancashire", reason="twice")
    assert again.data["status"] == "declined"
    assert len(await world.audit("declined")) == 1


async def test_a_health_and_wellbeing_board_is_flagged_as_meeting_in_public(world):
    chair = world.person("Chair", "chair:lscb")
    sent = await request_item(world, "suffolk", chair, "hwb")
    assert "meet in public" in sent.text


async def test_members_cannot_request_items(world):
    reply = await world.say(world.person("Member"), "agenda request HWB", "suffolk")
    assert not reply.ok and reply.form is None


async def test_minutes_are_shared_with_the_partners_the_protocol_names(world):
    bm = world.person("HWB Manager", "business_manager:hwb")
    reply = await world.say(bm, "minutes HWB https://example.org/hwb-minutes.pdf", "lancashire")
    assert reply.data["partners"] == ["lscb"]
    shared = await world.deliveries("C-lancashire-lscb")
    assert "https://example.org/hwb-minutes.pdf" in shared[0].payload["text"] and "6.2" in shared[0].payload["text"]
    cb = world.person("CSP Manager", "business_manager:csp")
    reply = await world.say(cb, "minutes CSP https://example.org/csp.pdf", "central-bedfordshire")
    assert set(reply.data["partners"]) >= {"lscb", "sab", "hwb", "childrens_trust"}


async def test_only_the_boards_business_manager_can_share_or_add_meetings(world):
    member = world.person("Member")
    assert not (await world.say(member, "minutes HWB https://example.org/x.pdf", "lancashire")).ok
    assert not (await world.say(member, "meeting add HWB 2027-02-01 10:00", "lancashire")).ok
    assert await world.deliveries("C-lancashire-lscb") == []
    bm = world.person("HWB Manager", "business_manager:hwb")
    added = await world.say(bm, "meeting add HWB 2027-02-01 10:00 Winter board", "lancashire")
    assert added.ok and "Mon 01 Feb 2027, 10:00" in added.text


async def test_bad_meeting_input_says_what_to_type(world):
    bm = world.person("HWB Manager", "business_manager:hwb")
    reply = await world.say(bm, "meeting add HWB next tuesday", "lancashire")
    assert not reply.ok and "YYYY-MM-DD" in reply.text
