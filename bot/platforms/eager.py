"""Run a coroutine at once, as far as it goes without waiting: a task only if it has to wait.

A slash command is answered in its ack when the core is quick, and the core almost always
is: a question is understood and answered from the protocol in memory, with no I/O. Putting
it in a task to wait for it with a time limit (so a slow one can be acked empty and answered
later) costs a task, a timer and two trips round the event loop on every command. This module
does what Python 3.12's eager tasks do: :func:`start` steps the coroutine straight away; if it
finishes, the result is a finished future and nothing was scheduled; if it has to wait (the
database, say), the rest of it becomes an ordinary task, waiting on the same thing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Generator
from typing import Any, TypeVar

T = TypeVar("T")


def start(coro: Coroutine[Any, Any, T]) -> asyncio.Future[T]:
    """``coro`` stepped now: a done future if it finished without waiting, else a task running the rest.

    Must be called from a running event loop. Exceptions are the future's, as with a task.
    """
    loop = asyncio.get_running_loop()
    try:
        waiting_on = coro.send(None)
    except StopIteration as finished:
        done: asyncio.Future[T] = loop.create_future()
        done.set_result(finished.value)
        return done
    except BaseException as exc:  # noqa: BLE001 - handed over exactly as a task would hand it over
        failed: asyncio.Future[T] = loop.create_future()
        failed.set_exception(exc)
        return failed
    return asyncio.ensure_future(_rest(coro, waiting_on))


async def _rest(coro: Coroutine[Any, Any, T], waiting_on: Any) -> T:
    return await _Resumed(coro, waiting_on)


class _Resumed:
    """The rest of a coroutine that :func:`start` stepped: what it waits on is handed to the task
    first, then every value, exception and cancellation goes back into the coroutine, as
    ``await`` would have done had the task started it."""

    __slots__ = ("_coro", "_waiting_on")

    def __init__(self, coro: Coroutine[Any, Any, Any], waiting_on: Any) -> None:
        self._coro, self._waiting_on = coro, waiting_on

    def __await__(self) -> Generator[Any, Any, Any]:
        coro, pending = self._coro, self._waiting_on
        while True:
            try:
                sent = yield pending
            except GeneratorExit:
                coro.close()
                raise
            except BaseException as exc:  # noqa: BLE001 - a cancellation or error meant for the coroutine
                try:
                    pending = coro.throw(exc)
                except StopIteration as finished:
                    return finished.value
                continue
            try:
                pending = coro.send(sent)
            except StopIteration as finished:
                return finished.value
