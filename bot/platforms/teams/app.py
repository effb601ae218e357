"""The Teams endpoint: botbuilder wired up (authentication, the cloud adapter, the handler, the sender).

    POST /api/messages    what Teams (the Bot Connector) sends boardbot

:class:`TeamsPlatform` is built by :mod:`~bot.platforms.teams.ondemand` when the first activity
or the first post needs it; it handles the route and holds the outbox's ``sender``
(:class:`~bot.platforms.teams.sender.TeamsSender`). What each activity does is in
:mod:`~bot.platforms.teams.handler`.

Why not ``CloudAdapter.process`` (botbuilder's aiohttp integration): it answers 500 to
``adaptiveCard/action`` invokes and to an Authorization header that is not a JWT. Its base,
botbuilder.core's ``CloudAdapterBase``, is all boardbot uses, so the aiohttp integration
package (skills, streaming, its channel service) is never loaded.

:meth:`TeamsPlatform.handle` checks the token first (before the body is read), then reads and checks the body (size, depth, shape: 413 / 400),
then the token's ``serviceurl`` claim against the activity (ours: botbuilder's successor does
not check it) and botbuilder's own validation (any failure -> 401, before anything is stored
or sent), and only then hands the activity to ``adapter.process_activity`` with the
authentication result, so a failure inside a turn can never be mistaken for a bad token or
the other way round.

Safe by default (:attr:`bot.config.Settings.teams_mode`): with ``MicrosoftAppId`` set every
request needs a Bot Framework token; without it the endpoint is off (401, mounted by
:class:`bot.platforms.teams.Teams` without loading this module) unless
``BOARDBOT_TEAMS_UNAUTHENTICATED=1`` asks for local use (the Bot Framework Emulator, tests)
with ``HOST`` on loopback, and then only callers on this machine are answered and replies and
proactive posts go only to loopback service URLs: an unauthenticated endpoint can never be
made to post to an address someone else chose.
"""

from __future__ import annotations

import logging

from aiohttp import web
from botbuilder.core import CloudAdapterBase, TurnContext, serializer_helper
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.auth import AuthenticateRequestResult
from msrest.serialization import Model

from bot.config import Settings
from bot.platforms import inbound
from bot.platforms.common import crash_reply
from bot.platforms.teams import inbound as teams_inbound
from bot.platforms.teams.activities import card_activity, parse_activity
from bot.platforms.teams.auth import (
    ChannelToken,
    Endpoints,
    KeysUnavailable,
    SigningKeys,
    TokenRefused,
    verify_channel_token,
)
from bot.platforms.teams.cards import (
    reply_card,
)
from bot.platforms.teams.handler import BoardbotTeamsBot
from bot.platforms.teams.sender import TeamsSender
from bot.platforms.teams.tokens import TokenError, build_authentication, credential_factory
from bot.services import Services

log = logging.getLogger("boardbot.teams")


class TeamsPlatform:
    """botbuilder wired up: authentication, the cloud adapter, the bot, the sender."""

    def __init__(self, services: Services, settings: Settings) -> None:
        self.services = services
        self.settings = settings
        self.app_id = settings.app_id or ""
        self.mode = settings.teams_mode  # jwt | local | off (see bot.config.Settings.teams_mode)
        self.endpoints = Endpoints.from_settings(settings)
        self.credentials = credential_factory(settings, self.endpoints)
        self.auth = build_authentication(self.endpoints, self.credentials)
        self.adapter = CloudAdapterBase(self.auth)  # process_activity is all boardbot uses (see above)
        self.adapter.on_turn_error = self._on_turn_error
        self.keys = SigningKeys(self.endpoints)
        self.bot = BoardbotTeamsBot(services)
        self.sender = TeamsSender(services, self.adapter, app_id=self.app_id, authenticated=self.authenticated)

    @property
    def authenticated(self) -> bool:
        return self.mode == "jwt"

    async def handle(self, request: web.Request) -> web.Response:
        """POST /api/messages, cheapest check first; nothing is stored or sent for a refusal.

        Off: 401, unread. Local: 401 unless the caller is on this machine. JWT: the token is
        checked (:func:`verify_channel_token`) before the body is read: 401 without a good
        one, 503 when the signing keys cannot be fetched. Then the body: 413 over 1 MB, 400
        when it is not UTF-8 JSON of bounded depth shaped like an activity
        (:mod:`bot.platforms.teams.inbound`). Then what needs the activity: the token's
        ``serviceurl`` and endorsement (ours), botbuilder's own validation, and in local mode
        a loopback ``serviceUrl`` (replies go nowhere else): 401. Only then the turn.
        """
        try:
            header, token = await self._caller(request)
            activity = await self._activity(request)
            auth = await self._authenticate(activity, header, token)
        except _Refused as refused:
            return refused.response
        return await self._turn(auth, activity)

    async def _caller(self, request: web.Request) -> tuple[str | None, ChannelToken | None]:
        """Who is calling, before the body is read: the mode, the peer (local), the token (JWT)."""
        if self.mode == "off":
            raise _Refused(_problem(401, "Teams is not enabled on this server"))
        if self.mode == "local" and not inbound.peer_is_loopback(request):
            raise _Refused(_problem(401, "unauthorized"))
        if not self.authenticated:
            return None, None
        header = request.headers.get("Authorization")
        try:
            await self.keys.ensure_fresh(header or "")
        except KeysUnavailable as exc:
            log.error("%s", exc)
            raise _Refused(_problem(503, "cannot check tokens right now", retry=True)) from exc
        try:
            return header, verify_channel_token(header, app_id=self.app_id, endpoints=self.endpoints)
        except TokenRefused as exc:
            log.info("refused a Teams request: %s", exc)
            raise _Refused(_problem(401, "unauthorized")) from exc

    async def _activity(self, request: web.Request) -> Activity:
        """The body, read within its limits and shaped like an activity boardbot can handle (413 / 400)."""
        try:
            body = inbound.loads(await inbound.read_body(request))
            teams_inbound.check_activity(body)
        except inbound.Refused as exc:
            log.info("refused a Teams request (%s): %s", exc.status, exc.reason)
            raise _Refused(_problem(exc.status, exc.reason)) from exc
        activity = parse_activity(body)
        if activity is None:
            raise _Refused(_problem(400, "the body is not a Bot Framework activity boardbot can handle"))
        return activity

    async def _authenticate(self, activity: Activity, header: str | None, token: ChannelToken | None) -> AuthenticateRequestResult:
        """What needs the activity: the token's serviceurl and endorsement (ours), a loopback serviceUrl in
        local mode, botbuilder's own validation. Any failure is 401."""
        try:
            if token is not None:
                token.check_activity(channel_id=activity.channel_id, service_url=activity.service_url)
            elif not inbound.is_loopback_url(activity.service_url):
                raise TokenRefused("unauthenticated requests may only name a serviceUrl on this machine")
            return await self.auth.authenticate_request(activity, header)
        except Exception as exc:  # TokenRefused; botbuilder raises PermissionError, jwt errors, even AttributeError
            log.info("refused a Teams request: %s: %s", type(exc).__name__, exc)
            raise _Refused(_problem(401, "unauthorized")) from exc

    async def _turn(self, auth: AuthenticateRequestResult, activity: Activity) -> web.Response:
        """The turn itself; an invoke's answer is the HTTP response."""
        try:
            invoke = await self.adapter.process_activity(auth, activity, self.bot.on_turn)
        except TokenError as exc:
            log.error("cannot answer Teams: %s", exc)
            return _problem(503 if exc.transient else 500, "boardbot cannot reach the Bot Connector", retry=exc.transient)
        except Exception:
            log.exception("a Teams turn failed")
            return _problem(500, "internal error")
        if invoke is not None:
            body_out = invoke.body if invoke.body is not None else {}
            if isinstance(body_out, Model):  # botbuilder's own answers (e.g. a 400 for an invoke without a value)
                body_out = serializer_helper(body_out)
            return web.json_response(body_out, status=int(invoke.status or 200))
        return web.Response(status=200)

    async def _on_turn_error(self, turn_context: TurnContext, exc: Exception) -> None:
        """Last resort for an exception in a turn: log it, and tell the person if they were talking to us."""
        log.exception("error in a Teams turn", exc_info=exc)
        if turn_context.activity.type != ActivityTypes.message:
            return
        try:
            reply = crash_reply()
            await turn_context.send_activity(card_activity(reply_card(reply), reply.text))
        except Exception:
            log.warning("could not tell the user about the error either", exc_info=True)


class _Refused(Exception):
    """A request answered without a turn: ``response`` says why (401, 400, 413, 503)."""

    def __init__(self, response: web.Response) -> None:
        super().__init__(response.status)
        self.response = response


def _problem(status: int, message: str, *, retry: bool = False) -> web.Response:
    headers = {"Retry-After": "30"} if retry else None
    return web.json_response({"error": message}, status=status, headers=headers)
