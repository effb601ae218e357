"""Sharing a meeting's agenda or minutes with the partner boards the protocol names."""

from __future__ import annotations

import hashlib
import re

from bot.context import Context
from bot.knowledge import AreaKnowledge
from bot.limits import LINK_MAX, too_long
from bot.messages import Reply, Visibility, error
from bot.notify import Target
from bot.workflows.common import board_short, refuse, refuse_elsewhere
from bot.workflows.permissions import manages
from storage import directory
from storage.audit import record


def sharing_partners(area: AreaKnowledge, board_key: str, item: str) -> tuple[list[str], list[str]]:
    """Boards to share ``item`` (minutes/agendas) with under the protocol, and the clauses that say so."""
    partners: list[str] = []
    clauses: list[str] = []
    for rule in area.protocol.information_sharing:
        if item not in rule.items:
            continue
        sources = rule.from_boards or [b.key for b in area.protocol.boards if b.party]
        if board_key not in sources:
            continue
        for k in sources:
            if k != board_key and k not in partners and k in area.boards:
                partners.append(k)
        clauses.append(rule.source.clause)
    return partners, clauses


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _notice(area: AreaKnowledge, board_key: str, what: str, link: str, partners: list[str], clauses: list[str]) -> Reply:
    b = area.boards[board_key]
    return Reply(
        title=f"{b.short_name} {what} shared",
        text=(f"The {b.name} has shared its {what}: {link}\n"
              f"For the chairs and business managers of: {', '.join(board_short(area, k) for k in partners)}.\n"
              f"Shared as the protocol requires ({'; '.join(clauses)})."),
        visibility=Visibility.CHANNEL,
    )


def _shared(area: AreaKnowledge, board_key: str, what: str, partners: list[str], posted: list[str], waiting: list[str],
            admins: bool) -> str:
    """What the sharer is told: where it was posted, and where it waits for a channel to be linked."""
    text = f"Shared the {area.boards[board_key].short_name} {what} with {', '.join(board_short(area, k) for k in partners)}."
    if posted:
        text += f" Posted to the {_and(posted)} channel{'s' if len(posted) > 1 else ''}."
    if waiting:
        text += (f" No channel is linked for the {_and(waiting)} yet, so it waits there: "
                 f"{'their' if len(waiting) > 1 else 'its'} chair and business manager see it in their \u201cinbox\u201d and it is "
                 "posted when a channel is linked; the area's admins have been asked"
                 + (", in their channel," if admins else " (in their inbox: no admins' channel is linked either)") + " to link one.")
    return text


async def share_papers(ctx: Context, board_key: str, item: str, link: str) -> Reply:
    """Share a meeting's agenda or minutes link with the partner boards' chairs and business managers."""
    area = ctx.here
    if not re.match(r"^<?https?://\S+>?$", link.strip()):
        return error("Give the link to the papers, e.g. minutes BSCB https://example.org/minutes.pdf")
    if (problem := too_long("The link", link.strip(), LINK_MAX)) is not None:
        return error(problem)
    link = link.strip().strip("<>").split("|")[0]
    partners, clauses = sharing_partners(area, board_key, item)
    what = "minutes" if item == "minutes" else "agenda"
    async with ctx.services.store.session() as s:
        if (refused := await refuse_elsewhere(ctx, s, "sharing", f"share the {item}")) is not None:
            return refused
        if not manages(ctx.request.actor, area.slug, board_key):
            return await refuse(ctx, s, "sharing", None,
                                f"Only the {board_short(area, board_key)}'s business manager (or chair) can share its {item}.")
        if not partners:
            return error(f"{area.name}'s protocol names no partner boards to share the {board_short(area, board_key)}'s {item} with.")
        notice = _notice(area, board_key, what, link, partners, clauses)
        now = ctx.services.clock()
        queued = 0
        posted, waiting = [], []
        digest = hashlib.sha256(link.encode()).hexdigest()
        for k in partners:
            # one notice per partner board: each board's inbox, and each waiting board's channel when linked
            n = await ctx.services.notifier.post(s, area_slug=area.slug, target=Target.board(k), reply=notice,
                                                 key=f"papers:{board_key}:{item}:{digest}:{k}", origin="minutes")
            queued += n
            (posted if n else waiting).append(board_short(area, k))
        await record(s, area.slug, "sharing", None, ctx.request.actor.label, f"shared-{what}",
                     {"board": board_key, "link": link, "partners": partners, "at": now.isoformat(), "posted": posted,
                      "waiting": waiting})
        admins = await directory.channels_for(s, area.slug, "admins")
        await s.commit()
    ctx.services.notifier.kick()
    return Reply(text=_shared(area, board_key, what, partners, posted, waiting, bool(admins)),
                 data={"partners": partners, "queued": queued, "posted": posted, "waiting": waiting})
