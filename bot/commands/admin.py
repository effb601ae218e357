"""Administration from chat: link this workspace, this channel and people to the area's directory.

Only the area's administrators may use these (granted with ``boardbot admin grant`` on the
server, or by another administrator); anyone else is refused and the refusal recorded.
"""

from __future__ import annotations

import re

from bot import administration
from bot.commands import Context, command
from bot.identity import UnknownIdentity, describe_roles
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
    by = req.actor.label
    where = {"platform": req.platform, "workspace": req.actor.workspace}
    try:
        if sub == "link-area":
            slug = ctx.knowledge.resolve_area(rest)
            if slug is None:
                return error(f"Unknown area \u201c{rest}\u201d.", hint="Areas: " + "; ".join(ctx.knowledge.area_names()))
            return Reply(text=await administration.link_area(s, ctx.knowledge.area(slug), by=by, **where))
        if sub in ("link-channel", "unlink-channel"):
            if not req.channel:
                return error("Run this in the channel you want to link.")
            if sub == "unlink-channel":
                return Reply(text=await administration.unlink_channel(s, area, platform=req.platform, channel=req.channel, by=by))
            ref = await directory.conversation_ref(s, req.channel) if req.platform == "teams" else None
            return Reply(text=await administration.link_channel(s, area, channel=req.channel, what=rest, by=by,
                                                                conversation_ref=ref, **where))
        if sub in ("link-user", "unlink-user", "make-admin"):
            user, phrase = _target_user(ctx, rest)
            if user is None:
                return error("Mention the person: e.g. admin link-user @jo chair of BSCB")
            if sub == "make-admin":
                await administration.make_admin(s, area, user=user, by=by, **where)
                return Reply(text=f"@{user} is now an administrator of {area.name}.", data={"mentions": [user]})
            p = await administration.set_roles(s, area, user=user, phrase=phrase, by=by, remove=sub == "unlink-user", **where)
            return Reply(text=f"@{user}: {describe_roles(area, p.roles)}" + (" (admin)" if p.is_admin else ""),
                         data={"mentions": [user]})
        if sub in ("directory", "who", "list"):
            return Reply(text="\n".join(await administration.directory_lines(s, area)), title=f"Directory — {area.name}")
    except (administration.AdminError, UnknownIdentity) as exc:
        return error(str(exc))
    return error(f"Unknown admin command \u201c{sub}\u201d.", hint=USAGE)
