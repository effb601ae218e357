"""A personal answer (the calendar feed address) never reaches a channel, whatever is asked.

The address lets anyone who has it read the person's private board dates, so "share" is
ignored for it, an @mention in a channel is answered ephemerally, and a DM keeps it in the DM.
"""

from __future__ import annotations

import json

FEED = "/calendar/personal/"


def seen_by_channel(slack) -> str:
    """Everything boardbot put where the whole channel can read it (a post to D… or a user id is a DM)."""
    out = [json.dumps(c.args) for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"].startswith(("C", "G"))]
    out += [json.dumps(c.args) for c in slack.fake.calls_to("response_url") if c.args.get("response_type") == "in_channel"]
    return "\n".join(out)


async def test_share_is_ignored_for_a_calendar_link(slack) -> None:
    status, ack = await slack.command("calendar link share")
    assert status == 200
    assert ack["response_type"] == "ephemeral"
    assert FEED in ack["text"]  # the person still gets it
    await slack.settle()
    assert FEED not in seen_by_channel(slack)


async def test_a_calendar_link_asked_for_by_mention_is_ephemeral(slack, slack_payload) -> None:
    event = slack_payload("event_app_mention")
    event["event"]["text"] = "<@U0BOARDBOT> calendar link"
    await slack.event(event)
    await slack.settle()
    assert slack.fake.calls_to("chat.postMessage") == []
    (private,) = slack.fake.calls_to("chat.postEphemeral")
    assert private.args["channel"] == "C0BSCBBIZ" and private.args["user"] == "U0CHAIR01"
    assert private.args["thread_ts"] == "1700000100.000200"
    assert FEED in private.args["text"]


async def test_a_calendar_link_by_mention_goes_to_the_dm_when_ephemeral_fails(slack, slack_payload) -> None:
    event = slack_payload("event_app_mention")
    event["event"]["text"] = "<@U0BOARDBOT> share calendar link"
    slack.fake.fail("chat.postEphemeral", {"error": "user_not_in_channel"})
    await slack.event(event)
    await slack.settle()
    (dm,) = slack.fake.calls_to("chat.postMessage")
    assert dm.args["channel"] == "U0CHAIR01" and FEED in dm.args["text"]
    assert FEED not in seen_by_channel(slack)


async def test_a_calendar_link_asked_for_in_a_dm_is_answered_there(slack, slack_payload) -> None:
    event = slack_payload("event_message_im")
    event["event"]["text"] = "calendar link"
    await slack.event(event)
    await slack.settle()
    (post,) = slack.fake.calls_to("chat.postMessage")
    assert post.args["channel"] == "D0CHAIRDM" and FEED in post.args["text"]
