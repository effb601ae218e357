"""Typed steps in Teams: the same core command as the card buttons, through real botbuilder."""

from __future__ import annotations

import pytest

from storage import directory

from .standin import TENANT, card_text, payload
from .test_teams_challenge_e2e import (
    CHAIR,
    CHANNELS,
    MANAGER,
    as_user,
    find_action,
    in_channel,
    invoke,
    posted_to,
)

pytestmark = pytest.mark.e2e


async def say(teams, connector, text: str, user: str, name: str, activity_id: str) -> str:
    body = as_user(payload("personal_message", connector, id=activity_id, text=text), user, name)
    resp = await teams.post("/api/messages", json=body)
    assert resp.status == 200
    return card_text(connector.posts[-1].card) if connector.posts[-1].card else connector.posts[-1].text


async def test_a_challenge_is_answered_and_resolved_by_typing_in_teams(teams, connector, services):
    async with services.store.session() as s, s.begin():
        await directory.upsert_person(s, area_slug="buckinghamshire", platform="teams", workspace=TENANT, user_id=CHAIR,
                                      display_name="Jo Smith", add_roles=frozenset({"chair:bscb"}), is_admin=True)
        await directory.upsert_person(s, area_slug="buckinghamshire", platform="teams", workspace=TENANT, user_id=MANAGER,
                                      display_name="Sam Lee", add_roles=frozenset({"business_manager:hwb"}))
    for n, (what, channel) in enumerate(CHANNELS.items()):
        await teams.post("/api/messages", json=in_channel(connector, channel, f"admin link-channel {what}", activity_id=f"link{n}"))
    await teams.post("/api/messages", json=payload("personal_message", connector, id="raise1", text="challenge HWB"))
    raised = await invoke(teams, connector, find_action(connector.posts[-1].card, "Raise challenge"), CHAIR, "Jo Smith", "s1",
                          to_board="hwb", subject="CSE profile", concern="No CSE profile.", response_sought="A plan.")
    assert "Challenge C1 raised" in card_text(raised)

    said = await say(teams, connector, "more time C1 10 days the lead officer is away", MANAGER, "Sam Lee", "m1")
    assert "10 more working day" in said
    said = await say(teams, connector, "agree more time C1", MANAGER, "Sam Lee", "m2")
    assert "Only the BSCB's chair can decide on more time" in said
    said = await say(teams, connector, "agree extension for C1", CHAIR, "Jo Smith", "m3")
    assert "Extension agreed" in said
    said = await say(teams, connector, "resolve C1 a chapter is in the draft", CHAIR, "Jo Smith", "m4")
    assert "Challenge C1 resolved" in said
    await services.dispatcher.tick()
    assert any("resolved" in card_text(c) for c in posted_to(connector, CHANNELS["hwb"]))
    said = await say(teams, connector, "inbox", MANAGER, "Sam Lee", "m5")
    assert "C1" in said and "respond C1" in said
