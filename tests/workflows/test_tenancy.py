"""An area is a wall, through the core, on SQLite and PostgreSQL: every action on another area's
object refused and recorded with nothing changed; typed workflow commands about another area
refused; public protocol facts still answered; linking workspaces only as far as chat may."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from tenancy_world import BUCKS, BUCKS_WS, SUFFOLK, SUFFOLK_WS, build

from bot.actions import SUBJECTS, load_all
from storage import directory
from storage.models import PersonRole

NEW_OBJECT_ACTIONS = {"challenge.submit", "challenge.edit", "agenda.submit"}  # they make something, in the workspace's area


@pytest.fixture
async def walls(db_url):
    from bot.bootstrap import open_services
    from bot.config import from_env

    services = await open_services(from_env({"DATABASE_URL": db_url}))
    try:
        yield await build(services)
    finally:
        await services.close()


def forged_value(w, name: str) -> dict:
    """What a crafted press of ``name`` sends: a Buckinghamshire object's id, everything a handler
    reads filled in, and ``area`` claiming the attacker's own area."""
    o = w.objects
    base = {"area": SUFFOLK, "text": "forged", "reason": "forged", "days": 10, "event": o["event"], "rung": 0,
            "side": "raiser", "meeting_id": str(o["meeting"]), "new_meeting": "2027-02-02 10:00", "for": "1w",
            "occ": "2026-12-01T09:00:00+00:00", "confirmed": 1}
    subject = SUBJECTS[name]
    key = {"challenge": "challenge", "agenda request": "agenda", "reminder": "rule"}[subject.noun]
    return {**base, subject.key: o[key]}


def test_every_workflow_action_is_either_on_a_stored_object_or_makes_a_new_one():
    """So the table below covers every action the workflows register (a new one must say which it is)."""
    names = {n for n in load_all() if n.split(".")[0] in ("challenge", "agenda", "reminder")}
    assert names - set(SUBJECTS) == NEW_OBJECT_ACTIONS
    assert len(SUBJECTS.keys() & names) >= 28


async def test_every_action_on_another_areas_object_is_refused_recorded_and_changes_nothing(walls):
    w = walls
    before = await w.state()
    names = sorted(n for n in SUBJECTS if n.split(".")[0] in ("challenge", "agenda", "reminder"))
    for name in names:
        refusals = len(await w.refusals(BUCKS))
        reply = await w.act("suffolk", name, forged_value(w, name), area=BUCKS)
        assert not reply.ok, (name, reply.text)
        assert "Buckinghamshire" in reply.text and "hold no role" in reply.text, (name, reply.text)
        assert reply.form is None and not reply.buttons, name
        recorded = await w.refusals(BUCKS)
        assert len(recorded) == refusals + 1, name
        assert recorded[-1].detail["action"] == name and recorded[-1].detail["from_area"] == SUFFOLK
        assert recorded[-1].actor == "Sue Folk"
    assert await w.state() == before


@pytest.mark.parametrize("name", sorted(NEW_OBJECT_ACTIONS))
async def test_a_form_naming_another_area_is_refused_in_both_areas_audits(walls, name):
    w = walls
    before = await w.state()
    value = {"area": BUCKS, "from_board": "hwb", "to_board": "bscb", "subject": "Taken over", "concern": "x",
             "response_sought": "y", "title": "t", "reason": "r"}
    reply = await w.act("suffolk", name, value, area=BUCKS)
    assert not reply.ok and "another area" in reply.text and "Suffolk" in reply.text
    assert len(await w.refusals(BUCKS)) == 1 and len(await w.refusals(SUFFOLK)) == 1
    assert await w.state() == before


async def test_damaged_ids_are_answered_plainly(walls):
    w = walls
    before = await w.state()
    for bad in ("abc", [1], {"x": 1}, 10**30, -1, "", None, 999999):
        reply = await w.act("jo", "challenge.escalate", {"id": bad, "rung": 0})
        assert not reply.ok and "no longer exists" in reply.text, bad
        reply = await w.act("sam", "reminder.done", {"rule": bad, "occ": "2026-12-01T09:00:00+00:00"})
        assert not reply.ok, bad
    assert await w.state() == before


@pytest.mark.parametrize("number", ["9" * 25, str(2**63), str(2**31)])
async def test_a_typed_number_too_big_for_any_challenge_is_answered_plainly(walls, number):
    w = walls
    before = await w.state()
    for text in (f"challenge {number}", f"challenge C{number}"):
        reply = await w.say("jo", text)
        assert not reply.ok and f"No challenge C{number} that you can see" in reply.text, reply.text
    for text in (f"remind cancel {number}", "remind cancel \u00b2"):
        reply = await w.say("sam", text)
        assert not reply.ok and "remind list" in reply.text, reply.text
    assert await w.state() == before


async def test_the_same_actions_still_work_for_the_areas_own_people(walls):
    w = walls
    ch = w.objects["challenge"]
    agreed = await w.act("jo", "challenge.extend", {"id": ch, "days": 10, "event": w.objects["event"]})
    assert agreed.ok and "Extension agreed" in agreed.text
    escalated = await w.act("jo", "challenge.escalate", {"id": ch, "rung": 0, "area": SUFFOLK, "confirmed": 1,
                                                         "reason": "No answer."})  # a claimed area is ignored
    assert escalated.ok and escalated.data["rung"] == 1


# --- typed commands ---------------------------------------------------------------------------


WORKFLOW_COMMANDS = [
    "challenge in buckinghamshire",
    "challenge HWB in buckinghamshire",
    "challenges in buckinghamshire",
    "challenges all in Buckinghamshire",
    "challenge 1 in buckinghamshire",
    "challenge export 2000-01-01 2100-12-31 in buckinghamshire",
    "agenda BSCB in buckinghamshire",
    "agenda HWB in buckinghamshire",
    "agenda request BSCB in buckinghamshire",
    "agenda HWB https://example.org/a.pdf in buckinghamshire",
    "minutes HWB https://example.org/m.pdf in buckinghamshire",
    "meeting add HWB 2027-03-03 10:00 Taken in buckinghamshire",
    "remind list in buckinghamshire",
    "remind HWB 2027-01-05 09:00 forged in buckinghamshire",
    "admin directory in buckinghamshire",
    "admin link-user <@U0SUFFADM> chair of BSCB in buckinghamshire",
    "admin link-channel HWB in buckinghamshire",
    "admin make-admin <@U0SUFFADM> in buckinghamshire",
    "calendar link in buckinghamshire",
]


@pytest.mark.parametrize("text", WORKFLOW_COMMANDS)
async def test_typed_workflow_commands_about_another_area_are_refused(walls, text):
    w = walls
    before = await w.state()
    reply = await w.say("suffolk", text)
    assert not reply.ok, reply.text
    assert "Buckinghamshire" in reply.text
    # none of Buckinghamshire's work shows through
    for secret in ("CSE profile", "U0CHAIR01", "Jo Smith", "Sam Lee", "C1", "A1"):
        assert secret not in reply.text, (secret, reply.text)
    assert await w.refusals(BUCKS), "the refusal is on Buckinghamshire's record"
    assert await w.state() == before


async def test_another_areas_public_protocol_stays_answerable(walls):
    w = walls
    for text, expect in (("who leads on CSE in buckinghamshire?", "BSCB"), ("boards in buckinghamshire", "BSCB"),
                         ("who chairs the BSCB in buckinghamshire?", "BSCB"),
                         ("how do I challenge another board in buckinghamshire?", "Buckinghamshire"),
                         ("meetings in buckinghamshire", "Buckinghamshire"), ("reports in buckinghamshire", "")):
        reply = await w.say("suffolk", text)
        assert reply.ok and expect in reply.text, (text, reply.text)
    assert await w.refusals(BUCKS) == []


async def test_a_role_held_in_another_area_opens_its_reads_but_starts_nothing_there(walls):
    w = walls
    async with w.services.store.session() as s, s.begin():  # granted on the server: a director of both areas
        await directory.upsert_person(s, area_slug=BUCKS, platform="slack", workspace=SUFFOLK_WS, user_id="U0SUFFADM",
                                      add_roles=frozenset({"director"}))
    listed = await w.say("suffolk", "challenges in buckinghamshire")
    assert listed.ok and "CSE profile" in listed.text
    raised = await w.say("suffolk", "challenge HWB in buckinghamshire")
    assert not raised.ok and "own workspace" in raised.text


async def test_a_member_sees_their_own_areas_agenda_but_not_anothers(walls):
    w = walls
    mine = await w.say("bob", "agenda HWB")
    assert mine.ok and "HWB" in mine.text and "CSE profile" not in mine.text  # pending items are for the boards involved
    assert not (await w.say("bob", "agenda HWB in suffolk")).ok


# --- administration ---------------------------------------------------------------------------------


async def test_a_suffolk_admin_cannot_take_buckinghamshire(walls):
    w = walls
    before = await w.state()
    taken = await w.say("suffolk", "admin link-area buckinghamshire")
    assert not taken.ok and "already answers for Suffolk" in taken.text and "server" in taken.text
    async with w.services.store.session() as s:
        assert await directory.workspace_area(s, "slack", SUFFOLK_WS) == SUFFOLK
    made = await w.say("suffolk", "admin link-user <@U0MEMBER9> chair of BSCB")
    assert not made.ok and "don't know who" in made.text  # Suffolk has no BSCB: no role anywhere
    assert await w.state() == before
    assert await w.refusals(BUCKS) and await w.refusals(SUFFOLK)


async def test_chat_may_only_make_a_first_link(walls):
    w = walls
    services = w.services
    from bot.identity import resolve_actor
    from bot.messages import Request
    from bot.router import handle

    async def say(ws: str, user: str, text: str):
        actor, area = await resolve_actor(services, platform="slack", workspace=ws, user_id=user)
        return await handle(Request(text=text, actor=actor, area=area, platform="slack", channel="C1"), services)

    async with services.store.session() as s, s.begin():  # the server makes the first administrators
        for ws, user in (("T-NEW1", "U1"), ("T-NEW2", "U2")):
            await directory.upsert_person(s, area_slug="lancashire", platform="slack", workspace=ws, user_id=user, is_admin=True)
        await directory.upsert_person(s, area_slug="central-bedfordshire", platform="slack", workspace="T-NEW1", user_id="U1",
                                      is_admin=True)
    first = await say("T-NEW1", "U1", "admin link-area lancashire")
    assert first.ok and "now answers for Lancashire" in first.text
    again = await say("T-NEW1", "U1", "admin link-area lancashire")
    assert again.ok and "already answers" in again.text
    moved = await say("T-NEW1", "U1", "admin link-area central bedfordshire")  # an admin there too, but it is a move
    assert not moved.ok and "already answers for Lancashire" in moved.text and "server" in moved.text
    second = await say("T-NEW2", "U2", "admin link-area lancashire")
    assert not second.ok and "already has a slack workspace" in second.text
    async with services.store.session() as s:
        assert await directory.workspace_area(s, "slack", "T-NEW1") == "lancashire"
        assert await directory.workspace_area(s, "slack", "T-NEW2") is None
        # the server may move it, and both areas keep a record
        from bot import administration

        await administration.link_area(s, services.knowledge.area("central-bedfordshire"), platform="slack",
                                       workspace="T-NEW1", by="cli")
        await s.commit()
        assert await directory.workspace_area(s, "slack", "T-NEW1") == "central-bedfordshire"


async def test_roles_granted_in_one_area_stay_there(walls):
    w = walls
    reply = await w.say("ada", "admin link-user <@U0SUFFADM> chair of BSCB")  # a Suffolk person's id, in Bucks' workspace
    assert reply.ok
    async with w.services.store.session() as s:
        bucks, suffolk = await directory.area_id(s, BUCKS), await directory.area_id(s, SUFFOLK)
        roles = [(r.area_id, r.role) for r in (await s.execute(select(PersonRole))).scalars()]
    assert (bucks, "chair:bscb") in roles
    assert all(role != "chair:bscb" for area, role in roles if area == suffolk)
    # and the Suffolk person, speaking from Suffolk's workspace, is still nobody in Buckinghamshire
    suffolk_sue = await w.actor("suffolk")
    assert suffolk_sue.roles_in(BUCKS) == frozenset()
    assert BUCKS_WS != SUFFOLK_WS


# --- limits where state changes -------------------------------------------------------------------


async def test_agreeing_more_time_takes_the_days_asked_for_never_the_buttons(walls):
    w = walls
    ch = await w.challenge()
    before = await w.state()
    crafted = await w.act("jo", "challenge.extend", {"id": ch.id, "days": 1500000, "event": w.objects["event"]})
    assert not crafted.ok and "1 to 60" in crafted.text
    unknown = await w.act("jo", "challenge.extend", {"id": ch.id, "days": 10, "event": 1})
    assert not unknown.ok and "no request for more time" in unknown.text
    assert await w.state() == before
    asked = await w.act("sam", "challenge.more_time.submit", {"id": ch.id, "text": "later", "days": "1500000"})
    assert not asked.ok and "1 to 60" in asked.text
    agreed = await w.act("jo", "challenge.extend", {"id": ch.id, "event": w.objects["event"]})
    after = await w.challenge()
    assert agreed.ok and after.due_at - ch.due_at < dt.timedelta(days=20)


async def test_text_as_long_as_the_form_allows_is_kept_whole_and_longer_is_refused(walls):
    from bot.limits import LONG_TEXT, SHORT_TEXT

    w = walls
    form = await w.say("jo", "challenge BSAB")
    limits = {f.name: f.limit for f in form.form.fields}
    assert limits["subject"] == SHORT_TEXT and limits["concern"] == LONG_TEXT == limits["response_sought"]
    subject = "S" * (SHORT_TEXT - 1) + "!"
    raised = await w.submit("jo", form, to_board="bsab", subject=subject, concern="C" * LONG_TEXT, response_sought="R")
    assert raised.ok, raised.text
    stored = await w.challenge(2)
    assert stored.subject == subject and len(stored.concern) == LONG_TEXT
    before = await w.state()
    too_long = await w.submit("jo", form, to_board="bsab", subject="S" * 4635, concern="c", response_sought="r")
    assert not too_long.ok and "4,635" in too_long.text and "300" in too_long.text
    assert too_long.data["field_errors"].keys() == {"subject"}
    too_long = await w.submit("jo", form, to_board="bsab", subject="s", concern="c" * 3001, response_sought="r")
    assert not too_long.ok and "3,001" in too_long.text and "3,000" in too_long.text
    form = await w.say("jo", "agenda request BSAB")
    long_title = await w.submit("jo", form, to_board="bsab", title="T" * 301, reason="r")
    assert not long_title.ok and "300" in long_title.text
    assert await w.state() == before
    # the preferred meeting was VARCHAR(200) on PostgreSQL: the form's 300 now fit
    asked = await w.submit("jo", form, to_board="bsab", title="T" * SHORT_TEXT, reason="R" * LONG_TEXT,
                           preferred_meeting="P" * SHORT_TEXT)
    assert asked.ok, asked.text
    req = await w.agenda_request(2)
    assert len(req.title) == SHORT_TEXT and len(req.preferred_meeting) == SHORT_TEXT and len(req.reason) == LONG_TEXT
    # a response longer than the form allows is refused at the step, nothing stored
    ch = await w.challenge()
    reply = await w.act("sam", "challenge.respond.submit", {"id": ch.id, "text": "x" * (LONG_TEXT + 1)})
    assert not reply.ok and "3,000" in reply.text and (await w.challenge()).status == "open"
