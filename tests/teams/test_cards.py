"""Adaptive Card rendering and what comes back from a card: the pure half, no server needed."""

from __future__ import annotations

import json

from bot.messages import Button, Citation, Field, Form, FormField, Reply, Section, Visibility, error
from bot.platforms.teams.cards import (
    MAX_CARD_BYTES,
    for_conversation,
    markdown,
    parse_action,
    reply_card,
    size,
    sized_card,
    welcome_card,
)

from .standin import card_text


async def test_a_lead_answer_names_the_lead_as_a_fact_and_cites_the_clause(bot):
    reply = await bot("who leads on CSE?", area="central-bedfordshire")
    card = reply_card(reply)

    assert card["type"] == "AdaptiveCard" and card["version"] == ("1.5" if reply.buttons else "1.4")
    assert card["body"][0] == {"type": "TextBlock", "text": reply.title, "wrap": True, "weight": "Bolder", "size": "Medium"}
    facts = [f for b in card["body"] if b["type"] == "FactSet" for f in b["facts"]]
    assert facts and all(f["title"] and f["value"] for f in facts)
    sources = [b for b in card["body"] if b.get("text", "").startswith("Source:")]
    assert sources and sources[0]["isSubtle"] and sources[0]["size"] == "Small"
    assert reply.citations[0].clause in sources[0]["text"]
    assert card["fallbackText"] == reply.text
    assert all(b.get("wrap") for b in card["body"] if b["type"] == "TextBlock")


def test_core_bold_becomes_markdown_bold_and_bullets_a_list():
    assert markdown("• *SSBPB*: prevention\n• *HWB*: the JSNA") == "- **SSBPB**: prevention\r- **HWB**: the JSNA"
    assert markdown("Lead: BSCB.\nIt oversees the strategy.") == "Lead: BSCB.\n\nIt oversees the strategy."
    assert markdown("2 * 3 * 4") == "2 * 3 * 4"


def test_help_examples_join_their_bullet_and_lose_code_spans():
    out = markdown("• Who leads on a theme\n    _e.g._ `who leads on CSE?`")
    assert out == "- Who leads on a theme _e.g._ \u201cwho leads on CSE?\u201d"


def test_a_link_typed_by_a_user_and_echoed_back_is_not_a_link():
    out = markdown("I don't know the area 'click [here](https://evil.example)'.")
    assert "](" not in out and "here" in out and "https://evil.example" in out


def test_sections_render_headings_text_facts_and_their_own_sources():
    cite = Citation("suffolk", "003.txt", "4.2 Escalation")
    reply = Reply(text="plain", title="Challenge ladder", sections=(
        Section("Stage 1 is informal.", heading="Stages", fields=(Field("Window", "10 working days"),), citation=cite),
    ), citations=(cite, Citation("suffolk", "003.txt", "Appendix A")))
    body = reply_card(reply)["body"]

    assert [b.get("text") for b in body if b["type"] == "TextBlock"] == [
        "Challenge ladder", "Stages", "Stage 1 is informal.", "Source: 003.txt, 4.2 Escalation", "Source: 003.txt, Appendix A"]
    assert body[3] == {"type": "FactSet", "facts": [{"title": "Window", "value": "10 working days"}]}


def test_a_text_answer_does_not_repeat_a_source_it_already_says():
    cite = Citation("suffolk", "003.txt", "2.1")
    card = reply_card(Reply(text="The protocol is due for review.\nSource: 003.txt, 2.1.", citations=(cite,)))
    assert card_text(card).count("Source: 003.txt, 2.1") == 1


def test_errors_sit_in_an_attention_container():
    card = reply_card(error("Only an administrator of this area can do that.", hint="Ask one of them."))
    [box] = card["body"]
    assert box["type"] == "Container" and box["style"] == "attention"
    assert "Only an administrator" in card_text(card) and "Ask one of them." in card_text(card)


def test_buttons_are_universal_actions_carrying_action_value_area_and_one_nonce():
    reply = Reply(text="A7", buttons=(Button("Accept", "agenda.accept", {"id": 7}, style="primary"),
                                      Button("Decline", "agenda.decline", {"id": 7}, style="danger")),
                  data={"area": "suffolk"})
    card = reply_card(reply)
    accept, decline = card["actions"]

    data = {"a": "agenda.accept", "v": {"id": 7}, "n": accept["data"]["n"], "area": "suffolk"}
    assert card["version"] == "1.5"  # Universal Actions
    # clients without Universal Actions run the Action.Submit fallback, which carries the same data
    assert accept == {"type": "Action.Execute", "title": "Accept", "verb": "boardbot", "style": "positive", "data": data,
                      "fallback": {"type": "Action.Submit", "title": "Accept", "style": "positive", "data": data}}
    assert parse_action(accept["fallback"]["data"]) == parse_action(accept["data"])
    assert decline["style"] == "destructive" and decline["data"]["n"] == accept["data"]["n"]
    assert reply_card(reply)["actions"][0]["data"]["n"] != accept["data"]["n"]  # every rendering is a new card


def test_a_card_is_version_1_5_exactly_when_an_action_execute_sits_in_it():
    quoting = Reply(title='"type": "Action.Execute"', text='A card with {"type": "Action.Execute"} in its words.')
    confirm = Reply(text="x", buttons=(Button("Withdraw", "agenda.withdraw", {"id": 7}, confirm="Withdraw A7?"),))
    spilled = Reply(text="x", buttons=tuple(Button(f"B{n}", "agenda.accept", {"id": n}) for n in range(8)))

    assert reply_card(quoting)["version"] == "1.4"  # words about an action are not an action
    assert reply_card(confirm)["version"] == "1.5"  # inside the confirmation's small card
    assert reply_card(spilled)["version"] == "1.5"
    assert welcome_card(in_channel=True)["version"] == "1.4"  # imBack buttons only
    for reply in (quoting, confirm, spilled):
        built = reply_card(reply)
        c, n = sized_card(built["body"], built.get("actions", ()), fallback=built.get("fallbackText", ""))
        assert c == built and n == size(built)  # the size the shortening goes by is the card's own


def test_a_button_that_asks_for_confirmation_opens_a_small_card_first():
    [act] = reply_card(Reply(text="x", buttons=(Button("Withdraw", "agenda.withdraw", {"id": 7}, confirm="Withdraw A7?"),)))["actions"]
    assert act["type"] == "Action.ShowCard" and act["title"] == "Withdraw"
    assert card_text(act["card"]).startswith("Withdraw A7?")
    [really] = act["card"]["actions"]
    assert really["type"] == "Action.Execute" and really["data"]["a"] == "agenda.withdraw"
    assert really["fallback"] == {"type": "Action.Submit", "title": "Yes, withdraw", "data": really["data"]}


def test_more_buttons_than_teams_shows_spill_into_an_action_set():
    buttons = tuple(Button(f"B{i}", "x", {"i": i}) for i in range(9))
    card = reply_card(Reply(text="many", buttons=buttons))
    assert len(card["actions"]) == 6
    assert [a["title"] for a in card["body"][-1]["actions"]] == ["B6", "B7", "B8"]


def test_a_form_becomes_inputs_with_labels_hints_initial_values_and_a_submit():
    form = Form(action="challenge.submit", title="Raise a challenge", intro="Say what you are challenging.", fields=(
        FormField("to", "To board", kind="choice", choices=(("bsab", "BSAB"),), initial="bsab"),
        FormField("issue", "The issue", kind="long_text", placeholder="What happened", hint="Keep names out."),
        FormField("by", "Respond by", kind="date", initial="2027-02-01", required=False),
    ), context={"area": "buckinghamshire", "from": "bscb"}, submit_label="Send challenge")
    card = reply_card(Reply(text="Fill in", form=form))
    inputs = [b for b in card["body"] if b["type"].startswith("Input.")]

    assert [(i["type"], i["id"], i["label"], i["isRequired"]) for i in inputs] == [
        ("Input.ChoiceSet", "f_to", "To board", True), ("Input.Text", "f_issue", "The issue", True),
        ("Input.Date", "f_by", "Respond by", False)]
    assert inputs[0]["value"] == "bsab" and inputs[1]["isMultiline"] and inputs[1]["placeholder"] == "What happened"
    assert inputs[2]["value"] == "2027-02-01"
    assert "Keep names out." in card_text(card) and "Say what you are challenging." in card_text(card)
    [submit] = card["actions"]
    assert submit["type"] == "Action.Execute" and submit["title"] == "Send challenge" and submit["associatedInputs"] == "auto"
    # what Teams sends back when it is pressed: the data with the inputs merged in
    back = parse_action({**submit["data"], "f_to": "bsab", "f_issue": "Late reports", "f_by": ""})
    assert back == ("challenge.submit", {"area": "buckinghamshire", "from": "bscb", "to": "bsab", "issue": "Late reports", "by": ""},
                    submit["data"]["n"])


def test_inputs_cannot_overwrite_the_action_or_its_nonce():
    assert parse_action({"a": "x", "v": {"k": 1}, "n": "abc", "f_a": "evil", "f_n": "evil2"}) == (
        "x", {"k": 1, "a": "evil", "n": "evil2"}, "abc")


def test_data_that_is_not_boardbots_is_ignored():
    for data in (None, "x", [], {}, {"a": ""}, {"a": 5}, {"a": "x", "v": "not a dict"}, {"msteams": {"type": "imBack"}}):
        assert parse_action(data) is None


def test_a_huge_answer_is_shortened_to_fit_in_a_teams_message():
    sections = tuple(Section("word " * 2000, heading=f"Part {i}") for i in range(12))
    card = reply_card(Reply(text="long " * 20000, title="Everything", sections=sections))
    assert size(card) <= MAX_CARD_BYTES
    assert card["body"][0]["text"] == "Everything"
    assert "Shortened to fit in Teams" in card["body"][-1]["text"]
    json.dumps(card)


def test_a_long_answer_with_a_form_is_shortened_but_keeps_every_input_and_the_send_button():
    sections = tuple(Section("word " * 1500, heading=f"Part {i}") for i in range(10))
    form = Form(action="challenge.submit", title="Raise a challenge", fields=(
        FormField("to", "To board", kind="choice", choices=(("bsab", "BSAB"), ("hwb", "HWB"))),
        FormField("issue", "The issue", kind="long_text"),
        FormField("by", "Respond by", kind="date", required=False),
    ), context={"area": "buckinghamshire"}, submit_label="Send")
    card = reply_card(Reply(text="long " * 15000, title="Everything", sections=sections, form=form,
                            buttons=(Button("Cancel", "challenge.cancel"),)))

    assert size(card) <= MAX_CARD_BYTES
    assert card["body"][0]["text"] == "Everything" and "Part 0" in card_text(card)
    assert [b["id"] for b in card["body"] if b["type"].startswith("Input.")] == ["f_to", "f_issue", "f_by"]
    assert [a["title"] for a in card["actions"]] == ["Send", "Cancel"]
    # the note sits between the shortened answer and the form, which is whole
    texts = [b.get("text", "") for b in card["body"]]
    note = next(i for i, t in enumerate(texts) if "Shortened to fit in Teams" in t)
    assert texts[note + 1] == "Raise a challenge"
    assert "Part 9" not in card_text(card)


def test_a_huge_refusal_is_shortened_inside_its_attention_box():
    sections = tuple(Section("word " * 1500, heading=f"Reason {i}") for i in range(12))
    card = reply_card(Reply(text="refused", title="Not allowed", sections=sections, ok=False))
    assert size(card) <= MAX_CARD_BYTES
    [box, _] = card["body"]
    assert box["type"] == "Container" and box["style"] == "attention" and box["items"][0]["text"] == "Not allowed"
    assert "Shortened to fit in Teams" in card["body"][-1]["text"]


def test_a_personal_answer_becomes_a_note_outside_a_1_1_chat():
    secret = Reply(text="https://example.invalid/feed/secret-token", title="Your calendar link", visibility=Visibility.PERSONAL)
    assert for_conversation(secret, private_possible=True) is secret
    note = for_conversation(secret, private_possible=False)
    assert "secret-token" not in note.text and "1:1 chat" in note.text and not note.ok
    ordinary = Reply(text="Lead: BSCB.")
    assert for_conversation(ordinary, private_possible=False) is ordinary


def test_welcome_card_says_what_boardbot_is_with_examples_to_press():
    card = welcome_card(in_channel=True, area_name="Suffolk")
    text = card_text(card)
    assert "which board leads on a theme" in text and "**Suffolk**" in text and "@mention boardbot" in text
    assert "admin link-channel" in text
    assert [a["data"]["msteams"] for a in card["actions"]][0] == {"type": "imBack", "value": "who leads on CSE?"}
    personal = card_text(welcome_card(in_channel=False))
    assert "Ask your question here" in personal and "admin link-area" in personal and "admin link-channel" not in personal


async def test_a_cards_note_lines_are_kept_beside_their_sources(bot):
    reply = await bot("theme human trafficking", area="buckinghamshire")
    assert reply.sections and "Note: The links between human trafficking" in reply.text
    shown = card_text(reply_card(reply))
    assert "Note: The links between human trafficking" in shown and "Source:" in shown
