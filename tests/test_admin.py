"""Administration from chat and the CLI: linking workspaces, channels and people; refusals recorded."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import select

from bot.identity import resolve_actor
from bot.messages import Actor, Request
from bot.router import handle
from storage import directory
from storage.models import AuditEvent


async def say(services, actor, text, *, area="buckinghamshire", channel="C1", mentions=()):
    return await handle(Request(text=text, actor=actor, area=area, platform="slack", channel=channel, mentions=mentions), services)


async def test_admin_commands_are_refused_to_non_admins_and_recorded(services):
    member = Actor("slack", "T1", "U-member", "Member")
    reply = await say(services, member, "admin link-channel BSCB")
    assert not reply.ok and "administrator" in reply.text
    async with services.store.session() as s:
        kinds = [e.kind for e in (await s.execute(select(AuditEvent))).scalars()]
        assert kinds == ["refused"]
        assert await directory.channel_links(s, "buckinghamshire") == []


async def test_an_admin_links_the_workspace_a_channel_and_a_chair(services):
    admin = Actor.holding("slack", "T1", "U-admin", "Admin", area="buckinghamshire", admin=True)
    assert (await say(services, admin, "admin link-area Bucks")).ok
    reply = await say(services, admin, "admin link-channel BSCB", channel="C-BSCB")
    assert "BSCB channel" in reply.text
    assert "directors" in (await say(services, admin, "admin link-channel directors", channel="C-DIR")).text
    reply = await say(services, admin, "admin link-user <@U-jo> chair of BSCB", mentions=("U-jo",))
    assert "chair of the BSCB" in reply.text
    actor, area = await resolve_actor(services, platform="slack", workspace="T1", user_id="U-jo", display_name="Jo")
    assert area == "buckinghamshire"
    assert actor.roles_in("buckinghamshire") == frozenset({"chair:bscb"})
    listing = await say(services, admin, "admin directory")
    assert "U-jo" in listing.text and "C-BSCB" in listing.text and "C-DIR" in listing.text
    bad = await say(services, admin, "admin link-user @U-x emperor of mars")
    assert not bad.ok and "don't know who" in bad.text


@pytest.mark.e2e
def test_cli_grant_then_directory(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'bb.db'}"}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "bot.cli", "admin", *args], capture_output=True, text=True, env=env, timeout=60)

    r = run("grant", "--area", "suffolk", "--platform", "slack", "--workspace", "T9", "--user", "U1", "--name", "Sam")
    assert r.returncode == 0, r.stderr
    r = run("link-user", "--area", "suffolk", "--platform", "slack", "--workspace", "T9", "--user", "U2", "business", "manager", "of", "SSAB")
    assert r.returncode == 0 and "business manager of the SSAB" in r.stdout
    r = run("link-channel", "--area", "suffolk", "--platform", "slack", "--workspace", "T9", "--channel", "C7", "--board", "HWB")
    assert r.returncode == 0
    r = run("directory", "--area", "suffolk")
    assert "Sam (slack:T9:U1)" in r.stdout and "— admin" in r.stdout and "slack:C7 — HWB" in r.stdout
    assert "business manager of the SSAB" in r.stdout
    r = run("link-channel", "--area", "suffolk", "--platform", "slack", "--workspace", "T9", "--channel", "C8", "--board", "NOPE")
    assert r.returncode == 2 and "not one of Suffolk's boards" in r.stderr


async def test_who_is_who_is_remembered_but_a_directory_change_applies_at_once(services):
    first, _ = await resolve_actor(services, platform="slack", workspace="T1", user_id="U-sam")
    assert first.roles_in("suffolk") == frozenset()
    async with services.store.session() as s:
        await directory.link_workspace(s, "slack", "T1", "suffolk")
        await directory.upsert_person(s, area_slug="suffolk", platform="slack", workspace="T1", user_id="U-sam",
                                      add_roles=frozenset({"business_manager:ssab"}))
        await s.commit()
    now, area = await resolve_actor(services, platform="slack", workspace="T1", user_id="U-sam")
    assert area == "suffolk" and now.roles_in("suffolk") == frozenset({"business_manager:ssab"})


async def test_a_calendar_address_is_never_made_where_it_cannot_be_shown_privately(services):
    from bot.messages import Visibility

    actor = Actor("teams", "tenant", "aad-1", "Jo")
    in_channel = await handle(Request(text="calendar link", actor=actor, area="suffolk", platform="teams",
                                      channel="19:x@thread.tacv2", private_possible=False), services)
    assert not in_channel.ok and "1:1 chat" in in_channel.text and "/calendar/personal/" not in in_channel.text
    in_private = await handle(Request(text="calendar link", actor=actor, area="suffolk", platform="teams",
                                      channel="a:1on1"), services)
    assert in_private.visibility is Visibility.PERSONAL and "/calendar/personal/" in in_private.text
