"""Private download links for a drafted year: an unguessable token, only its hash stored.

Like a personal calendar feed, the link is the secret: whoever has it can download the
draft, so it is shown only to the person who asked (never in a channel) and it expires
after :data:`LIFETIME`. What is stored is what to draft (area, board, period, who asked),
not the document: a download drafts it again from the record as it stands then. The row
lives in ``processed_requests`` under its own prefix, whose retention is this lifetime.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from storage.dedupe import RETENTION, first_time, remembered

PREFIX = "report-link:"
LIFETIME = RETENTION  # 30 days: the retry-guard table forgets older rows


@dataclass(frozen=True)
class LinkTarget:
    area: str
    board: str
    start: dt.date
    end: dt.date
    asked_by: str
    created: dt.datetime


def _key(token: str) -> str:
    return PREFIX + hashlib.sha256(token.encode("utf-8")).hexdigest()


async def create(session: AsyncSession, *, area: str, board: str, start: dt.date, end: dt.date, asked_by: str,
                 now: dt.datetime) -> str:
    """A new token for this draft; the caller commits."""
    token = secrets.token_urlsafe(32)
    await first_time(session, _key(token), {"area": area, "board": board, "start": start.isoformat(),
                                            "end": end.isoformat(), "asked_by": asked_by, "created": now.isoformat()})
    return token


async def resolve(session: AsyncSession, token: str, now: dt.datetime) -> LinkTarget | None:
    """What a live token drafts, or None (unknown, malformed or expired)."""
    if not token or len(token) > 100:
        return None
    data = await remembered(session, _key(token))
    if not data:
        return None
    created = dt.datetime.fromisoformat(data["created"])
    if now - created > LIFETIME:
        return None
    return LinkTarget(data["area"], data["board"], dt.date.fromisoformat(data["start"]), dt.date.fromisoformat(data["end"]),
                      data.get("asked_by", ""), created)
