"""Every button has a typed equivalent that runs the same step, with the same checks: the
steps of a challenge, an agenda request and a reminder, by typing; and the inbox."""

from __future__ import annotations

import re
from pathlib import Path

from bot.actions import load_all as load_actions
from bot.commands.steps import CONFIRMS, TYPED


async def raise_challenge(world, area: str, chair, to_board: str, request_id: str = "view-1"):
    form = await world.say(chair, f"challenge {to_board}", area)
    assert form.form is not None, form.text
    return await world.submit(chair, form, area, request_id=request_id, to_board=to_board, subject="CSE profiling",
                              concern="The JSNA has no CSE profile.", response_sought="A plan to add one by spring.")

AREA = "buckinghamshire"


async def test_a_challenge_is_taken_from_raised_to_resolved_by_typing(world):
    raiser = world.person("Raising Chair", "chair:bscb")
    target = world.person("Target Chair", "chair:ssbpb")
    raised = await raise_challenge(world, AREA, raiser, "ssbpb")
    assert raised.data["number"] == 1

    ack = await world.say(target, "acknowledge C1", AREA)
    assert ack.ok and "Acknowledged by Target Chair" in ack.text
    asked = await world.say(target, "more time C1 10 days the lead officer is away", AREA)
    assert asked.ok and "10 more working day" in asked.text, asked.text
    agreed = await world.say(raiser, "agree extension for C1", AREA)
    assert agreed.ok and "Extension agreed" in agreed.text, agreed.text
    again = await world.say(raiser, "agree more time C1", AREA)
    assert not again.ok and "No request for more time on C1 is waiting" in again.text and "agreed by Raising Chair" in again.text

    responded = await world.say(target, "respond C1 we will add a CSE profile by March", AREA)
    assert responded.data["status"] == "responded"
    resolved = await world.say(raiser, "resolve C1 a profile is in the draft JSNA", AREA)
    assert resolved.data["status"] == "resolved" and "Outcome: a profile is in the draft JSNA" in resolved.text
    reopened = await world.say(raiser, "reopen C1", AREA)
    assert reopened.data["status"] == "open"
    kinds = [e.kind for e in await world.audit() if e.subject_type == "challenge"]
    assert kinds[:7] == ["raised", "acknowledged", "time-requested", "time-agreed", "responded", "resolved", "reopened"]


async def test_a_typed_step_has_the_buttons_permissions_and_is_refused_on_the_record(world):
    raiser = world.person("Raising Chair", "chair:bscb")
    target = world.person("Target Chair", "chair:ssbpb")
    await raise_challenge(world, AREA, raiser, "ssbpb")
    # the target's chair may not resolve the raiser's challenge, typed or pressed
    refused = await world.say(target, "resolve C1 nothing to see", AREA)
    assert not refused.ok and "Only the BSCB's chair can resolve it" in refused.text
    assert (await world.audit("refused"))[-1].detail["action"] == "challenge.resolve.submit"
    # someone not on either board is told there is no such challenge they can see (and it is recorded)
    member = world.person("Member", "chair:bsab")
    unseen = await world.say(member, "escalate C1", AREA)
    assert not unseen.ok and "No challenge C1 that you can see" in unseen.text
    assert len(await world.audit("refused")) == 2
    # another area's chair, from another area's workspace, meets the wall
    suffolk = world.person("Suffolk Chair", "chair:lscb", area="suffolk")
    walled = await world.say(suffolk, "escalate C1 in buckinghamshire", "suffolk")
    assert not walled.ok and "Buckinghamshire" in walled.text


async def test_a_typed_step_without_its_words_opens_the_buttons_form(world):
    raiser = world.person("Raising Chair", "chair:bscb")
    await raise_challenge(world, AREA, raiser, "ssbpb")
    form = await world.say(raiser, "resolve C1", AREA)
    assert form.form is not None and form.form.action == "challenge.resolve.submit"
    done = await world.submit(raiser, form, AREA, text="agreed at the chairs' meeting")
    assert done.data["status"] == "resolved"


async def test_an_agenda_request_is_accepted_deferred_or_declined_by_typing(world):
    chair = world.person("BSCB Chair", "chair:bscb")
    manager = world.person("HWB Manager", "business_manager:hwb")
    for n in (1, 2, 3):
        form = await world.say(chair, "agenda request HWB", AREA)
        sent = await world.submit(chair, form, AREA, request_id=f"view-{n}", to_board="hwb", title=f"Item {n}", reason="Because")
        assert sent.data["number"] == n
    accepted = await world.say(manager, "agenda accept A1 2026-12-03 10:00", AREA)
    assert accepted.data["status"] == "accepted" and "Accepted onto the meeting of" in accepted.text, accepted.text
    deferred = await world.say(manager, "agenda defer A2 until the spring meeting", AREA)
    assert deferred.data["status"] == "deferred"
    declined = await world.say(manager, "agenda decline A3 not for this board", AREA)
    assert declined.data["status"] == "declined"
    twice = await world.say(manager, "agenda decline A3 again", AREA)
    assert "already declined by HWB Manager" in twice.text
    not_theirs = await world.say(chair, "agenda accept A2 2026-12-10 10:00", AREA)
    assert not not_theirs.ok and "business manager" in not_theirs.text
    pick = await world.say(manager, "agenda accept A2", AREA)
    assert pick.form is not None and pick.form.action == "agenda.accept.submit"


async def _remind_rule(world, manager) -> int:
    added = await world.say(manager, "remind BSCB 2026-11-25 09:30 send minutes to partners", AREA)
    assert added.ok, added.text
    return int(re.search(r"#(\d+)", added.text).group(1))


async def test_a_reminder_is_marked_done_or_snoozed_by_typing(world):
    manager = world.person("BSCB Manager", "business_manager:bscb")
    rule = await _remind_rule(world, manager)
    snoozed = await world.say(manager, f"remind snooze {rule} week", AREA)
    assert snoozed.ok and "Snoozed for 1 week" in snoozed.text, snoozed.text
    done = await world.say(manager, f"remind done {rule}", AREA)
    assert done.ok and done.text.startswith("\u2713 Done: send minutes to partners"), done.text
    again = await world.say(manager, f"done {rule}", AREA)
    assert not again.ok and "nothing due to answer" in again.text
    stranger = world.person("Other Manager", "business_manager:bsab")
    refused = await world.say(stranger, f"remind skip {rule} not ours", AREA)
    assert not refused.ok


async def test_the_inbox_lists_what_was_posted_for_my_boards_newest_first_with_what_to_type(world):
    raiser = world.person("Raising Chair", "chair:bscb")
    target = world.person("Target Chair", "chair:ssbpb")
    await raise_challenge(world, AREA, raiser, "ssbpb")
    world.advance(minutes=5)
    await world.say(target, "more time C1 5 days board meets next week", AREA)
    box = await world.say(raiser, "inbox", AREA)
    assert box.ok and box.data["items"], box.text
    first = box.data["items"][0]
    assert "C1" in first["title"] and first["typed"] == ["agree more time C1", "refuse more time C1"]
    theirs = await world.say(target, "inbox", AREA)
    assert any("respond C1" in i["typed"] for i in theirs.data["items"])
    assert all("agree more time C1" not in i["typed"] for i in theirs.data["items"])
    nobody = world.person("Member")
    assert "hold no role" in (await world.say(nobody, "inbox", AREA)).text


def test_the_readme_table_names_every_button_and_what_to_type():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    table = readme.split("### Every button, typed", 1)[1].split("\n## ", 1)[0]
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `([a-z_.]+)` \| [^|]+ \| (.+?) \|$", table, re.M)}
    actions = set(load_actions()) | {"__slack_open_form__"}
    assert actions <= set(rows), sorted(actions - set(rows))
    for action in set(load_actions()) - CONFIRMS - {"ask"}:
        assert TYPED[action].split(" <")[0].split(" (")[0] in rows[action], action


def test_a_number_too_long_for_a_step_is_not_cut_to_another_one():
    from bot.commands.steps import match

    assert match("agree more time C12")[1] == 12
    for text in ("agree more time C1234567890", "withdraw C1234567890 not needed", "remind done 1234567890123",
                 "risk close R12345678901 done"):
        assert match(text) is None, text  # not C123456789, R123456789…: that would be another challenge, reminder or risk
