"""One lead question asked in other words gets the answer worked out the first time, and only
where nothing else changes it: each asking keeps what was understood of its own words, a yes
or no about named boards answers those boards, a town's note stays with the question that
named the town, and a protocol imported again is answered from its new text."""

from __future__ import annotations

import pytest

from bot.messages import Actor, Button, Reply, Request, Section


@pytest.fixture
def services(knowledge):
    from bot.services import Services

    return Services(knowledge=knowledge)


async def ask(services, text: str, conversation: str = "", area: str = "buckinghamshire") -> Reply:
    from bot.router import handle

    actor = Actor.holding("console", "console", "tester", "tester", area=area, roles=frozenset())
    return await handle(Request(text=text, actor=actor, area=area, conversation=conversation or f"meaning:{text}"),
                        services)


async def test_one_theme_asked_in_other_words_gets_one_answer_and_each_asking_keeps_its_own_words(services):
    first = await ask(services, "who leads on CSE?")
    other = await ask(services, "which board is responsible for child sexual exploitation")
    again = await ask(services, "cse lead please")
    assert "Buckinghamshire Safeguarding Children Board" in first.text
    assert other.text == first.text == again.text and other.sections == first.sections
    named = [[e["text"].lower() for e in r.data["entities"] if e["type"] == "theme"] for r in (first, other, again)]
    assert named[0] != named[1] and "child sexual exploitation" in named[1]
    assert all(n for n in named)


async def test_a_yes_or_no_about_a_named_board_answers_that_board(services):
    hwb = await ask(services, "does the HWB lead on CSE?")
    sab = await ask(services, "does the SAB lead on CSE?")
    bscb = await ask(services, "does the BSCB lead on CSE?")
    assert hwb.text.startswith("No") and "not the HWB" in hwb.text
    assert sab.text.startswith("No") and "not the BSAB" in sab.text and "HWB" not in sab.text.split("\n")[0]
    assert bscb.text.startswith("Yes")
    plain = await ask(services, "who leads on CSE?")
    assert not plain.text.startswith(("Yes", "No")) and "not the" not in plain.text


async def test_a_theme_only_other_areas_name_is_answered_for_the_words_that_named_it(services):
    named = await ask(services, "who leads on domestic burglary?")
    yes_no = await ask(services, "is there a lead for domestic burglary?")
    shorter = await ask(services, "who leads on burglary")
    assert "doesn't name a lead for domestic burglary" in named.text and not named.text.startswith("No")
    assert yes_no.text.startswith("No")
    assert "may be related: Domestic abuse" in named.text and "Domestic abuse" not in shorter.text


async def test_a_town_named_is_noted_only_on_the_question_that_named_it(services):
    town = await ask(services, "who leads on CSE in Aylesbury?")
    plain = await ask(services, "who is the lead for CSE")
    other_town = await ask(services, "who leads on CSE in High Wycombe?")
    assert town.text.startswith("(Aylesbury is in Buckinghamshire.)")
    assert not plain.text.startswith("(")
    assert other_town.text.startswith("(High Wycombe is in Buckinghamshire.)")


async def test_a_protocol_imported_again_is_answered_from_its_new_text(protocols, services):
    from bot.knowledge import Knowledge
    from bot.services import Services

    before = await ask(services, "who leads on CSE?")
    bucks = next(p for p in protocols if p.area.slug == "buckinghamshire")
    themes = [t.model_copy(update={"lead_role": "The board now named leads on it alone."}) if t.key == "cse" else t
              for t in bucks.themes]
    changed = [bucks.model_copy(update={"themes": themes}) if p is bucks else p for p in protocols]
    after = await ask(Services(knowledge=Knowledge(changed)), "which board leads on child sexual exploitation")
    assert "now named leads on it alone" in after.text and "now named" not in before.text
    assert (await ask(services, "who leads on CSE please")).text == before.text


def test_slack_renders_an_answer_again_from_memory_only_where_everything_it_shows_is_the_same():
    from bot.platforms.slack.blocks import message

    section = Section("Lead: the children's board.", heading="Lead")
    first = Reply(text="Lead: the children's board.", title="CSE", sections=(section,))
    for _ in range(3):
        assert message(first)["blocks"][0]["text"]["text"] == "CSE"
    retitled = Reply(text=first.text, title="Domestic abuse", sections=(section,))
    assert message(retitled)["blocks"][0]["text"]["text"] == "Domestic abuse"
    with_button = Reply(text=first.text, title="CSE", sections=(section,), buttons=(Button("More", "ask", {"q": "theme cse"}),))
    assert any(b["type"] == "actions" for b in message(with_button)["blocks"])
    other_section = Reply(text=first.text, title="CSE", sections=(Section("Lead: the adults' board.", heading="Lead"),))
    assert "adults" in str(message(other_section)["blocks"])
    warned = Reply(text=first.text, title="CSE", sections=(section,), ok=False)
    assert ":warning:" in str(message(warned)["blocks"])


def test_an_answer_rendered_again_from_memory_gets_fresh_button_block_ids():
    """A double click is told by its block id, and the message that replaces one carries new
    ids: an answer shown again (the same More button) must not look like the same click."""
    from bot.platforms.slack.blocks import message

    reply = Reply(text="Lead: the children's board.\nMore: \u201ctheme CSE\u201d.", title="CSE",
                  buttons=(Button("More", "ask", {"q": "theme CSE"}),))
    ids = [next(b["block_id"] for b in message(reply)["blocks"] if b["type"] == "actions") for _ in range(4)]
    assert len(set(ids)) == 4


def test_a_slack_ack_of_an_answer_rendered_from_memory_is_the_message_a_fresh_rendering_sends():
    import json

    from bot.platforms.slack.app import _ack_response
    from bot.platforms.slack.blocks import _message, message

    reply = Reply(text="Lead: the children\u2019s board \u2014 \u201cBSCB\u201d.\nSource: 4.2.", title="CSE \u2014 Bucks",
                  sections=(Section("Lead: the children\u2019s board.", heading="Lead"),),
                  buttons=(Button("More", "ask", {"q": "theme CSE"}), Button("Themes", "ask", {"q": "themes"})))

    ids: list[str] = []

    def sent(payload) -> dict:
        body = json.loads(_ack_response({"response_type": "in_channel", **payload}).body)
        for block in body["blocks"]:
            if block["type"] == "actions":
                ids.append(block["block_id"])
                block["block_id"] = block["block_id"].split("-", 2)[2]
        return body

    fresh = sent(_message(reply, (), None))
    again = [sent(message(reply)) for _ in range(3)]
    assert all(a == fresh for a in again) and fresh["response_type"] == "in_channel"
    assert len(set(ids)) == 4  # each ack's buttons have ids of their own
    assert fresh["blocks"][0]["text"]["text"] == "CSE \u2014 Bucks" and fresh["blocks"][-1]["type"] == "actions"
    plain = Reply(text="No buttons here.")
    assert [sent(message(plain)) for _ in range(3)] == [sent(_message(plain, (), None))] * 3


def test_an_answer_rendered_before_is_found_without_its_button_values_only_where_they_are_its_own():
    """Slack's replies ask the memory before working out button values (a value too long for
    Slack is kept in the database and the button carries its digest): an answer whose buttons
    carried their own values is found, one rendered with other values is not, and what is
    found is the message a fresh rendering makes, in its blocks and in its JSON alike."""
    import json

    from bot.platforms.slack.blocks import _message, button_value, message, shown_before

    buttons = tuple(Button(f"Option {i}", "ask", {"q": f"who leads on theme {i}?"}) for i in range(27))
    reply = Reply(text="Twenty-seven options, over two rows of buttons.", title="Options", buttons=buttons)
    assert shown_before(reply) is None  # never rendered
    message(reply)
    message(reply)
    again = shown_before(reply)
    assert again is not None
    fresh = _message(reply, (), None)

    def without_ids(blocks):
        return [{k: v for k, v in b.items() if k != "block_id"} for b in blocks]

    assert again["text"] == fresh["text"] and without_ids(again["blocks"]) == without_ids(fresh["blocks"])
    assert json.loads(again["blocks"].json) == list(again["blocks"])
    assert [b["type"] for b in again["blocks"]].count("actions") == 2
    ids = {b["block_id"] for b in again["blocks"] if b["type"] == "actions"}
    assert len(ids) == 2 and ids.isdisjoint(b["block_id"] for b in shown_before(reply)["blocks"] if b["type"] == "actions")

    stored = Reply(text="One button whose value is kept in the database.", buttons=(buttons[0],))
    digest = [json.dumps({"a": "", "k": "0" * 32})]
    message(stored, button_values=digest)
    message(stored, button_values=digest)
    assert shown_before(stored) is None
    assert message(stored, button_values=digest)["blocks"][-1]["elements"][0]["value"] == digest[0]
    assert message(stored, button_values=[button_value("ask", buttons[0].value)])["blocks"][-1]["elements"][0]["value"] != digest[0]


def test_a_reply_changed_is_the_reply_dataclasses_replace_makes_and_an_unknown_field_is_refused():
    from dataclasses import fields, replace

    from bot.messages import Citation, Visibility

    reply = Reply(text="Lead: BSCB.", title="CSE", sections=(Section("Lead: BSCB."),), buttons=(Button("More", "ask", {"q": "x"}),),
                  citations=(Citation(file="a.yaml", clause="4.2", area="buckinghamshire"),), data={"kind": "lead"})
    changes = {"text": "Lead: BSAB.", "title": "", "sections": (), "buttons": (), "citations": (),
               "visibility": Visibility.CHANNEL, "data": {"kind": "chair"}, "ok": False}
    for name, value in changes.items():
        assert reply.changed(**{name: value}) == replace(reply, **{name: value})
    changed = reply.changed(**changes)
    assert changed == replace(reply, **changes) and reply.text == "Lead: BSCB." and reply.data == {"kind": "lead"}
    assert {f.name for f in fields(Reply)} - {"form"} == set(changes)
    with pytest.raises(TypeError, match="colour"):
        reply.changed(colour="red")
