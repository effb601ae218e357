"""How boardbot's Slack Web API calls are retried: never in a way that could post twice.

Calls are retried when the connection could not be made (nothing was sent), on 429 after
Retry-After, and on 5xx / dropped connections only for calls that are safe to repeat
(``chat.update``, ``views.publish``, reads). A post whose fate is unknown is not repeated
here: the outbox retries it, and :class:`~bot.platforms.slack.sender.SlackSender` first
looks in the channel for the delivery key it put in the message's metadata.
"""

from __future__ import annotations

import asyncio

import aiohttp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings

# chat.postMessage and friends create something each time; only these may be repeated blindly
_REPEATABLE = frozenset({
    "auth.test", "chat.update", "views.publish", "views.update", "conversations.history", "users.info",
    "oauth.v2.access",
})


def _api_method(request: HttpRequest) -> str:
    return request.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


class ConnectFailedRetryHandler(AsyncRetryHandler):
    """Retry when no connection could be made: the request never left, so nothing can double."""

    async def _can_retry_async(self, *, state: RetryState, request: HttpRequest,
                               response: HttpResponse | None = None, error: Exception | None = None) -> bool:
        return isinstance(error, aiohttp.ClientConnectorError)


class RepeatableServerErrorRetryHandler(AsyncRetryHandler):
    """Retry 5xx and dropped connections, but only for Web API calls that are safe to repeat.

    ``chat.postMessage`` that got a 502 or lost its connection may well have posted; it is
    not repeated here (the outbox does that, after checking the channel).
    """

    async def _can_retry_async(self, *, state: RetryState, request: HttpRequest,
                               response: HttpResponse | None = None, error: Exception | None = None) -> bool:
        if _api_method(request) not in _REPEATABLE:
            return False
        if response is not None:
            return response.status_code in (500, 502, 503, 504)
        return isinstance(error, aiohttp.ServerDisconnectedError | aiohttp.ClientOSError | asyncio.TimeoutError)


def interactive_retry_handlers() -> list[AsyncRetryHandler]:
    """For answers to people: connect failures, 429 (once, after Retry-After), repeatable 5xx."""
    return [ConnectFailedRetryHandler(max_retry_count=2), AsyncRateLimitErrorRetryHandler(max_retry_count=1),
            RepeatableServerErrorRetryHandler(max_retry_count=2)]


def sender_retry_handlers() -> list[AsyncRetryHandler]:
    """For the outbox: only connect failures. 429 and 5xx go back to the outbox, which backs off
    (honouring Retry-After) without holding a worker asleep."""
    return [ConnectFailedRetryHandler(max_retry_count=2)]


def web_client(settings: Settings, token: str | None = None, *, retry_handlers: list[AsyncRetryHandler] | None = None,
               timeout: int = 10) -> AsyncWebClient:
    return AsyncWebClient(token=token, base_url=settings.slack_api_url, timeout=timeout,
                          retry_handlers=retry_handlers if retry_handlers is not None else interactive_retry_handlers())


def response_url_retry_handlers() -> list[AsyncRetryHandler]:
    """For response_url answers: connect failures and 429 (a response_url post is not repeatable on 5xx)."""
    return [ConnectFailedRetryHandler(max_retry_count=2), AsyncRateLimitErrorRetryHandler(max_retry_count=1)]
