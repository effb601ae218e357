"""Administration from chat: link this workspace, this channel and people to the area's directory.

Only the area's administrators may use these (granted with ``boardbot admin grant`` on the
server, or by another administrator); anyone else is refused and the refusal recorded.
"""

from __future__ import annotations

import re

from bot.commands import Context, command
from bot.identity import UnknownIdentity, describe_roles, roles_for
from bot.messages import Reply, error
from storage import directory
from storage.audit import record

USAGE = """Administration (admins only):
• admin link-area <area> — answer for <area> in this workspace by default
• admin link-channel <board | directors | admins> — post that board's notices, or escalations, or admin alerts here
• admin unlink-channel — stop posting here
• admin link-user @person <role> — e.g. "admin link-user @jo chair of BSCB", "business manager of BSAB", "director", "DCS"
• admin unlink-user @person <role>
• admin make-admin @person
• admin directory — who has which role, and which channels are linked"""

_SUB = re.compile(r"^\s*(?:/board\s+)?admin\s*(?P<sub>[\w-]*)\s*(?P<rest>.*)$", re.I | re.S)
_MENTION = re.compile(r"^\s*(?:<@?(?P<id1>[^>|]+)(?:\|[^>]*)?>|@(?P<id2>\S+))\s*(?P<rest>.*)$", re.S)


def _target_user(ctx: Context, rest: str) -> tuple[str | None, str]:
    """The user a sub-command is about (first @mention) and the rest of the text."""
    m = _MENTION.match(rest)
    if not m:
        return None, rest
    mentioned = m.group("id1") or m.group("id2")
    if ctx.request.mentions:
        mentioned = ctx.request.mentions[0]
    return mentioned, m.group("rest").strip()


@command("admin", section="Administration")
async def admin(ctx: Context) -> Reply:
    """Link workspaces, channels and people to the area (admins only).

    Examples:
      admin link-channel BSCB
      admin link-channel directors
      admin link-user @jo chair of BSCB
      admin directory
    """
    area = ctx.area
    assert area is not None
    req = ctx.request
    m = _SUB.match(req.text)
    sub = (m.group("sub") if m else "").lower()
    rest = (m.group("rest") if m else "").strip()
    if not sub or sub == "help":
        return Reply(text=USAGE, title="boardbot administration")
    store = ctx.services.store
    if store is None:
        return error("Administration needs the database; it is not available here.")
    async with store.session() as s, s.begin():
        if not req.actor.is_admin:
            await record(s, area.slug, "admin", None, req.actor.label, "refused", {"command": sub, "platform": req.platform})
            return error("Only an administrator of this area can do that.",
                         hint="Ask one of them, or the server operator: boardbot admin grant --help")
        return await _run(ctx, s, sub, rest)


async def _run(ctx: Context, s, sub: str, rest: str) -> Reply:
    area = ctx.area
    assert area is not None
    req = ctx.request
    actor = req.actor.label
    if sub == "link-area":
        slug = ctx.knowledge.resolve_area(rest)
        if slug is None:
            return error(f"Unknown area \u201c{rest}\u201d.", hint="Areas: " + "; ".join(ctx.knowledge.area_names()))
        await directory.link_workspace(s, req.platform, req.actor.workspace, slug)
        await record(s, slug, "admin", None, actor, "link-area", {"platform": req.platform, "workspace": req.actor.workspace})
        return Reply(text=f"This workspace now answers for {ctx.knowledge.area(slug).name} by default.")
    if sub in ("link-channel", "unlink-channel"):
        if not req.channel:
            return error("Run this in the channel you want to link.")
        if sub == "unlink-channel":
            n = await directory.unlink_channel(s, area_slug=area.slug, platform=req.platform, channel_id=req.channel)
            await record(s, area.slug, "admin", None, actor, "unlink-channel", {"channel": req.channel})
            return Reply(text=f"Unlinked this channel ({n} link{'s' if n != 1 else ''} removed).")
        what = rest.strip().lower()
        if what in ("directors", "director", "directors channel"):
            purpose, board_key, label = "directors", "", "the directors' channel (escalation notices)"
        elif what in ("admins", "admin", "administrators"):
            purpose, board_key, label = "admins", "", "the admins' channel (delivery problems)"
        else:
            found = area.find_board(rest).match if rest else None
            if found is None:
                return error(f"Which board? \u201c{rest}\u201d is not one of {area.name}'s boards.",
                             hint="e.g. admin link-channel " + area.protocol.boards[0].short_name + ", or directors, or admins")
            purpose, board_key = "board", found.key
            label = f"the {area.boards[found.key].short_name} channel (its challenges, agenda requests and reminders)"
        ref = None
        if req.platform == "teams":
            ref = await directory.conversation_ref(s, req.channel)
        await directory.link_channel(s, area_slug=area.slug, platform=req.platform, workspace=req.actor.workspace,
                                     channel_id=req.channel, purpose=purpose, board_key=board_key, conversation_ref=ref)
        await record(s, area.slug, "admin", None, actor, "link-channel", {"channel": req.channel, "purpose": purpose, "board": board_key})
        return Reply(text=f"Linked: this channel is now {label} for {area.name}.")
    if sub in ("link-user", "unlink-user", "make-admin"):
        user, phrase = _target_user(ctx, rest)
        if user is None:
            return error("Mention the person: e.g. admin link-user @jo chair of BSCB")
        if sub == "make-admin":
            await directory.upsert_person(s, area_slug=area.slug, platform=req.platform, workspace=req.actor.workspace,
                                          user_id=user, is_admin=True)
            await record(s, area.slug, "admin", None, actor, "make-admin", {"user": user})
            return Reply(text=f"@{user} is now an administrator of {area.name}.", data={"mentions": [user]})
        try:
            roles = roles_for(area, phrase)
        except UnknownIdentity as exc:
            return error(str(exc))
        is_admin = True if "admin" in roles else None
        roles = roles - {"admin"}
        if sub == "link-user":
            p = await directory.upsert_person(s, area_slug=area.slug, platform=req.platform, workspace=req.actor.workspace,
                                              user_id=user, add_roles=roles, is_admin=is_admin)
        else:
            p = await directory.upsert_person(s, area_slug=area.slug, platform=req.platform, workspace=req.actor.workspace,
                                              user_id=user, remove_roles=roles)
        await record(s, area.slug, "admin", None, actor, sub, {"user": user, "roles": sorted(roles)})
        return Reply(text=f"{user}: {describe_roles(area, p.roles)}" + (" (admin)" if p.is_admin else ""))
    if sub in ("directory", "who", "list"):
        people = await directory.people_in_area(s, area.slug)
        links = await directory.channel_links(s, area.slug)
        lines = [f"Directory of {area.name}:"]
        lines += [f"• {p.display_name or p.user_id} ({p.platform}:{p.user_id}) — {describe_roles(area, p.roles)}"
                  + (" — admin" if p.is_admin else "") for p in people] or ["• nobody linked yet"]
        lines.append("Channels:")
        lines += [f"• {link.platform}:{link.channel_id} — "
                  + (area.boards[link.board_key].short_name if link.board_key in area.boards else link.purpose)
                  for link in links] or ["• none linked yet"]
        return Reply(text="\n".join(lines), title=f"Directory — {area.name}")
    return error(f"Unknown admin command \u201c{sub}\u201d.", hint=USAGE)
