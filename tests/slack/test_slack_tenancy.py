"""An area is a wall, through the real Bolt app and slack_sdk against the stand-in Slack, with
Buckinghamshire and Suffolk each linked to its own workspace, on SQLite and PostgreSQL.

Suffolk's people try what the attacker did: press Buckinghamshire's buttons, submit its forms
with the area changed, type "in buckinghamshire", take its workspace link, give themselves its
roles, read its challenges, agenda, directory and export. Each is refused, recorded in
Buckinghamshire's audit, and changes nothing; Buckinghamshire's own people carry on."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from bot.platforms.slack import blocks as kit
from storage import directory
from storage.models import AuditEvent, Challenge
from tests.slack.conftest import SUFFOLK_TEAM, TEAM, from_workspace

pytestmark = pytest.mark.e2e

CHAIR, MANAGER = "U0CHAIR01", "U0HWBMGR1"  # Buckinghamshire's BSCB chair, HWB business manager
SUE, SID = "U0SUFFCHR", "U0SUFFADM"  # Suffolk's HWB chair (and director), Suffolk's admin
SUFFOLK_HWB = "C0SUFFHWB"


def suffolk_command(h, text: str, user: str = SUE):
    return h.command(text, team_id=SUFFOLK_TEAM, team_domain="suffolk-boards", user_id=user, user_name=user.lower(),
                     channel_id=SUFFOLK_HWB)


def posted(h, channel: str) -> list[dict]:
    return [c.args for c in h.fake.calls_to("chat.postMessage") if c.args.get("channel") == channel]


async def refusals(h, area: str) -> list[AuditEvent]:
    async with h.services.store.session() as s:
        aid = await directory.area_id(s, area)
        return list((await s.execute(select(AuditEvent).where(AuditEvent.area_id == aid, AuditEvent.kind == "refused"))).scalars())


async def challenge_row(h) -> Challenge:
    async with h.services.store.session() as s:
        return (await s.execute(select(Challenge).order_by(Challenge.id))).scalars().first()


async def raise_in_bucks(h, subject: str = "CSE profile") -> tuple[dict, dict]:
    """Jo raises a challenge to the HWB from Buckinghamshire's workspace: (notice in the HWB channel, Jo's card)."""
    await h.command("challenge HWB")
    await h.settle()
    view = h.fake.calls_to("views.open")[-1].args["view"]
    status, body = await h.interact(h.submission(view, {"to_board": "hwb", "subject": subject,
                                                        "concern": "The JSNA has no CSE profile.",
                                                        "response_sought": "A plan to add one."}))
    assert status == 200 and not (body or {}).get("errors"), body
    await h.settle()
    await h.services.dispatcher.tick()
    card = [c.args for c in h.fake.calls_to("chat.postEphemeral") if c.args.get("user") == CHAIR][-1]
    return posted(h, "C0HWBBIZ1")[-1], card


async def test_suffolk_presses_and_submits_on_buckinghamshires_challenge_are_refused(two_areas):
    h = two_areas
    notice, mine = await raise_in_bucks(h)
    opened = len(h.fake.calls_to("views.open"))
    before = await challenge_row(h)

    def refused_privately() -> None:
        last = h.fake.calls_to("response_url")[-1].args
        assert "belongs to Buckinghamshire" in json.dumps(last) and last["response_type"] == "ephemeral"
        assert last["replace_original"] is False  # the message everyone sees stays as it was

    for label in ("Acknowledge", "Respond", "Ask for more time"):
        press = from_workspace(h.press(notice["blocks"], label, channel="C0HWBBIZ1"), SUFFOLK_TEAM, SUE)
        status, _ = await h.interact(press)
        assert status == 200
        await h.settle()
        refused_privately()
    for label in ("Escalate", "Resolve"):
        press = from_workspace(h.press(mine["blocks"], next(
            el["text"]["text"] for b in mine["blocks"] if b.get("type") == "actions" for el in b["elements"]
            if el["text"]["text"].startswith(label)), channel="C0BSCBBIZ"), SUFFOLK_TEAM, SID)
        await h.interact(press)
        await h.settle()
        refused_privately()
    assert len(h.fake.calls_to("views.open")) == opened  # no form opened for them

    # Jo opens the resolve form; Suffolk's admin submits it, with the area changed to their own
    await h.interact(h.press(mine["blocks"], "Resolve", channel="C0BSCBBIZ", ephemeral=True))
    await h.settle()
    view = h.fake.calls_to("views.open")[-1].args["view"]
    meta = json.loads(view["private_metadata"])
    meta["ar"] = "suffolk"
    meta["c"]["area"] = "suffolk"
    view = {**view, "private_metadata": json.dumps(meta)}
    status, body = await h.interact(from_workspace(h.submission(view, {"text": "Closed by Suffolk"}), SUFFOLK_TEAM, SID))
    assert status == 200
    await h.settle()
    await h.services.dispatcher.tick()
    after = await challenge_row(h)
    assert (after.status, after.rung_index, after.outcome) == (before.status, before.rung_index, None) == ("open", 0, None)
    recorded = await refusals(h, "buckinghamshire")
    assert len(recorded) >= 6 and {e.detail["from_area"] for e in recorded} == {"suffolk"}
    assert not posted(h, "C0DIRECTRS")  # no escalation reached Buckinghamshire's directors
    async with h.services.store.session() as s:
        events = (await s.execute(select(func.count()).select_from(AuditEvent).where(AuditEvent.kind.in_(
            ("acknowledged", "escalated", "resolved"))))).scalar_one()
    assert events == 0

    # Buckinghamshire's own lead officer still responds from the same notice
    await h.interact(h.press(notice["blocks"], "Respond", channel="C0HWBBIZ1") | {
        "user": {"id": MANAGER, "username": "sam", "name": "sam", "team_id": TEAM}})
    await h.settle()
    assert len(h.fake.calls_to("views.open")) == opened + 2


async def test_suffolk_cannot_type_its_way_into_buckinghamshire(two_areas):
    h = two_areas
    await raise_in_bucks(h)
    opened = len(h.fake.calls_to("views.open"))
    for user, text in ((SUE, "challenge in buckinghamshire"), (SUE, "challenge HWB in buckinghamshire"),
                       (SUE, "challenges in buckinghamshire"), (SUE, "challenge 1 in buckinghamshire"),
                       (SUE, "agenda HWB in buckinghamshire"), (SUE, "agenda request BSCB in buckinghamshire"),
                       (SUE, "challenge export 2000-01-01 2100-12-31 in buckinghamshire"),
                       (SID, "admin directory in buckinghamshire"), (SID, "admin link-area buckinghamshire"),
                       (SID, "remind list in buckinghamshire")):
        seen = len(h.fake.calls)
        status, body = await suffolk_command(h, text, user)
        assert status == 200
        await h.settle()
        shown = json.dumps(body) + json.dumps([c.args for c in h.fake.calls[seen:]])
        assert "Buckinghamshire" in shown, text
        for secret in ("CSE profile", CHAIR, "Jo Smith", "Sam Lee"):
            assert secret not in shown, (text, secret)
    assert len(h.fake.calls_to("views.open")) == opened
    async with h.services.store.session() as s:
        assert await directory.workspace_area(s, "slack", SUFFOLK_TEAM) == "suffolk"
        assert await directory.area_workspaces(s, "buckinghamshire", "slack") == [TEAM]
    assert len(await refusals(h, "buckinghamshire")) >= 10
    # public facts about Buckinghamshire are still answered
    status, body = await suffolk_command(h, "who leads on CSE in buckinghamshire?")
    assert status == 200 and "BSCB" in json.dumps(body)


async def test_a_suffolk_admin_gives_no_one_a_buckinghamshire_role(two_areas):
    h = two_areas
    status, body = await suffolk_command(h, f"admin link-user <@{SUE}> chair of BSCB", SID)
    assert status == 200 and "don't know who" in json.dumps(body)
    status, body = await suffolk_command(h, f"admin link-user <@{SUE}> chair of BSCB in buckinghamshire", SID)
    assert status == 200 and "administrator of Buckinghamshire" in json.dumps(body)
    async with h.services.store.session() as s:
        sue = await directory.get_person(s, "slack", SUFFOLK_TEAM, SUE)
        assert set(sue.grants) == {"suffolk"}
        assert [p.user_id for p in await directory.people_with_role(s, "buckinghamshire", "chair:bscb")] == [CHAIR]


async def test_an_open_the_form_button_naming_another_area_exports_nothing(two_areas):
    h = two_areas
    await raise_in_bucks(h)
    value = kit.button_value(kit.OPEN_FORM_ACTION, {"t": "challenge export 2000-01-01 2100-12-31", "area": "buckinghamshire"})
    blocks = [{"type": "actions", "block_id": "bb-forged-0", "elements": [
        {"type": "button", "action_id": "bb|0|open", "text": {"type": "plain_text", "text": "Open the form"}, "value": value}]}]
    seen = len(h.fake.calls)
    await h.interact(from_workspace(h.press(blocks, "Open the form", channel=SUFFOLK_HWB), SUFFOLK_TEAM, SUE))
    await h.settle()
    shown = json.dumps([c.args for c in h.fake.calls[seen:]])
    assert "only for people who hold a role in Buckinghamshire" in shown
    assert "CSE profile" not in shown and "challenges.csv" not in shown


async def test_the_home_tab_shows_only_the_workspaces_own_area(two_areas):
    from tests.slack.conftest import payload

    h = two_areas
    await raise_in_bucks(h)
    event = payload("event_app_home_opened")
    event["team_id"] = SUFFOLK_TEAM
    event["event"]["user"] = SUE
    await h.event(event)
    await h.settle()
    view = h.fake.calls_to("views.publish")[-1].args["view"]
    assert "Suffolk" in json.dumps(view) and "CSE profile" not in json.dumps(view)


async def test_text_as_long_as_the_form_allows_is_kept_whole(two_areas):
    """PostgreSQL lost a subject over 500 characters (VARCHAR(500)) and said "Something went wrong"."""
    h = two_areas
    subject = "Subject " + "x" * 292  # the form's 300 characters
    concern = "c" * 3000
    await h.command("challenge HWB")
    await h.settle()
    view = h.fake.calls_to("views.open")[-1].args["view"]
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b.get("type") == "input"}
    assert inputs["subject"]["max_length"] == 300 and inputs["concern"]["max_length"] == 3000
    status, body = await h.interact(h.submission(view, {"to_board": "hwb", "subject": subject, "concern": concern,
                                                        "response_sought": "r"}))
    assert status == 200 and not (body or {}).get("errors"), body
    row = await challenge_row(h)
    assert row.subject == subject and row.concern == concern
    # a crafted submission past the form's limits is refused in the modal, naming the limit
    await h.command("challenge BSAB")
    await h.settle()
    view = h.fake.calls_to("views.open")[-1].args["view"]
    status, body = await h.interact(h.submission(view, {"to_board": "bsab", "subject": "y" * 4635, "concern": "c",
                                                        "response_sought": "r"}))
    assert status == 200 and body["response_action"] == "errors"
    assert "300" in body["errors"]["subject"] and "4,635" in body["errors"]["subject"]
    async with h.services.store.session() as s:
        assert (await s.execute(select(func.count()).select_from(Challenge))).scalar_one() == 1
