"""Natural questions through Slack end to end: follow-ups, yes/no, "More", clarifying buttons.

Real Bolt, real slack_sdk, the stand-in Slack Web API on loopback; the conversation is the
DM (or the person in a channel, for private /board answers), as the platform keys it.
"""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.e2e


def _texts(blocks: list[dict]) -> str:
    out = []
    for b in blocks:
        t = b.get("text")
        if isinstance(t, dict):
            out.append(t.get("text", ""))
        for f in b.get("fields", []):
            out.append(f.get("text", ""))
        for el in b.get("elements", []):
            t = el.get("text")
            out.append(t["text"] if isinstance(t, dict) else t or "")
    return "\n".join(out)


async def test_a_follow_up_in_a_direct_message_leans_on_the_question_before_it(slack, slack_payload) -> None:
    first = slack_payload("event_message_im")
    first["event"]["text"] = "who leads on FGM?"
    second = slack_payload("event_message_im")
    second["event_id"] = "Ev0DIRECT02"
    second["event"].update(text="who chairs it?", ts="1700000260.000400", client_msg_id="c2")
    await slack.event(first)
    await slack.settle()
    await slack.event(second)
    await slack.settle()
    lead, chair = slack.fake.calls_to("chat.postMessage")
    assert "Health and Wellbeing Board (HWB)" in lead.args["text"]
    # "it" is the FGM lead board: the HWB, whose chair Buckinghamshire's protocol does not name
    assert "HWB" in chair.args["text"] and "doesn't name" in chair.args["text"]
    assert "Chair: Chair" not in chair.args["text"]


async def test_another_area_as_a_follow_up_in_the_same_dm(slack, slack_payload) -> None:
    first = slack_payload("event_message_im")
    first["event"]["text"] = "who leads on domestic abuse?"
    second = slack_payload("event_message_im")
    second["event_id"] = "Ev0DIRECT03"
    second["event"].update(text="and in central beds?", ts="1700000270.000500", client_msg_id="c3")
    await slack.event(first)
    await slack.settle()
    await slack.event(second)
    await slack.settle()
    bucks, beds = slack.fake.calls_to("chat.postMessage")
    assert "SSBPB" in bucks.args["text"]
    assert "Community Safety Partnership (CSP)" in beds.args["text"]


async def test_a_yes_no_question_is_answered_yes_or_no_first(slack) -> None:
    status, ack = await slack.command("does the director of adult services sit on the BSCB?")
    assert status == 200 and ack["response_type"] == "ephemeral"
    assert ack["text"].startswith("Yes \u2014")
    _, ack = await slack.command("is the DCS on the BSAB?")
    assert ack["text"].startswith("No \u2014")


async def test_more_replaces_the_short_answer_with_the_full_entry(slack) -> None:
    _, ack = await slack.command("who leads on CSE?")
    short = _texts(ack["blocks"])
    assert "prevention, disruption" not in short  # the narrow answer leaves out the supporting roles
    status, _ = await slack.interact(slack.press(ack["blocks"], "More", ephemeral=True))
    assert status == 200
    await slack.settle()
    (update,) = slack.fake.calls_to("response_url")
    assert update.args["replace_original"] is True
    full = _texts(update.args["blocks"])
    assert "prevention, disruption and enforcement" in full and "Supporting" in full
    assert '"theme CSE"' in short.replace("\u201c", '"').replace("\u201d", '"')  # the typed equivalent is shown


async def test_a_clarifying_question_offers_buttons_and_a_press_answers_it(slack) -> None:
    _, ack = await slack.command("who leads on safeguarding?")
    labels = [el["text"]["text"] for b in ack["blocks"] if b["type"] == "actions" for el in b["elements"]]
    assert "Safeguarding children" in labels and "Safeguarding adults at risk" in labels
    assert "who leads on safeguarding children?" in ack["text"]  # what to type instead of pressing
    await slack.interact(slack.press(ack["blocks"], "Safeguarding adults at risk", ephemeral=True))
    await slack.settle()
    (update,) = slack.fake.calls_to("response_url")
    assert "Buckinghamshire Safeguarding Adults Board (BSAB)" in update.args["text"]


async def test_typing_the_option_of_a_clarifying_question_answers_it(slack) -> None:
    await slack.command("who leads on safeguarding?")
    _, ack = await slack.command("children")  # the same person in the same channel: the same conversation
    assert "Lead: Buckinghamshire Safeguarding Children Board (BSCB)" in ack["text"]
    _, other = await slack.command("children", user_id="U0SOMEONE9")  # someone else: no conversation to lean on
    assert "Safeguarding Children Board (BSCB)" not in other["text"] or "Lead:" not in other["text"]


async def test_a_place_with_no_protocol_is_never_answered_for_the_asker_s_area(slack) -> None:
    _, ack = await slack.command("who leads on domestic abuse in Kent?")
    assert "boardbot has no protocol for Kent" in ack["text"]
    assert "SSBPB" not in ack["text"]
    assert json.dumps(ack).count("Lead:") == 0
