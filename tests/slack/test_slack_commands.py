"""``/board …`` through the real Bolt app: what the person sees in the ack (or via response_url)."""

from __future__ import annotations

import json

import pytest

from bot.platforms.slack import listeners as slack_platform


def texts(blocks: list[dict]) -> str:
    """All the text a person sees in some blocks."""
    out = []
    for b in blocks:
        if "text" in b and isinstance(b["text"], dict):
            out.append(b["text"]["text"])
        for f in b.get("fields", []):
            out.append(f["text"])
        for el in b.get("elements", []):
            t = el.get("text")
            out.append(t["text"] if isinstance(t, dict) else t or "")
    return "\n".join(out)


async def test_who_leads_on_cse_is_answered_privately_with_lead_board_and_clause(slack) -> None:
    status, ack = await slack.command("who leads on CSE?")
    assert status == 200
    assert ack["response_type"] == "ephemeral"
    blocks = ack["blocks"]
    assert blocks[0] == {"type": "header", "text": {"type": "plain_text", "text": "Child sexual exploitation (CSE) — Buckinghamshire", "emoji": True}}
    lead = next(b for b in blocks if b["type"] == "section" and b["text"]["text"].startswith("*Lead*"))
    assert {"type": "mrkdwn", "text": "*BSCB*\nBuckinghamshire Safeguarding Children Board"} in lead["fields"]
    context = blocks[blocks.index(lead) + 1]
    assert context["type"] == "context"
    assert context["elements"][0]["text"] == ("Source: 002_3d7253e4d784d0af.txt, 4 Themes of common interest table "
                                              "(Child Sexual Exploitation)")
    assert "Supporting" in texts(blocks) and "SSBPB" in texts(blocks)
    assert ack["text"].startswith("Child sexual exploitation (CSE) — Buckinghamshire\nLead: Buckinghamshire Safeguarding Children Board")
    await slack.settle()
    assert slack.fake.posts() == []  # answered in the ack: nothing else was posted


@pytest.mark.parametrize("text", ["share who leads on CSE?", "who leads on CSE? share", "who leads on CSE? --share"])
async def test_share_posts_the_answer_in_the_channel(slack, text: str) -> None:
    status, ack = await slack.command(text)
    assert status == 200
    assert ack["response_type"] == "in_channel"
    assert "Child sexual exploitation (CSE)" in ack["blocks"][0]["text"]["text"]


@pytest.mark.parametrize("question", ["does the HWB meet in public", "public health", "public health share"])
async def test_public_is_part_of_the_question_not_a_share_word(slack, slacktest, question: str) -> None:
    _, ack = await slack.command(f"slacktest echo {question}")
    asked = question.removesuffix(" share")
    assert ack["text"].startswith(f"Echo {asked}\nYou said: {asked}")  # reached the core whole
    assert ack["response_type"] == ("in_channel" if question.endswith("share") else "ephemeral")


async def test_help_lists_commands_with_examples(slack) -> None:
    _, ack = await slack.command("help")
    assert ack["response_type"] == "ephemeral"
    shown = texts(ack["blocks"])
    assert "who leads on CSE?" in shown and "boards" in shown
    assert ack["blocks"][0]["text"]["text"] == "boardbot help"


async def test_empty_command_shows_help(slack) -> None:
    _, ack = await slack.command("")
    assert ack["blocks"][0]["text"]["text"] == "boardbot help"


async def test_unknown_text_says_what_to_type_instead(slack) -> None:
    _, ack = await slack.command("blargh zzz")
    assert ack["response_type"] == "ephemeral"
    first = ack["blocks"][0]["text"]["text"]
    assert first.startswith(":warning: Sorry, I didn't understand")
    assert '"help"' in first


async def test_area_named_in_the_question_wins(slack) -> None:
    _, ack = await slack.command("who leads on modern slavery in Suffolk?")
    assert "Suffolk" in ack["text"]


async def test_unlinked_workspace_is_asked_for_an_area(slack) -> None:
    _, ack = await slack.command("who leads on CSE?", team_id="T9UNLINKED")
    assert "Which area is this about?" in ack["text"]


async def test_mentions_reach_the_core_as_ids(slack) -> None:
    """``admin link-user <@U123|jo> chair of BSCB`` links U123, as the admin command expects."""
    from storage import directory

    async with slack.services.store.session() as s:
        await directory.upsert_person(s, area_slug="buckinghamshire", platform="slack", workspace="T0001BUCKS",
                                      user_id="U0CHAIR01", is_admin=True)
        await s.commit()
    _, ack = await slack.command("admin link-user <@U0JO1234|jo> chair of BSCB")
    assert ack["text"].startswith("<@U0JO1234>: chair of the BSCB"), ack["text"]  # a live mention, as asked
    async with slack.services.store.session() as s:
        person = await directory.get_person(s, "slack", "T0001BUCKS", "U0JO1234")
    assert person is not None and "chair:bscb" in person.roles


async def test_a_new_administrator_is_mentioned_and_a_typed_mention_is_not(slack) -> None:
    from storage import directory

    async with slack.services.store.session() as s:
        await directory.upsert_person(s, area_slug="buckinghamshire", platform="slack", workspace="T0001BUCKS",
                                      user_id="U0CHAIR01", is_admin=True)
        await s.commit()
    _, ack = await slack.command("admin make-admin <@U0JO1234|jo>")
    assert ack["text"] == "<@U0JO1234> is now an administrator of Buckinghamshire.", ack["text"]
    assert "<@U0JO1234> is now" in texts(ack["blocks"])


async def test_a_slow_command_is_acked_at_once_and_answered_via_response_url(
        slack, slacktest, monkeypatch) -> None:
    monkeypatch.setattr(slack_platform, "ACK_BUDGET", 0.05)
    slacktest.slow_seconds = 0.3
    status, ack = await slack.command("slacktest slow share")
    assert status == 200 and ack is None  # an empty ack: Slack shows nothing yet
    await slack.settle()
    (answer,) = slack.fake.calls_to("response_url")
    assert answer.args["response_type"] == "in_channel"
    assert answer.args["blocks"][0]["text"]["text"] == "Slow answer"


async def test_a_core_failure_is_an_apology_not_a_500(slack, slacktest, monkeypatch) -> None:
    from bot.commands import REGISTRY, Command

    async def boom(ctx):
        raise RuntimeError("kaput")

    monkeypatch.setitem(REGISTRY, "boards", Command("boards", boom, "Lookups", True, "", "", ()))
    status, ack = await slack.command("boards")
    assert status == 200
    assert "Something went wrong on boardbot's side" in ack["text"]


async def test_buttons_carry_compact_values_within_slacks_limit(slack, slacktest) -> None:
    _, ack = await slack.command("slacktest button")
    actions = next(b for b in ack["blocks"] if b["type"] == "actions")
    ping = actions["elements"][0]
    assert json.loads(ping["value"]) == {"a": "slacktest.ping", "v": {"area": "buckinghamshire", "n": 1}}
    assert ping["style"] == "primary"
    assert all(len(el["value"]) <= 2000 for el in actions["elements"])
