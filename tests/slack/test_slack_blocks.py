"""Block Kit rendering and Slack text parsing: Slack's limits and its escaping rules."""

from __future__ import annotations

import json

import pytest

from bot.messages import Button, Citation, Field, Reply, Section
from bot.platforms.slack.blocks import (
    MAX_BLOCKS,
    MAX_SECTION_TEXT,
    escape,
    incoming_text,
    message,
    reply_blocks,
    split_share,
)


@pytest.mark.parametrize("raw, text, mentions", [
    ("admin link-user <@U123ABC|jo> chair of BSCB", "admin link-user @U123ABC chair of BSCB", ("U123ABC",)),
    ("<@U1AAA> and <@W2BBB|bo> and <@U1AAA>", "@U1AAA and @W2BBB and @U1AAA", ("U1AAA", "W2BBB")),
    ("tell <!channel> and <!here|here>", "tell @channel and @here", ()),
    ("see <#C0123|bscb-business>", "see #bscb-business", ()),
    ("fish &amp; chips &lt;3", "fish & chips <3", ()),
    ("<https://example.org/p|the protocol>", "the protocol (https://example.org/p)", ()),
])
def test_incoming_text_is_what_the_person_typed(raw: str, text: str, mentions: tuple[str, ...]) -> None:
    assert incoming_text(raw) == (text, mentions)


@pytest.mark.parametrize("raw, text, share", [
    ("who leads on CSE? share", "who leads on CSE?", True),
    ("share who leads on CSE?", "who leads on CSE?", True),
    ("--share boards", "boards", True),
    ("who leads on CSE? share.", "who leads on CSE?", True),
    ("share", "share", False),  # alone it is the question
    ("who shares minutes", "who shares minutes", False),
    # "public" is a word in questions, not an instruction to share
    ("does the HWB meet in public", "does the HWB meet in public", False),
    ("public health", "public health", False),
    ("boards public", "boards public", False),
])
def test_share_words(raw: str, text: str, share: bool) -> None:
    assert split_share(raw) == (text, share)


def test_escape_neutralises_control_sequences() -> None:
    assert escape("<!channel> <@U1> <http://x|y> & more") == "&lt;!channel&gt; &lt;@U1&gt; &lt;http://x|y&gt; &amp; more"


def test_long_text_is_split_into_sections_within_the_limit() -> None:
    text = "\n".join(f"• line {i} " + "word " * 40 for i in range(200))
    blocks = reply_blocks(Reply(text=text, title="Long"))
    sections = [b for b in blocks if b["type"] == "section"]
    assert len(sections) > 1
    assert all(len(b["text"]["text"]) <= MAX_SECTION_TEXT for b in sections)
    assert len(blocks) <= MAX_BLOCKS


def test_escaping_is_counted_against_the_limit() -> None:
    blocks = reply_blocks(Reply(text="<" * 2900))
    assert all(len(b["text"]["text"]) <= MAX_SECTION_TEXT for b in blocks)
    assert "".join(b["text"]["text"] for b in blocks) == "&lt;" * 2900


def test_a_single_unbroken_line_is_cut(tmp_path) -> None:
    blocks = reply_blocks(Reply(text="x" * 7000))
    assert [len(b["text"]["text"]) for b in blocks] == [3000, 3000, 1000]


def test_too_many_blocks_are_shortened_with_a_note_and_buttons_kept() -> None:
    sections = tuple(Section(f"part {i}", heading=f"H{i}", citation=Citation("a", "f.txt", f"{i}")) for i in range(60))
    blocks = reply_blocks(Reply(text="x", title="Big", sections=sections, buttons=(Button("OK", "ok"),)))
    assert len(blocks) == MAX_BLOCKS
    assert blocks[-1]["type"] == "actions"
    assert "shortened" in blocks[-2]["elements"][0]["text"]


def test_more_than_ten_fields_spill_into_another_section() -> None:
    fields = tuple(Field(f"L{i}", f"V{i}") for i in range(23))
    blocks = reply_blocks(Reply(text="x", sections=(Section("body", heading="Many", fields=fields),)))
    assert [len(b.get("fields", [])) for b in blocks] == [10, 10, 3]


def test_source_line_of_a_plain_answer_becomes_its_context() -> None:
    blocks = reply_blocks(Reply(text="The chair is the Independent Chair.\nSource: 002.txt, 2.2 Governance.", title="Chair"))
    assert blocks[1]["text"]["text"] == "The chair is the Independent Chair."
    assert blocks[2] == {"type": "context", "elements": [{"type": "mrkdwn", "text": "Source: 002.txt, 2.2 Governance"}]}


def test_more_than_25_buttons_make_two_action_blocks_with_unique_ids() -> None:
    buttons = tuple(Button(f"B{i}", "act", {"i": i}) for i in range(30))
    blocks = reply_blocks(Reply(text="x", buttons=buttons))
    actions = [b for b in blocks if b["type"] == "actions"]
    assert [len(a["elements"]) for a in actions] == [25, 5]
    ids = [el["action_id"] for a in actions for el in a["elements"]]
    assert len(set(ids)) == 30
    assert json.loads(actions[1]["elements"][0]["value"]) == {"a": "act", "v": {"i": 25}}


def test_header_is_plain_text_within_150_characters() -> None:
    blocks = reply_blocks(Reply(text="x", title="T" * 400))
    assert blocks[0]["type"] == "header" and len(blocks[0]["text"]["text"]) == 150


def test_mentions_the_core_lists_become_live_others_stay_inert() -> None:
    reply = Reply(text="@U0JO1234 is now an administrator; @U0EVIL001 and <@U0EVIL002> are not",
                  data={"mentions": ["U0JO1234"]})
    body = message(reply)
    assert body["text"] == "<@U0JO1234> is now an administrator; @U0EVIL001 and &lt;@U0EVIL002&gt; are not"
    assert body["blocks"][0]["text"]["text"] == body["text"]


def test_a_mention_is_only_the_whole_id() -> None:
    reply = Reply(text="@U0JO1234 not @U0JO12345 nor jo@U0JO1234", data={"mentions": ["U0JO1234"]})
    assert message(reply)["text"] == "<@U0JO1234> not @U0JO12345 nor jo@U0JO1234"


def test_without_mentions_in_data_nothing_is_live() -> None:
    assert message(Reply(text="@U0JO1234 is now an administrator"))["text"] == "@U0JO1234 is now an administrator"


async def test_a_note_line_no_section_carries_is_kept(bot) -> None:
    reply = await bot("theme human trafficking", area="buckinghamshire")
    assert reply.sections and "Note: The links between human trafficking" in reply.text
    shown = json.dumps(reply_blocks(reply))
    assert "Note: The links between human trafficking" in shown
