"""Card buttons and forms in Teams: ``Action.Execute`` invokes and legacy ``Action.Submit``.

The actions are registered inside each test with the core's own ``bot.actions.action``
decorator, so what is exercised is the real path: invoke -> botbuilder -> Request ->
``handle_action`` -> Reply -> the card that replaces the one the button sat on.
"""

from __future__ import annotations

import asyncio
import copy

from bot.actions import ACTIONS, action
from bot.messages import Button, Form, FormField, Reply, error

from .standin import card_text, payload


def invoke(connector, data: dict, *, activity_id: str = "f:invoke-1", verb: str = "boardbot") -> dict:
    body = payload("card_action_invoke", connector, id=activity_id)
    body["value"]["action"]["verb"] = verb
    body["value"]["action"]["data"] = copy.deepcopy(data)
    return body


async def test_action_execute_answers_with_the_new_card_and_updates_it_for_everyone(teams, connector):
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
    # the invoke's answer changes the presser's view; the message itself is updated for the channel
    [update] = connector.posts
    assert update.method == "PUT" and update.activity_id == "1732375800002"
    assert update.conversation_id == "19:8d1e5b0c6a2f4e7b9c3d1a5f7e9b2c4d@thread.tacv2;messageid=1732375800001"
    assert update.card == card


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
        assert connector.calls == []  # the form is the presser's to fill in, not the channel's
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
    [update] = connector.posts  # the submitted result replaces the card for everyone
    assert update.method == "PUT" and update.card == answer


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
    assert connector.calls == []  # only the presser sees the refusal; the channel keeps the card and its buttons


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


async def test_an_older_client_pressing_the_fallback_submit_reaches_the_same_action(teams, connector):
    """A client without Universal Actions runs an Action.Execute's Action.Submit fallback: the press
    arrives as a message whose value is the fallback's data (with the form inputs merged in)."""
    seen = []

    @action("test.ask")
    async def ask(ctx):
        return Reply(text="Fill this in", form=Form(action="test.submit", title="Note", fields=(FormField("note", "Note"),),
                                                    context={"item": "A9"}, submit_label="Send"))

    @action("test.submit")
    async def submit(ctx):
        seen.append(dict(ctx.request.value))
        return Reply(text=f"Noted: {ctx.request.value['note']}", title="Noted")

    try:
        resp = await teams.post("/api/messages", json=invoke(connector, {"a": "test.ask", "v": {}, "area": "buckinghamshire", "n": "c9"}))
        card = (await resp.json())["value"]
        assert card["version"] == "1.5"
        [send] = card["actions"]
        assert send["fallback"]["type"] == "Action.Submit" and send["fallback"]["data"] == send["data"]
        body = payload("legacy_submit", connector, value={**send["fallback"]["data"], "f_note": "fine by us"})
        await teams.post("/api/messages", json=body)
    finally:
        ACTIONS.pop("test.ask", None)
        ACTIONS.pop("test.submit", None)

    assert seen == [{"item": "A9", "note": "fine by us", "area": "buckinghamshire"}]
    [update] = connector.posts
    assert update.method == "PUT" and "Noted: fine by us" in card_text(update.card)


async def test_a_database_failure_during_a_press_answers_with_an_error_not_an_empty_501(teams, connector, services, tmp_path):
    """The store is unreachable for one press (de-duplication and who-is-who both need it)."""
    from storage.store import Store

    calls = []

    @action("test.accept")
    async def accept(ctx):
        calls.append(1)
        return Reply(text="accepted", title="Accepted")

    real = services.store
    services.store = Store(f"sqlite:///{tmp_path / 'gone' / 'boardbot.db'}")
    (tmp_path / "gone").rmdir()
    (tmp_path / "gone").write_text("")  # a file where the database's directory was: nothing can open it
    try:
        resp = await teams.post("/api/messages", json=payload("card_action_invoke", connector, id="f:db-down"))
        body = await resp.json()
    finally:
        await services.store.engine.dispose()
        services.store = real
    try:
        again = await teams.post("/api/messages", json=payload("card_action_invoke", connector, id="f:db-back"))
        again_body = await again.json()
    finally:
        ACTIONS.pop("test.accept", None)

    assert resp.status == 500
    assert body["statusCode"] == 500 and body["type"] == "application/vnd.microsoft.error"
    assert "try again" in body["value"]["message"]
    assert calls == [1]  # nothing was done while the store was down; the press after it works
    assert again.status == 200 and "accepted" in card_text(again_body["value"])


async def test_a_personal_answer_to_a_press_in_a_channel_is_not_shown_there(teams, connector):
    from bot.messages import Visibility

    @action("test.secret")
    async def secret(ctx):
        assert ctx.request.private_possible is False  # a channel cannot answer one person privately
        return Reply(text="https://example.invalid/feed/secret-token", title="Your calendar link",
                     visibility=Visibility.PERSONAL)

    data = {"a": "test.secret", "v": {}, "area": "buckinghamshire", "n": "c10"}
    try:
        resp = await teams.post("/api/messages", json=invoke(connector, data))
    finally:
        ACTIONS.pop("test.secret", None)

    note = await resp.json()
    assert note["type"] == "application/vnd.microsoft.activity.message" and "1:1 chat" in note["value"]
    assert "secret-token" not in str(note)
    assert connector.calls == []  # the card in the channel is untouched


async def test_someone_linked_by_their_teams_id_is_recognised_when_they_press(teams, connector, services):
    """An @mention links people by the 29: id; a press carries that and the AAD object id."""
    from storage import directory

    from .standin import TENANT

    body = payload("card_action_invoke", connector)
    async with services.store.session() as s, s.begin():
        await directory.upsert_person(s, area_slug="buckinghamshire", platform="teams", workspace=TENANT,
                                      user_id=body["from"]["id"], add_roles=frozenset({"chair:bscb"}))
    seen = []

    @action("test.accept")
    async def accept(ctx):
        seen.append(ctx.request.actor)
        return Reply(text="accepted")

    try:
        await teams.post("/api/messages", json=body)
    finally:
        ACTIONS.pop("test.accept", None)

    [actor] = seen
    assert actor.user_id == body["from"]["id"] and actor.person_id is not None and "chair:bscb" in actor.roles_in("buckinghamshire")


async def test_a_refused_fallback_submit_in_a_channel_leaves_the_card_for_the_others(teams, connector):
    """Without Universal Actions nothing can be shown to the presser alone: the refusal is a reply in
    the thread, and the card keeps its buttons for the person entitled to press them."""
    @action("test.accept")
    async def accept(ctx):
        return error("Only the BSCB business manager can accept this.")

    channel = payload("card_action_invoke", connector)
    body = payload("legacy_submit", connector, conversation=channel["conversation"], channelData=channel["channelData"])
    try:
        await teams.post("/api/messages", json=body)
    finally:
        ACTIONS.pop("test.accept", None)

    [post] = connector.posts
    assert post.method == "POST" and post.kind == "reply"
    assert "Only the BSCB business manager" in card_text(post.card)
