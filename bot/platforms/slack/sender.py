"""The outbox's Slack sender, and how a Web API error reads to the outbox.

Each post carries its delivery key in message metadata; on a second or later attempt the
channel's recent history is searched for that key first, so a post that went out just
before a crash (or whose response was lost) is not posted again.
"""

from __future__ import annotations

import logging
import time

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.messages import Visibility
from bot.platforms.common import retry_after_seconds
from bot.platforms.slack import blocks as kit
from bot.platforms.slack.retries import sender_retry_handlers, web_client
from scheduler.outbox import Outgoing, PermanentSendError, TransientSendError

log = logging.getLogger("boardbot.slack")


DELIVERY_EVENT = "boardbot_delivery"  # message metadata event_type carrying the outbox key
HISTORY_LOOKBACK = 50  # messages searched for a delivery key before re-posting
TOKEN_TTL = 60.0  # seconds the sender remembers a workspace's bot token (a reinstall shows within it)

# the Web API errors that say "try again later"; any other ok:false error will not go away by itself
TRANSIENT_ERRORS = frozenset({"ratelimited", "fatal_error", "internal_error", "service_unavailable", "request_timeout"})
_BAD_BLOCKS = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long"})


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
