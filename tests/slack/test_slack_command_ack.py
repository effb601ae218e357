"""A slash command is answered in its ack by boardbot's own HTTP side once the bot token has
been checked (as Bolt's single-workspace authorization checks it: ``auth.test``, once); until
then, or while Slack refuses the token, it goes through Bolt, which answers as it always has."""

from __future__ import annotations

from tests.slack.conftest import BOT_TOKEN, TEAM

BOLT_AUTHORIZE_ERROR = "your installation with this app is no longer available"


async def test_commands_check_the_token_once_and_are_answered_in_the_ack(slack) -> None:
    for question in ("who leads on CSE?", "which board leads on FGM?", "who leads on Prevent?"):
        status, ack = await slack.command(question)
        assert status == 200
        assert ack["response_type"] == "ephemeral"
        assert ack["blocks"][0]["type"] == "header"
    assert ack["blocks"][0]["text"]["text"].startswith("Radicalisation and terrorism")
    assert len(slack.fake.calls_to("auth.test")) == 1
    assert slack.fake.posts() == []  # all three were answered in the ack itself
    await slack.settle()


async def test_a_token_slack_refuses_gets_bolts_message_until_it_is_good_again(slack) -> None:
    slack.fake.tokens.pop(BOT_TOKEN)  # the token was revoked, or is wrong
    status, ack = await slack.command("who leads on CSE?")
    assert status == 200
    assert BOLT_AUTHORIZE_ERROR in str(ack)
    assert "Child sexual exploitation" not in str(ack)
    status, ack = await slack.command("who leads on FGM?")
    assert BOLT_AUTHORIZE_ERROR in str(ack)
    assert len(slack.fake.calls_to("auth.test")) == 3  # boardbot's check once, Bolt's on each request

    slack.fake.tokens[BOT_TOKEN] = TEAM  # put right
    status, ack = await slack.command("who leads on CSE?")
    assert status == 200
    assert ack["blocks"][0]["text"]["text"].startswith("Child sexual exploitation")
    await slack.settle()



async def test_while_slack_cannot_be_reached_a_command_is_still_answered_and_a_press_is_503(slack) -> None:
    slack.fake.fail("auth.test", *[{"status": 503}] * 20)  # Slack's Web API is down for a while
    status, ack = await slack.command("who leads on CSE?")
    assert status == 200
    assert ack["blocks"][0]["text"]["text"].startswith("Child sexual exploitation")  # the answer needs no Web API

    press = slack.press(ack["blocks"], "More", ephemeral=True)
    status, text = await slack.interact(press)
    assert status == 503 and "cannot be reached" in text

    slack.fake._failures["auth.test"].clear()  # Slack is back: the press goes through Bolt as usual
    status, _ = await slack.interact(press)
    assert status == 200
    await slack.settle()
    assert [c.method for c in slack.fake.posts()] == ["response_url"]
