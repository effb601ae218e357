"""What every platform does the same way: acting once on a retried delivery, reading Retry-After,
and what a person is told when boardbot itself fails.

Slack retries an event it thinks was lost (``X-Slack-Retry-Num``) and a double click sends
a button twice; Teams re-sends an activity and a card's Action.Execute. Each platform builds
its own key for "this delivery" (an event id, a message + block + action + presser) and asks
:class:`Once` whether it is new; the answer is kept in the database
(:mod:`storage.dedupe`), so every replica agrees. Both platforms also read a rate limit's
``Retry-After`` with :func:`retry_after_seconds`, which takes both forms HTTP allows, and
answer a crash in the core with :func:`crash_reply`, so the same failure reads the same on
both.

No SDK is imported here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from bot.messages import Reply, error

if TYPE_CHECKING:
    from bot.services import Services

CRASH_TEXT = "Something went wrong on boardbot's side."
CRASH_HINT = "Please try again in a minute."


def crash_reply() -> Reply:
    """What a person sees when the core (or the platform around it) failed on their request."""
    return error(CRASH_TEXT, hint=CRASH_HINT)


def retry_after_seconds(value: str | Iterable[str] | None, *, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds (``"30"``) or an HTTP date
    (``"Wed, 21 Oct 2026 07:28:00 GMT"``); None when absent or unreadable.

    A header repeated by a proxy arrives as a list: the first value counts. A date in the
    past, or a negative number, is 0 (try now); ``nan`` and ``inf`` are unreadable, not a
    reason to wait for ever.

    >>> retry_after_seconds("2.5")
    2.5
    >>> retry_after_seconds("Thu, 01 Jan 2026 00:01:00 GMT", now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    60.0
    """
    if value is not None and not isinstance(value, str):
        value = next(iter(value), None)
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


class Once:
    """Act once on a delivery that may arrive again, across replicas and restarts.

    ``await once.first_time(key)`` is True the first time ``key`` is seen (optionally keeping
    a small ``result`` beside it, e.g. the card a press produced, for the repeat to show);
    :meth:`forget` lets a key act again (a refused press, a form that may be cancelled);
    :meth:`remembered` reads the kept result. Without a database every delivery is new.
    """

    def __init__(self, services: Services) -> None:
        self.services = services

    async def first_time(self, key: str, result: dict[str, Any] | None = None) -> bool:
        from storage.dedupe import first_time_in

        store = self.services.store
        if store is None:
            return True
        async with store.writer():  # SQLite's one writer: queue here rather than in its busy handler
            return await first_time_in(store.sessions, key, result)

    async def forget(self, key: str) -> None:
        from storage.dedupe import forget

        store = self.services.store
        if store is not None:
            async with store.writer(), store.sessions() as s, s.begin():
                await forget(s, key)

    async def remembered(self, key: str) -> dict[str, Any] | None:
        from storage.dedupe import remembered

        store = self.services.store
        if store is None:
            return None
        async with store.session() as s:
            return await remembered(s, key)
