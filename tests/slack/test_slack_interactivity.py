"""Buttons and modals: a press or a submission acts once and updates what the person sees."""

from __future__ import annotations

import asyncio
import json
import re


async def _buttons(slack, text: str = "slacktest button share") -> list[dict]:
    status, ack = await slack.command(text)
    assert status == 200
    return ack["blocks"]


async def test_a_button_press_replaces_the_message_it_sat_on(slack, slacktest) -> None:
    blocks = await _buttons(slack)
    status, _ = await slack.interact(slack.press(blocks, "Ping"))
    assert status == 200
    await slack.settle()
    (update,) = slack.fake.calls_to("response_url")
    assert update.args["replace_original"] is True
    assert update.args["blocks"][0]["text"]["text"] == "Pinged"
    assert slacktest.actions == [("ping", {"area": "buckinghamshire", "n": 1}, "U0CHAIR01")]


async def test_a_double_click_acts_once(slack, slacktest) -> None:
    blocks = await _buttons(slack)
    first, second = slack.press(blocks, "Ping"), slack.press(blocks, "Ping")
    second["actions"][0]["action_ts"] = "1700000410.999999"  # a second click has its own action_ts
    results = await asyncio.gather(slack.interact(first), slack.interact(second))
    assert [r[0] for r in results] == [200, 200]
    await slack.settle()
    assert len(slacktest.actions) == 1
    assert len(slack.fake.calls_to("response_url")) == 1


async def test_the_same_button_on_a_new_message_acts_again(slack, slacktest) -> None:
    await slack.interact(slack.press(await _buttons(slack), "Ping"))
    await slack.interact(slack.press(await _buttons(slack), "Ping"))
    await slack.settle()
    assert len(slacktest.actions) == 2


async def test_an_ephemeral_message_stays_ephemeral(slack, slacktest) -> None:
    blocks = await _buttons(slack, "slacktest button")
    await slack.interact(slack.press(blocks, "Ping", ephemeral=True))
    await slack.settle()
    (update,) = slack.fake.calls_to("response_url")
    assert update.args["replace_original"] is True
    assert update.args.get("response_type") != "in_channel"


async def test_a_refusal_goes_to_the_presser_and_leaves_the_channel_message_alone(slack, slacktest) -> None:
    blocks = await _buttons(slack)
    await slack.interact(slack.press(blocks, "Refuse"))
    await slack.settle()
    (answer,) = slack.fake.calls_to("response_url")
    assert answer.args["replace_original"] is False
    assert answer.args["response_type"] == "ephemeral"
    assert "Only the chair can do that." in answer.args["text"]


async def test_a_value_too_big_for_slack_still_comes_back_whole(slack, slacktest) -> None:
    blocks = await _buttons(slack)
    big = next(el for b in blocks if b["type"] == "actions" for el in b["elements"] if el["text"]["text"] == "Big")
    assert len(big["value"]) <= 2000
    await slack.interact(slack.press(blocks, "Big"))
    await slack.settle()
    assert slacktest.actions[0][1]["blob"] == "x" * 2500


async def test_a_button_boardbot_no_longer_knows_says_so(slack, slacktest) -> None:
    blocks = await _buttons(slack)
    press = slack.press(blocks, "Ping")
    press["actions"][0]["value"] = json.dumps({"a": "retired.action", "v": {"area": "buckinghamshire"}})
    await slack.interact(press)
    await slack.settle()
    (answer,) = slack.fake.calls_to("response_url")
    assert "no longer supported" in answer.args["text"]


# --- forms --------------------------------------------------------------------------------------


async def _open_form(slack) -> dict:
    status, ack = await slack.command("slacktest form")
    assert status == 200 and ack is None  # acked empty; the modal is the answer
    (opened,) = await slack.fake.wait_for("views.open")
    return opened


async def test_a_form_opens_as_a_modal(slack, slacktest) -> None:
    opened = await _open_form(slack)
    assert re.fullmatch(r"70123456789\d\d\.1234567890123\.[0-9a-f]{32}", opened.args["trigger_id"])
    view = opened.args["view"]
    assert view["type"] == "modal" and view["callback_id"] == "bb_form"
    assert len(view["title"]["text"]) <= 24 and view["submit"]["text"] == "Send"
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert inputs["subject"]["element"]["type"] == "plain_text_input" and inputs["subject"]["optional"] is False
    assert inputs["detail"]["element"] == {"type": "plain_text_input", "action_id": "detail", "multiline": True,
                                           "max_length": 3000}  # the form states its limit (bot.limits)
    assert inputs["subject"]["element"]["max_length"] == 300
    assert inputs["board"]["element"]["type"] == "static_select"
    assert [o["value"] for o in inputs["board"]["element"]["options"]] == ["bscb", "bsab"]
    assert inputs["when"]["element"]["type"] == "datepicker"
    meta = json.loads(view["private_metadata"])
    assert meta["a"] == "slacktest.submit" and meta["c"]["origin"] == "form" and meta["ch"] == "C0BSCBBIZ"
    assert "&lt;!channel&gt;" in view["blocks"][0]["text"]["text"]  # the intro, escaped


async def test_a_submission_reaches_the_core_once_even_when_sent_twice(slack, slacktest) -> None:
    view = (await _open_form(slack)).args["view"]
    submission = slack.submission(view, {"subject": "CSE data", "board": "bscb", "when": "2027-01-15"})
    results = await asyncio.gather(slack.interact(submission), slack.interact(submission))
    assert [r[0] for r in results] == [200, 200]
    await slack.settle()
    assert len(slacktest.actions) == 1
    _, value, request_id = slacktest.actions[0]
    assert value == {"area": "buckinghamshire", "origin": "form", "subject": "CSE data", "detail": "", "board": "bscb",
                     "when": "2027-01-15"}
    assert request_id == "slack:view:V0FORM0001:1700000500.AbCdEf12"
    (posted,) = slack.fake.calls_to("chat.postEphemeral")  # the reply is private: ephemeral in the channel
    assert posted.args["channel"] == "C0BSCBBIZ" and posted.args["user"] == "U0CHAIR01"
    assert "Recorded: CSE data for bscb." in posted.args["text"]


async def test_a_channel_reply_to_a_submission_is_posted_in_the_channel(slack, slacktest) -> None:
    view = (await _open_form(slack)).args["view"]
    await slack.interact(slack.submission(view, {"subject": "Transitions", "board": "bsab"}))
    await slack.settle()
    (posted,) = slack.fake.calls_to("chat.postMessage")
    assert posted.args["channel"] == "C0BSCBBIZ"
    assert "Recorded: Transitions for bsab." in posted.args["text"]


async def test_a_channel_reply_boardbot_cannot_post_reaches_the_person_ephemerally(slack, slacktest) -> None:
    view = (await _open_form(slack)).args["view"]
    slack.fake.fail("chat.postMessage", {"error": "not_in_channel"})
    await slack.interact(slack.submission(view, {"subject": "Transitions", "board": "bsab"}))
    await slack.settle()
    (refused,) = slack.fake.calls_to("chat.postMessage")
    assert refused.args["channel"] == "C0BSCBBIZ"
    (posted,) = slack.fake.calls_to("chat.postEphemeral")
    assert posted.args["channel"] == "C0BSCBBIZ" and posted.args["user"] == "U0CHAIR01"
    assert "Recorded: Transitions for bsab." in posted.args["text"]
    assert "could not post this in the channel (not_in_channel)" in json.dumps(posted.args["blocks"])


async def test_a_channel_reply_to_a_channel_that_is_gone_reaches_the_person_by_dm(slack, slacktest) -> None:
    view = (await _open_form(slack)).args["view"]
    slack.fake.fail("chat.postMessage", {"error": "channel_not_found"})
    slack.fake.fail("chat.postEphemeral", {"error": "channel_not_found"})
    await slack.interact(slack.submission(view, {"subject": "Transitions", "board": "bsab"}))
    await slack.settle()
    refused, dm = slack.fake.calls_to("chat.postMessage")
    assert refused.args["channel"] == "C0BSCBBIZ" and dm.args["channel"] == "U0CHAIR01"
    assert "Recorded: Transitions for bsab." in dm.args["text"]
    assert len(slacktest.actions) == 1  # the person's answer was delivered, not the action repeated


async def test_field_errors_show_in_the_modal_and_a_corrected_form_goes_through(slack, slacktest) -> None:
    view = (await _open_form(slack)).args["view"]
    status, body = await slack.interact(slack.submission(view, {"subject": "bad", "board": "bscb"}))
    assert status == 200
    assert body == {"response_action": "errors", "errors": {"subject": "Required"}}
    status, body = await slack.interact(slack.submission(view, {"subject": "bad", "board": "bscb"}))
    assert body == {"response_action": "errors", "errors": {"subject": "Required"}}  # not swallowed as a repeat
    status, body = await slack.interact(slack.submission(view, {"subject": "Good", "board": "bscb"}))
    assert status == 200 and not body
    await slack.settle()
    assert [a[1]["subject"] for a in slacktest.actions] == ["bad", "bad", "Good"]
    assert len(slack.fake.calls_to("chat.postEphemeral")) == 1


async def test_a_form_asked_for_in_a_mention_opens_from_a_button(slack, slacktest, slack_payload) -> None:
    event = slack_payload("event_app_mention")
    event["event"]["text"] = "<@U0BOARDBOT> slacktest form"
    await slack.event(event)
    await slack.settle()
    (post,) = slack.fake.calls_to("chat.postMessage")
    assert slack.fake.calls_to("views.open") == []
    await slack.interact(slack.press(post.args["blocks"], "Open the form"))
    await slack.settle()
    (opened,) = slack.fake.calls_to("views.open")
    assert json.loads(opened.args["view"]["private_metadata"])["a"] == "slacktest.submit"


async def test_a_form_that_slack_will_not_open_falls_back_to_a_button(slack, slacktest) -> None:
    slack.fake.fail("views.open", {"error": "expired_trigger_id"})
    await slack.command("slacktest form")
    await slack.settle()
    (answer,) = slack.fake.calls_to("response_url")
    assert any(el["text"]["text"] == "Open the form" for b in answer.args["blocks"] if b["type"] == "actions"
               for el in b["elements"])


# --- escaping -------------------------------------------------------------------------------------


def _mrkdwn_and_text(message: dict) -> list[str]:
    out = [message.get("text") or ""]
    for b in message.get("blocks") or []:
        if isinstance(b.get("text"), dict) and b["text"]["type"] == "mrkdwn":
            out.append(b["text"]["text"])
        out += [f["text"] for f in b.get("fields", [])]
        out += [el["text"] for el in b.get("elements", []) if el.get("type") == "mrkdwn"]
    return out


async def test_mass_mentions_and_links_in_user_text_are_neutralised(slack, slacktest) -> None:
    typed = ("<!channel> <!here|here> &lt;!everyone&gt; <@U0EVIL001|boss> &lt;@U0EVIL002&gt; "
             "&lt;https://evil.example|click me&gt; loud")
    status, ack = await slack.command(f"slacktest echo {typed}")
    assert status == 200
    assert ack["response_type"] == "in_channel"
    seen = _mrkdwn_and_text(ack)
    assert any("@channel" in t for t in seen)  # the words are still there, as words
    for t in seen:
        assert "<!" not in t and "<@" not in t and "<http" not in t, t
    assert any("&lt;!everyone&gt;" in t for t in seen)


async def test_a_refused_press_can_be_tried_again(slack, slacktest) -> None:
    blocks = await _buttons(slack)
    await slack.interact(slack.press(blocks, "Refuse"))
    await slack.settle()
    await slack.interact(slack.press(blocks, "Refuse"))  # e.g. after an admin granted the role
    await slack.settle()
    assert [a[0] for a in slacktest.actions] == ["refuse", "refuse"]
