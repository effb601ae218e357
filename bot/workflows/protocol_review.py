"""An overdue protocol review, said: beside every answer that quotes the protocol, and to the
business managers each month until a review is recorded.

Buckinghamshire's protocol was due for review in January 2018; an answer quoting it as if it
were current misleads. :func:`with_review_note` adds a "Note:" line to any reply citing an
area whose review is overdue (:mod:`bot.review` works that out from the protocol and the dates
recorded); :func:`review_nudges` posts, once a month per board, a reminder to record the review
(``remind reviewed protocol 2026-11-30``), which ends both.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from bot.messages import Reply, Section, Visibility
from bot.review import ReviewStatus, review_status
from scheduler.timeutil import london

TTL_SECONDS = 300.0  # a recorded review is seen at once here (see forget); elsewhere within this


def _cache(services: Any) -> dict[str, tuple[float, int, Any, ReviewStatus, str]]:  # bot.services.ReviewNote
    return services.review_notes


def forget(services: Any) -> None:
    """Drop what is known of every area's review (a review or signing was just recorded)."""
    services.review_notes.clear()


async def review_now(services: Any, area_slug: str) -> ReviewStatus | None:
    """Where the area's review stands today, from the protocol and the dates recorded (kept a
    few minutes; dropped at once when a date is recorded here): what the overdue note, the
    monthly nudges and the answer to "is the protocol out of date?" all say."""
    return (await _known(services, area_slug))[0]


async def overdue_sentence(services: Any, area_slug: str) -> str:
    """"Buckinghamshire's protocol was due for review by 31 January 2018 (…)", or "" when it is not overdue."""
    return (await _known(services, area_slug))[1]


async def _known(services: Any, area_slug: str) -> tuple[ReviewStatus | None, str]:
    area = services.knowledge.areas.get(area_slug)
    if area is None:
        return None, ""
    today = london(services.clock()).date()
    cache = _cache(services)
    hit = cache.get(area_slug)
    now = time.monotonic()
    if hit and hit[0] > now and hit[1] == id(services.knowledge) and hit[2] == today:
        return hit[3], hit[4]
    if services.store is None:
        status = review_status(area.head, {}, today)
    else:
        status = review_status(area.head, await services.store.review_dates(area_slug), today)
    sentence = status.sentence(area.name, today)
    cache[area_slug] = (now + TTL_SECONDS, id(services.knowledge), today, status, sentence)
    return status, sentence


async def with_review_note(reply: Reply, services: Any) -> Reply:
    """``reply`` with a "Note:" line when it quotes a protocol whose review is overdue."""
    if not reply.citations or reply.data.get("kind") == "protocol" or reply.data.get("review_overdue"):
        return reply
    slugs = {c.area for c in reply.citations if c.area}
    if len(slugs) != 1:
        return reply
    sentence = await overdue_sentence(services, next(iter(slugs)))
    if not sentence:
        return reply
    line = f"Note: {sentence} What it says may have changed since."
    sections = (*reply.sections, Section(text=line)) if reply.sections else ()
    return replace(reply, text=f"{reply.text}\n{line}", sections=sections, data={**reply.data, "review_overdue": sentence})


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
