"""What every part of boardbot's Slack app shares: background work, the core call, acting once,
who is asking.

:class:`SlackRuntime` is the base of :class:`~bot.platforms.slack.app.SlackPlatform` (by way of
:class:`~bot.platforms.slack.replies.SlackReplies` and
:class:`~bot.platforms.slack.listeners.SlackListeners`): each layer adds one section of what
the app does, and this one holds its state.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.identity import resolve_actor
from bot.messages import Actor, Reply, Request
from bot.platforms.common import Once, crash_reply
from bot.services import Services

log = logging.getLogger("boardbot.slack")


class SlackRuntime:
    """Background tasks, the core (a crash becomes :func:`~bot.platforms.common.crash_reply`),
    de-duplication (:class:`~bot.platforms.common.Once`) and names, for one Slack app."""

    def __init__(self, services: Services, settings: Settings) -> None:
        self.services = services
        self.settings = settings
        self.once = Once(services)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._names: dict[tuple[str, str], tuple[str, float]] = {}

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("Slack background work failed", exc_info=task.exception())

    async def drain(self, within: float = 10.0) -> None:
        """Wait for answers still being worked on (tests, shutdown)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while self._tasks and loop.time() < deadline:
            await asyncio.wait(set(self._tasks), timeout=max(0.0, deadline - loop.time()))

    # --- helpers ---------------------------------------------------------------------------------

    async def _core(self, fn: Callable[[Request, Services], Awaitable[Reply]], request: Request) -> Reply:
        try:
            return await fn(request, self.services)
        except Exception:
            log.exception("the core failed on %s", request.request_id)
            return crash_reply()

    async def _first_time(self, key: str) -> bool:
        """True the first time ``key`` is seen, across replicas (see :class:`bot.platforms.common.Once`)."""
        return await self.once.first_time(key)

    async def _forget(self, key: str) -> None:
        """Let ``key`` be acted on again (a refused press, a form that may be cancelled)."""
        await self.once.forget(key)

    async def _actor(self, team: str, user: str, name: str = "") -> tuple[Actor, str | None]:
        """Who is asking, for which area (:func:`bot.identity.resolve_actor` remembers it briefly)."""
        return await resolve_actor(self.services, platform="slack", workspace=team, user_id=user, display_name=name)

    async def _name(self, client: AsyncWebClient, team: str, user: str) -> str:
        """A person's Slack name (users.info, remembered for an hour): events carry only the id."""
        loop = asyncio.get_running_loop()
        hit = self._names.get((team, user))
        if hit and hit[1] > loop.time():
            return hit[0]
        name = ""
        try:
            info = (await client.users_info(user=user)).get("user") or {}
            profile = info.get("profile") or {}
            name = profile.get("display_name") or info.get("real_name") or info.get("name") or ""
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
            log.info("users.info for %s failed: %s", user, exc)
        if len(self._names) > 5000:
            self._names.clear()
        self._names[(team, user)] = (name, loop.time() + 3600)
        return name


def conversation_of(team: str, channel: str | None, user: str, thread: str | None = None) -> str:
    """The conversation a Slack message belongs to, for follow-ups: a DM, a thread, or (for
    private slash-command answers in a channel) that person in that channel."""
    if channel and channel.startswith("D"):
        return f"slack:{team}:{channel}"
    if thread:
        return f"slack:{team}:{channel}:{thread}"
    return f"slack:{team}:{channel or '-'}:{user}"
