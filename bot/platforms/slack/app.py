"""Slack: Bolt for Python mounted in boardbot's own aiohttp app, and the outbox's Slack sender.

The only module that imports ``slack_bolt`` / ``slack_sdk`` (rendering lives in
:mod:`bot.platforms.slack.blocks` and the Home tab in :mod:`bot.platforms.slack.home`,
both plain data). :func:`mount` adds the routes and registers :class:`SlackSender`::

    POST /slack/events          slash commands, buttons, modals and events (one Bolt AsyncApp)
    GET  /slack/install         "Add to Slack" (multi-workspace, when SLACK_CLIENT_ID is set)
    GET  /slack/oauth_redirect  the end of the OAuth dance

How it keeps Slack's promises:

- **3 seconds.** Bolt runs with ``process_before_response=True``, so the HTTP response
  goes out when our listener returns. A slash command waits up to :data:`ACK_BUDGET` for
  the core: a lookup (well under a millisecond) is acked with its answer; anything slower
  (a workflow that writes and notifies) is acked empty and answered through
  ``response_url`` when it finishes. Buttons and events ack at once and work in a
  background task.
- **Once.** Events are recorded by ``event_id`` (Slack retries with ``X-Slack-Retry-Num``),
  button presses by message + rendered block + action (a double click carries the same
  ones; the message that replaces it carries new ones), modal submissions by view id +
  values, all with :class:`bot.platforms.common.Once`, so replicas agree too. A press that
  was refused, or that opened a form (which may be cancelled), is forgotten again so the
  button stays pressable.
- **Private stays private.** A ``PERSONAL`` reply (a calendar feed address) is never shown
  in a channel: "share" is ignored for it, an @mention gets it as an ephemeral message (or
  in the DM), and a button press answers it to the presser only.
- **Never lost.** A channel answer Slack refuses to post (boardbot not in the channel, the
  channel gone) goes to the person instead: ephemeral in that channel, else their DM.
- **Signatures first.** The signature is checked over the raw bytes before anything is
  parsed (:mod:`bot.platforms.slack.inbound`): forged, stale (> 5 min) and unsigned
  requests get 401 whatever their body; a signed body that is not UTF-8, nests too deep,
  is not JSON where JSON is due or has a wrong type where boardbot or Bolt reads a field
  gets 400; one over 1 MB 413, unread. Nothing is recorded for any of them. (Bolt checks
  the signature again, as it always does.)
- **Retries that cannot double-post.** Calls are retried when the connection could not be
  made (nothing was sent), on 429 after Retry-After, and on 5xx / dropped connections only
  for calls that are safe to repeat (``chat.update``, ``views.publish``, reads). A post
  whose fate is unknown is not repeated blindly: the outbox retries it, and
  :class:`SlackSender` first looks in the channel for the delivery key it put in the
  message's metadata.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.actions import handle_action
from bot.config import Settings
from bot.home import build_panel
from bot.identity import resolve_actor
from bot.messages import Actor, Form, Reply, Request, Visibility, error
from bot.platforms import inbound
from bot.platforms.common import Once, crash_reply, retry_after_seconds
from bot.platforms.slack import blocks as kit
from bot.platforms.slack import inbound as slack_inbound
from bot.platforms.slack.home import PREFIX, home_view
from bot.router import handle
from bot.services import Services
from scheduler.outbox import Outgoing, PermanentSendError, TransientSendError
from storage.dedupe import first_time, remembered

log = logging.getLogger("boardbot.slack")

ACK_BUDGET = 1.5  # seconds the core may take before a slash command / modal is acked empty
DELIVERY_EVENT = "boardbot_delivery"  # message metadata event_type carrying the outbox key
HISTORY_LOOKBACK = 50  # messages searched for a delivery key before re-posting
TOKEN_TTL = 60.0  # seconds the sender remembers a workspace's bot token (a reinstall shows within it)

# chat.postMessage and friends create something each time; only these may be repeated blindly
_REPEATABLE = frozenset({
    "auth.test", "chat.update", "views.publish", "views.update", "conversations.history", "users.info",
    "oauth.v2.access",
})
# the Web API errors that say "try again later"; any other ok:false error will not go away by itself
TRANSIENT_ERRORS = frozenset({"ratelimited", "fatal_error", "internal_error", "service_unavailable", "request_timeout"})
_BAD_BLOCKS = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long"})


# --- retries ---------------------------------------------------------------------------------


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


# --- the sender ------------------------------------------------------------------------------


class SlackSender:
    """Posts outbox rows to Slack channels (see :mod:`scheduler.outbox`).

    Each post carries its delivery key in message metadata. On a second or later attempt the
    channel's recent history is searched for that key first, so a post that went out just
    before a crash (or whose response was lost) is not posted again.
    """

    def __init__(self, settings: Settings, installation_store: AsyncSQLAlchemyInstallationStore | None = None) -> None:
        self.settings = settings
        self.installation_store = installation_store
        self._tokens: dict[str, tuple[str, float]] = {}  # workspace -> (bot token, until)
        self._clients: dict[str, AsyncWebClient] = {}  # bot token -> its client

    async def _token(self, workspace: str) -> str:
        """The workspace's bot token: from the installation store, remembered for :data:`TOKEN_TTL`
        (a reminder burst to one workspace reads the store once, not once per post)."""
        if self.installation_store is None:
            return self.settings.slack_bot_token
        now = time.monotonic()
        hit = self._tokens.get(workspace)
        if hit is not None and hit[1] > now:
            return hit[0]
        bot = await self.installation_store.async_find_bot(enterprise_id=None, team_id=workspace)
        if bot is None or not bot.bot_token:
            self._tokens.pop(workspace, None)
            raise PermanentSendError(f"boardbot is not installed in Slack workspace {workspace} (install it again)")
        if len(self._tokens) > 10_000:
            self._tokens.clear()
        self._tokens[workspace] = (bot.bot_token, now + TOKEN_TTL)
        return bot.bot_token

    def forget(self, workspace: str) -> None:
        """Drop what is remembered of a workspace's token (it was uninstalled or revoked)."""
        hit = self._tokens.pop(workspace, None)
        if hit is not None:
            self._clients.pop(hit[0], None)

    def _client(self, token: str) -> AsyncWebClient:
        client = self._clients.get(token)
        if client is None:
            if len(self._clients) > 1000:
                self._clients.clear()
            client = self._clients[token] = web_client(self.settings, token, retry_handlers=sender_retry_handlers())
        return client

    async def send(self, message: Outgoing) -> str | None:
        if message.reply.visibility == Visibility.PERSONAL:  # a secret for one person never goes in a channel
            raise PermanentSendError("a personal answer is never posted in a channel")
        token = await self._token(message.workspace)
        client = self._client(token)
        try:
            return await self._post(client, message)
        except PermanentSendError:
            self._tokens.pop(message.workspace, None)  # e.g. token_revoked: read the store afresh next time
            self._clients.pop(token, None)
            raise

    async def _post(self, client: AsyncWebClient, message: Outgoing) -> str | None:
        try:
            if message.attempt > 1:
                found = await self._already_posted(client, message.channel_id, message.key)
                if found:
                    log.info("delivery %s was already posted (%s); not posting again", message.delivery_id, found)
                    return found
            body = kit.message(message.reply)
            metadata = {"event_type": DELIVERY_EVENT, "event_payload": {"key": message.key}}
            try:
                resp = await client.chat_postMessage(channel=message.channel_id, metadata=metadata,
                                                     unfurl_links=False, unfurl_media=False, **body)
            except SlackApiError as exc:
                if error_code(exc) not in _BAD_BLOCKS:
                    raise
                log.warning("Slack refused the blocks of delivery %s (%s); posting it as text", message.delivery_id,
                            error_code(exc))
                resp = await client.chat_postMessage(channel=message.channel_id, metadata=metadata, text=body["text"],
                                                     unfurl_links=False, unfurl_media=False)
            return resp.get("ts")
        except SlackApiError as exc:
            raise classify(exc) from None
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise TransientSendError(f"Slack unreachable: {type(exc).__name__}: {exc}") from None

    async def _already_posted(self, client: AsyncWebClient, channel: str, key: str) -> str | None:
        try:
            resp = await client.conversations_history(channel=channel, limit=HISTORY_LOOKBACK, include_all_metadata=True)
        except SlackApiError as exc:
            err = classify(exc)
            if isinstance(err, TransientSendError):
                raise err from None  # wait rather than risk a double post
            # e.g. missing channels:history: we cannot look, so post (at least once beats never)
            log.warning("cannot check %s for an earlier post (%s); posting", channel, error_code(exc))
            return None
        for m in resp.get("messages") or []:
            md = m.get("metadata") or {}
            if md.get("event_type") == DELIVERY_EVENT and (md.get("event_payload") or {}).get("key") == key:
                return m.get("ts")
        return None


def error_code(exc: SlackApiError) -> str | None:
    """Slack's ``error`` string, if the answer was JSON at all (a proxy's 502 page is not)."""
    data = getattr(exc.response, "data", None)
    return data.get("error") if isinstance(data, dict) else None


def classify(exc: SlackApiError) -> TransientSendError | PermanentSendError:
    """A Web API error as the outbox sees it: try again later, or give up and tell the admins."""
    resp = exc.response
    status = getattr(resp, "status_code", 200)
    code = error_code(exc)
    if status == 429 or code == "ratelimited":
        headers = getattr(resp, "headers", None) or {}
        retry_after = retry_after_seconds(headers.get("Retry-After") or headers.get("retry-after"))
        after = f", retry after {retry_after:g}s" if retry_after is not None else ""
        return TransientSendError(f"Slack says ratelimited (HTTP {status}){after}", retry_after)
    if status >= 500:
        return TransientSendError(f"Slack server error {status}: {code or ''}".strip())
    if code in TRANSIENT_ERRORS:
        return TransientSendError(f"Slack says {code}")
    # channel_not_found, not_in_channel, invalid_auth, and any error Slack adds later: retrying
    # cannot help, and the admins hear of it at once rather than after a day of backing off
    return PermanentSendError(f"Slack says {code or f'HTTP {status}'}")


# --- the platform ------------------------------------------------------------------------------


class SlackPlatform:
    """One Bolt app wired to the command core. Built by :func:`mount`; kept on the aiohttp app."""

    def __init__(self, services: Services, settings: Settings) -> None:
        self.services = services
        self.settings = settings
        self.once = Once(services)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._names: dict[tuple[str, str], tuple[str, float]] = {}
        self.installation_store: AsyncSQLAlchemyInstallationStore | None = None
        self.state_store: AsyncSQLAlchemyOAuthStateStore | None = None
        client = web_client(settings, None if settings.slack_oauth else settings.slack_bot_token)
        if settings.slack_oauth:
            if services.store is None:
                raise RuntimeError("Slack OAuth installs need the database (services.store)")
            engine = services.store.engine
            self.installation_store = AsyncSQLAlchemyInstallationStore(client_id=settings.slack_client_id, engine=engine)
            self.state_store = AsyncSQLAlchemyOAuthStateStore(expiration_seconds=600, engine=engine)
            oauth = AsyncOAuthSettings(
                client_id=settings.slack_client_id,
                client_secret=settings.slack_client_secret,
                scopes=list(settings.slack_scopes),
                redirect_uri=f"{settings.public_url}/slack/oauth_redirect" if settings.public_url else None,
                install_path="/slack/install",
                redirect_uri_path="/slack/oauth_redirect",
                installation_store=self.installation_store,
                state_store=self.state_store,
            )
            install = f"{settings.public_url}/slack/install" if settings.public_url else "/slack/install on boardbot's server"
            self.bolt = AsyncApp(signing_secret=settings.slack_signing_secret, client=client, oauth_settings=oauth,
                                 process_before_response=True, logger=log,
                                 user_facing_authorize_error_message=(
                                     ":warning: boardbot is not installed in this workspace (or its installation was "
                                     f"removed). A workspace administrator can install it from {install}."))
        else:
            self.bolt = AsyncApp(signing_secret=settings.slack_signing_secret, client=client,
                                 process_before_response=True, logger=log)
        self.sender = SlackSender(settings, self.installation_store)
        self._register()

    # --- HTTP ----------------------------------------------------------------------------------

    async def handle_events(self, request: web.Request) -> web.Response:
        """POST /slack/events: size, signature over the raw bytes, depth, shape, then Bolt.

        Nothing is parsed before the signature is checked, and nothing reaches Bolt (or any
        listener, or the database) that does not have the types Bolt and boardbot read: a
        forged, stale or unsigned request is 401, a signed but malformed one 400, one too big
        413 (unread). See :mod:`bot.platforms.slack.inbound`.
        """
        try:
            raw = await inbound.read_body(request)
            if not slack_inbound.verify_signature(raw, request.headers, self.settings.slack_signing_secret):
                return web.Response(status=401, text="invalid request")
            text, body = slack_inbound.parse(raw, request.content_type)
            kind = slack_inbound.check_shape(body)
        except inbound.Refused as exc:
            log.info("refused a Slack request (%s): %s", exc.status, exc.reason)
            return web.Response(status=exc.status, text=exc.reason)
        if kind == "app_rate_limited":  # Slack held back events: nothing to answer, but worth knowing
            log.warning("Slack says boardbot's events are rate limited (%s)", body.get("minute_rate_limited", ""))
            return web.Response(status=200)
        bolt_req = AsyncBoltRequest(body=text, query=request.query_string, headers=dict(request.headers))
        if bolt_req.body != body:
            # Bolt reads any form holding the word "payload" as an interactivity payload, and
            # loses a slash command whose text has that word in it: give it the form as parsed
            bolt_req.body = body
            bolt_req.context = build_async_context(AsyncBoltContext({}), body)
        if bolt_req.lazy_only or bolt_req.lazy_function_name:  # Bolt-internal headers never come from Slack
            return web.Response(status=400, text="unexpected header")
        try:
            bolt_resp = await self.bolt.async_dispatch(bolt_req)
        except Exception:  # the shape checks let through something Bolt cannot read: say so, loudly
            log.error("a signed Slack request that passed the shape checks failed inside Bolt", exc_info=True)
            return web.Response(status=400, text="malformed body")
        return await to_aiohttp_response(bolt_resp)

    async def handle_oauth(self, request: web.Request) -> web.Response:
        """GET /slack/install and /slack/oauth_redirect (Bolt's OAuth flow)."""
        flow = self.bolt.oauth_flow
        if flow is None:
            return web.Response(status=404)
        bolt_req = await to_bolt_request(request)
        if request.path == flow.install_path:
            return await to_aiohttp_response(await flow.handle_installation(bolt_req))
        return await to_aiohttp_response(await flow.handle_callback(bolt_req))

    async def startup(self, app: web.Application) -> None:
        """Create slack_sdk's OAuth tables (its own metadata) if they are missing."""
        for store in (self.installation_store, self.state_store):
            if store is None:
                continue
            try:
                await store.create_tables()
            except Exception:  # another replica created them at the same moment
                log.info("creating Slack OAuth tables raced another process; checking again")
                await store.create_tables()

    async def cleanup(self, app: web.Application) -> None:
        await self.drain(within=10)
        for t in list(self._tasks):
            t.cancel()

    # --- background work -----------------------------------------------------------------------

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

    async def _button_values(self, reply: Reply) -> list[str]:
        """Each button's value; one too long for Slack's 2000 characters is kept in the database
        (all of a reply's long values in one transaction)."""
        out = [kit.button_value(b.action, b.value) for b in reply.buttons]
        long = [i for i, raw in enumerate(out) if len(raw) > kit.MAX_VALUE]
        if long and self.services.store is not None:
            async with self.services.store.sessions() as s, s.begin():
                for i in long:
                    b = reply.buttons[i]
                    digest = kit.value_digest(out[i])
                    await first_time(s, f"slack:value:{digest}", {"a": b.action, "v": b.value})
                    out[i] = json.dumps({"a": "", "k": digest})
        return out

    async def _pressed(self, raw: str | None) -> tuple[str, dict[str, Any]] | None:
        """The (action, value) a pressed button carried, fetching a long value from the database."""
        try:
            data = json.loads(raw or "")
        except ValueError:
            return None
        if isinstance(data, dict) and "k" in data and self.services.store is not None:
            async with self.services.store.sessions() as s:
                stored = await remembered(s, f"slack:value:{data['k']}")
            return (stored["a"], stored.get("v") or {}) if stored else None
        return kit.button_from(data)

    async def _message(self, reply: Reply) -> dict[str, Any]:
        values = await self._button_values(reply) if reply.buttons else None
        return kit.message(reply, button_values=values)

    async def _respond(self, response_url: str, payload: dict[str, Any]) -> None:
        hook = AsyncWebhookClient(url=response_url, timeout=10,
                                  retry_handlers=[ConnectFailedRetryHandler(max_retry_count=2),
                                                  AsyncRateLimitErrorRetryHandler(max_retry_count=1)])
        resp = await hook.send_dict(payload)
        if resp.status_code >= 400:
            log.warning("response_url answered %s: %s", resp.status_code, resp.body[:200])

    async def _open_form(self, client: AsyncWebClient, trigger_id: str, form: Form, *, area: str | None,
                         channel: str | None) -> bool:
        """Open ``form`` as a modal. False if Slack refused (e.g. the trigger expired)."""
        meta = {"a": form.action, "c": form.context, "ar": area or "", "ch": channel or ""}
        try:
            view = kit.form_view(form, meta)
            await client.views_open(trigger_id=trigger_id, view=view)
            return True
        except (SlackApiError, ValueError, aiohttp.ClientError) as exc:
            log.warning("could not open the form %s: %s", form.action, exc)
            return False

    async def _deliver(self, client: AsyncWebClient, reply: Reply, *, channel: str | None, user: str,
                       thread_ts: str | None = None, in_channel: bool | None = None) -> None:
        """Post an answer that is not a response to a response_url.

        In the channel when it is for everyone there (``in_channel``; by default when the reply
        says so), but never a PERSONAL one. Otherwise, or when Slack will not post it there
        (not_in_channel, channel_not_found...), ephemeral to ``user`` in that channel, else in
        their DM with boardbot: the person always gets their answer.
        """
        values = await self._button_values(reply) if reply.buttons else None
        body = kit.message(reply, button_values=values)
        public = (reply.visibility == Visibility.CHANNEL) if in_channel is None else in_channel
        tried = None
        if channel and public and reply.visibility != Visibility.PERSONAL:
            try:
                await client.chat_postMessage(channel=channel, thread_ts=thread_ts, unfurl_links=False, **body)
                return
            except SlackApiError as exc:
                code = error_code(exc) or "refused"
                log.warning("could not post in %s (%s); answering %s privately", channel, code, user)
                tried = channel
                body = kit.message(reply, button_values=values, extra=[kit.note(
                    f"boardbot could not post this in the channel ({code}), so only you can see it.")])
        if channel and not channel.startswith("D"):
            try:
                await client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, **body)
                return
            except SlackApiError as exc:
                log.info("ephemeral to %s failed (%s); sending it as a direct message", channel, error_code(exc))
        if channel and channel.startswith("D") and channel != tried:  # a DM is private already
            await client.chat_postMessage(channel=channel, thread_ts=thread_ts, unfurl_links=False, **body)
            return
        await client.chat_postMessage(channel=user, unfurl_links=False, **body)

    # --- listeners -------------------------------------------------------------------------------

    def _register(self) -> None:
        bolt = self.bolt
        bolt.command(re.compile(r"^/"))(self.on_command)
        bolt.view(kit.FORM_CALLBACK)(self.on_view_submission)
        bolt.action(re.compile("^" + re.escape(kit.BUTTON_PREFIX)))(self.on_button)
        bolt.event("app_mention")(self.on_mention)
        bolt.event("message")(self.on_message)
        bolt.event("app_home_opened")(self.on_home_opened)
        bolt.event("app_uninstalled")(self.on_uninstalled)
        bolt.event("tokens_revoked")(self.on_tokens_revoked)
        # whatever else Slack sends is acknowledged, never 404 (Slack retries, then disables, on errors)
        bolt.event(re.compile(".*"))(self._ignore)
        bolt.action(re.compile(".*"))(self._ack_only)
        bolt.view(re.compile(".*"))(self._ack_only)
        bolt.view_closed(re.compile(".*"))(self._ack_only)
        bolt.shortcut(re.compile(".*"))(self._ack_only)
        bolt.options(re.compile(".*"))(self._no_options)

    async def _ignore(self, body: dict[str, Any]) -> None:
        return None

    async def _ack_only(self, ack: Callable[..., Awaitable[Any]]) -> None:
        await ack()

    async def _no_options(self, ack: Callable[..., Awaitable[Any]]) -> None:
        await ack(options=[])  # boardbot's menus are static: an options request is not one of ours

    async def on_command(self, ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        """``/board <anything>``: answered in the ack when the core is quick, else via response_url."""
        text, mentions = kit.incoming_text(body.get("text", ""))
        text, share = kit.split_share(text)
        team, user, channel = body.get("team_id", ""), body.get("user_id", ""), body.get("channel_id")
        actor, area = await self._actor(team, user, body.get("user_name", ""))
        request = Request(text=text, actor=actor, area=area, platform="slack", channel=channel,
                          request_id=f"slack:command:{team}:{body.get('trigger_id', '')}", mentions=mentions,
                          conversation=conversation_of(team, channel, user))
        task = asyncio.ensure_future(self._core(handle, request))
        await asyncio.wait({task}, timeout=ACK_BUDGET)  # never cancels the task
        trigger = body.get("trigger_id", "")
        response_url = body.get("response_url", "")
        if not task.done():
            await ack()
            self._spawn(self._command_later(task, client, trigger, response_url, share, area, channel, text))
            return
        reply = task.result()
        if reply.form is not None:
            await ack()
            self._spawn(self._form_or_button(client, trigger, response_url, reply, area, channel, text))
            return
        payload = await self._message(reply)
        await ack(response_type=self._response_type(reply, share), **payload)

    @staticmethod
    def _response_type(reply: Reply, share: bool) -> str:
        """in_channel when asked to share or meant for the channel; a PERSONAL answer or an error never is."""
        if reply.visibility == Visibility.PERSONAL or not reply.ok:
            return "ephemeral"  # nor an error: it is about the asker, and shared it only clutters the channel
        return "in_channel" if share or reply.visibility == Visibility.CHANNEL else "ephemeral"

    async def _command_later(self, task: asyncio.Future[Reply], client: AsyncWebClient, trigger: str, response_url: str,
                             share: bool, area: str | None, channel: str | None, text: str) -> None:
        reply = await task
        if reply.form is not None:
            await self._form_or_button(client, trigger, response_url, reply, area, channel, text)
            return
        payload = await self._message(reply)
        await self._respond(response_url, {"response_type": self._response_type(reply, share), **payload})

    async def _form_or_button(self, client: AsyncWebClient, trigger: str, response_url: str, reply: Reply,
                              area: str | None, channel: str | None, text: str) -> None:
        if reply.form is not None and await self._open_form(client, trigger, reply.form, area=area, channel=channel):
            return
        prompt = Reply(text=reply.text or "This needs a form.", title=reply.title,
                       buttons=(kit.open_form_button(text, area),))
        await self._respond(response_url, {"response_type": "ephemeral", **await self._message(prompt)})

    async def on_view_submission(self, ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        """A submitted modal: the core's answer closes it, or shows its field errors in it."""
        view = body.get("view") or {}
        meta, values = kit.form_values(view)
        if not meta.get("a"):
            await ack()
            return
        # the request id is the modal (id + hash: an updated modal is a new one), so the core can
        # make a submission idempotent; the de-duplication key adds the values, so a form that was
        # sent back with errors can be sent again, while a double click on Submit acts once
        request_id = f"slack:view:{view.get('id', '')}:{view.get('hash', '')}"
        key = f"{request_id}:{kit.value_digest(json.dumps(values, sort_keys=True, default=str))}"
        if not await self._first_time(key):
            await ack()  # the same submission again (a double click): the first one is acting
            return
        user = body.get("user") or {}
        team = (body.get("team") or {}).get("id") or user.get("team_id", "")
        actor, area = await self._actor(team, user.get("id", ""), user.get("name") or user.get("username") or "")
        request = Request(text="", actor=actor, area=meta.get("ar") or area, platform="slack",
                          channel=meta.get("ch") or None, request_id=request_id, action=meta["a"],
                          value={**(meta.get("c") or {}), **values})
        task = asyncio.ensure_future(self._core(handle_action, request))
        await asyncio.wait({task}, timeout=ACK_BUDGET)  # never cancels the task
        if task.done():
            reply = task.result()
            errors = kit.field_errors(reply, values.keys())
            if errors:
                await self._forget(key)  # let the corrected form (or the same one) be sent again
                await ack(response_action="errors", errors=errors)
                return
            if reply.form is not None:
                new_meta = {"a": reply.form.action, "c": reply.form.context, "ar": request.area or "", "ch": request.channel or ""}
                try:
                    await ack(response_action="update", view=kit.form_view(reply.form, new_meta))
                    return
                except ValueError:
                    pass
            await ack()
            self._spawn(self._deliver(client, reply, channel=request.channel, user=actor.user_id))
            return
        await ack()

        async def later() -> None:
            await self._deliver(client, await task, channel=request.channel, user=actor.user_id)

        self._spawn(later())

    async def on_button(self, ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        self._spawn(self._button(body, client))

    async def _button(self, body: dict[str, Any], client: AsyncWebClient) -> None:
        action = (body.get("actions") or [{}])[0]
        container = body.get("container") or {}
        where = container.get("message_ts") or container.get("view_id") or (body.get("view") or {}).get("id", "")
        # per person: a double click acts once, but a refused press by someone else must not
        # use up the button for the person entitled to press it
        presser = (body.get("user") or {}).get("id", "")
        key = f"slack:button:{where}:{action.get('block_id', '')}:{action.get('action_id', '')}:{presser}"
        if not await self._first_time(key):
            log.info("ignoring a repeated press of %s", key)
            return
        pressed = await self._pressed(action.get("value"))
        user = body.get("user") or {}
        team = (body.get("team") or {}).get("id") or user.get("team_id", "")
        channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
        response_url = body.get("response_url")
        actor, area = await self._actor(team, user.get("id", ""), user.get("name") or user.get("username") or "")
        form_area = area
        if pressed is None:
            reply = error("That button is no longer supported.", hint='Type "/board help" to see what you can do.')
        elif pressed[0] == kit.OPEN_FORM_ACTION:
            value = pressed[1]
            form_area = value.get("area") or area
            asked = Request(text=str(value.get("t", "")), actor=actor, area=form_area, platform="slack",
                            channel=channel, request_id=key)
            reply = await self._core(handle, asked)
        else:
            form_area = pressed[1].get("area") or area
            request = Request(text="", actor=actor, area=area, platform="slack", channel=channel, request_id=key,
                              action=pressed[0], value=pressed[1],
                              conversation=conversation_of(team, channel, user.get("id", ""), container.get("thread_ts")))
            reply = await self._core(handle_action, request)
        if not reply.ok or reply.form is not None:
            # refused or failed: pressing again later (say, once granted the role) must work; a form
            # may be cancelled (Slack does not tell us), and pressing again must open it again
            await self._forget(key)
        if reply.form is not None and await self._open_form(client, body.get("trigger_id", ""), reply.form,
                                                             area=form_area, channel=channel):
            return
        payload = await self._message(reply)
        if container.get("type") == "message" and response_url:
            if (not reply.ok or reply.visibility == Visibility.PERSONAL) and not container.get("is_ephemeral"):
                # a refusal or a secret is for the presser only; the message everyone sees stays as it was
                await self._respond(response_url, {"response_type": "ephemeral", "replace_original": False, **payload})
            else:
                await self._respond(response_url, {"replace_original": True, **payload})
            return
        await self._deliver(client, reply, channel=None, user=actor.user_id)
        if container.get("type") == "view" and (body.get("view") or {}).get("type") == "home":
            await self._publish_home(client, team, actor.user_id)

    # --- events ------------------------------------------------------------------------------------

    async def on_mention(self, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient, context: Any) -> None:
        if not await self._first_time(f"slack:event:{body.get('event_id', '')}"):
            return
        self._spawn(self._answer_event(body, event, client, getattr(context, "bot_user_id", None), mention=True))

    async def on_message(self, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient, context: Any) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        if not await self._first_time(f"slack:event:{body.get('event_id', '')}"):
            return
        self._spawn(self._answer_event(body, event, client, getattr(context, "bot_user_id", None), mention=False))

    async def _answer_event(self, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient,
                            bot_user: str | None, *, mention: bool) -> None:
        raw = event.get("text") or ""
        if bot_user:
            raw = re.sub(rf"<@{re.escape(bot_user)}(?:\|[^>]*)?>", " ", raw)
        text, mentions = kit.incoming_text(raw)
        text, _share = kit.split_share(text)  # a mention is answered in its thread for all to see anyway
        team = body.get("team_id") or event.get("team", "")
        channel = event.get("channel", "")
        user = event.get("user", "")
        actor, area = await self._actor(team, user, await self._name(client, team, user))
        thread = (event.get("thread_ts") or event.get("ts")) if mention else event.get("thread_ts")
        request = Request(text=text, actor=actor, area=area, platform="slack", channel=channel,
                          request_id=f"slack:event:{body.get('event_id', '')}", mentions=mentions,
                          conversation=conversation_of(team, channel, user, thread))
        reply = await self._core(handle, request)
        if reply.form is not None:  # no trigger_id in an event: offer a button that opens it
            reply = Reply(text=reply.text or "This needs a form.", title=reply.title,
                          buttons=(kit.open_form_button(text, area),))
        # in the thread (or the DM) for all there to see; a PERSONAL answer goes to the asker alone
        await self._deliver(client, reply, channel=channel, user=user, thread_ts=thread, in_channel=True)

    # --- uninstalled, tokens revoked -------------------------------------------------------------------

    async def on_uninstalled(self, body: dict[str, Any], context: Any) -> None:
        """``app_uninstalled``: the installation goes (Bolt's store), the workspace's queued posts stop,
        the areas' admins are told (:func:`bot.workflows.installations.workspace_removed`)."""
        await self._removed(body, context, why="was uninstalled", delete=self._delete_all)

    async def on_tokens_revoked(self, body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
        """``tokens_revoked``: revoked user tokens are forgotten; a revoked bot token is a removal."""
        tokens = event.get("tokens") or {}
        if self.installation_store is not None and (tokens.get("oauth") or tokens.get("bot")):
            await self.bolt.default_tokens_revoked_event_listener()(event=event, context=context)
        if tokens.get("bot"):
            await self._removed(body, context, why="had its bot token revoked", delete=None)

    async def _delete_all(self, context: Any) -> None:
        if self.installation_store is not None:
            await self.bolt.default_app_uninstalled_event_listener()(context=context)

    async def _removed(self, body: dict[str, Any], context: Any, *, why: str,
                       delete: Callable[[Any], Awaitable[None]] | None) -> None:
        from bot.workflows.installations import workspace_removed

        team = getattr(context, "team_id", None) or body.get("team_id") or getattr(context, "enterprise_id", None) or ""
        name = ""
        if self.installation_store is not None:
            found = await self.installation_store.async_find_installation(
                enterprise_id=getattr(context, "enterprise_id", None), team_id=team or None)
            name = (found.team_name or "") if found else ""
        if delete is not None:
            await delete(context)
        self.sender.forget(team)
        install = (f"{self.settings.public_url}/slack/install" if self.settings.public_url and self.settings.slack_oauth
                   else "")
        await workspace_removed(self.services, platform="slack", workspace=team, why=why, name=name,
                                key=str(body.get("event_id") or ""), install_hint=install)

    async def on_home_opened(self, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab", "home") == "messages":
            self._spawn(self._welcome(client, body.get("team_id", ""), event.get("user", ""), event.get("channel", "")))
            return
        if event.get("tab", "home") != "home":
            return
        self._spawn(self._publish_home(client, body.get("team_id", ""), event.get("user", "")))

    async def _welcome(self, client: AsyncWebClient, team: str, user: str, channel: str) -> None:
        """The first time someone opens the Messages tab, say what boardbot is and what to try.

        Once per person, across replicas and restarts (a long-lived key in processed_requests);
        if the post fails, the key is forgotten so the next opening tries again.
        """
        from bot.commands.greeting import welcome

        if not user or not await self._first_time(f"slack:welcomed:{team}:{user}"):
            return
        _actor, area = await self._actor(team, user)
        reply = welcome(self.services.knowledge.areas.get(area) if area else None)
        try:
            await client.chat_postMessage(channel=channel or user, unfurl_links=False, **kit.message(reply))
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
            log.info("welcome message to %s failed (%s); it will be tried on their next visit", user, exc)
            await self._forget(f"slack:welcomed:{team}:{user}")

    async def _publish_home(self, client: AsyncWebClient, team: str, user: str) -> None:
        actor, area = await self._actor(team, user)
        await client.views_publish(user_id=user, view=home_view(await build_panel(self.services, actor, area, prefix=PREFIX)))


SLACK = web.AppKey("slack", SlackPlatform)

def conversation_of(team: str, channel: str | None, user: str, thread: str | None = None) -> str:
    """The conversation a Slack message belongs to, for follow-ups: a DM, a thread, or (for
    private slash-command answers in a channel) that person in that channel."""
    if channel and channel.startswith("D"):
        return f"slack:{team}:{channel}"
    if thread:
        return f"slack:{team}:{channel}:{thread}"
    return f"slack:{team}:{channel or '-'}:{user}"


def mount(app: web.Application, services: Services, settings: Settings) -> SlackPlatform:
    """Add the Slack routes to ``app`` (Slack is on); the caller registers ``.sender`` with the outbox."""
    platform = SlackPlatform(services, settings)
    app[SLACK] = platform
    app.router.add_post("/slack/events", platform.handle_events)
    if settings.slack_oauth:
        app.router.add_get("/slack/install", platform.handle_oauth)
        app.router.add_get("/slack/oauth_redirect", platform.handle_oauth)
    app.on_startup.append(platform.startup)
    app.on_cleanup.append(platform.cleanup)
    return platform
