"""@mentions, direct messages and the Home tab: answered once, in the right place."""

from __future__ import annotations

import asyncio


async def test_mention_is_answered_once_in_its_thread_even_when_slack_retries(slack, slack_payload) -> None:
    event = slack_payload("event_app_mention")
    status, _ = await slack.event(event)
    assert status == 200
    # Slack did not hear back in time (so it thinks) and sends it again, twice, one of them concurrently
    results = await asyncio.gather(slack.event(event, retry=1), slack.event(event, retry=2))
    assert [r[0] for r in results] == [200, 200]
    await slack.settle()
    (post,) = slack.fake.calls_to("chat.postMessage")
    assert post.args["channel"] == "C0BSCBBIZ"
    assert post.args["thread_ts"] == "1700000100.000200"
    assert post.args["blocks"][0]["text"]["text"] == "Child sexual exploitation (CSE) — Buckinghamshire"
    assert "Lead: Buckinghamshire Safeguarding Children Board" in post.args["text"]
    assert post.token == "xoxb-1111-2222-boardbot"


async def test_a_mention_boardbot_cannot_answer_in_the_channel_is_answered_to_the_person(slack, slack_payload) -> None:
    slack.fake.fail("chat.postMessage", {"error": "channel_not_found"})
    await slack.event(slack_payload("event_app_mention"))
    await slack.settle()
    (private,) = slack.fake.calls_to("chat.postEphemeral")
    assert private.args["channel"] == "C0BSCBBIZ" and private.args["user"] == "U0CHAIR01"
    assert "Lead: Buckinghamshire Safeguarding Children Board" in private.args["text"]


async def test_mention_in_a_thread_answers_in_that_thread(slack, slack_payload) -> None:
    event = slack_payload("event_app_mention")
    event["event"]["thread_ts"] = "1700000000.000100"
    await slack.event(event)
    await slack.settle()
    (post,) = slack.fake.calls_to("chat.postMessage")
    assert post.args["thread_ts"] == "1700000000.000100"


async def test_direct_message_is_answered_once(slack, slack_payload) -> None:
    event = slack_payload("event_message_im")
    await slack.event(event)
    await slack.event(event, retry=1)
    await slack.settle()
    (post,) = slack.fake.calls_to("chat.postMessage")
    assert post.args["channel"] == "D0CHAIRDM"
    assert "thread_ts" not in post.args or post.args["thread_ts"] is None
    assert "Independent Chair" in post.args["text"]


async def test_two_different_events_are_both_answered(slack, slack_payload) -> None:
    one = slack_payload("event_message_im")
    two = slack_payload("event_message_im")
    two["event_id"] = "Ev0DIRECT02"
    two["event"]["text"] = "boards"
    await slack.event(one)
    await slack.event(two)
    await slack.settle()
    assert len(slack.fake.calls_to("chat.postMessage")) == 2


async def test_bot_messages_and_edits_are_ignored(slack, slack_payload) -> None:
    status, _ = await slack.event(slack_payload("event_message_bot"))
    assert status == 200
    edited = slack_payload("event_message_im")
    edited["event_id"] = "Ev0EDIT01"
    edited["event"]["subtype"] = "message_changed"
    status, _ = await slack.event(edited)
    assert status == 200
    await slack.settle()
    assert slack.fake.calls_to("chat.postMessage") == []


async def test_events_boardbot_does_not_handle_are_acked_not_404(slack, slack_payload) -> None:
    other = slack_payload("event_message_im")
    other["event_id"] = "Ev0OTHER01"
    other["event"] = {"type": "reaction_added", "user": "U0CHAIR01", "reaction": "thumbsup",
                      "item": {"type": "message", "channel": "C0BSCBBIZ", "ts": "1700000100.000200"},
                      "event_ts": "1700000500.000100"}
    status, _ = await slack.event(other)
    assert status == 200


async def test_mentioned_people_reach_the_core_as_ids(slack, slack_payload) -> None:
    from storage import directory

    async with slack.services.store.session() as s:
        await directory.upsert_person(s, area_slug="buckinghamshire", platform="slack", workspace="T0001BUCKS",
                                      user_id="U0CHAIR01", is_admin=True)
        await s.commit()
    event = slack_payload("event_app_mention")
    event["event"]["text"] = "<@U0BOARDBOT> admin link-user <@U0JO1234> business manager of BSAB"
    await slack.event(event)
    await slack.settle()
    (post,) = slack.fake.calls_to("chat.postMessage")
    assert post.args["text"].startswith("<@U0JO1234>: business manager of the BSAB")
    async with slack.services.store.session() as s:
        person = await directory.get_person(s, "slack", "T0001BUCKS", "U0JO1234")
    assert person is not None and person.roles == frozenset({"business_manager:bsab"})
    from sqlalchemy import select

    from storage.models import AuditEvent

    async with slack.services.store.session() as s:
        audit = (await s.execute(select(AuditEvent).where(AuditEvent.kind == "link-user"))).scalar_one()
    assert audit.actor == "Some One"  # the name Slack gave for U0CHAIR01 (users.info), not a bare id


async def test_app_home_shows_area_roles_and_what_to_try(slack, slack_payload) -> None:
    from storage import directory

    async with slack.services.store.session() as s:
        await directory.upsert_person(s, area_slug="buckinghamshire", platform="slack", workspace="T0001BUCKS",
                                      user_id="U0CHAIR01", add_roles=frozenset({"chair:bscb"}))
        await s.commit()
    status, _ = await slack.event(slack_payload("event_app_home_opened"))
    assert status == 200
    await slack.settle()
    (publish,) = slack.fake.calls_to("views.publish")
    assert publish.args["user_id"] == "U0CHAIR01"
    view = publish.args["view"]
    assert view["type"] == "home"
    shown = "\n".join(
        [b["text"]["text"] for b in view["blocks"] if isinstance(b.get("text"), dict)]
        + [f["text"] for b in view["blocks"] for f in b.get("fields", [])]
    )
    assert "Buckinghamshire" in shown
    assert "chair of the BSCB" in shown
    assert "/board help" in shown and "/board boards" in shown
    assert "Protocol review due" in shown


async def test_app_home_for_an_unlinked_workspace_says_how_to_link_it(slack, slack_payload) -> None:
    event = slack_payload("event_app_home_opened")
    event["team_id"] = "T9UNLINKED"
    event["authorizations"][0]["team_id"] = "T9UNLINKED"
    await slack.event(event)
    await slack.settle()
    (publish,) = slack.fake.calls_to("views.publish")
    assert "admin link-area" in publish.args["view"]["blocks"][1]["text"]["text"]


async def test_a_role_granted_by_an_admin_command_applies_at_once(slack, slack_payload) -> None:
    from storage import directory

    async with slack.services.store.session() as s:
        await directory.upsert_person(s, area_slug="buckinghamshire", platform="slack", workspace="T0001BUCKS",
                                      user_id="U0CHAIR01", is_admin=True)
        await s.commit()
    home = slack_payload("event_app_home_opened")
    home["event"]["user"] = "U0JO1234"
    await slack.event(home)  # boardbot now remembers U0JO1234 as a plain member
    await slack.settle()
    status, ack = await slack.command("admin link-user <@U0JO1234|jo> chair of BSCB")
    assert status == 200 and "chair of the BSCB" in ack["text"]
    home["event_id"] = "Ev0HOME02"
    await slack.event(home)
    await slack.settle()
    first, second = slack.fake.calls_to("views.publish")
    fields = lambda call: " ".join(f["text"] for b in call.args["view"]["blocks"] for f in b.get("fields", []))  # noqa: E731
    assert "member" in fields(first) and "chair of the BSCB" not in fields(first)
    assert "chair of the BSCB" in fields(second)
