"""A whole mutual challenge through Teams: an administrator links channels from Teams, a chair
raises a challenge from a card form in 1:1 chat, the target board's lead officer responds
from the card posted in its channel, the chair escalates to the directors' channel.

Real botbuilder end to end against the stand-in Bot Connector; the outbox is drained by
the real dispatcher and TeamsSender."""

from __future__ import annotations

import copy

import pytest

from storage import directory

from .standin import TENANT, card_text, payload

pytestmark = pytest.mark.e2e

CHAIR = "3f2a8c61-5b7d-4e9a-9c1f-2d6e8b4a7c05"  # Jo Smith in the payload samples
MANAGER = "9b7e5d3c-1a2f-4e6d-8c0b-7a5f3e1d9c2b"
CHANNELS = {"bscb": "19:bscb0business0channel@thread.tacv2", "hwb": "19:hwb0business0channel@thread.tacv2",
            "directors": "19:directors0channel0bucks@thread.tacv2"}


def in_channel(connector, channel: str, text: str, *, activity_id: str) -> dict:
    body = payload("channel_mention", connector, id=activity_id, text=f"<at>boardbot</at> {text}")
    body["conversation"]["id"] = f"{channel};messageid={activity_id}"
    body["channelData"]["channel"]["id"] = channel
    return body


def as_user(body: dict, aad: str, name: str) -> dict:
    body = copy.deepcopy(body)
    body["from"] = {"id": f"29:{aad}", "name": name, "aadObjectId": aad}
    return body


def find_action(card: dict, title_start: str) -> dict:
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "Action.Execute" and node.get("title", "").startswith(title_start):
                found.append(node)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(card)
    assert found, f"no {title_start!r} action in {card_text(card)}"
    return found[0]


async def invoke(teams, connector, action: dict, user: str, name: str, activity_id: str, **inputs: str) -> dict:
    body = as_user(payload("card_action_invoke", connector, id=activity_id), user, name)
    data = copy.deepcopy(action["data"])
    data.update({f"f_{k}": v for k, v in inputs.items()})
    body["value"]["action"].update(verb=action["verb"], data=data, title=action["title"])
    resp = await teams.post("/api/messages", json=body)
    assert resp.status == 200, await resp.text()
    answer = await resp.json()
    assert answer["type"] == "application/vnd.microsoft.card.adaptive"
    return answer["value"]


def posted_to(connector, channel: str) -> list[dict]:
    return [c.card for c in connector.posts if c.kind == "send" and c.conversation_id.startswith(channel)]


async def test_a_challenge_through_teams_up_to_the_directors(teams, connector, services):
    async with services.store.session() as s, s.begin():
        await directory.upsert_person(s, area_slug="buckinghamshire", platform="teams", workspace=TENANT, user_id=CHAIR,
                                      display_name="Jo Smith", add_roles=frozenset({"chair:bscb"}), is_admin=True)
        await directory.upsert_person(s, area_slug="buckinghamshire", platform="teams", workspace=TENANT, user_id=MANAGER,
                                      display_name="Sam Lee", add_roles=frozenset({"business_manager:hwb"}))
    # the administrator links the three channels from inside them (the bot stores each conversation reference)
    for n, (what, channel) in enumerate(CHANNELS.items()):
        resp = await teams.post("/api/messages", json=in_channel(connector, channel, f"admin link-channel {what}", activity_id=f"link{n}"))
        assert resp.status == 200
        assert "Linked" in card_text(connector.posts[-1].card)

    resp = await teams.post("/api/messages", json=payload("personal_message", connector, id="raise1", text="challenge HWB"))
    assert resp.status == 200
    form = connector.posts[-1].card
    submit = find_action(form, "Raise challenge")
    raised = await invoke(teams, connector, submit, CHAIR, "Jo Smith", "submit1", to_board="hwb", subject="CSE profile",
                          concern="The JSNA has no CSE profile.", response_sought="A plan to add one.")
    assert "Challenge C1 raised" in card_text(raised)
    # the same form submitted again (a re-send) raises nothing new
    again = await invoke(teams, connector, submit, CHAIR, "Jo Smith", "submit2", to_board="hwb", subject="CSE profile",
                         concern="The JSNA has no CSE profile.", response_sought="A plan to add one.")
    assert "C2" not in card_text(again)

    await services.dispatcher.tick()
    [notice] = posted_to(connector, CHANNELS["hwb"])
    assert "Challenge C1" in card_text(notice)

    respond = find_action(notice, "Respond")
    refused = await invoke(teams, connector, respond, "00000000-0000-0000-0000-000000000001", "Stranger", "resp0")
    assert "Only the HWB's chair or business manager" in card_text(refused)
    form = await invoke(teams, connector, respond, MANAGER, "Sam Lee", "resp1")
    answered = await invoke(teams, connector, find_action(form, "Send response"), MANAGER, "Sam Lee", "resp2",
                            text="A CSE chapter in the spring refresh.")
    assert "Response sent" in card_text(answered)

    await services.dispatcher.tick()
    card = posted_to(connector, CHANNELS["bscb"])[-1]
    assert "spring refresh" in card_text(card)
    for step in range(3):
        preview = await invoke(teams, connector, find_action(card, "Escalate"), CHAIR, "Jo Smith", f"esc{step}")
        assert "This will" in card_text(preview) and "say why you escalate now" in card_text(preview)
        card = await invoke(teams, connector, find_action(preview, "Escalate to step"), CHAIR, "Jo Smith", f"esc{step}b",
                            reason="No plan after the response.")
    assert "Escalated to step 4" in card_text(card)

    await services.dispatcher.tick()
    [directors] = posted_to(connector, CHANNELS["directors"])
    assert "Escalation notice" in card_text(directors) and "Must attend" in card_text(directors)


async def test_bidi_and_invisible_characters_never_reach_a_card(teams, connector, services):
    async with services.store.session() as s, s.begin():
        await directory.upsert_person(s, area_slug="buckinghamshire", platform="teams", workspace=TENANT, user_id=CHAIR,
                                      display_name="Jo Smith", add_roles=frozenset({"chair:bscb"}), is_admin=True)
    resp = await teams.post("/api/messages", json=in_channel(connector, CHANNELS["hwb"], "admin link-channel hwb",
                                                             activity_id="link-hwb"))
    assert resp.status == 200
    resp = await teams.post("/api/messages", json=payload("personal_message", connector, id="spoof1", text="challenge HWB"))
    submit = find_action(connector.posts[-1].card, "Raise challenge")
    raised = await invoke(teams, connector, submit, CHAIR, "Jo\u200b Smith\u202e", "spoof2", to_board="hwb",
                          subject="Budget \u202eexe.fdp\u202c", concern="Look\u200b here.", response_sought="A plan\u2060.")
    assert "Challenge C1 raised" in card_text(raised)
    await services.dispatcher.tick()
    [notice] = posted_to(connector, CHANNELS["hwb"])
    shown = str(notice)
    assert "Budget exe.fdp" in card_text(notice)
    assert not any(t in shown for t in ("\u202e", "\u202c", "\u200b", "\u2060"))


async def test_the_challenge_card_states_each_fields_limit(teams, connector, services):
    from bot.limits import LONG_TEXT, SHORT_TEXT

    async with services.store.session() as s, s.begin():
        await directory.upsert_person(s, area_slug="buckinghamshire", platform="teams", workspace=TENANT, user_id=CHAIR,
                                      display_name="Jo Smith", add_roles=frozenset({"chair:bscb"}))
    body = as_user(payload("personal_message", connector, id="limits1", text="challenge HWB"), CHAIR, "Jo Smith")
    assert (await teams.post("/api/messages", json=body)).status == 200
    card = connector.posts[-1].card
    inputs = {}

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "Input.Text":
                inputs[node["id"]] = node.get("maxLength")
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(card)
    assert inputs == {"f_subject": SHORT_TEXT, "f_concern": LONG_TEXT, "f_response_sought": LONG_TEXT}
