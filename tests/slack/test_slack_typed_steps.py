"""Typed steps in Slack: the same core command as the buttons, through the real Bolt app."""

from __future__ import annotations

import pytest

from tests.slack.test_slack_challenge_e2e import (  # noqa: F401
    BSCB_CHANNEL,
    CHAIR,
    HWB_CHANNEL,
    MANAGER,
    deliver,
    fill,
    last_post,
    linked,
)

pytestmark = pytest.mark.e2e


async def answer(slack, text: str, user: str) -> str:
    """What ``/board <text>`` from ``user`` answered (in the ack, or later through the response URL)."""
    before = len(slack.fake.calls_to("response_url"))
    status, ack = await slack.command(text, user_id=user, user_name=user.lower())
    assert status == 200
    await slack.settle()
    if isinstance(ack, dict) and ack.get("text"):
        return ack["text"], ack.get("response_type")
    later = slack.fake.calls_to("response_url")[before:]
    assert later, "no answer"
    return later[-1].args.get("text", ""), later[-1].args.get("response_type")


async def test_a_challenge_is_answered_and_resolved_by_typing_in_slack(linked):  # noqa: F811
    slack = linked
    await slack.command("challenge HWB")
    await slack.settle()
    await fill(slack, CHAIR, {"to_board": "hwb", "subject": "CSE profile", "concern": "The JSNA has no CSE profile.",
                              "response_sought": "A plan to add one."})
    await deliver(slack)

    text, kind = await answer(slack, "respond C1 We will add a CSE chapter in the spring.", MANAGER)
    assert "Response sent to the BSCB" in text and kind == "ephemeral"
    await deliver(slack)
    assert "spring" in last_post(slack, BSCB_CHANNEL)["text"]

    text, _ = await answer(slack, "resolve C1 nothing to add", MANAGER)
    assert "Only the BSCB's chair can resolve it" in text
    text, _ = await answer(slack, "resolve C1 A chapter is in the draft JSNA.", CHAIR)
    assert "Challenge C1 resolved" in text
    await deliver(slack)
    assert "resolved" in last_post(slack, HWB_CHANNEL)["text"]

    text, _ = await answer(slack, "inbox", CHAIR)
    assert "responded" in text.lower() and "C1" in text


async def test_a_shared_error_stays_with_the_asker(linked):  # noqa: F811
    slack = linked
    text, kind = await answer(slack, "share agree more time C9", CHAIR)
    assert "No challenge C9" in text and kind == "ephemeral"
