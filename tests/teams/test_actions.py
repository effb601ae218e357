"""Card buttons and forms in Teams: ``Action.Execute`` invokes and legacy ``Action.Submit``.

The actions are registered inside each test with the core's own ``bot.actions.action``
decorator, so what is exercised is the real path: invoke -> botbuilder -> Request ->
``handle_action`` -> Reply -> the card that replaces the one the button sat on.
"""

from __future__ import annotations

import asyncio
import copy

import pytest

from bot.actions import ACTIONS, action
from bot.messages import Button, Form, FormField, Reply, error

from .standin import card_text, payload

pytestmark = pytest.mark.e2e


def invoke(connector, data: dict, *, activity_id: str = "f:invoke-1", verb: str = "boardbot") -> dict:
    body = payload("card_action_invoke", connector, id=activity_id)
    body["value"]["action"]["verb"] = verb
    body["value"]["action"]["data"] = copy.deepcopy(data)
    return body


async def test_action_execute_answers_with_the_new_card_in_place(teams, connector):
    seen = []

    @action("test.accept")
    async def accept(ctx):
        seen.append(ctx.request)
        item = ctx.request.value["item"]
        return Reply(text=f"{item} accepted onto the March meeting by {ctx.request.actor.label}.", title=f"{item} accepted",
                     buttons=(Button("Undo", "test.undo", {"item": item}, style="danger"),))

    try:
        resp = await teams.post("/api/messages", json=payload("card_action_invoke", connector))
    finally:
        ACTIONS.pop("test.accept", None)

    assert resp.status == 200
    body = await resp.json()
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    card = body["value"]
    assert card["body"][0]["text"] == "A7 accepted"
    assert "A7 accepted onto the March meeting by Jo Smith." in card_text(card)
    [undo] = card["actions"]
    assert undo["type"] == "Action.Execute" and undo["verb"] == "boardbot" and undo["style"] == "destructive"
    assert undo["data"]["a"] == "test.undo" and undo["data"]["v"] == {"item": "A7"}
    assert undo["data"]["area"] == "buckinghamshire" and undo["data"]["n"] != "9d2c41f0a7b35e68"  # a fresh card
    [request] = seen
    assert request.platform == "teams" and request.action == "test.accept"
    assert request.value == {"item": "A7", "area": "buckinghamshire"}
    assert request.channel == "19:8d1e5b0c6a2f4e7b9c3d1a5f7e9b2c4d@thread.tacv2"
    assert request.actor.user_id == "3f2a8c61-5b7d-4e9a-9c1f-2d6e8b4a7c05"
    assert connector.posts == []  # the card changed in place; nothing new was posted


async def test_pressing_the_same_card_twice_acts_once_and_shows_the_same_answer(teams, connector):
    calls = []

    @action("test.accept")
    async def accept(ctx):
        calls.append(ctx.request.value)
        return Reply(text=f"accepted #{len(calls)}", title="Accepted")

    data = {"a": "test.accept", "v": {"item": "A7"}, "area": "buckinghamshire", "n": "card-1"}
    try:
        first = await teams.post("/api/messages", json=invoke(connector, data, activity_id="f:press-1"))
        second = await teams.post("/api/messages", json=invoke(connector, data, activity_id="f:press-2"))
    finally:
        ACTIONS.pop("test.accept", None)

    assert len(calls) == 1
    assert (await first.json())["value"] == (await second.json())["value"]
    assert "accepted #1" in card_text((await second.json())["value"])


async def test_simultaneous_presses_act_once(teams, connector):
    calls = []
    started, gate = asyncio.Event(), asyncio.Event()

    @action("test.accept")
    async def accept(ctx):
        calls.append(1)
        started.set()
        await asyncio.wait_for(gate.wait(), 5)
        return Reply(text="accepted", title="Accepted")

    data = {"a": "test.accept", "v": {"item": "A7"}, "area": "buckinghamshire", "n": "card-2"}
    try:
        first = asyncio.ensure_future(teams.post("/api/messages", json=invoke(connector, data, activity_id="f:a")))
        await asyncio.wait_for(started.wait(), 5)
        second = await teams.post("/api/messages", json=invoke(connector, data, activity_id="f:b"))
        gate.set()
        first = await first
    finally:
        ACTIONS.pop("test.accept", None)

    assert len(calls) == 1
    assert (await first.json())["type"] == "application/vnd.microsoft.card.adaptive"
    note = await second.json()
    assert note["type"] == "application/vnd.microsoft.activity.message" and "Already on it" in note["value"]


async def test_a_form_renders_as_inputs_and_its_submit_brings_context_and_answers_back(teams, connector):
    got = []

    @action("test.ask")
    async def ask(ctx):
        return Reply(text="Fill this in", form=Form(
            action="test.submit", title="Request an agenda item",
            fields=(FormField("subject", "Subject"), FormField("details", "Details", kind="long_text"),
                    FormField("board", "Board", kind="choice", choices=(("bsab", "BSAB"), ("hwb", "HWB"))),
                    FormField("by", "Needed by", kind="date", required=False)),
            context={"request": 41}, submit_label="Send request"))

    @action("test.submit")
    async def submit(ctx):
        got.append(dict(ctx.request.value))
        return Reply(text=f"Sent to the {ctx.request.value['board'].upper()}.", title="Request sent")

    try:
        resp = await teams.post("/api/messages", json=invoke(connector, {"a": "test.ask", "v": {}, "area": "buckinghamshire", "n": "c3"}))
        card = (await resp.json())["value"]
        inputs = {el["id"]: el for el in card["body"] if el["type"].startswith("Input.")}
        assert inputs["f_subject"]["type"] == "Input.Text" and inputs["f_subject"]["isMultiline"] is False
        assert inputs["f_details"]["isMultiline"] is True
        assert inputs["f_board"]["type"] == "Input.ChoiceSet"
        assert [c["value"] for c in inputs["f_board"]["choices"]] == ["bsab", "hwb"]
        assert inputs["f_by"]["type"] == "Input.Date" and inputs["f_by"]["isRequired"] is False
        [send] = card["actions"]
        assert send["type"] == "Action.Execute" and send["title"] == "Send request"
        # Teams merges the inputs into the action's data when the person presses it
        data = {**send["data"], "f_subject": "Transitions", "f_details": "Joint review\nof cases", "f_board": "bsab", "f_by": "2027-01-15"}
        resp = await teams.post("/api/messages", json=invoke(connector, data, activity_id="f:submit"))
        answer = (await resp.json())["value"]
    finally:
        ACTIONS.pop("test.ask", None)
        ACTIONS.pop("test.submit", None)

    assert got == [{"request": 41, "subject": "Transitions", "details": "Joint review\nof cases", "board": "bsab",
                    "by": "2027-01-15", "area": "buckinghamshire"}]
    assert "Sent to the BSAB." in card_text(answer)


async def test_a_refusal_replaces_the_card_with_an_attention_card(teams, connector):
    @action("test.accept")
    async def accept(ctx):
        return error("Only the BSAB business manager can accept this.", hint="Ask them to.")

    try:
        resp = await teams.post("/api/messages", json=payload("card_action_invoke", connector))
    finally:
        ACTIONS.pop("test.accept", None)

    card = (await resp.json())["value"]
    [box] = card["body"]
    assert box["type"] == "Container" and box["style"] == "attention"
    assert "Only the BSAB business manager can accept this." in card_text(card)


async def test_a_button_from_elsewhere_gets_a_note_and_no_action(teams, connector):
    resp = await teams.post("/api/messages", json=invoke(connector, {"a": "test.accept", "v": {}}, verb="someone-else"))

    note = await resp.json()
    assert resp.status == 200 and note["type"] == "application/vnd.microsoft.activity.message"
    assert "no longer supported" in note["value"]


async def test_an_invoke_without_a_value_is_a_bad_request(teams, connector):
    body = payload("card_action_invoke", connector)
    del body["value"]
    resp = await teams.post("/api/messages", json=body)

    assert resp.status == 400


async def test_legacy_action_submit_updates_the_message_it_came_from(teams, connector):
    seen = []

    @action("test.accept")
    async def accept(ctx):
        seen.append(dict(ctx.request.value))
        return Reply(text=f"{ctx.request.value['item']} accepted: {ctx.request.value['note']}", title="Accepted")

    try:
        body = payload("legacy_submit", connector)
        await teams.post("/api/messages", json=body)
        await teams.post("/api/messages", json=body)  # Teams re-sends: acted on once
    finally:
        ACTIONS.pop("test.accept", None)

    assert seen == [{"item": "A9", "note": "fine by us", "area": "buckinghamshire"}]
    [update] = connector.posts
    assert update.method == "PUT" and update.activity_id == "1732376400011"
    assert "A9 accepted: fine by us" in card_text(update.card)


async def test_legacy_submit_whose_message_is_gone_answers_as_a_new_message(teams, connector):
    @action("test.accept")
    async def accept(ctx):
        return Reply(text="accepted", title="Accepted")

    connector.fail(404)
    try:
        await teams.post("/api/messages", json=payload("legacy_submit", connector))
    finally:
        ACTIONS.pop("test.accept", None)

    [post] = connector.posts
    assert post.kind == "reply" and "accepted" in card_text(post.card)


async def test_someone_elses_refused_press_neither_blocks_nor_replays_to_the_right_person(teams, connector):
    @action("test.accept")
    async def accept(ctx):
        if ctx.request.actor.display_name != "Business Manager":
            return error("Only the BSCB business manager can accept this.")
        return Reply(text="Accepted by the business manager.", title="Accepted")

    data = {"a": "test.accept", "v": {"item": "A7"}, "area": "buckinghamshire", "n": "card-4"}
    stranger = invoke(connector, data, activity_id="f:stranger")
    manager = invoke(connector, data, activity_id="f:manager")
    manager["from"] = {"id": "29:manager", "name": "Business Manager", "aadObjectId": "aad-manager"}
    try:
        refused = await (await teams.post("/api/messages", json=stranger)).json()
        accepted = await (await teams.post("/api/messages", json=manager)).json()
    finally:
        ACTIONS.pop("test.accept", None)

    assert "Only the BSCB business manager" in card_text(refused["value"])
    assert "Accepted by the business manager." in card_text(accepted["value"])
