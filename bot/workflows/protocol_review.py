"""An overdue protocol review, said: beside every answer that quotes the protocol, and to the
business managers each month until a review is recorded.

Buckinghamshire's protocol was due for review in January 2018; an answer quoting it as if it
were current misleads. :func:`with_review_note` adds a "Note:" line to any reply citing an
area whose review is overdue (:mod:`bot.review` works that out from the protocol and the dates
recorded); :func:`review_nudges` posts, once a month per board, a reminder to record the review
(``remind reviewed protocol 2026-11-30``), which ends both.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from bot.messages import Reply, Section, Visibility
from bot.review import Known, ReviewStatus, review_status
from scheduler.timeutil import local_to_utc, london

TTL_SECONDS = 300.0  # a recorded review is seen at once here (see forget); elsewhere within this


def _cache(services: Any) -> dict[str, Known]:
    return services.review_notes


def forget(services: Any) -> None:
    """Drop what is known of every area's review (a review or signing was just recorded)."""
    services.review_notes.clear()


async def review_now(services: Any, area_slug: str) -> ReviewStatus | None:
    """Where the area's review stands today, from the protocol and the dates recorded (kept a
    few minutes; dropped at once when a date is recorded here): what the overdue note, the
    monthly nudges and the answer to "is the protocol out of date?" all say."""
    known = await _known(services, area_slug)
    return known.status if known is not None else None


async def overdue_sentence(services: Any, area_slug: str) -> str:
    """"Buckinghamshire's protocol was due for review by 31 January 2018 (…)", or "" when it is not overdue."""
    known = await _known(services, area_slug)
    return known.sentence if known is not None else ""


async def _known(services: Any, area_slug: str) -> Known | None:
    """The area's review today. Kept per area for the index it came from and the London day
    (told by the UTC instants the day starts and ends, a comparison rather than a time-zone
    conversion per answer), for at most ``TTL_SECONDS``, and until :func:`forget`."""
    area = services.knowledge.areas.get(area_slug)
    if area is None:
        return None
    at = services.clock()
    cache = _cache(services)
    hit = cache.get(area_slug)
    now = time.monotonic()
    if (hit is not None and hit.until > now and hit.knowledge is services.knowledge and at.tzinfo is not None
            and hit.starts <= at < hit.ends):
        return hit
    today = london(at).date()
    if services.store is None:
        status = review_status(area.head, {}, today)
    else:
        status = review_status(area.head, await services.store.review_dates(area_slug), today)
    sentence = status.sentence(area.name, today)
    note = Section(text=f"Note: {sentence} What it says may have changed since.") if sentence else None
    known = Known(now + TTL_SECONDS, services.knowledge, local_to_utc(today, dt.time(0)),
                  local_to_utc(today + dt.timedelta(days=1), dt.time(0)), status, sentence, note)
    cache[area_slug] = known
    return known


async def with_review_note(reply: Reply, services: Any) -> Reply:
    """``reply`` with a "Note:" line when it quotes a protocol whose review is overdue."""
    if not reply.citations or reply.data.get("kind") == "protocol" or reply.data.get("review_overdue"):
        return reply
    slugs = {c.area for c in reply.citations if c.area}
    if len(slugs) != 1:
        return reply
    known = await _known(services, next(iter(slugs)))
    if known is None or known.note is None:
        return reply
    sections = (*reply.sections, known.note) if reply.sections else ()
    return reply.changed(text=f"{reply.text}\n{known.note.text}", sections=sections,
                         data={**reply.data, "review_overdue": known.sentence})


async def review_nudges(services: Any) -> int:
    """Once a month, tell each party board of an area whose review is overdue (for its business
    manager) to record the review when it is done. Returns how many posts were queued."""
    from bot.notify import Target

    if services.store is None:
        return 0
    now = services.clock()
    month = f"{london(now):%Y-%m}"
    queued = 0
    for slug, area in services.knowledge.areas.items():
        sentence = await overdue_sentence(services, slug)
        if not sentence:
            continue
        review = area.head.protocol.review
        cite = area.cite(review.source) if review is not None else None
        example = f"{london(now):%Y-%m-%d}"
        async with services.store.session() as s:
            for b in area.protocol.boards:
                if not b.party:
                    continue
                reply = Reply(
                    title=f"Protocol review overdue \u2014 {area.name}",
                    text=(f"For the {b.short_name}'s business manager: {sentence}\n"
                          "Agree the review with the partner boards; when it is done, record it with "
                          f"\u201cremind reviewed protocol {example}\u201d (the date of the review). boardbot reminds each month "
                          "until a review is recorded, and notes the overdue review beside every answer that quotes the protocol."),
                    citations=(cite,) if cite else (), visibility=Visibility.CHANNEL,
                    data={"review_overdue": sentence, "board": b.key},
                )
                queued += await services.notifier.post(s, area_slug=slug, target=Target.board(b.key), reply=reply,
                                                       key=f"review-overdue:{slug}:{month}:{b.key}", origin="reminder")
            await s.commit()
    if queued:
        services.notifier.kick()
    return queued
