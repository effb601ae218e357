"""boardbot's own Bot Connector token, and the botbuilder authentication built around it.

botbuilder 4.17 fetches the outbound token from MSAL inside msrest's synchronous
``signed_session``, which would stall every conversation the server holds while Microsoft's
login service is slow. So :class:`AppTokens` fetches and caches the app token with aiohttp,
and :class:`AsyncTokenCredentialFactory` hands botbuilder credentials that already hold it.
:class:`ReusingAuthentication` keeps one connector client per service URL instead of one per
turn. The inbound check (who may call ``/api/messages``) is :mod:`bot.platforms.teams.auth`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import aiohttp
from botbuilder.schema import CallerIdConstants
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConfiguration,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    BotFrameworkAuthenticationFactory,
    ClaimsIdentity,
    ConnectorFactory,
    ManagedIdentityServiceClientCredentialsFactory,
    MicrosoftAppCredentials,
    ServiceClientCredentialsFactory,
    UserTokenClient,
)

from bot.platforms.common import retry_after_seconds
from bot.platforms.teams.auth import Endpoints

log = logging.getLogger("boardbot.teams.auth")


class TokenError(Exception):
    """boardbot could not get its own Bot Connector token.

    ``transient`` is True for timeouts, 5xx and 429 (try again later), False when the login
    service refused the app id or password (fix the settings).
    """

    def __init__(self, message: str, *, transient: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.transient = transient
        self.retry_after = retry_after


class AppTokens:
    """The app's bearer token for the Bot Connector, from the OAuth2 client-credentials grant.

    Cached per scope until five minutes before it expires; one fetch at a time.
    """

    def __init__(self, app_id: str, password: str, token_url: str, *, timeout: float = 10.0) -> None:
        self.app_id = app_id
        self.password = password
        self.token_url = token_url
        self.timeout = timeout
        self._cache: dict[str, tuple[str, float]] = {}
        self._lock = asyncio.Lock()

    async def get(self, scope: str) -> str:
        scope = scope if scope.endswith("/.default") else scope.rstrip("/") + "/.default"
        cached = self._cache.get(scope)
        if cached and cached[1] > time.monotonic():
            return cached[0]
        async with self._lock:
            cached = self._cache.get(scope)
            if cached and cached[1] > time.monotonic():
                return cached[0]
            token, expires_in = await self._fetch(scope)
            self._cache[scope] = (token, time.monotonic() + max(60.0, expires_in - 300.0))
            return token

    async def _fetch(self, scope: str) -> tuple[str, float]:
        form = {"grant_type": "client_credentials", "client_id": self.app_id, "client_secret": self.password, "scope": scope}
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout)) as http:
                async with http.post(self.token_url, data=form) as resp:
                    text = await resp.text()
                    if resp.status == 429 or resp.status >= 500:
                        raise TokenError(f"login service answered {resp.status} at {self.token_url}", transient=True,
                                         retry_after=retry_after_seconds(resp.headers.get("Retry-After")))
                    if resp.status != 200:
                        raise TokenError(f"login service refused boardbot's credentials ({resp.status}): {text[:300]} "
                                         "- check MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppType",
                                         transient=False)
                    body = await resp.json(content_type=None)
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise TokenError(f"login service unreachable at {self.token_url}: {exc!r}", transient=True) from exc
        token = body.get("access_token") if isinstance(body, dict) else None
        if not token:
            raise TokenError(f"login service sent no access_token: {str(body)[:200]}", transient=True)
        return token, float(body.get("expires_in") or 3600)

    def current(self, scope: str) -> str:
        """The token last fetched for ``scope`` (call :meth:`get` first; this never waits)."""
        scope = scope if scope.endswith("/.default") else scope.rstrip("/") + "/.default"
        cached = self._cache.get(scope)
        if cached is None:
            raise PermissionError(f"no app token fetched yet for {scope}")
        return cached[0]


class _BearerCredentials(MicrosoftAppCredentials):
    """Credentials that read the token :class:`AppTokens` keeps fresh, so msrest's synchronous
    signing never waits on the network and a reused client never sends a stale token."""

    def __init__(self, app_id: str, tokens: AppTokens, scope: str) -> None:
        super().__init__(app_id, "", oauth_scope=scope)
        self._tokens = tokens

    def get_access_token(self, force_refresh: bool = False) -> str:
        return self._tokens.current(self.oauth_scope)


class AsyncTokenCredentialFactory(ServiceClientCredentialsFactory):
    """botbuilder's credential factory, backed by :class:`AppTokens` (empty app id: no auth at all)."""

    def __init__(self, app_id: str, tokens: AppTokens | None) -> None:
        self.app_id = app_id or ""
        self.tokens = tokens

    async def is_valid_app_id(self, app_id: str) -> bool:
        return app_id == self.app_id

    async def is_authentication_disabled(self) -> bool:
        return not self.app_id

    async def create_credentials(self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool):
        if not self.app_id:
            return MicrosoftAppCredentials.empty()
        if app_id != self.app_id:
            raise PermissionError("Invalid app_id")
        if self.tokens is None:  # built with an app id but no token source: a wiring fault, not a caller's
            raise RuntimeError("Teams credentials for an app id need its password (MicrosoftAppPassword)")
        scope = oauth_scope or AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
        await self.tokens.get(scope)
        return _BearerCredentials(app_id, self.tokens, scope)

    async def refresh(self, app_id: str | None, scope: str | None) -> None:
        """Make sure the token a reused client will read is fresh."""
        if self.app_id and app_id == self.app_id and self.tokens is not None:
            await self.tokens.get(scope or AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE)


def credential_factory(settings: Any, endpoints: Endpoints) -> ServiceClientCredentialsFactory:
    if settings.app_type == "UserAssignedMSI" and settings.app_id:
        # Managed identities get their token from the Azure host, not from a password; the SDK's factory does it.
        return ManagedIdentityServiceClientCredentialsFactory(settings.app_id)
    tokens = AppTokens(settings.app_id, settings.app_password, endpoints.token_url) if settings.app_id else None
    return AsyncTokenCredentialFactory(settings.app_id, tokens)


def build_authentication(endpoints: Endpoints, factory: ServiceClientCredentialsFactory, *,
                         timeout: float = 20.0) -> ReusingAuthentication:
    """botbuilder's authentication with every endpoint spelled out (so tests can point them at 127.0.0.1),
    its Bot Connector clients reused (:class:`ReusingAuthentication`)."""
    inner = BotFrameworkAuthenticationFactory.create(
        channel_service=None,
        validate_authority=True,
        to_channel_from_bot_login_url=endpoints.login_url,
        to_channel_from_bot_oauth_scope=endpoints.oauth_scope,
        to_bot_from_channel_token_issuer=endpoints.token_issuer,
        oauth_url=endpoints.oauth_url,
        to_bot_from_channel_open_id_metadata_url=endpoints.openid_metadata_url,
        to_bot_from_emulator_open_id_metadata_url=endpoints.emulator_openid_metadata_url,
        caller_id=CallerIdConstants.public_azure_channel,
        credential_factory=factory,
        auth_configuration=AuthenticationConfiguration(),
    )
    return ReusingAuthentication(inner, factory, endpoints, timeout=timeout)


class ReusingAuthentication(BotFrameworkAuthentication):
    """botbuilder's authentication, with its Bot Connector clients kept and reused.

    botbuilder builds a new connector client and a new user-token client for every turn and
    every proactive post: each costs about 5 ms of CPU (msrest rebuilds its retry table) and a
    new HTTPS connection to Teams. This keeps one connector client per (app, serviceUrl,
    audience) and one user-token client per app (boardbot signs nobody in, but botbuilder
    wants one). The clients' credentials read the token :class:`AppTokens` refreshes before
    each use, so a kept client never sends a stale one.

    Client-side retries (:func:`retry_connect_only`): one immediate retry of a failed connect,
    when the Bot Connector cannot have seen the request; nothing else. The outbox retries
    proactive posts with back-off and keeps their order, and a post retried blindly after a
    5xx or a read timeout could appear twice.
    """

    MAX_CLIENTS = 64

    def __init__(self, inner: BotFrameworkAuthentication, credentials: ServiceClientCredentialsFactory,
                 endpoints: Endpoints, *, timeout: float = 20.0) -> None:
        self.inner = inner
        self.credentials = credentials
        self.endpoints = endpoints
        self.timeout = timeout
        self.clients: dict[tuple[str | None, str, str | None], Any] = {}
        self.retired: list[Any] = []  # clients let go of, whose sessions are closed at shutdown
        self.user_token_clients: dict[str | None, UserTokenClient] = {}

    async def close(self) -> None:
        """Close the kept clients' HTTP sessions (at server shutdown)."""
        for client in [*self.clients.values(), *self.retired]:
            close = getattr(client, "close", None)
            if close is not None:
                try:
                    await close()
                except Exception:  # shutting down: nothing more to do about it
                    pass
        self.retired.clear()

    def _reusing(self, factory: ConnectorFactory | None, claims_identity: ClaimsIdentity) -> ConnectorFactory | None:
        if factory is None:
            return None
        return _ReusingConnectorFactory(self, factory, _app_id(claims_identity))

    async def authenticate_request(self, activity: Any, auth_header: str) -> AuthenticateRequestResult:
        result = await self.inner.authenticate_request(activity, auth_header)
        result.connector_factory = self._reusing(result.connector_factory, result.claims_identity)
        return result

    async def authenticate_streaming_request(self, auth_header: str, channel_id_header: str) -> AuthenticateRequestResult:
        return await self.inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return self._reusing(self.inner.create_connector_factory(claims_identity), claims_identity)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        app_id = _app_id(claims_identity)
        client = self.user_token_clients.get(app_id)
        if client is None:
            client = await self.inner.create_user_token_client(claims_identity)
            self.user_token_clients[app_id] = client
        return client

    def create_bot_framework_client(self):
        return self.inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return self.inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self.inner.authenticate_channel_request(auth_header)


class _ReusingConnectorFactory(ConnectorFactory):
    def __init__(self, owner: ReusingAuthentication, inner: ConnectorFactory, app_id: str | None) -> None:
        self.owner = owner
        self.inner = inner
        self.app_id = app_id

    async def create(self, service_url: str, audience: str | None = None) -> Any:
        key = (self.app_id, service_url, audience)
        client = self.owner.clients.get(key)
        if client is None:
            from bot.platforms.teams.connector import FastConnectorClient

            inner = await self.inner.create(service_url, audience)
            retry_connect_only(inner.config.retry_policy.policy)
            inner.config.connection.timeout = self.owner.timeout
            client = FastConnectorClient(inner, timeout=self.owner.timeout)
            if len(self.owner.clients) >= self.owner.MAX_CLIENTS:
                self.owner.retired.extend(self.owner.clients.values())
                self.owner.clients.clear()
            self.owner.clients[key] = client
        elif isinstance(self.owner.credentials, AsyncTokenCredentialFactory):
            await self.owner.credentials.refresh(self.app_id, audience or self.owner.endpoints.oauth_scope)
        return client


def retry_connect_only(policy: Any) -> None:
    """Set msrest's urllib3 ``Retry`` to retry once, at once, only a failed connect.

    A connect that failed (refused, timed out, no route) never reached the Bot Connector, so
    trying again cannot post twice. After the request is sent (a read timeout, a dropped
    connection, any status) there is no retry here: the Bot Connector has no idempotency key.
    """
    policy.total = 1
    policy.connect = 1
    policy.read = False  # re-raise read errors as they are
    policy.status = 0
    policy.other = 0
    policy.status_forcelist = frozenset()
    policy.respect_retry_after_header = False
    policy.backoff_factor = 0


def _app_id(claims_identity: ClaimsIdentity | None) -> str | None:
    if claims_identity is None:
        return None
    return (claims_identity.get_claim_value(AuthenticationConstants.AUDIENCE_CLAIM)
            or claims_identity.get_claim_value(AuthenticationConstants.APP_ID_CLAIM))
