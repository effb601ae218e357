"""Bot Framework authentication for Teams: who may call ``/api/messages``, and boardbot's own token.

Inbound, botbuilder validates the JWT Teams sends (issuer, audience = our app id, signature
against the Bot Framework's published keys, expiry, the ``serviceurl`` claim, the key's
``msteams`` endorsement). Outbound, every call to the Bot Connector carries a token from the
OAuth2 client-credentials grant for our app id and password.

botbuilder 4.17 does two of these network calls synchronously on the event loop: the signing
keys are refreshed with ``requests.get`` (no timeout) inside ``JwtTokenExtractor``, and the
outbound token comes from MSAL inside msrest's synchronous ``signed_session``. Either would
stall every conversation the server is holding while Microsoft's login service is slow. So:

- :class:`SigningKeys` refreshes the SDK's own key cache with aiohttp (with a timeout)
  *before* botbuilder looks at it, under the same rules the SDK uses (daily, or at most
  hourly when a token names a key we do not have); the SDK then finds the keys fresh.
- :class:`~bot.platforms.teams.tokens.AppTokens` fetches and caches the app token with
  aiohttp, and :class:`~bot.platforms.teams.tokens.AsyncTokenCredentialFactory` hands
  botbuilder credentials that already hold it.

:class:`Endpoints` names every URL involved; each can be overridden in ``Settings.extra``
(``teams_openid_metadata_url``, ``teams_token_issuer``, ``teams_login_url``,
``teams_oauth_scope``), which is how the tests run real JWT validation against a key set and
token endpoint they serve on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any

import aiohttp
import jwt
from botframework.connector.auth import (
    AuthenticationConstants,
    ChannelValidation,
    EmulatorValidation,
    SkillValidation,
)
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor
from jwt.algorithms import RSAAlgorithm

log = logging.getLogger("boardbot.teams.auth")

LOGIN_PREFIX = AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX  # https://login.microsoftonline.com/
TOKEN_PATH = AuthenticationConstants.TO_CHANNEL_FROM_BOT_TOKEN_ENDPOINT_PATH  # /oauth2/v2.0/token


class KeysUnavailable(Exception):
    """The Bot Framework's signing keys could not be fetched, so no token can be checked now."""


@dataclass(frozen=True)
class Endpoints:
    """Where tokens come from and how they are checked (the public Azure cloud unless overridden)."""

    openid_metadata_url: str = AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
    emulator_openid_metadata_url: str = AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL
    token_issuer: str = AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
    login_url: str = LOGIN_PREFIX + AuthenticationConstants.DEFAULT_CHANNEL_AUTH_TENANT
    oauth_scope: str = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
    oauth_url: str = AuthenticationConstants.OAUTH_URL

    @property
    def token_url(self) -> str:
        return self.login_url.rstrip("/") + TOKEN_PATH

    @classmethod
    def from_settings(cls, settings: Any) -> Endpoints:
        """Public cloud defaults; a SingleTenant app logs in to its own tenant; ``extra`` overrides win."""
        extra = getattr(settings, "extra", None) or {}
        login = LOGIN_PREFIX + (settings.app_tenant_id if settings.app_type == "SingleTenant" and settings.app_tenant_id
                                else AuthenticationConstants.DEFAULT_CHANNEL_AUTH_TENANT)
        return cls(
            openid_metadata_url=extra.get("teams_openid_metadata_url") or cls.openid_metadata_url,
            emulator_openid_metadata_url=extra.get("teams_emulator_openid_metadata_url") or cls.emulator_openid_metadata_url,
            token_issuer=extra.get("teams_token_issuer") or cls.token_issuer,
            login_url=extra.get("teams_login_url") or login,
            oauth_scope=extra.get("teams_oauth_scope") or cls.oauth_scope,
            oauth_url=extra.get("teams_oauth_url") or cls.oauth_url,
        )


# --- our own check of the token, before the body is read ------------------------------------------


class TokenRefused(Exception):
    """The Authorization header is not a valid Bot Framework token for this bot."""


@dataclass(frozen=True)
class ChannelToken:
    """A token that passed :func:`verify_channel_token`: its claims and its key's endorsements."""

    claims: dict[str, Any]
    endorsements: tuple[str, ...]

    @property
    def service_url(self) -> str | None:
        value = self.claims.get("serviceurl")
        return value if isinstance(value, str) else None

    def check_activity(self, *, channel_id: str | None, service_url: str | None) -> None:
        """The parts that need the activity: the key is endorsed for its channel, and the token
        names its ``serviceUrl`` (so a token for one Bot Connector cannot aim replies at another)."""
        if self.endorsements and (not channel_id or channel_id not in self.endorsements):
            raise TokenRefused(f"the signing key is not endorsed for channel {channel_id!r}")
        if not service_url or self.service_url != service_url:
            raise TokenRefused("the token's serviceurl claim does not match the activity's serviceUrl")


def verify_channel_token(auth_header: str | None, *, app_id: str, endpoints: Endpoints) -> ChannelToken:
    """Check a Bot Framework channel token before the request body is even read.

    Ours, not the SDK's: ``Bearer`` + a JWT signed RS256 by a key the Bot Framework publishes
    (botbuilder's key cache, kept fresh by :class:`SigningKeys`), issued by the Bot Framework
    (``endpoints.token_issuer``), for ``app_id``, not expired (five minutes' leeway, as the
    SDK allows). The activity-dependent parts (endorsement, ``serviceurl``) follow in
    :meth:`ChannelToken.check_activity` once the body is parsed; botbuilder then validates
    the whole again as it always does. Emulator tokens are not accepted with an app id (the
    Emulator runs against local, unauthenticated mode). Raises TokenRefused.
    """
    scheme, _, token = (auth_header or "").partition(" ")
    if scheme != "Bearer" or not token or " " in token:
        raise TokenRefused("no Bearer token")
    if not token.isascii():  # a JWT is base64url and dots; bytes that are not UTF-8 arrive as surrogates
        raise TokenRefused("not a JWT (characters a token never has)")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise TokenRefused(f"not a JWT ({exc})") from None
    if header.get("alg") not in AuthenticationConstants.ALLOWED_SIGNING_ALGORITHMS:
        raise TokenRefused(f"signing algorithm {header.get('alg')!r} is not allowed")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise TokenRefused("the token names no signing key")
    metadata = JwtTokenExtractor.get_open_id_metadata(endpoints.openid_metadata_url)
    jwk = next((k for k in metadata.keys or [] if isinstance(k, dict) and k.get("kid") == kid), None)
    if jwk is None:
        raise TokenRefused(f"unknown signing key {kid!r}")
    try:
        key = RSAAlgorithm.from_jwk(json.dumps(jwk))
        claims = jwt.decode(token, key, algorithms=["RS256"], audience=app_id, issuer=endpoints.token_issuer,
                            leeway=ChannelValidation.TO_BOT_FROM_CHANNEL_TOKEN_VALIDATION_PARAMETERS.clock_tolerance,
                            options={"require": ["exp", "iss", "aud"]})
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        raise TokenRefused(f"{type(exc).__name__}: {exc}") from None
    endorsements = jwk.get("endorsements") or []
    return ChannelToken(dict(claims), tuple(e for e in endorsements if isinstance(e, str)))


# --- signing keys ---------------------------------------------------------------------------------


class SigningKeys:
    """Keeps botbuilder's OpenID signing-key cache fresh without blocking the event loop.

    Call :meth:`ensure_fresh` with the request's Authorization header before botbuilder
    validates it. A header that is not a JWT needs no keys (botbuilder rejects it unseen).
    """

    def __init__(self, endpoints: Endpoints, *, timeout: float = 10.0) -> None:
        self.endpoints = endpoints
        self.timeout = timeout
        self._lock = asyncio.Lock()

    def metadata_url_for(self, auth_header: str) -> str | None:
        """Which key set botbuilder will use for this header (None: not a JWT)."""
        try:
            if EmulatorValidation.is_token_from_emulator(auth_header) or SkillValidation.is_skill_token(auth_header):
                return self.endpoints.emulator_openid_metadata_url
            jwt.get_unverified_header(auth_header.split(" ", 1)[1])
        except Exception:
            return None
        return self.endpoints.openid_metadata_url

    async def ensure_fresh(self, auth_header: str) -> None:
        url = self.metadata_url_for(auth_header or "")
        if url is None:
            return
        try:
            kid = jwt.get_unverified_header(auth_header.split(" ", 1)[1]).get("kid")
        except Exception:
            return
        metadata = JwtTokenExtractor.get_open_id_metadata(url)
        if not self._needs_refresh(metadata, kid):
            return
        async with self._lock:
            if self._needs_refresh(metadata, kid):
                metadata.keys = await self._fetch_keys(url)
                metadata.last_updated = dt.datetime.now()

    @staticmethod
    def _needs_refresh(metadata: Any, kid: str | None) -> bool:
        # botbuilder's own rules (jwt_token_extractor._OpenIdMetadata.get): daily, or hourly for an unknown key.
        now = dt.datetime.now()
        if metadata.last_updated < now - dt.timedelta(days=1):
            return True
        known = any(isinstance(k, dict) and k.get("kid") == kid for k in metadata.keys or [])
        return bool(kid) and not known and metadata.last_updated < now - dt.timedelta(hours=1)

    async def _fetch_keys(self, url: str) -> list[dict[str, Any]]:
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout)) as http:
                async with http.get(url) as resp:
                    resp.raise_for_status()
                    jwks_uri = (await resp.json(content_type=None))["jwks_uri"]
                async with http.get(jwks_uri) as resp:
                    resp.raise_for_status()
                    keys = (await resp.json(content_type=None))["keys"]
        except (TimeoutError, aiohttp.ClientError, KeyError, TypeError, ValueError) as exc:
            raise KeysUnavailable(f"could not fetch the Bot Framework signing keys from {url}: {exc!r}") from exc
        if not isinstance(keys, list):
            raise KeysUnavailable(f"{url} named a key set that is not a list")
        log.info("fetched %d Bot Framework signing keys from %s", len(keys), url)
        return keys
