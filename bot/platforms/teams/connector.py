"""The Bot Connector calls boardbot makes most (reply, send, update), on a kept aiohttp session.

botbuilder's connector client builds each call with msrest: it serialises the Activity
model by model (about a millisecond for an answer card) and sends it with ``requests`` in
a worker thread, which on a busy server costs more CPU than the answer itself.
:class:`FastConnectorClient` wraps the client botbuilder made and answers the three
``conversations`` operations every message and proactive post uses: the activity becomes
JSON directly (:func:`~bot.platforms.teams.wire.activity_json`; anything it does not
recognise goes through msrest as before) and is posted on one aiohttp session per Bot Connector. Everything else the client
offers is botbuilder's own, unchanged.

The same call as the client it wraps: the same URL, headers and bearer token (read from the
client's credentials, which :class:`bot.platforms.teams.tokens.AppTokens` keeps fresh); a 2xx
answer gives a ResourceResponse; any other status raises botbuilder's
ErrorResponseException (an ``HttpOperationError`` carrying the status, headers and text);
one immediate retry of a connect that failed (nothing was sent), nothing else.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import quote, urljoin, urlparse

import aiohttp
from botbuilder.schema import Activity, ErrorResponseException, ResourceResponse

from bot.platforms.teams.wire import activity_json

log = logging.getLogger("boardbot.teams")

_REPLY = "/v3/conversations/{conversationId}/activities/{activityId}"
_SEND = "/v3/conversations/{conversationId}/activities"


def _joins_plainly(base: str) -> bool:
    """Whether msrest's ``urljoin(base + "/", path)`` is just ``base.rstrip("/") + "/" + path`` for this
    service URL (no template braces, no query, no dot segments for urljoin to resolve)."""
    if "{" in base or "}" in base:
        return False
    joined = base.rstrip("/")
    return urljoin(joined + "/", "v3/x") == joined + "/v3/x" and urlparse(base).scheme in ("http", "https")


class _Response:
    """What an ``HttpOperationError`` carries (as ``requests.Response`` has it)."""

    def __init__(self, status: int, headers: dict[str, str], text: str, reason: str) -> None:
        self.status_code = status
        self.headers = headers
        self.text = text
        self.reason = reason


def _error(deserialize: Any, response: _Response) -> ErrorResponseException:
    try:
        return ErrorResponseException(deserialize, response)
    except Exception:  # an answer msrest cannot even read: the status and text still say it
        exc = ErrorResponseException.__new__(ErrorResponseException)
        Exception.__init__(exc, f"Operation returned an invalid status code {response.reason!r}")
        exc.error, exc.inner_exception, exc.response = None, None, response
        exc.message = f"Operation returned an invalid status code {response.reason!r}"
        return exc


class _Holder:
    """Stands in for the session msrest credentials sign (they set one header on it)."""

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}


class FastConversations:
    """``reply_to_activity``, ``send_to_conversation`` and ``update_activity`` over aiohttp;
    every other operation is the wrapped client's."""

    def __init__(self, owner: FastConnectorClient) -> None:
        self._owner = owner
        self._inner = owner.inner.conversations

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def reply_to_activity(self, conversation_id: str, activity_id: str, activity: Activity, *,
                                custom_headers: dict[str, str] | None = None, raw: bool = False, **config: Any) -> Any:
        if custom_headers or raw:
            return await self._inner.reply_to_activity(conversation_id, activity_id, activity,
                                                       custom_headers=custom_headers, raw=raw, **config)
        return await self._owner.call("POST", _REPLY, conversation_id, activity_id, activity, **config)

    async def send_to_conversation(self, conversation_id: str, activity: Activity, *,
                                   custom_headers: dict[str, str] | None = None, raw: bool = False, **config: Any) -> Any:
        if custom_headers or raw:
            return await self._inner.send_to_conversation(conversation_id, activity, custom_headers=custom_headers,
                                                          raw=raw, **config)
        return await self._owner.call("POST", _SEND, conversation_id, None, activity, **config)

    async def update_activity(self, conversation_id: str, activity_id: str, activity: Activity, *,
                              custom_headers: dict[str, str] | None = None, raw: bool = False, **config: Any) -> Any:
        if custom_headers or raw:
            return await self._inner.update_activity(conversation_id, activity_id, activity,
                                                     custom_headers=custom_headers, raw=raw, **config)
        return await self._owner.call("PUT", _REPLY, conversation_id, activity_id, activity, **config)


class FastConnectorClient:
    """A botbuilder connector client whose message calls go out on a kept aiohttp session."""

    def __init__(self, inner: Any, *, timeout: float = 20.0) -> None:
        self.inner = inner
        self.timeout = timeout
        self.conversations = FastConversations(self)
        self._http: aiohttp.ClientSession | None = None
        self._plain_base: str | None = None  # the service URL, once seen to join as a plain prefix

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def _session(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession(skip_auto_headers=("User-Agent",))
        return self._http

    async def close(self) -> None:
        if self._http is not None and not self._http.closed:
            await self._http.close()

    def _headers(self, conversation_id: str) -> dict[str, str]:
        headers = {"Accept": "application/json", "Content-Type": "application/json; charset=utf-8",
                   "x-ms-conversation-id": conversation_id}
        agent = getattr(self.inner.config, "user_agent", None)
        if agent:
            headers["User-Agent"] = agent
        creds = self.inner.config.credentials
        if creds is not None and hasattr(creds, "signed_session"):
            holder = _Holder()
            creds.signed_session(holder)  # sets Authorization when there is an app id; never waits
            if holder.headers.get("Authorization"):
                headers["Authorization"] = holder.headers["Authorization"]
        return headers

    def _url(self, template: str, conversation_id: str, activity_id: str | None) -> str:
        """The operation's URL, as msrest builds it (ids percent-quoted, joined to the service URL),
        without msrest's validation and URL parsing on every call; msrest builds the unusual ones."""
        base = self.inner.config.base_url
        ids = (conversation_id,) if activity_id is None else (conversation_id, activity_id)
        if (isinstance(base, str) and base == self._plain_base and all(isinstance(i, str) and i not in ("", ".", "..")
                                                                         for i in ids)):
            quoted = [quote(i, safe="") for i in ids]
            path = template.format(conversationId=quoted[0], activityId=quoted[-1])
            return base.rstrip("/") + path
        serialize = self.inner._serialize
        args = {"conversationId": serialize.url("conversation_id", conversation_id, "str")}
        if activity_id is not None:
            args["activityId"] = serialize.url("activity_id", activity_id, "str")
        if isinstance(base, str) and _joins_plainly(base):
            self._plain_base = base
        return self.inner._client.format_url(template, **args)

    async def call(self, method: str, template: str, conversation_id: str, activity_id: str | None,
                   activity: Activity, **config: Any) -> ResourceResponse | None:
        """One call; ``config`` is msrest's operation configuration (``timeout`` in seconds is used)."""
        url = self._url(template, conversation_id, activity_id)
        body = activity_json(activity, self.inner._serialize)
        headers = self._headers(conversation_id)
        limit = aiohttp.ClientTimeout(total=config.get("timeout") or self.timeout)
        for attempt in (1, 2):
            try:
                async with self._session().request(method, url, data=body.encode(), headers=headers,
                                                   timeout=limit) as resp:
                    text = await resp.text()
                    status = resp.status
                    reply_headers = dict(resp.headers)
                    reason = resp.reason or ""
                break
            except aiohttp.ClientConnectorError as exc:  # never reached the Bot Connector: once more, at once
                if attempt == 2:
                    raise
                log.warning("Retrying the Bot Connector at once (%s %s): the connection failed before anything "
                            "was sent (%s)", method, url, exc)
        if status not in (200, 201, 202):
            raise _error(self.inner._deserialize, _Response(status, reply_headers, text, reason))
        try:
            data = json.loads(text) if text else None
        except ValueError:
            data = None
        return ResourceResponse(id=data.get("id")) if isinstance(data, dict) else None
