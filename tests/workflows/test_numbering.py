"""Two chairs raising at the same moment get C1 and C2, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.workflows.common import next_number
from storage.models import Area, Challenge
from storage.store import Store


async def test_simultaneous_raises_get_distinct_numbers(db_url):
    store = await Store.open(db_url)
    try:
        async with store.session() as s:
            area_id = (await s.execute(select(Area.id).where(Area.slug == "suffolk"))).scalar_one()
        both_read = asyncio.Event()
        readers = 0

        async def raise_one(n: int) -> int:
            nonlocal readers
            async with store.session() as s:
                number = await next_number(s, Challenge, area_id)
                readers += 1
                if readers == 2:
                    both_read.set()
                try:  # give the other a chance to read the same maximum
                    await asyncio.wait_for(both_read.wait(), 0.5)
                except TimeoutError:
                    pass
                s.add(Challenge(area_id=area_id, number=number, idempotency_key=f"k{n}", from_board="lscb", to_board="hwb",
                                subject="s", concern="c", response_sought="r", raised_by="x", raised_by_user="x",
                                status="open", rung_key="written_request"))
                await s.commit()
                return number

        numbers = await asyncio.gather(raise_one(1), raise_one(2))
        assert sorted(numbers) == [1, 2]
    finally:
        await store.close()
