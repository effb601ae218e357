"""Linking an area's directory: workspaces, channels, people and their roles.

One set of operations behind both the chat command (``/board admin ...``) and the server
CLI (``boardbot admin ...``): each records an audit event and raises :class:`AdminError`
(or :class:`~bot.identity.UnknownIdentity`) with a message that says what to type instead.
The caller commits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.identity import describe_roles, roles_for
from bot.knowledge import AreaKnowledge
from storage import directory
from storage.audit import record
from storage.directory import PersonInfo


class AdminError(ValueError):
    """The request names something the area does not have; the message says what would work."""


async def link_area(s: AsyncSession, area: AreaKnowledge, *, platform: str, workspace: str, by: str,
                    first_only: bool = False) -> str:
    """Link a workspace (Slack team, Teams tenant) to the area. From chat ``first_only``: only where
    neither is linked yet (else :class:`~storage.directory.WorkspaceLinked`); the server may move
    a workspace, which is recorded in both areas' audits."""
    was = await directory.workspace_area(s, platform, workspace)
    changed = await directory.link_workspace(s, platform, workspace, area.slug, first_only=first_only)
    if changed:
        detail = {"platform": platform, "workspace": workspace, "moved_from": was}
        await record(s, area.slug, "admin", None, by, "link-area", detail)
        if was and was != area.slug:
            await record(s, was, "admin", None, by, "unlink-area", {**detail, "moved_to": area.slug})
    return f"This workspace now answers for {area.name} by default."


async def link_channel(
    s: AsyncSession, area: AreaKnowledge, *, platform: str, workspace: str, channel: str, what: str, by: str,
    conversation_ref: dict[str, Any] | None = None, now: dt.datetime | None = None,
) -> str:
    """Link ``channel`` to a board (``what`` names it) or to the directors' or admins' purpose."""
    word = what.strip().lower()
    if word in ("directors", "director", "directors channel"):
        purpose, board_key, label = "directors", "", "the directors' channel (escalation notices)"
    elif word in ("admins", "admin", "administrators"):
        purpose, board_key, label = "admins", "", "the admins' channel (delivery problems)"
    else:
        found = area.find_board(what).match if what.strip() else None
        if found is None:
            raise AdminError(f"\u201c{what}\u201d is not one of {area.name}'s boards; give a board such as "
                             f"{area.protocol.boards[0].short_name}, or directors, or admins.")
        purpose, board_key = "board", found.key
        label = f"the {area.boards[found.key].short_name} channel (its challenges, agenda requests and reminders)"
    await directory.link_channel(s, area_slug=area.slug, platform=platform, workspace=workspace, channel_id=channel,
                                 purpose=purpose, board_key=board_key, conversation_ref=conversation_ref)
    from bot.notify import release_waiting

    released = await release_waiting(s, area.slug, purpose, board_key, now or dt.datetime.now(dt.UTC))
    await record(s, area.slug, "admin", None, by, "link-channel",
                 {"channel": channel, "purpose": purpose, "board": board_key, "released": released})
    waited = (f" {released} post{'s' if released != 1 else ''} that waited for it {'are' if released != 1 else 'is'} posted here now."
              if released else "")
    return f"Linked: this channel is now {label} for {area.name}.{waited}"


async def unlink_channel(s: AsyncSession, area: AreaKnowledge, *, platform: str, channel: str, by: str) -> str:
    n = await directory.unlink_channel(s, area_slug=area.slug, platform=platform, channel_id=channel)
    await record(s, area.slug, "admin", None, by, "unlink-channel", {"channel": channel})
    return f"Unlinked this channel ({n} link{'s' if n != 1 else ''} removed)."


async def set_roles(
    s: AsyncSession, area: AreaKnowledge, *, platform: str, workspace: str, user: str, phrase: str, by: str,
    remove: bool = False, display_name: str | None = None,
) -> PersonInfo:
    """Give (or take away) the roles ``phrase`` names, e.g. "chair of BSCB". Raises UnknownIdentity."""
    roles = roles_for(area, phrase)
    is_admin = True if "admin" in roles and not remove else None
    roles -= {"admin"}
    person = await directory.upsert_person(
        s, area_slug=area.slug, platform=platform, workspace=workspace, user_id=user, display_name=display_name,
        add_roles=frozenset() if remove else roles, remove_roles=roles if remove else frozenset(), is_admin=is_admin,
    )
    await record(s, area.slug, "admin", None, by, "unlink-user" if remove else "link-user", {"user": user, "roles": sorted(roles)})
    return person


async def make_admin(s: AsyncSession, area: AreaKnowledge, *, platform: str, workspace: str, user: str, by: str,
                     display_name: str | None = None) -> PersonInfo:
    person = await directory.upsert_person(s, area_slug=area.slug, platform=platform, workspace=workspace, user_id=user,
                                           display_name=display_name, is_admin=True)
    await record(s, area.slug, "admin", None, by, "make-admin", {"platform": platform, "user": user})
    return person


async def directory_lines(s: AsyncSession, area: AreaKnowledge) -> list[str]:
    """Who has which role, and which channels are linked, one line each."""
    people = await directory.people_in_area(s, area.slug)
    links = await directory.channel_links(s, area.slug)
    lines = [f"Directory of {area.name}:"]
    lines += [f"• {p.display_name or p.user_id} ({p.platform}:{p.workspace}:{p.user_id}) — {describe_roles(area, p.roles)}"
              + (" — admin" if p.is_admin else "") for p in people] or ["• nobody linked yet"]
    lines.append("Channels:")
    lines += [f"• {link.platform}:{link.channel_id} — "
              + (area.boards[link.board_key].short_name if link.board_key in area.boards else link.purpose)
              for link in links] or ["• none linked yet"]
    return lines
