"""Starting the core at once (bot.platforms.eager.start): finished without a task when it need not
wait, and otherwise exactly what a task would have made of it."""

from __future__ import annotations

import asyncio

import pytest

from bot.platforms.eager import start


def run(coro):
    return asyncio.run(coro)


def test_a_coroutine_that_never_waits_is_finished_at_once_with_no_task():
    async def quick() -> str:
        return "answer"

    async def main():
        before = len(asyncio.all_tasks())
        fut = start(quick())
        assert fut.done() and fut.result() == "answer"
        assert len(asyncio.all_tasks()) == before

    run(main())


def test_an_error_before_any_wait_is_the_futures():
    async def broken() -> None:
        raise ValueError("bad input")

    async def main():
        fut = start(broken())
        assert fut.done()
        with pytest.raises(ValueError, match="bad input"):
            fut.result()

    run(main())


def test_a_coroutine_that_waits_goes_on_in_a_task_and_gets_what_it_waited_for():
    async def main():
        gate: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        seen: list[object] = []

        async def slow() -> int:
            seen.append("before")
            got = await gate
            seen.append(got)
            await asyncio.sleep(0)  # a bare yield to the loop, twice
            await asyncio.sleep(0)
            return got * 2

        fut = start(slow())
        assert seen == ["before"]  # the first step ran now, up to the wait
        assert not fut.done()
        asyncio.get_running_loop().call_later(0.01, gate.set_result, 21)
        assert await asyncio.wait_for(fut, 2) == 42
        assert seen == ["before", 21]

    run(main())


def test_an_error_after_a_wait_reaches_whoever_awaits_the_task():
    async def main():
        async def fails_later() -> None:
            await asyncio.sleep(0.001)
            raise LookupError("gone")

        fut = start(fails_later())
        assert not fut.done()
        with pytest.raises(LookupError, match="gone"):
            await fut

    run(main())


def test_an_error_the_awaited_thing_raises_goes_into_the_coroutine():
    async def main():
        gate: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        async def handles_it() -> str:
            try:
                await gate
            except KeyError:
                return "handled"
            return "not raised"

        fut = start(handles_it())
        gate.set_exception(KeyError("x"))
        assert await fut == "handled"

    run(main())


def test_cancelling_the_task_cancels_the_coroutine_where_it_waits():
    async def main():
        cleaned: list[str] = []

        async def long() -> None:
            try:
                await asyncio.sleep(60)
            finally:
                cleaned.append("finally ran")

        fut = start(long())
        await asyncio.sleep(0)
        fut.cancel()
        with pytest.raises(asyncio.CancelledError):
            await fut
        assert cleaned == ["finally ran"]

    run(main())
