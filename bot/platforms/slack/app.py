"""The Slack app: Bolt for Python mounted in boardbot's own aiohttp app.

:func:`mount` adds the routes (see :mod:`bot.platforms.slack`) and returns the
:class:`SlackPlatform`, whose ``sender`` (:class:`~bot.platforms.slack.sender.SlackSender`)
the web module registers with the outbox. This module builds Bolt (one workspace by its bot
token, or OAuth installs kept in the database) and owns the HTTP side:

- **Signatures first.** The signature is checked over the raw bytes before anything is
  parsed (:mod:`bot.platforms.slack.inbound`): forged, stale (> 5 min) and unsigned
  requests get 401 whatever their body; a signed body that is not UTF-8, nests too deep,
  is not JSON where JSON is due or has a wrong type where boardbot or Bolt reads a field
  gets 400; one over 1 MB 413, unread. Nothing is recorded for any of them. This is the
  only way into Bolt (``async_dispatch``), so Bolt's own check of the signature, a second
  HMAC over the same bytes, is turned off.
- **Slash commands without Bolt's dispatch.** With one workspace's bot token, once
  ``auth.test`` has passed (what Bolt's single-workspace authorization checks, once), a
  slash command goes straight to its listener and its ack is the HTTP response: Bolt's
  middleware chain and listener matching cost as much as answering the question. OAuth
  installs, buttons, forms and events all go through Bolt.
- **3 seconds.** Bolt runs with ``process_before_response=True``, so the HTTP response goes
  out when our listener returns (:mod:`bot.platforms.slack.listeners` keeps that short).

What each request does is in :mod:`~bot.platforms.slack.listeners`, how answers reach people
in :mod:`~bot.platforms.slack.replies`, retries in :mod:`~bot.platforms.slack.retries`.
"""

from __future__ import annotations

import asyncio
import json
import logging
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
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore

from bot.config import Settings
from bot.platforms import inbound
from bot.platforms.slack import inbound as slack_inbound
from bot.platforms.slack.listeners import SlackListeners
from bot.platforms.slack.retries import web_client
from bot.platforms.slack.sender import SlackSender
from bot.services import Services

log = logging.getLogger("boardbot.slack")

REFUSED_RECHECK = 30.0  # seconds before a token Slack refused is checked here again (Bolt checks it meanwhile)


class SlackPlatform(SlackListeners):
    """One Bolt app wired to the command core. Built by :func:`mount`; kept on the aiohttp app."""

    def __init__(self, services: Services, settings: Settings) -> None:
        super().__init__(services, settings)
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
                                 process_before_response=True, logger=log, request_verification_enabled=False,
                                 user_facing_authorize_error_message=(
                                     ":warning: boardbot is not installed in this workspace (or its installation was "
                                     f"removed). A workspace administrator can install it from {install}."))
        else:
            self.bolt = AsyncApp(signing_secret=settings.slack_signing_secret, client=client,
                                 process_before_response=True, logger=log, request_verification_enabled=False)
        self.sender = SlackSender(settings, self.installation_store)
        self._token_state = "unchecked"  # see _token
        self._token_again = 0.0  # (loop time) when a refused token is checked here again
        self._token_lock = asyncio.Lock()
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
        if request.headers.get("x-slack-bolt-lazy-only") or request.headers.get("x-slack-bolt-lazy-function-name"):
            return web.Response(status=400, text="unexpected header")  # Bolt-internal headers never come from Slack
        token = "bolt" if self.settings.slack_oauth or not _authorised_by_bolt(kind, body) else await self._token()
        if kind == "command" and token in ("good", "unreachable"):
            return _ack_response(await self.command_ack(body, self.bolt.client))
        if token == "unreachable":  # Bolt would check the token first, fail, and answer 500
            return web.Response(status=503, text="Slack's Web API cannot be reached from boardbot; try again shortly",
                                headers={"Retry-After": "30"})
        # Bolt is given the body as parsed above rather than parsing it again (and Bolt alone
        # reads any form holding the word "payload" as an interactivity payload, losing a slash
        # command whose text has that word in it)
        bolt_req = AsyncBoltRequest(body="", query=request.query_string, headers=dict(request.headers))
        bolt_req.raw_body, bolt_req.body = text, body
        bolt_req.context = build_async_context(AsyncBoltContext({}), body)
        try:
            bolt_resp = await self.bolt.async_dispatch(bolt_req)
        except Exception:  # the shape checks let through something Bolt cannot read: say so, loudly
            log.error("a signed Slack request that passed the shape checks failed inside Bolt", exc_info=True)
            return web.Response(status=400, text="malformed body")
        return await to_aiohttp_response(bolt_resp)

    async def _token(self) -> str:
        """The single workspace's bot token, as Bolt's single-workspace authorization checks it
        (``auth.test``, once, then never again): ``good``, ``refused`` (Slack said no: the request
        goes through Bolt, which says so in Bolt's words) or ``unreachable`` (Slack's Web API could
        not be reached: checked again next time).

        Once it is good, a slash command is answered here rather than through Bolt's dispatch:
        it is answered in its ack, and Bolt's part in that (the middleware chain, matching it to
        its listener, the ack object) cost as much CPU as everything else boardbot does for it;
        :meth:`command_ack` is the listener, called directly. A command is answered so too while
        the Web API cannot be reached (the answer needs none of it), where Bolt would fail it
        with a 500; anything else is 503 until Slack can be reached. Installs by OAuth keep
        Bolt's dispatch throughout: Bolt finds (and refreshes) each workspace's token.
        """
        if self._token_state == "good":
            return "good"
        loop = asyncio.get_running_loop()
        if self._token_state == "refused" and loop.time() < self._token_again:
            return "refused"  # Bolt checks it on each request meanwhile: no second auth.test for every one
        async with self._token_lock:
            if self._token_state != "good":
                self._token_again = loop.time() + REFUSED_RECHECK
                try:
                    await self.bolt.client.auth_test()
                    self._token_state = "good"
                except SlackApiError as exc:
                    if exc.response.status_code >= 500:  # Slack's own trouble, not a verdict on the token
                        log.warning("auth.test failed on Slack's side (%s); trying again on the next request", exc)
                        self._token_state = "unreachable"
                    else:
                        log.warning("Slack refused the bot token (%s); Bolt answers until it is accepted", exc)
                        self._token_state = "refused"
                except (aiohttp.ClientError, TimeoutError) as exc:
                    log.warning("auth.test could not reach Slack (%s); trying again on the next request", exc)
                    self._token_state = "unreachable"
        return self._token_state

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


def _authorised_by_bolt(kind: str, body: dict[str, Any]) -> bool:
    """Whether Bolt checks the token before it handles a request of this kind (it does not for
    Slack's URL and SSL checks, nor for the events that say the app or a token has gone)."""
    if kind in ("url_verification", "ssl_check"):
        return False
    return not (kind == "event_callback" and body["event"]["type"] in _NO_TOKEN_EVENTS)


_NO_TOKEN_EVENTS = frozenset(("app_uninstalled", "tokens_revoked", "team_access_revoked"))


def _ack_response(fields: dict[str, Any] | None) -> web.Response:
    """The HTTP answer to a slash command acked with ``fields`` (None: an empty ack), as Bolt's
    ack would write it: a JSON body of the message, or an empty 200."""
    if not fields:
        return web.Response(status=200)
    body = {k: v for k, v in fields.items() if v is not None and (k != "blocks" or v)}
    blocks = body.get("blocks")
    encoded = getattr(blocks, "json", "")  # blocks rendered from memory carry their JSON, and their text's
    if not encoded:
        return web.Response(body=json.dumps(body, separators=(",", ":")).encode(), headers=_JSON)
    del body["blocks"]
    tail = f'"blocks":{encoded}}}'
    if "text" in body and body["text"] is blocks.text and blocks.text_json:
        del body["text"]
        tail = f'"text":{blocks.text_json},{tail}'
    head = json.dumps(body, separators=(",", ":"))
    return web.Response(body=f'{head[:-1]}{"," if body else ""}{tail}'.encode(), headers=_JSON)


_JSON = {"Content-Type": "application/json; charset=utf-8"}


SLACK = web.AppKey("slack", SlackPlatform)


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
