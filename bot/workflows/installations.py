"""When a platform takes boardbot out of a workspace: its posts stop, and the areas' admins hear of it.

Slack sends ``app_uninstalled`` when a workspace removes boardbot and ``tokens_revoked`` when
its bot token is revoked; either way nothing can be posted there any more. The Slack platform
deletes the installation (Bolt's installation store) and calls :func:`workspace_removed`,
which, in one transaction:

- settles every post still queued for that workspace's channels as failed, with the reason,
  so none is retried for a day (:func:`scheduler.outbox.abandon`);
- tells the admins of every area that had a channel, a link or a queued post there, through
  the outbox, in the admins' channels *outside* that workspace; where the only admins'
  channel was in it, in the directors' channels instead, and the notice says so; where there
  is neither, the server log says so (at ERROR, naming the area) and the audit records it;
- records the removal in each such area's audit.

The same event delivered twice (Slack retries) acts once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select

from bot.messages import Reply
from bot.notify import ADMINS, DIRECTORS
from bot.services import Services
from scheduler.outbox import abandon
from storage.audit import record
from storage.dedupe import first_time
from storage.models import Area, ChannelLink, Workspace

log = logging.getLogger("boardbot.installations")


@dataclass(frozen=True)
class Told:
    """Where one area's admins were told: ``admins``, ``directors`` or ``nowhere`` (the log)."""

    area: str
    where: str
    stopped: int


async def workspace_removed(services: Services, *, platform: str, workspace: str, why: str, key: str,
                            name: str = "", install_hint: str = "") -> list[Told]:
    """boardbot can no longer post to ``workspace`` (``why``: "was uninstalled", "had its bot token
    revoked"). ``key`` is the platform event's id, so a repeat acts once. Returns, per area, where its
    admins were told."""
    store = services.store
    if store is None:
        return []
    label = f"{name} ({workspace})" if name else workspace
    out: list[Told] = []
    async with store.session() as s, s.begin():
        if not await first_time(s, f"removed:{platform}:{workspace}:{key}"):
            return []
        reason = f"boardbot {why} in {platform.capitalize()} workspace {label}: nothing can be posted there"
        stopped = await abandon(s, platform=platform, workspace=workspace, reason=reason)
        linked = (await s.execute(select(ChannelLink.area_id, ChannelLink.purpose, ChannelLink.board_key,
                                         ChannelLink.channel_id)
                                  .where(ChannelLink.platform == platform, ChannelLink.workspace == workspace))).all()
        home = (await s.execute(select(Workspace.area_id).where(Workspace.platform == platform,
                                                                Workspace.external_id == workspace))).scalars().all()
        area_ids = sorted({*stopped, *(row.area_id for row in linked), *home})
        slugs = dict((await s.execute(select(Area.id, Area.slug).where(Area.id.in_(area_ids)))).all()) if area_ids else {}
        for area_id in area_ids:
            slug = slugs[area_id]
            channels = [r for r in linked if r.area_id == area_id]
            admins_there = any(r.purpose == "admins" for r in channels)
            n = stopped.get(area_id, 0)
            lines = [f"boardbot {why} in the {platform.capitalize()} workspace {label}, so it can no longer post there."]
            if channels:
                names = ", ".join(sorted({_channel_label(r.purpose, r.board_key, r.channel_id) for r in channels}))
                lines.append(f"Channels linked there: {names}.")
            lines.append(f"{n} queued post(s) for that workspace were stopped and will not be retried." if n
                         else "No posts were waiting for it.")
            lines.append("To restore it, reinstall boardbot in that workspace"
                         + (f" ({install_hint})" if install_hint else "")
                         + " and link its channels again, or link channels elsewhere (/board admin link-channel).")
            post_key = f"removed:{platform}:{workspace}:{key}:{area_id}"
            where = "admins"
            sent = await services.notifier.post(
                s, area_slug=slug, target=ADMINS, origin="admin", key=post_key, exclude=(platform, workspace),
                reply=Reply(title="boardbot was removed from a workspace",
                            text="\n".join(lines + ([_moved("your other admins' channels")] if admins_there else []))))
            if not sent:
                where = "directors"
                sent = await services.notifier.post(
                    s, area_slug=slug, target=DIRECTORS, origin="admin", key=post_key, exclude=(platform, workspace),
                    reply=Reply(title="boardbot was removed from a workspace (for the area's administrators)",
                                text="\n".join(lines + [_moved("the directors' channel", admins_there)])))
            if not sent:
                where = "nowhere"
                log.error("%s: %s No admins' or directors' channel outside that workspace is linked, so the "
                          "administrators are told only here: link one with `boardbot admin link-channel --purpose "
                          "admins`.", slug, " ".join(lines))
            await record(s, slug, "workspace", None, f"{platform}:{workspace}", "workspace-removed",
                         {"why": why, "workspace": workspace, "name": name, "stopped": n, "told": where,
                          "channels": [r.channel_id for r in channels]})
            out.append(Told(slug, where, n))
    services.notifier.kick()
    for told in out:
        log.warning("%s workspace %s: boardbot %s; %d queued post(s) stopped; %s's admins told in: %s",
                    platform, label, why, told.stopped, told.area, told.where)
    return out


def _channel_label(purpose: str, board_key: str, channel_id: str) -> str:
    what = board_key.upper() if purpose == "board" else purpose
    return f"{channel_id} ({what})"


def _moved(where: str, admins_there: bool = True) -> str:
    if admins_there:
        return f"(The admins' channel was in that workspace, so this notice is posted in {where} instead.)"
    return f"(No admins' channel is linked outside that workspace, so this notice is posted in {where}.)"
