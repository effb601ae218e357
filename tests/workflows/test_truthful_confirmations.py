"""Confirmations say where each thing went, or that it waits for a channel, for whom, and that
the area's admins were asked (once) to link one; linking it sends what waited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage import directory
from storage.models import Notice
from tests.workflows.conftest import World


@pytest.fixture
async def bare(services) -> World:
    """An area with no channels linked but the BSCB's."""
    w = World(services)
    services.clock = lambda: w.now
    async with services.store.session() as s:
        await directory.link_channel(s, area_slug="buckinghamshire", platform="slack", workspace="T1",
                                     channel_id="C-bscb", purpose="board", board_key="bscb")
        await s.commit()
    return w


async def _raise(w: World, chair, to: str, rid: str):
    form = await w.say(chair, f"challenge {to}", "buckinghamshire")
    return await w.submit(chair, form, "buckinghamshire", request_id=rid, to_board=to, subject="CSE profiling",
                          concern="No CSE profile.", response_sought="A plan.")


async def _wanted(w: World) -> list[Notice]:
    async with w.services.store.session() as s:
        return list((await s.execute(select(Notice).where(Notice.purpose == "admins"))).scalars())


async def test_a_challenge_to_a_board_without_a_channel_says_it_waits_and_the_admins_are_asked_once(bare):
    chair = bare.person("BSCB Chair", "chair:bscb")
    raised = await _raise(bare, chair, "hwb", "v1")
    assert "Posted to" not in raised.text and "recorded but not posted" not in raised.text
    assert "No channel is linked for the HWB yet, so it waits" in raised.text
    assert "the HWB's chair and business manager see it in their \u201cinbox\u201d" in raised.text
    assert "admins have been asked to link one" in raised.text
    await _raise(bare, chair, "hwb", "v2")
    [asked] = await _wanted(bare)
    assert "admin link-channel HWB" in asked.payload["text"]

    hwb_chair = bare.person("HWB Chair", "chair:hwb")
    box = await bare.say(hwb_chair, "inbox", "buckinghamshire")
    assert [i["waiting"] for i in box.data["items"]] == [True, True]
    assert "waiting for a channel" in box.text
    admin = bare.person("Admin", admin=True)
    assert any("A channel is wanted" in i["title"] for i in (await bare.say(admin, "inbox", "buckinghamshire")).data["items"])

    linked = await bare.say(admin, "admin link-channel HWB", "buckinghamshire")
    assert "2 posts that waited for it are posted here now" in linked.text, linked.text
    posted = await bare.deliveries("C-here")
    assert sorted(d.payload["title"][:14] for d in posted) == ["Challenge C1 —", "Challenge C2 —"]
    assert not [i for i in (await bare.say(hwb_chair, "inbox", "buckinghamshire")).data["items"] if i["waiting"]]


async def test_the_agenda_rung_does_not_claim_the_business_manager_was_sent_anything(bare):
    chair = bare.person("BSCB Chair", "chair:bscb")
    raised = await _raise(bare, chair, "hwb", "v1")
    escalated = await bare.escalate(chair, raised, "buckinghamshire")
    assert "sent to the HWB's business manager" not in escalated.text
    assert "Agenda request A1 made. No channel is linked for the HWB yet, so it waits" in escalated.text, escalated.text


async def test_an_agenda_request_says_where_it_went(bare):
    chair = bare.person("BSCB Chair", "chair:bscb")
    form = await bare.say(chair, "agenda request HWB", "buckinghamshire")
    sent = await bare.submit(chair, form, "buckinghamshire", to_board="hwb", title="CSE", reason="A gap")
    assert "No channel is linked for the HWB yet, so it waits" in sent.text and "recorded but not posted" not in sent.text


async def test_sharing_minutes_names_the_boards_posted_to_and_those_waiting(services):
    w = World(services)
    services.clock = lambda: w.now
    async with services.store.session() as s:
        await directory.link_channel(s, area_slug="central-bedfordshire", platform="slack", workspace="T1",
                                     channel_id="C-lscb", purpose="board", board_key="lscb")
        await s.commit()
    manager = w.person("CSP Manager", "business_manager:csp")
    shared = await w.say(manager, "minutes CSP https://example.org/csp.pdf", "central-bedfordshire")
    assert "channel posts queued" not in shared.text and "channel post queued" not in shared.text
    assert "Posted to the LSCB channel." in shared.text, shared.text
    assert "No channel is linked for the" in shared.text and "HWB" in shared.data["waiting"]
    assert "LSCB" not in shared.data["waiting"]


async def test_a_reminder_for_a_board_without_a_channel_does_not_claim_its_linked_channels(bare):
    manager = bare.person("HWB Manager", "business_manager:hwb")
    added = await bare.say(manager, "remind HWB 2026-12-10 09:30 send minutes to partners", "buckinghamshire")
    assert added.ok and "linked channel(s)" not in added.text
    assert "No channel is linked for the HWB yet, so when due it shows in the \u201cinbox\u201d" in added.text
    bscb = bare.person("BSCB Manager", "business_manager:bscb")
    added = await bare.say(bscb, "remind BSCB 2026-12-10 09:30 send minutes to partners", "buckinghamshire")
    assert "It will be posted in the BSCB channel when due." in added.text
