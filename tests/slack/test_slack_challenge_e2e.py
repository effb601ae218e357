"""A whole mutual challenge through Slack: slash command, modal, notices in the boards'
channels, buttons pressed by the right people, escalation to the directors' channel.

Everything goes through the real Bolt app and slack_sdk client against the stand-in Web
API; the outbox is drained by the real dispatcher."""

from __future__ import annotations

import copy
import json

import pytest

from storage import directory

pytestmark = pytest.mark.e2e

CHAIR = "U0CHAIR01"  # the user in the payload samples: the BSCB chair
MANAGER = "U0HWBMGR1"  # the HWB's lead officer
BSCB_CHANNEL, HWB_CHANNEL, DIRECTORS = "C0BSCBBIZ", "C0HWBBIZ1", "C0DIRECTRS"


@pytest.fixture
async def linked(slack):
    async with slack.services.store.session() as s:
        await directory.upsert_person(s, area_slug="buckinghamshire", platform="slack", workspace="T0001BUCKS",
                                      user_id=CHAIR, display_name="Jo Smith", add_roles=frozenset({"chair:bscb"}))
        await directory.upsert_person(s, area_slug="buckinghamshire", platform="slack", workspace="T0001BUCKS",
                                      user_id=MANAGER, display_name="Sam Lee", add_roles=frozenset({"business_manager:hwb"}))
        for channel, purpose, board in ((BSCB_CHANNEL, "board", "bscb"), (HWB_CHANNEL, "board", "hwb"), (DIRECTORS, "directors", "")):
            await directory.link_channel(s, area_slug="buckinghamshire", platform="slack", workspace="T0001BUCKS",
                                         channel_id=channel, purpose=purpose, board_key=board)
        await s.commit()
    return slack


def as_user(p: dict, user: str) -> dict:
    p = copy.deepcopy(p)
    p["user"].update(id=user, username=user.lower(), name=user.lower())
    return p


async def deliver(slack) -> None:
    """Send what the workflows queued, as the running server's clock would."""
    await slack.services.dispatcher.tick()


def last_post(slack, channel: str) -> dict:
    posts = [c for c in slack.fake.calls_to("chat.postMessage") if c.args.get("channel") == channel]
    assert posts, f"nothing posted to {channel}"
    return posts[-1].args


async def fill(slack, user: str, values: dict) -> None:
    """Submit the modal boardbot last opened, as ``user``."""
    view = slack.fake.calls_to("views.open")[-1].args["view"]
    status, body = await slack.interact(as_user(slack.submission(view, values), user))
    assert status == 200, body
    assert not (body or {}).get("errors"), body
    await slack.settle()


async def test_a_challenge_from_raising_to_the_directors_channel(linked):
    slack = linked
    status, _ = await slack.command("challenge HWB")
    assert status == 200
    await slack.settle()
    opened = slack.fake.calls_to("views.open")
    assert len(opened) == 1 and "challenge" in str(opened[0].args["view"]).lower()

    await fill(slack, CHAIR, {"to_board": "hwb", "subject": "CSE profile", "concern": "The JSNA has no CSE profile.",
                              "response_sought": "A plan to add one."})
    await deliver(slack)
    notice = last_post(slack, HWB_CHANNEL)
    assert "Challenge C1" in notice["text"]
    assert "<!channel>" not in str(notice["blocks"])

    # the wrong person cannot respond for the HWB; the lead officer can
    refused_press = as_user(slack.press(notice["blocks"], "Respond", channel=HWB_CHANNEL), "U0STRANGER")
    await slack.interact(refused_press)
    await slack.settle()
    assert len(slack.fake.calls_to("views.open")) == 1

    await slack.interact(as_user(slack.press(notice["blocks"], "Respond", channel=HWB_CHANNEL), MANAGER))
    await slack.settle()
    assert len(slack.fake.calls_to("views.open")) == 2
    await fill(slack, MANAGER, {"text": "We will add a CSE chapter in the spring refresh."})
    await deliver(slack)
    response = last_post(slack, BSCB_CHANNEL)
    assert "responded" in response["text"] and "spring refresh" in response["text"]

    # the chair escalates from the notice in the BSCB channel, rung by rung
    message = response
    for step in range(3):
        await slack.interact(as_user(slack.press(message["blocks"], next(
            el["text"]["text"] for b in message["blocks"] if b.get("type") == "actions" for el in b["elements"]
            if el["text"]["text"].startswith("Escalate")), channel=BSCB_CHANNEL), CHAIR))
        await slack.settle()
        # the button opens a preview of what escalating does, which asks why (the window has not passed)
        assert "This will" in json.dumps(slack.fake.calls_to("views.open")[-1].args["view"])
        await fill(slack, CHAIR, {"reason": f"The response has no plan in it ({step})."})
        message = last_post(slack, BSCB_CHANNEL)  # the escalated card, where the button was pressed
        assert f"Escalated to step {step + 2}" in message["text"]
    await deliver(slack)
    directors = last_post(slack, DIRECTORS)
    assert "Escalation notice" in directors["text"] and "Must attend" in str(directors["blocks"])
    assert not any(el["text"]["text"].startswith("Escalate")
                   for b in message["blocks"] if b.get("type") == "actions" for el in b["elements"])


async def test_the_app_home_lists_the_chairs_open_challenge_and_its_deadline(linked):
    import datetime as dt

    from tests.slack.conftest import payload

    slack = linked
    # 20 working days from Mon 23 Nov 2026 is Mon 21 Dec: inside the home tab's 30 days
    slack.services.clock = lambda: dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    await slack.command("challenge HWB")
    await slack.settle()
    await fill(slack, CHAIR, {"to_board": "hwb", "subject": "CSE profile", "concern": "No CSE profile.",
                              "response_sought": "A plan."})
    await slack.event(payload("event_app_home_opened"))
    await slack.settle()
    view = slack.fake.calls_to("views.publish")[-1].args["view"]
    shown = "\n".join(b["text"]["text"] for b in view["blocks"] if isinstance(b.get("text"), dict))
    assert "Open challenges" in shown and "C1 BSCB → HWB: CSE profile" in shown
    assert "Mon 21 Dec 2026, 17:00 — Challenge C1 response due" in shown


async def test_a_button_that_opens_a_form_can_be_pressed_again_after_a_cancel(linked):
    slack = linked
    await slack.command("challenge HWB")
    await slack.settle()
    await fill(slack, CHAIR, {"to_board": "hwb", "subject": "CSE profile", "concern": "No CSE profile.",
                              "response_sought": "A plan."})
    await deliver(slack)
    notice = last_post(slack, HWB_CHANNEL)
    before = len(slack.fake.calls_to("views.open"))

    await slack.interact(as_user(slack.press(notice["blocks"], "Respond", channel=HWB_CHANNEL), MANAGER))
    await slack.settle()
    # the lead officer closes the modal with Cancel: Slack tells boardbot nothing, and presses again
    await slack.interact(as_user(slack.press(notice["blocks"], "Respond", channel=HWB_CHANNEL), MANAGER))
    await slack.settle()
    opened = slack.fake.calls_to("views.open")[before:]
    assert len(opened) == 2
    assert all("respond" in json.dumps(o.args["view"]).lower() for o in opened)
    # the notice everyone sees in the channel was left as it was
    assert not [c for c in slack.fake.calls_to("response_url") if c.args.get("replace_original")]


SPOOFED = "Budget \u202eexe.fdp\u202c for J\u200bo\u2066"
TRICKS = ("\u202e", "\u202c", "\u200b", "\u2066")


async def test_bidi_and_invisible_characters_never_reach_a_channel(linked):
    """A subject built to read differently from what it says is shown as typed, in every post."""
    slack = linked
    await slack.command("challenge HWB")
    await slack.settle()
    await fill(slack, CHAIR, {"to_board": "hwb", "subject": SPOOFED, "concern": "Look\u200b here\u202e.",
                              "response_sought": "A plan\u2060."})
    await deliver(slack)
    notice = last_post(slack, HWB_CHANNEL)
    shown = json.dumps(notice, ensure_ascii=False)
    assert "Budget exe.fdp for Jo" in shown
    assert not any(t in shown for t in TRICKS)
    status, ack = await slack.command("challenges")
    assert status == 200 and "Budget exe.fdp for Jo" in json.dumps(ack, ensure_ascii=False)
    assert not any(t in json.dumps(ack, ensure_ascii=False) for t in TRICKS)


async def test_the_challenge_modal_states_each_fields_limit(linked):
    from bot.limits import LONG_TEXT, SHORT_TEXT

    slack = linked
    await slack.command("challenge HWB")
    await slack.settle()
    view = slack.fake.calls_to("views.open")[-1].args["view"]
    limits = {b["block_id"]: b["element"].get("max_length") for b in view["blocks"] if b.get("type") == "input"
              and b["element"]["type"] == "plain_text_input"}
    assert limits == {"subject": SHORT_TEXT, "concern": LONG_TEXT, "response_sought": LONG_TEXT}
