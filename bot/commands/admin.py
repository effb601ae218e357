"""Administration from chat: link this workspace, this channel and people to the area's directory.

Only the area's administrators may use these (granted with ``boardbot admin grant`` on the
server, or by another administrator of the same area), and only from the area's own
workspace or tenant: an administrator of Suffolk administers Suffolk, from Suffolk's
workspace, and nothing else. Anyone else is refused and the refusal recorded in the audit of
the area asked about (and of the workspace's own area).

What ``admin link-area <area>`` may do from chat: make the *first* link, where this
workspace answers for no area yet and the area has no workspace of this platform yet, by
someone the server made an administrator of that area. Moving a linked workspace to
another area, or linking a second workspace to an area, is the server operator's act:
``boardbot admin link-workspace``.
"""

from __future__ import annotations

import re

from bot import administration
from bot.commands.arguments import strip_area_words
from bot.commands.examples import localise
from bot.commands.registry import command
from bot.context import Context
from bot.identity import UnknownIdentity, describe_roles
from bot.messages import Reply, error
from bot.tenancy import home_area, may_start_in
from storage import directory
from storage.audit import record

USAGE = """Administration (admins only):
• admin link-area <area> — the first link: this workspace (linked to no area yet) answers for <area>
• admin link-channel <board | directors | admins> — post that board's notices, or escalations, or admin alerts here
• admin unlink-channel — stop posting here
• admin link-user @person <role> — e.g. "admin link-user @jo chair of {board}", "business manager of {other_board}", "vice-chair of {board}", "director", or a post the protocol names
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
      admin link-channel {board}
      admin link-channel directors
      admin link-user @jo chair of {board}
      admin directory
    """
    area = ctx.here
    req = ctx.request
    m = _SUB.match(req.text)
    sub = (m.group("sub") if m else "").lower()
    rest = (m.group("rest") if m else "").strip()
    if not sub or sub == "help":
        return Reply(text=localise(USAGE, area, ctx.knowledge), title="boardbot administration")
    store = ctx.services.store
    if store is None:
        return error("Administration needs the database; it is not available here.")
    actor = req.actor
    if sub == "link-area":
        return await _link_area(ctx, rest)
    rest = strip_area_words(ctx, rest)
    async with store.session() as s, s.begin():
        home = home_area(actor, req.area)
        if not actor.is_admin_in(area.slug):
            await _refused(ctx, s, (area.slug, home), sub, f"not an administrator of {area.name}")
            return error(f"Only an administrator of {area.name} can do that.",
                         hint="Ask one of them, or the server operator: boardbot admin grant --help")
        if not may_start_in(actor, area.slug, req.area):
            here = ctx.knowledge.areas.get(home) if home else None
            await _refused(ctx, s, (area.slug, home), sub, f"administering {area.name} from another area's workspace")
            return error(f"{area.name} is administered from its own workspace; this one answers for "
                         f"{here.name if here else home}.", hint="Run it there, or on the server: boardbot admin --help")
        return await _run(ctx, s, sub, rest)


async def _refused(ctx: Context, s, areas: tuple[str | None, ...], sub: str, reason: str) -> None:
    """Record a refused admin command in the audit of each of ``areas`` (asked about, and the workspace's)."""
    req = ctx.request
    for slug in dict.fromkeys(a for a in areas if a and a in ctx.knowledge.areas):
        await record(s, slug, "admin", None, req.actor.label, "refused",
                     {"command": sub, "reason": reason, "platform": req.platform, "workspace": req.actor.workspace,
                      "from_area": home_area(req.actor, req.area)})


async def _link_area(ctx: Context, rest: str) -> Reply:
    """The first link of this workspace to an area, by that area's administrator; anything more is the server's."""
    req = ctx.request
    actor = req.actor
    phrase = rest.strip()
    slug = ctx.knowledge.resolve_area(phrase) if phrase else None
    if slug is None:
        return error(f"Unknown area \u201c{phrase}\u201d." if phrase else "Which area? e.g. admin link-area suffolk",
                     hint="Areas: " + "; ".join(ctx.knowledge.area_names()))
    target = ctx.knowledge.area(slug)
    async with ctx.services.store.session() as s, s.begin():
        linked = await directory.workspace_area(s, req.platform, actor.workspace)
        home = linked or home_area(actor, req.area)
        if linked and linked != slug:
            was = ctx.knowledge.areas.get(linked).name if linked in ctx.knowledge.areas else linked
            await _refused(ctx, s, (slug, home), "link-area", f"the workspace already answers for {was}")
            return error(f"Not linked to {target.name}: this workspace already answers for {was}. Moving a workspace to another area "
                         "is done on the server, not from chat.",
                         hint="The server operator runs: boardbot admin link-workspace --help")
        if not actor.is_admin_in(slug):
            await _refused(ctx, s, (slug, home), "link-area", f"not an administrator of {target.name}")
            return error(f"Only an administrator of {target.name} can link a workspace to it.",
                         hint="The server operator makes the first one: boardbot admin grant --area "
                              f"{slug} --platform {req.platform} --workspace {actor.workspace} --user {actor.user_id}")
        if linked == slug:
            return Reply(text=f"This workspace already answers for {target.name}.")
        try:
            await administration.link_area(s, target, platform=req.platform, workspace=actor.workspace, by=actor.label,
                                           first_only=True)
        except directory.WorkspaceLinked as exc:
            await _refused(ctx, s, (slug, home), "link-area", str(exc))
            why = ("this workspace already answers for another area" if linked else
                   f"{target.name} already has a {req.platform} workspace")
            return error(f"Not linked: {why}. Moving a workspace, or giving an area a second one, is done on the server.",
                         hint=f"The server operator runs: boardbot admin link-workspace --area {slug} --platform "
                              f"{req.platform} --workspace {actor.workspace}")
    return Reply(text=f"This workspace now answers for {target.name} by default.")


async def _run(ctx: Context, s, sub: str, rest: str) -> Reply:
    area = ctx.here
    req = ctx.request
    by = req.actor.label
    where = {"platform": req.platform, "workspace": req.actor.workspace}
    try:
        if sub in ("link-channel", "unlink-channel"):
            if not req.channel:
                return error("Run this in the channel you want to link.")
            if sub == "unlink-channel":
                return Reply(text=await administration.unlink_channel(s, area, platform=req.platform, channel=req.channel, by=by))
            platform = ctx.services.platforms.get(req.platform)  # Teams posts need the conversation reference
            keeps_ref = platform is not None and platform.keeps_conversation_references
            ref = await directory.conversation_ref(s, req.channel) if keeps_ref else None
            return Reply(text=await administration.link_channel(s, area, channel=req.channel, what=rest, by=by,
                                                                conversation_ref=ref, now=ctx.services.clock(), **where))
        if sub in ("link-user", "unlink-user", "make-admin"):
            user, phrase = _target_user(ctx, rest)
            if user is None:
                return error(localise("Mention the person: e.g. admin link-user @jo chair of {board}", area))
            if sub == "make-admin":
                await administration.make_admin(s, area, user=user, by=by, **where)
                return Reply(text=f"@{user} is now an administrator of {area.name}.", data={"mentions": [user]})
            p = await administration.set_roles(s, area, user=user, phrase=phrase, by=by, remove=sub == "unlink-user", **where)
            return Reply(text=f"@{user}: {describe_roles(area, p.roles)}" + (" (admin)" if p.is_admin else "") + f" in {area.name}",
                         data={"mentions": [user]})
        if sub in ("directory", "who", "list"):
            return Reply(text="\n".join(await administration.directory_lines(s, area)), title=f"Directory — {area.name}")
    except (administration.AdminError, UnknownIdentity) as exc:
        return error(str(exc))
    return error(f"Unknown admin command \u201c{sub}\u201d.", hint=localise(USAGE, area, ctx.knowledge))
