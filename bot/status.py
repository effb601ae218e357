"""``boardbot status``: what this installation is, in one screen, for the person running it.

Which database (its URL with the password hidden, and the schema revision), which platforms
are configured, which channels each area has linked (and which boards have none), what
is waiting or has failed in the outbox, each area's protocol revision, and whether its
protocol is overdue for review. It reads; it changes nothing. The platforms and their words
come from :mod:`bot.platforms.registry`, so a new platform shows here by itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.knowledge import AreaKnowledge, Knowledge
from bot.platforms import registry
from bot.review import area_review_status
from scheduler.timeutil import LONDON, fmt
from storage import migrate
from storage.db import redact
from storage.models import Area, ChannelLink, Delivery, Workspace
from storage.revisions import revisions
from storage.store import Store


@dataclass
class AreaStatus:
    slug: str
    name: str
    revision: str
    workspaces: list[str] = field(default_factory=list)
    channels: dict[str, list[str]] = field(default_factory=dict)  # "BSCB" / "directors" / "admins" -> channel ids
    unlinked_boards: list[str] = field(default_factory=list)
    outbox: dict[str, int] = field(default_factory=dict)  # status -> count
    oldest_waiting: dt.datetime | None = None
    last_failure: str = ""
    review: str = ""

    def as_json(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["oldest_waiting"] = self.oldest_waiting.isoformat() if self.oldest_waiting else None
        return d


def platforms(settings: Settings) -> dict[str, str]:
    """Each chat platform (the registry's, with workspaces) and how it is configured, in words
    (no secret is shown)."""
    return {p.name: p.status() for p in registry.platforms(settings) if p.has_workspaces}


def _titles() -> dict[str, str]:
    return {p.name: p.title for p in registry.PLATFORMS}


@dataclass
class _Rows:
    """What ``collect`` reads of the whole installation in one go (a few queries, not a few per area)."""

    ids: dict[str, int]
    links: list[Any]
    spaces: list[Any]
    counts: list[Any]
    oldest: dict[int, dt.datetime]
    failures: list[Any]


async def _read(s: AsyncSession, now: dt.datetime) -> _Rows:
    return _Rows(
        ids=dict((await s.execute(select(Area.slug, Area.id))).all()),
        links=list((await s.execute(select(ChannelLink.area_id, ChannelLink.platform, ChannelLink.channel_id,
                                           ChannelLink.purpose, ChannelLink.board_key).order_by(ChannelLink.id))).all()),
        spaces=list((await s.execute(select(Workspace.area_id, Workspace.platform, Workspace.external_id))).all()),
        counts=list((await s.execute(select(Delivery.area_id, Delivery.status, func.count())
                                     .group_by(Delivery.area_id, Delivery.status))).all()),
        oldest=dict((await s.execute(select(Delivery.area_id, func.min(Delivery.due_at))
                                     .where(Delivery.status == "pending", Delivery.due_at <= now)
                                     .group_by(Delivery.area_id))).all()),
        failures=list((await s.execute(select(Delivery.area_id, Delivery.channel_id, Delivery.last_error,
                                              Delivery.next_attempt_at)
                                       .where(Delivery.status == "failed").order_by(Delivery.next_attempt_at.desc()))).all()),
    )


async def _area_status(s: AsyncSession, area: AreaKnowledge, rows: _Rows, today: dt.date) -> AreaStatus:
    """One area's part of the report: its revision, links, outbox and review."""
    aid = rows.ids.get(area.slug)
    st = AreaStatus(slug=area.slug, name=area.name, revision=await _revision_words(s, area.slug))
    st.workspaces = [f"{p} {w}" for a, p, w in rows.spaces if a == aid]
    st.channels = _channels(area, rows, aid)
    st.unlinked_boards = [b.short_name for b in area.protocol.boards if b.party and b.short_name not in st.channels]
    st.outbox = {status: n for a, status, n in rows.counts if a == aid}
    st.oldest_waiting = rows.oldest.get(aid) if aid is not None else None
    st.last_failure = _last_failure(rows, aid)
    review = await area_review_status(s, area.protocol, today)
    st.review = (review.sentence(area.name, today) if review.overdue
                 else f"next due {review.due:%-d %B %Y} ({review.basis})" if review.due else review.basis)
    return st


async def _revision_words(s: AsyncSession, slug: str) -> str:
    revs = await revisions(s, slug)
    cur = next((r for r in revs if r.is_current), None)
    if cur is None:
        return "none"
    return f"revision {cur.revision} of {len(revs)} ({cur.origin}: {cur.source_name}, {cur.imported_at:%Y-%m-%d %H:%M} UTC)"


def _channels(area: AreaKnowledge, rows: _Rows, aid: int | None) -> dict[str, list[str]]:
    """"BSCB" / "directors" / "admins" -> the platform:channel ids linked for it."""
    out: dict[str, list[str]] = {}
    for a, platform, channel, purpose, board in rows.links:
        if a != aid:
            continue
        what = area.boards[board].short_name if purpose == "board" and board in area.boards else purpose
        out.setdefault(what, []).append(f"{platform}:{channel}")
    return out


def _last_failure(rows: _Rows, aid: int | None) -> str:
    failed = next(((c, e) for a, c, e, _ in rows.failures if a == aid), None)
    if failed is None:
        return ""
    channel, error = failed
    return f"{channel}: {error.splitlines()[0][:200] if error else 'no error recorded'}"


async def collect(store: Store, knowledge: Knowledge, settings: Settings, now: dt.datetime) -> dict[str, Any]:
    """Everything ``boardbot status`` shows, as data."""
    today = now.astimezone(LONDON).date()
    out: dict[str, Any] = {
        "database": {"url": redact(store.url), "kind": store.dialect,
                     "schema_revision": await migrate.current_revision(store.engine),
                     "schema_head": migrate.head_revision(), "reachable": await store.ping()},
        "platforms": platforms(settings),
        "public_url": settings.public_url or None,
        "areas": [],
    }
    async with store.session() as s:
        rows = await _read(s, now)
        for slug in sorted(knowledge.areas, key=lambda x: knowledge.area(x).name):
            out["areas"].append(await _area_status(s, knowledge.area(slug), rows, today))
    return out


def lines(report: dict[str, Any], now: dt.datetime) -> list[str]:
    """The report as the terminal shows it."""
    db = report["database"]
    schema = db["schema_revision"] or "none"
    behind = "" if db["schema_revision"] == db["schema_head"] else f" (this boardbot expects {db['schema_head']})"
    out = [f"boardbot status, {fmt(now)}",
           f"Database: {db['url']} ({db['kind']}, schema revision {schema}{behind})"
           + ("" if db["reachable"] else " — NOT REACHABLE"),
           *(f"{_titles().get(name, name)}: {how}" for name, how in report["platforms"].items()),
           f"Public URL (personal calendar links): {report['public_url'] or 'not set (BOARDBOT_PUBLIC_URL)'}",
           ""]
    for st in report["areas"]:
        out.append(f"{st.name} ({st.slug}) — protocol {st.revision}")
        out.append("  Workspaces: " + (", ".join(st.workspaces) or "none linked (boardbot admin link-workspace)"))
        if st.channels:
            for what, chans in st.channels.items():
                out.append(f"  Channel for {what}: {', '.join(chans)}")
        else:
            out.append("  Channels: none linked")
        if st.unlinked_boards:
            out.append(f"  Boards with no channel (their notices wait): {', '.join(st.unlinked_boards)}")
        if "directors" not in st.channels:
            out.append("  No directors' channel: escalation notices are recorded, not posted")
        waiting, failed = st.outbox.get("pending", 0), st.outbox.get("failed", 0)
        line = f"  Outbox: {waiting} waiting, {failed} failed, {st.outbox.get('sent', 0)} sent"
        if st.oldest_waiting:
            line += f"; oldest due {fmt(st.oldest_waiting)}"
        out.append(line)
        if st.last_failure:
            out.append(f"  Last failure: {st.last_failure}")
        out.append(f"  Review: {st.review}")
        out.append("")
    return out[:-1] if out and out[-1] == "" else out
